using System.Net;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Subnets;

/// <summary>
/// The <c>/api/ip/*</c> actions. Each takes single addresses (type singleIp) or whole subnets written with their
/// prefix (type subnet): reserving a subnet holds it back from assignment, commenting it sets its description and
/// deleting it removes the subnet. A list is checked in full before anything changes.
/// </summary>
public sealed class IpActions(IDbContextFactory<CollectDbContext> dbFactory, SubnetService subnets, ActivityRecorder activity)
{
    public static readonly string[] Types = ["singleIp", "subnet"];
    public static readonly string[] MassModes = ["reserve", "unreserve", "delete"];

    public async Task<ServiceResult<int>> ReserveAsync(Actor actor, IReadOnlyList<string> targets, string? type, bool reserve, CancellationToken ct = default)
    {
        if (!actor.Can(reserve ? "ip.reserve" : "ip.unreserve")) return ServiceResult<int>.Forbidden();
        if (CheckType(type) is { } bad) return bad;
        if (type == "singleIp") return await subnets.SetReservedAsync(actor, targets, reserve, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindSubnetsAsync(db, actor, targets, ct);
        if (!found.IsOk) return ServiceResult<int>.Invalid(found.Errors!);
        var changed = 0;
        foreach (var subnet in found.Value!.Where(s => s.Reserved != reserve))
        {
            if (reserve && subnet.AssignedServerId is not null)
                return ServiceResult<int>.Invalid("adminIp", $"{subnet.Network}/{subnet.Cidr} is assigned to a server; unassign it first.");
            subnet.Reserved = reserve;
            changed++;
            activity.Record(db, actor, "subnet", subnet.Id, $"Subnet {subnet.Network}/{subnet.Cidr} {(reserve ? "reserved" : "released")}");
        }
        await db.SaveChangesAsync(ct);
        return ServiceResult<int>.Ok(changed);
    }

    /// <summary>Comments addresses (one call, all or none), or sets the description of one subnet.</summary>
    public async Task<ServiceResult<int>> CommentAsync(Actor actor, IReadOnlyList<string> targets, string? type, string? comment, CancellationToken ct = default)
    {
        if (!actor.Can("ip.comment")) return ServiceResult<int>.Forbidden();
        if (CheckType(type) is { } bad) return bad;
        if (type == "singleIp") return await subnets.CommentAsync(actor, targets, comment, ct);
        if (targets.Count != 1) return ServiceResult<int>.Invalid("adminIp", "Comment one subnet at a time.");
        if (comment?.Length > 1000) return ServiceResult<int>.Invalid("comment", "The comment of a subnet must not be greater than 1000 characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindSubnetsAsync(db, actor, targets, ct);
        if (!found.IsOk) return ServiceResult<int>.Invalid(found.Errors!);
        var subnet = found.Value![0];
        subnet.Description = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        activity.Record(db, actor, "subnet", subnet.Id, $"Comment of {subnet.Network}/{subnet.Cidr} set");
        await db.SaveChangesAsync(ct);
        return ServiceResult<int>.Ok(1);
    }

    /// <summary>
    /// Deletes what is stored about addresses (reservation, comment, RDNS, listing) so that they are plain free
    /// addresses again, or deletes whole subnets. Addresses assigned to a server are refused: unassign them first.
    /// </summary>
    public async Task<ServiceResult<int>> DeleteAsync(Actor actor, IReadOnlyList<string> targets, string? type, CancellationToken ct = default)
    {
        if (!actor.Can("ip.delete")) return ServiceResult<int>.Forbidden();
        if (CheckType(type) is { } bad) return bad;
        if (targets.Count == 0) return ServiceResult<int>.Invalid("adminIp", "Give at least one address.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (type == "subnet")
        {
            var found = await FindSubnetsAsync(db, actor, targets, ct);
            if (!found.IsOk) return ServiceResult<int>.Invalid(found.Errors!);
            // Children first, so that a list holding a parent and its children deletes cleanly.
            var deleted = 0;
            foreach (var subnet in found.Value!.OrderByDescending(s => s.Cidr))
            {
                var result = await subnets.DeleteAsync(actor, subnet.Id, ct);
                if (!result.IsOk) return ServiceResult<int>.Invalid(result.Errors ?? new Dictionary<string, string[]> { ["adminIp"] = [$"{subnet.Network}/{subnet.Cidr} could not be deleted."] });
                deleted++;
            }
            return ServiceResult<int>.Ok(deleted);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = 0;
        foreach (var text in targets.Distinct())
        {
            if (!IpMath.TryParseStrict(text, out var address)) return ServiceResult<int>.Invalid("adminIp", $"\"{text}\" is not a valid IP address.");
            var key = IpMath.Key(address);
            var subnet = await SubnetService.DeepestVisibleAsync(db, actor, address, ct);
            if (subnet is null || await SubnetService.InChildAsync(db, subnet, key, ct))
                return ServiceResult<int>.Invalid("adminIp", $"{address} is not in a subnet you manage.");
            var row = await db.IpAddresses.FirstOrDefaultAsync(a => a.Key == key && a.SubnetId == subnet.Id, ct);
            if (row is null) continue;
            if (row.ServerId is not null) return ServiceResult<int>.Invalid("adminIp", $"{address} is assigned to a server; unassign it first.");
            if (row.Reserved) subnet.ReservedCount--;
            db.IpAddresses.Remove(row);
            SubnetService.Freed(subnet, key);
            changed++;
        }
        activity.Record(db, actor, "ip", null, $"{changed} address entr{(changed == 1 ? "y" : "ies")} deleted");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<int>.Ok(changed);
    }

    public Task<ServiceResult<int>> MassActionAsync(Actor actor, string? mode, IReadOnlyList<string> targets, string? type, CancellationToken ct = default) => mode switch
    {
        "reserve" => ReserveAsync(actor, targets, type, true, ct),
        "unreserve" => ReserveAsync(actor, targets, type, false, ct),
        "delete" => DeleteAsync(actor, targets, type, ct),
        _ => Task.FromResult(ServiceResult<int>.Invalid("mode", $"The mode must be one of: {string.Join(", ", MassModes)}.")),
    };

    private static ServiceResult<int>? CheckType(string? type) =>
        Types.Contains(type) ? null : ServiceResult<int>.Invalid("type", "The type must be singleIp or subnet.");

    /// <summary>Subnets the actor can see, named as "network/prefix" exactly as stored (tracked, for changes).</summary>
    internal static async Task<ServiceResult<List<Subnet>>> FindSubnetsAsync(CollectDbContext db, Actor actor, IEnumerable<string> texts, CancellationToken ct)
    {
        var found = new List<Subnet>();
        foreach (var text in texts.Distinct())
        {
            if (!TryParseCidr(text, out var address, out var prefix))
                return ServiceResult<List<Subnet>>.Invalid("adminIp", $"\"{text}\" is not a subnet written with its prefix, e.g. 2001:db8::/48.");
            var key = IpMath.Key(address);
            var subnet = await db.Subnets.VisibleTo(actor).FirstOrDefaultAsync(s => s.StartKey == key && s.Cidr == prefix, ct);
            if (subnet is null) return ServiceResult<List<Subnet>>.Invalid("adminIp", $"{address}/{prefix} is not a subnet you manage.");
            found.Add(subnet);
        }
        return ServiceResult<List<Subnet>>.Ok(found);
    }

    public static bool TryParseCidr(string? text, out IPAddress address, out int prefix)
    {
        address = IPAddress.None;
        prefix = 0;
        var parts = text?.Split('/');
        if (parts is not { Length: 2 } || !IpMath.TryParseStrict(parts[0], out address) || !int.TryParse(parts[1], out prefix)) return false;
        return prefix >= 0 && prefix <= IpMath.Bits(address.AddressFamily);
    }
}
