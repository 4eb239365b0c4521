using System.Net;
using System.Net.Sockets;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Servers;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Subnets;

public sealed record IpAssignmentView(int Id, string Ip, bool Primary, string? Description, DateTimeOffset UpdatedAt,
    int SubnetId, string SubnetNetwork, int Cidr, string Netmask, string? Gateway, string Type, bool SubnetOwnedByUser);

/// <summary>
/// Addresses given to servers. The unique address key decides races: of two requests for the same (or the last free)
/// address exactly one commits; the other is told the address is taken.
/// </summary>
public sealed class IpAssignmentService(IDbContextFactory<CollectDbContext> dbFactory, SubnetService subnets, ActivityRecorder activity)
{
    public async Task<ServiceResult<IReadOnlyList<IpAssignmentView>>> ListAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<IReadOnlyList<IpAssignmentView>>.NotFound();
        var rows = await db.IpAddresses.AsNoTracking().Where(a => a.ServerId == serverId).OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Key).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<IpAssignmentView>>.Ok(await ViewsAsync(db, actor, rows, ct));
    }

    /// <summary>
    /// Subnets the actor may assign from to this server: in the actor's scope, with free addresses, and whose tag
    /// restrictions the server meets (offer only with one of the offer tags, never with a refused tag). Subnets that
    /// require remote agents are not offered until remote agents exist.
    /// </summary>
    public async Task<ServiceResult<IReadOnlyList<SubnetView>>> AssignableSubnetsAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<IReadOnlyList<SubnetView>>.NotFound();
        var tags = server.Tags.Select(t => t.Tag).ToHashSet(StringComparer.Ordinal);
        var candidates = await db.Subnets.AsNoTracking().VisibleTo(actor).OrderBy(s => s.Priority == null).ThenBy(s => s.Priority).ThenBy(s => s.StartKey).ToListAsync(ct);
        var offered = candidates.Where(s =>
            (s.OfferIfServerHasTag.Count == 0 || s.OfferIfServerHasTag.Any(tags.Contains)) &&
            !s.DontOfferIfServerHasTag.Any(tags.Contains) &&
            s.OnlyIfServerHasRemoteAgents.Count == 0 &&
            SubnetService.Usage(s).Free > 0).Select(s => s.Id).ToList();
        var views = new List<SubnetView>();
        foreach (var id in offered) views.Add((await subnets.GetAsync(actor, id, ct)).Value!);
        return ServiceResult<IReadOnlyList<SubnetView>>.Ok(views);
    }

    /// <summary>Assigns a given address, or the next free one of a subnet, to a server.</summary>
    public async Task<ServiceResult<IpAssignmentView>> AssignAsync(Actor actor, int serverId, string? ip, int? subnetId, bool primary, string? description, CancellationToken ct = default)
    {
        if (!actor.Can("servers.ipassignments.store")) return ServiceResult<IpAssignmentView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<IpAssignmentView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<IpAssignmentView>.Forbidden("This server is suspended.");
        if (description?.Length > 255) return ServiceResult<IpAssignmentView>.Invalid("description", "The description must not be greater than 255 characters.");

        Subnet? subnet;
        IPAddress address;
        if (!string.IsNullOrWhiteSpace(ip))
        {
            if (!IpMath.TryParseStrict(ip, out address)) return ServiceResult<IpAssignmentView>.Invalid("ip", "The ip must be a valid IP address.");
            var key = IpMath.Key(address);
            subnet = await SubnetService.DeepestVisibleAsync(db, actor, address, ct);
            if (subnet is null) return ServiceResult<IpAssignmentView>.Invalid("ip", $"{address} is not in a subnet you can assign from.");
            if (await SubnetService.InChildAsync(db, subnet, key, ct))
                return ServiceResult<IpAssignmentView>.Invalid("ip", $"{address} belongs to a child subnet you cannot assign from.");
        }
        else if (subnetId is { } sid)
        {
            subnet = await db.Subnets.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == sid, ct);
            if (subnet is null) return ServiceResult<IpAssignmentView>.Invalid("subnetId", "The selected subnet is invalid.");
            var next = await subnets.NextFreeAsync(subnet.Id, ct);
            if (next is null) return ServiceResult<IpAssignmentView>.Invalid("subnetId", "The subnet has no free address left.");
            address = IPAddress.Parse(next);
        }
        else return ServiceResult<IpAssignmentView>.Invalid("ip", "Give an ip, or a subnetId to take its next free address.");

        var addressKey = IpMath.Key(address);
        var row = await db.IpAddresses.FirstOrDefaultAsync(a => a.Key == addressKey, ct);
        if (row is not null && row.SubnetId != subnet.Id) return ServiceResult<IpAssignmentView>.Invalid("ip", $"{address} is not in a subnet you can assign from.");
        if (row is { ServerId: not null }) return ServiceResult<IpAssignmentView>.Invalid("ip", $"{address} is already assigned to a server.");
        if (row is { Reserved: true }) return ServiceResult<IpAssignmentView>.Invalid("ip", $"{address} is reserved.");

        try
        {
            return await CommitAssignmentAsync(db, actor, server, subnet, row, address, addressKey, primary, description, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            // Someone took the address between our read and this write: the unique key (or the engine's write lock)
            // refused the second writer, and its transaction rolled back.
            return ServiceResult<IpAssignmentView>.Invalid("ip", $"{address} was just assigned elsewhere; pick another address.");
        }
    }

    private async Task<ServiceResult<IpAssignmentView>> CommitAssignmentAsync(CollectDbContext db, Actor actor, Server server, Subnet subnet,
        IpAddress? row, IPAddress address, string addressKey, bool primary, string? description, CancellationToken ct)
    {
        var serverId = server.Id;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hasPrimary = await db.IpAddresses.AnyAsync(a => a.ServerId == serverId && a.IsPrimary, ct);
        var makePrimary = primary || !hasPrimary;
        if (makePrimary && hasPrimary)
            await db.IpAddresses.Where(a => a.ServerId == serverId && a.IsPrimary).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsPrimary, false), ct);
        if (row is null)
        {
            row = new IpAddress { SubnetId = subnet.Id, Key = addressKey, Address = address.ToString() };
            db.IpAddresses.Add(row);
        }
        row.ServerId = serverId;
        row.IsPrimary = makePrimary;
        row.Description = description ?? row.Description;
        if (makePrimary) server.PrimaryIp = row.Address;
        activity.Record(db, actor, "server", serverId, $"Address {row.Address} assigned");
        await db.SaveChangesAsync(ct);
        await db.Subnets.Where(s => s.Id == subnet.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedCount, x => x.UsedCount + 1), ct);
        await tx.CommitAsync(ct);
        return ServiceResult<IpAssignmentView>.Ok((await ViewsAsync(db, actor, [row], ct))[0]);
    }

    public async Task<ServiceResult<IpAssignmentView>> UpdateAsync(Actor actor, int serverId, int id, bool? primary, string? description, CancellationToken ct = default)
    {
        if (!actor.Can("servers.ipassignments.update")) return ServiceResult<IpAssignmentView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        var row = server is null ? null : await db.IpAddresses.FirstOrDefaultAsync(a => a.Id == id && a.ServerId == serverId, ct);
        if (row is null) return ServiceResult<IpAssignmentView>.NotFound();
        if (ServerScope.IsSuspendedFor(server!, actor)) return ServiceResult<IpAssignmentView>.Forbidden("This server is suspended.");
        if (description?.Length > 255) return ServiceResult<IpAssignmentView>.Invalid("description", "The description must not be greater than 255 characters.");
        if (primary == true && !row.IsPrimary)
        {
            await db.IpAddresses.Where(a => a.ServerId == serverId && a.IsPrimary).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsPrimary, false), ct);
            row.IsPrimary = true;
            server!.PrimaryIp = row.Address;
        }
        if (description is not null) row.Description = description;
        activity.Record(db, actor, "server", serverId, $"Address {row.Address} changed");
        await db.SaveChangesAsync(ct);
        return ServiceResult<IpAssignmentView>.Ok((await ViewsAsync(db, actor, [row], ct))[0]);
    }

    public async Task<ServiceResult<bool>> UnassignAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        if (!actor.Can("servers.ipassignments.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        var row = server is null ? null : await db.IpAddresses.FirstOrDefaultAsync(a => a.Id == id && a.ServerId == serverId, ct);
        if (row is null) return ServiceResult<bool>.NotFound();
        if (ServerScope.IsSuspendedFor(server!, actor)) return ServiceResult<bool>.Forbidden("This server is suspended.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var wasPrimary = row.IsPrimary;
        row.ServerId = null;
        row.IsPrimary = false;
        if (!row.Reserved && row.Description is null && row.Rdns is null) db.IpAddresses.Remove(row);
        if (wasPrimary)
        {
            var next = await db.IpAddresses.Where(a => a.ServerId == serverId && a.Id != id).OrderBy(a => a.Key).FirstOrDefaultAsync(ct);
            if (next is not null) next.IsPrimary = true;
            server!.PrimaryIp = next?.Address;
        }
        activity.Record(db, actor, "server", serverId, $"Address {row.Address} unassigned");
        await db.SaveChangesAsync(ct);
        await db.Subnets.Where(s => s.Id == row.SubnetId).ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedCount, x => x.UsedCount - 1), ct);
        await tx.CommitAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    private static async Task<List<IpAssignmentView>> ViewsAsync(CollectDbContext db, Actor actor, List<IpAddress> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.SubnetId).Distinct().ToList();
        var nets = await db.Subnets.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return rows.Select(r =>
        {
            var s = nets[r.SubnetId];
            var family = s.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            return new IpAssignmentView(r.Id, r.Address, r.IsPrimary, r.Description, r.UpdatedAt, s.Id, s.Network, s.Cidr,
                IpMath.Netmask(s.Cidr, family), s.Gateway, s.Type, actor.IsAdmin || s.UserId == actor.ScopeUserId);
        }).ToList();
    }
}
