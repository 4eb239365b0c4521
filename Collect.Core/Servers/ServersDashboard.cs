using Collect.Core.Access;
using Collect.Core.Dashboard;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Servers;

/// <summary>Dashboard figures about servers in the actor's scope.</summary>
internal sealed class ServersDashboard(IDbContextFactory<CollectDbContext> dbFactory) : IDashboardContributor
{
    public async Task<IReadOnlyList<DashboardTile>> GetTilesAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.Can("servers.index")) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var servers = db.Servers.VisibleTo(actor);
        var total = await servers.CountAsync(ct);
        // The list is a JSON column: "not the empty list" is what the database can compare.
        var none = new List<string>();
        var suspended = await servers.CountAsync(s => s.SuspendedUserIds != none, ct);
        return [new DashboardTile("Servers", "Servers", total.ToString(), suspended > 0 ? $"{suspended} suspended" : null, "/servers", 10)];
    }
}
