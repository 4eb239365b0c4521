using System.Net.Sockets;
using Collect.Core.Access;
using Collect.Core.Dashboard;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Subnets;

/// <summary>Dashboard figures about IP space: subnets and how full the top-level IPv4 ones are.</summary>
internal sealed class SubnetsDashboard(IDbContextFactory<CollectDbContext> dbFactory) : IDashboardContributor
{
    public async Task<IReadOnlyList<DashboardTile>> GetTilesAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.Can("subnets.index")) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnets = db.Subnets.VisibleTo(actor);
        var count = await subnets.CountAsync(ct);
        // Usage comes from the kept counters of the top-level v4 subnets; nothing is scanned.
        var roots = await subnets.Where(s => s.Type == "v4" && s.ParentId == null).ToListAsync(ct);
        UInt128 total = 0, taken = 0;
        foreach (var s in roots)
        {
            var usage = SubnetService.Usage(s);
            total += usage.TotalIps;
            taken += usage.Used + (UInt128)usage.Reserved;
        }
        var detail = total == 0 ? null : $"IPv4 {Math.Round((double)taken / (double)total * 100, 1)}% used";
        return [new DashboardTile("IP management", "Subnets", count.ToString(), detail, "/subnets", 20)];
    }
}
