using System.Net;
using System.Net.Sockets;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Servers;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Subnets;

public sealed record SubnetInput
{
    public string? Subnet { get; init; }
    public int? Cidr { get; init; }
    public string? Netmask { get; init; }
    public string? Gw { get; init; }
    public string? Type { get; init; }
    public int? UserId { get; init; }
    public string? Description { get; init; }
    public int? Priority { get; init; }
    public List<string>? OfferIfServerHasTag { get; init; }
    public List<string>? DontOfferIfServerHasTag { get; init; }
    public List<string>? OnlyIfServerHasRemoteAgents { get; init; }
    public bool? ApplyRestrictionsToChilds { get; init; }
    public List<string>? DnsResolvers { get; init; }
    public bool GenerateIps { get; init; }
    public bool ReserveGatewayIp { get; init; } = true;
    public bool ReserveBroadcastIp { get; init; } = true;
    public bool ReserveNetworkAddress { get; init; } = true;
    public bool ReserveFirstUsableIp { get; init; }
    public bool ReserveLastUsableIp { get; init; }
    public bool? EnableSwitchAutomation { get; init; }
    public bool? CopyNetworkAutomationConfigurationToChilds { get; init; }
    public string? VlanMode { get; init; }
    public string? AccessVlanGenerationMode { get; init; }
    public int? StaticAccessVlanId { get; init; }
    public int? RangeStartAccessVlanId { get; init; }
    public int? RangeEndAccessVlanId { get; init; }
    public List<int>? TrunkVlans { get; init; }
    public string? VlanLayer3Mode { get; init; }
    public string? VlanLayer3Ip { get; init; }
    public bool? ReuseAccessVlan { get; init; }
    public bool? UseExistingPortAccessVlan { get; init; }
    public bool? VlanRemoveLayer3IpOnUnassign { get; init; }
    public bool? ExcludeFromDynamicIpAssignments { get; init; }
    public IReadOnlySet<string> Provided { get; init; } = new HashSet<string>();
    public bool Has(string field) => Provided.Contains(field);
}

public sealed record SubnetUsage(UInt128 Free, long Reserved, UInt128 Used, UInt128 TotalIps, double UsedPercentage);

public sealed record SubnetView(Subnet Subnet, SubnetUsage Usage, IReadOnlyList<OwnerRef> OwnerChain, bool SubnetOwnedByUser, string Netmask);

public sealed record OwnerRef(int UserId, string Name, string Username);

public sealed record FreeAddress(string Ip);

/// <summary>One line of a subnet's address table; ServerId is null when the server is outside the actor's scope.</summary>
public sealed record AddressRow(int? Id, string Ip, string State, int? ServerId, string? ServerName, bool Primary, string? Description, string? Rdns);

/// <summary>Subnets and their addresses, stored sparsely; counters kept current in the same transaction as each change.</summary>
public sealed class SubnetService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public static readonly string[] VlanModes = ["access", "trunk"];
    public static readonly string[] AccessVlanGenerationModes = ["static", "range"];
    public static readonly string[] VlanLayer3Modes = ["none", "gateway", "custom"];

    public async Task<Page<SubnetView>> ListAsync(Actor actor, int? parentId, PageRequest page, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.index")) return new Page<SubnetView>([], 0, page.Page, page.Size);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnets = db.Subnets.AsNoTracking().VisibleTo(actor);
        if (parentId is { } parent) subnets = subnets.Where(s => s.ParentId == parent);
        var total = await subnets.CountAsync(ct);
        // A parent's children share its type and never overlap: ordered by start alone, a page of them is a walk of
        // IX_Subnets_ParentId_StartKey instead of a sort of all of them (65,536 after a /48 split).
        var ordered = parentId is null
            ? subnets.OrderBy(s => s.Type).ThenBy(s => s.StartKey).ThenBy(s => s.Cidr)
            : subnets.OrderBy(s => s.StartKey);
        var rows = await ordered.Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new Page<SubnetView>(await ViewsAsync(db, actor, rows, ct), total, page.Page, page.Size);
    }

    /// <summary>
    /// The top of the tree the actor sees: subnets without a parent, and for a reseller also the subnets given to it
    /// whose parent it cannot see.
    /// </summary>
    public async Task<Page<SubnetView>> RootsAsync(Actor actor, PageRequest page, string? search = null, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.index")) return new Page<SubnetView>([], 0, page.Page, page.Size);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Subnets.AsNoTracking().VisibleTo(actor);
        IQueryable<Subnet> roots;
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            roots = visible.Where(s => s.Network.Contains(term) || (s.Description != null && s.Description.Contains(term)));
        }
        else roots = actor.IsAdmin ? visible.Where(s => s.ParentId == null) : visible.Where(s => s.ParentId == null || !visible.Any(p => p.Id == s.ParentId));
        var total = await roots.CountAsync(ct);
        var rows = await roots.OrderBy(s => s.Type).ThenBy(s => s.StartKey).ThenBy(s => s.Cidr).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new Page<SubnetView>(await ViewsAsync(db, actor, rows, ct), total, page.Page, page.Size);
    }

    /// <summary>
    /// A page of a subnet's address table. <paramref name="filter"/>: stored (every address that carries state, the
    /// default), used, reserved, or free (computed from the gaps).
    /// </summary>
    public async Task<ServiceResult<Page<AddressRow>>> AddressesAsync(Actor actor, int id, string? filter, PageRequest page, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.withDetails")) return ServiceResult<Page<AddressRow>>.Forbidden();
        if (filter == "free")
        {
            var free = await ListFreeAsync(actor, id, page, ct);
            if (!free.IsOk) return ServiceResult<Page<AddressRow>>.NotFound();
            var items = free.Value!.Items.Select(f => new AddressRow(null, f.Ip, "free", null, null, false, null, null)).ToList();
            return ServiceResult<Page<AddressRow>>.Ok(new Page<AddressRow>(items, free.Value.Total, free.Value.PageNumber, free.Value.PageSize));
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Subnets.VisibleTo(actor).AnyAsync(s => s.Id == id, ct)) return ServiceResult<Page<AddressRow>>.NotFound();
        var rows = db.IpAddresses.AsNoTracking().Where(a => a.SubnetId == id);
        rows = filter switch
        {
            "used" => rows.Where(a => a.ServerId != null),
            "reserved" => rows.Where(a => a.Reserved),
            _ => rows,
        };
        var total = await rows.CountAsync(ct);
        var list = await rows.OrderBy(a => a.Key).Skip(page.Skip).Take(Math.Min(page.Size, 1000)).ToListAsync(ct);
        var serverIds = list.Where(r => r.ServerId != null).Select(r => r.ServerId!.Value).Distinct().ToList();
        var names = await db.Servers.AsNoTracking().VisibleTo(actor).Where(s => serverIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Servername, ct);
        var result = list.Select(r => new AddressRow(r.Id, r.Address, r.ServerId != null ? "used" : r.Reserved ? "reserved" : "free",
            r.ServerId is { } sid && names.ContainsKey(sid) ? sid : null, r.ServerId is { } s2 ? names.GetValueOrDefault(s2, "another customer's server") : null,
            r.IsPrimary, r.Description, r.Rdns)).ToList();
        return ServiceResult<Page<AddressRow>>.Ok(new Page<AddressRow>(result, total, page.Page, page.Size));
    }

    public async Task<ServiceResult<SubnetView>> GetAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.show")) return ServiceResult<SubnetView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        return subnet is null ? ServiceResult<SubnetView>.NotFound() : ServiceResult<SubnetView>.Ok((await ViewsAsync(db, actor, [subnet], ct))[0]);
    }

    public async Task<ServiceResult<SubnetView>> CreateAsync(Actor actor, SubnetInput input, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.store")) return ServiceResult<SubnetView>.Forbidden();
        var errors = new Dictionary<string, string[]>();
        var shape = ValidateShape(input, errors);
        ValidateSettings(input, errors, shape?.Family);
        if (errors.Count > 0 || shape is null) return ServiceResult<SubnetView>.Invalid(errors);
        var (family, network, prefix, gateway) = shape.Value;
        var (first, last) = IpMath.Range(network, prefix, family);
        var type = family == AddressFamily.InterNetwork ? "v4" : "v6";
        var startKey = IpMath.Key(first, family);
        var endKey = IpMath.Key(last, family);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var owner = await db.Users.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(u => u.Id == (input.UserId ?? actor.ScopeUserId) && u.SharedUserId == null, ct);
        if (owner is null) return ServiceResult<SubnetView>.Invalid("userId", "The selected user id is invalid.");

        // The parent is the smallest subnet holding the whole range; siblings under it must not overlap.
        var parent = await db.Subnets.Where(s => s.Type == type && s.StartKey.CompareTo(startKey) <= 0 && s.EndKey.CompareTo(endKey) >= 0)
            .OrderByDescending(s => s.Cidr).FirstOrDefaultAsync(ct);
        // Outside the admin, a subnet may only be carved out of a subnet one can see; hidden ones are never named.
        var parentVisible = parent is null ? actor.IsAdmin : actor.IsAdmin || await db.Subnets.VisibleTo(actor).AnyAsync(s => s.Id == parent.Id, ct);
        if (!parentVisible) return ServiceResult<SubnetView>.Invalid("subnet", "The subnet must lie inside a subnet you manage.");
        if (parent is not null && parent.Cidr == prefix)
            return ServiceResult<SubnetView>.Invalid("subnet", $"The subnet {parent.Network}/{parent.Cidr} already exists.");
        var parentId = parent?.Id;
        var overlap = await db.Subnets.Where(s => s.Type == type && s.ParentId == parentId && s.StartKey.CompareTo(endKey) <= 0 && s.EndKey.CompareTo(startKey) >= 0)
            .Select(s => new { Name = s.Network + "/" + s.Cidr, s.OwnerTreePath }).FirstOrDefaultAsync(ct);
        if (overlap is not null)
            return ServiceResult<SubnetView>.Invalid("subnet", actor.IsAdmin || (actor.TreePath is { } tp && overlap.OwnerTreePath.StartsWith(tp, StringComparison.Ordinal))
                ? $"The subnet overlaps {overlap.Name}."
                : "The subnet overlaps an existing subnet.");

        var subnet = new Subnet
        {
            ParentId = parentId, Network = IpMath.ToAddress(network, family).ToString(), Cidr = prefix, Type = type,
            StartKey = startKey, EndKey = endKey, Gateway = gateway is { } g ? IpMath.ToAddress(g, family).ToString() : null,
            UserId = owner.Id, OwnerTreePath = owner.TreePath,
        };
        Apply(subnet, input, creating: true);
        db.Subnets.Add(subnet);
        await db.SaveChangesAsync(ct);

        if (parent is not null)
        {
            // Addresses of the parent inside the new range now belong to the child.
            var moved = await db.IpAddresses.Where(a => a.SubnetId == parent.Id && a.Key.CompareTo(startKey) >= 0 && a.Key.CompareTo(endKey) <= 0).ToListAsync(ct);
            foreach (var address in moved) address.SubnetId = subnet.Id;
            subnet.UsedCount = moved.Count(a => a.ServerId != null);
            subnet.ReservedCount = moved.Count(a => a.Reserved && a.ServerId == null);
            parent.UsedCount -= subnet.UsedCount;
            parent.ReservedCount -= subnet.ReservedCount;
            parent.ChildSpan = (UInt128.Parse(parent.ChildSpan) + IpMath.Size(prefix, family)).ToString();
            parent.DirectChildCount++;
        }
        if (input.GenerateIps) await ReserveDefaultsAsync(db, subnet, input, family, network, prefix, gateway, ct);
        activity.Record(db, actor, "subnet", subnet.Id, $"Subnet {subnet.Network}/{subnet.Cidr} created");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<SubnetView>.Ok((await ViewsAsync(db, actor, [subnet], ct))[0]);
    }

    public async Task<ServiceResult<SubnetView>> UpdateAsync(Actor actor, int id, SubnetInput input, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.update")) return ServiceResult<SubnetView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (subnet is null) return ServiceResult<SubnetView>.NotFound();
        var errors = new Dictionary<string, string[]>();
        if (input.Has("subnet") || input.Has("cidr") || input.Has("netmask") || input.Has("type"))
            errors["subnet"] = ["A subnet's network, prefix and type cannot change; create a new subnet instead."];
        var family = subnet.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        ValidateSettings(input, errors, family);
        UInt128? gateway = null;
        if (input.Has("gw") && !string.IsNullOrWhiteSpace(input.Gw))
        {
            var network = IpMath.ToNumber(IPAddress.Parse(subnet.Network));
            gateway = ParseGateway(input.Gw, family, network, subnet.Cidr, errors);
        }
        if (errors.Count > 0) return ServiceResult<SubnetView>.Invalid(errors);
        if (input.Has("userId") && input.UserId is { } ownerId && ownerId != subnet.UserId)
        {
            var owner = await db.Users.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(u => u.Id == ownerId && u.SharedUserId == null, ct);
            if (owner is null) return ServiceResult<SubnetView>.Invalid("userId", "The selected user id is invalid.");
            subnet.UserId = owner.Id;
            subnet.OwnerTreePath = owner.TreePath;
        }
        if (input.Has("gw")) subnet.Gateway = gateway is { } g ? IpMath.ToAddress(g, family).ToString() : null;
        Apply(subnet, input, creating: false);
        activity.Record(db, actor, "subnet", subnet.Id, $"Subnet {subnet.Network}/{subnet.Cidr} changed");
        await db.SaveChangesAsync(ct);
        return ServiceResult<SubnetView>.Ok((await ViewsAsync(db, actor, [subnet], ct))[0]);
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var subnet = await db.Subnets.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (subnet is null) return ServiceResult<bool>.NotFound();
        if (subnet.DirectChildCount > 0) return ServiceResult<bool>.Invalid("id", $"The subnet has {subnet.DirectChildCount} child subnet(s); delete them first.");
        if (subnet.AssignedServerId is not null) return ServiceResult<bool>.Invalid("id", "The subnet is assigned to a server as a whole; unassign it first.");
        if (subnet.UsedCount > 0) return ServiceResult<bool>.Invalid("id", $"{subnet.UsedCount} address(es) of the subnet are assigned to servers; unassign them first.");
        await db.IpAddresses.Where(a => a.SubnetId == id).ExecuteDeleteAsync(ct);
        if (subnet.ParentId is { } parentId)
        {
            var parent = await db.Subnets.FirstAsync(s => s.Id == parentId, ct);
            var family = subnet.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            parent.ChildSpan = (UInt128.Parse(parent.ChildSpan) - IpMath.Size(subnet.Cidr, family)).ToString();
            parent.DirectChildCount--;
            Freed(parent, subnet.StartKey);
        }
        db.Subnets.Remove(subnet);
        activity.Record(db, actor, "subnet", id, $"Subnet {subnet.Network}/{subnet.Cidr} deleted");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>Free addresses of a subnet, in order, a page at a time: the gaps between stored addresses and child subnets.</summary>
    public async Task<ServiceResult<Page<FreeAddress>>> ListFreeAsync(Actor actor, int id, PageRequest page, CancellationToken ct = default)
    {
        // Free addresses are also what a server's assignment picker and dynamic assignments draw from.
        if (!actor.Can("subnets.listFreeIps") && !actor.Can("servers.ipassignments.getAssignableIpsOfSubnet") && !actor.Can("servers.ipassignments.dynamicIpAssignments"))
            return ServiceResult<Page<FreeAddress>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (subnet is null) return ServiceResult<Page<FreeAddress>>.NotFound();
        var family = subnet.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var skip = (UInt128)(long)page.Skip;
        var take = page.Size == int.MaxValue ? 1000 : page.Size;
        var result = new List<FreeAddress>();
        await foreach (var (from, to) in GapsAsync(db, subnet, ct))
        {
            var size = to - from + 1;
            if (skip >= size)
            {
                skip -= size;
                continue;
            }
            for (var value = from + skip; value <= to && result.Count < take; value++) result.Add(new FreeAddress(IpMath.ToAddress(value, family).ToString()));
            skip = 0;
            if (result.Count >= take) break;
        }
        var usage = Usage(subnet);
        var total = usage.Free > int.MaxValue ? int.MaxValue : (int)usage.Free;
        return ServiceResult<Page<FreeAddress>>.Ok(new Page<FreeAddress>(result, total, page.Page, take));
    }

    /// <summary>The first free address of a subnet, or null when it is full.</summary>
    public async Task<string?> NextFreeAsync(int subnetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.AsNoTracking().FirstAsync(s => s.Id == subnetId, ct);
        var family = subnet.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        await foreach (var (from, _) in GapsAsync(db, subnet, ct)) return IpMath.ToAddress(from, family).ToString();
        return null;
    }

    /// <summary>
    /// Walks the subnet's range in order from its free-space hint, yielding the stretches not taken by an assigned or
    /// reserved address or a child subnet. Addresses that only carry a comment, RDNS or a listing are free. A subnet
    /// reserved or assigned whole to a server has no free stretch. Taken addresses and children are read in growing
    /// batches, so the common case (the hint sits on a free address) costs two small index reads.
    /// </summary>
    internal static async IAsyncEnumerable<(UInt128 From, UInt128 To)> GapsAsync(CollectDbContext db, Subnet subnet,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (subnet.Reserved || subnet.AssignedServerId is not null) yield break;
        var fromKey = subnet.FreeFromKey is { } hint && string.CompareOrdinal(hint, subnet.StartKey) > 0 ? hint : subnet.StartKey;
        var cursor = IpMath.FromKey(fromKey);
        var end = IpMath.FromKey(subnet.EndKey);
        await using var taken = Merge(TakenAddresses(db, subnet.Id, fromKey, ct), Children(db, subnet.Id, fromKey, ct)).GetAsyncEnumerator(ct);
        while (await taken.MoveNextAsync())
        {
            var (from, to) = taken.Current;
            if (from > cursor) yield return (cursor, from - 1);
            if (to >= end) yield break;
            if (to + 1 > cursor) cursor = to + 1;
        }
        if (cursor <= end) yield return (cursor, end);
    }

    /// <summary>The keys of a subnet's assigned or reserved addresses from <paramref name="fromKey"/> on, in order.</summary>
    private static async IAsyncEnumerable<(UInt128 From, UInt128 To)> TakenAddresses(CollectDbContext db, int subnetId, string fromKey,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var after = fromKey;
        var inclusive = true;
        for (var batch = 64; ; batch = 5000)
        {
            var bound = after;
            var keys = await db.IpAddresses.AsNoTracking()
                .Where(a => a.SubnetId == subnetId && (inclusive ? a.Key.CompareTo(bound) >= 0 : a.Key.CompareTo(bound) > 0) && (a.Reserved || a.ServerId != null))
                .OrderBy(a => a.Key).Select(a => a.Key).Take(batch).ToListAsync(ct);
            foreach (var key in keys)
            {
                var value = IpMath.FromKey(key);
                yield return (value, value);
            }
            if (keys.Count < batch) yield break;
            after = keys[^1];
            inclusive = false;
        }
    }

    /// <summary>A subnet's child ranges that end at or after <paramref name="fromKey"/>, in order (children never overlap).</summary>
    private static async IAsyncEnumerable<(UInt128 From, UInt128 To)> Children(CollectDbContext db, int subnetId, string fromKey,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var holding = await db.Subnets.AsNoTracking().Where(s => s.ParentId == subnetId && s.StartKey.CompareTo(fromKey) <= 0)
            .OrderByDescending(s => s.StartKey).Select(s => new { s.StartKey, s.EndKey }).FirstOrDefaultAsync(ct);
        if (holding is not null && string.CompareOrdinal(holding.EndKey, fromKey) >= 0)
            yield return (IpMath.FromKey(holding.StartKey), IpMath.FromKey(holding.EndKey));
        var after = fromKey;
        for (var batch = 64; ; batch = 5000)
        {
            var bound = after;
            var children = await db.Subnets.AsNoTracking().Where(s => s.ParentId == subnetId && s.StartKey.CompareTo(bound) > 0)
                .OrderBy(s => s.StartKey).Select(s => new { s.StartKey, s.EndKey }).Take(batch).ToListAsync(ct);
            foreach (var child in children) yield return (IpMath.FromKey(child.StartKey), IpMath.FromKey(child.EndKey));
            if (children.Count < batch) yield break;
            after = children[^1].StartKey;
        }
    }

    /// <summary>Two ordered streams of ranges as one ordered stream.</summary>
    private static async IAsyncEnumerable<(UInt128 From, UInt128 To)> Merge(IAsyncEnumerable<(UInt128 From, UInt128 To)> first, IAsyncEnumerable<(UInt128 From, UInt128 To)> second,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var a = first.GetAsyncEnumerator(ct);
        await using var b = second.GetAsyncEnumerator(ct);
        var hasA = await a.MoveNextAsync();
        var hasB = await b.MoveNextAsync();
        while (hasA || hasB)
        {
            if (hasA && (!hasB || a.Current.From <= b.Current.From))
            {
                yield return a.Current;
                hasA = await a.MoveNextAsync();
            }
            else
            {
                yield return b.Current;
                hasB = await b.MoveNextAsync();
            }
        }
    }

    /// <summary>
    /// Moves the free-space hints of subnets to their first free address. Call inside the write transaction that took
    /// addresses, so that no release can slip in between the walk and the write.
    /// </summary>
    internal static async Task AdvanceFreeFromAsync(CollectDbContext db, IEnumerable<int> subnetIds, CancellationToken ct)
    {
        foreach (var id in subnetIds.Distinct())
        {
            var subnet = await db.Subnets.AsNoTracking().FirstAsync(s => s.Id == id, ct);
            if (subnet.Reserved || subnet.AssignedServerId is not null) continue;
            var family = IpMath.FamilyOf(subnet.Type);
            string? first = null;
            await foreach (var (from, _) in GapsAsync(db, subnet, ct))
            {
                first = IpMath.Key(from, family);
                break;
            }
            first ??= subnet.EndKey;
            if (first != subnet.FreeFromKey)
                await db.Subnets.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FreeFromKey, first), ct);
        }
    }

    /// <summary>Lowers a subnet's free-space hint to an address that has just become free.</summary>
    internal static void Freed(Subnet subnet, string key)
    {
        if (subnet.FreeFromKey is not null && string.CompareOrdinal(subnet.FreeFromKey, key) > 0) subnet.FreeFromKey = key;
    }

    /// <summary>Marks addresses reserved (or not); answers how many changed. Addresses must lie in subnets the actor can see.</summary>
    public async Task<ServiceResult<int>> SetReservedAsync(Actor actor, IReadOnlyList<string> ips, bool reserved, CancellationToken ct = default)
    {
        if (!actor.Can(reserved ? "ip.reserve" : "ip.unreserve")) return ServiceResult<int>.Forbidden();
        var parsed = new List<IPAddress>();
        foreach (var ip in ips)
        {
            if (!IpMath.TryParseStrict(ip, out var address)) return ServiceResult<int>.Invalid("ips", $"\"{ip}\" is not a valid IP address.");
            parsed.Add(address);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = 0;
        foreach (var address in parsed.DistinctBy(IpMath.Key))
        {
            var key = IpMath.Key(address);
            var subnet = await DeepestVisibleAsync(db, actor, address, ct);
            if (subnet is null || await InChildAsync(db, subnet, key, ct)) return ServiceResult<int>.Invalid("ips", $"{address} is not in a subnet you manage.");
            var row = await db.IpAddresses.FirstOrDefaultAsync(a => a.Key == key && a.SubnetId == subnet.Id, ct);
            if (reserved)
            {
                if (row is { ServerId: not null }) return ServiceResult<int>.Invalid("ips", $"{address} is assigned to a server.");
                if (row is { Reserved: true }) continue;
                if (row is null) db.IpAddresses.Add(new IpAddress { SubnetId = subnet.Id, Key = key, Address = address.ToString(), Reserved = true });
                else row.Reserved = true;
                subnet.ReservedCount++;
            }
            else
            {
                if (row is not { Reserved: true }) continue;
                row.Reserved = false;
                if (row.CarriesNothing) db.IpAddresses.Remove(row);
                subnet.ReservedCount--;
                Freed(subnet, key);
            }
            changed++;
        }
        activity.Record(db, actor, "ip", null, $"{changed} address(es) {(reserved ? "reserved" : "unreserved")}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<int>.Ok(changed);
    }

    /// <summary>A subnet's stored addresses (a page) and its direct children.</summary>
    public async Task<ServiceResult<(SubnetView Subnet, Page<IpAddress> Addresses, IReadOnlyList<SubnetView> Children, IReadOnlyDictionary<int, string> Servers)>> DetailsAsync(
        Actor actor, int id, PageRequest page, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.withDetails")) return ServiceResult<(SubnetView, Page<IpAddress>, IReadOnlyList<SubnetView>, IReadOnlyDictionary<int, string>)>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (subnet is null) return ServiceResult<(SubnetView, Page<IpAddress>, IReadOnlyList<SubnetView>, IReadOnlyDictionary<int, string>)>.NotFound();
        var addresses = db.IpAddresses.AsNoTracking().Where(a => a.SubnetId == id);
        var total = await addresses.CountAsync(ct);
        var rows = await addresses.OrderBy(a => a.Key).Skip(page.Skip).Take(page.Size == int.MaxValue ? 1000 : page.Size).ToListAsync(ct);
        var serverIds = rows.Where(r => r.ServerId != null).Select(r => r.ServerId!.Value).Distinct().ToList();
        var visibleServers = await db.Servers.AsNoTracking().VisibleTo(actor).Where(s => serverIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Servername, ct);
        var children = await db.Subnets.AsNoTracking().VisibleTo(actor).Where(s => s.ParentId == id).OrderBy(s => s.StartKey).ToListAsync(ct);
        var views = await ViewsAsync(db, actor, [subnet, .. children], ct);
        return ServiceResult<(SubnetView, Page<IpAddress>, IReadOnlyList<SubnetView>, IReadOnlyDictionary<int, string>)>.Ok(
            (views[0], new Page<IpAddress>(rows, total, page.Page, page.Size), (IReadOnlyList<SubnetView>)views.Skip(1).ToList(), (IReadOnlyDictionary<int, string>)visibleServers));
    }

    /// <summary>Sets (or clears, with null) the comment of addresses in subnets the actor can see.</summary>
    public async Task<ServiceResult<int>> CommentAsync(Actor actor, IReadOnlyList<string> ips, string? comment, CancellationToken ct = default)
    {
        if (!actor.Can("ip.comment")) return ServiceResult<int>.Forbidden();
        if (comment?.Length > 255) return ServiceResult<int>.Invalid("comment", "The comment must not be greater than 255 characters.");
        var text = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = 0;
        foreach (var ip in ips.Distinct())
        {
            if (!IpMath.TryParseStrict(ip, out var address)) return ServiceResult<int>.Invalid("ips", $"\"{ip}\" is not a valid IP address.");
            var key = IpMath.Key(address);
            var subnet = await DeepestVisibleAsync(db, actor, address, ct);
            if (subnet is null || await InChildAsync(db, subnet, key, ct)) return ServiceResult<int>.Invalid("ips", $"{address} is not in a subnet you manage.");
            var row = await db.IpAddresses.FirstOrDefaultAsync(a => a.Key == key && a.SubnetId == subnet.Id, ct);
            if (row is null && text is null) continue;
            if (row is null) db.IpAddresses.Add(new IpAddress { SubnetId = subnet.Id, Key = key, Address = address.ToString(), Description = text });
            else
            {
                row.Description = text;
                if (row.CarriesNothing) db.IpAddresses.Remove(row);
            }
            changed++;
        }
        activity.Record(db, actor, "ip", null, $"Comment set on {changed} address(es)");
        await db.SaveChangesAsync(ct);
        return ServiceResult<int>.Ok(changed);
    }

    /// <summary>
    /// The smallest subnet the actor can see that holds the address, or null. Subnets nest, so the deepest holder is
    /// the subnet starting last at or below the address, or one of its ancestors: one index seek and a short walk up,
    /// however many siblings lie below the address.
    /// </summary>
    internal static async Task<Subnet?> DeepestVisibleAsync(CollectDbContext db, Actor actor, IPAddress address, CancellationToken ct)
    {
        var key = IpMath.Key(address);
        var type = address.AddressFamily == AddressFamily.InterNetwork ? "v4" : "v6";
        var candidate = await db.Subnets.AsNoTracking().Where(s => s.Type == type && s.StartKey.CompareTo(key) <= 0)
            .OrderByDescending(s => s.StartKey).ThenByDescending(s => s.Cidr).Select(s => new { s.Id, s.ParentId, s.EndKey }).FirstOrDefaultAsync(ct);
        var holders = new List<int>();
        while (candidate is not null)
        {
            if (string.CompareOrdinal(candidate.EndKey, key) >= 0) holders.Add(candidate.Id);
            if (candidate.ParentId is not { } parentId) break;
            candidate = await db.Subnets.AsNoTracking().Where(s => s.Id == parentId).Select(s => new { s.Id, s.ParentId, s.EndKey }).FirstAsync(ct);
        }
        if (holders.Count == 0) return null;
        return await db.Subnets.VisibleTo(actor).Where(s => holders.Contains(s.Id)).OrderByDescending(s => s.Cidr).FirstOrDefaultAsync(ct);
    }

    /// <summary>True when the address lies in a child subnet, whose rows the parent must not touch.</summary>
    internal static async Task<bool> InChildAsync(CollectDbContext db, Subnet subnet, string key, CancellationToken ct)
    {
        var end = await db.Subnets.Where(s => s.ParentId == subnet.Id && s.StartKey.CompareTo(key) <= 0).OrderByDescending(s => s.StartKey)
            .Select(s => s.EndKey).FirstOrDefaultAsync(ct);
        return end is not null && string.CompareOrdinal(end, key) >= 0;
    }

    /// <summary>
    /// A subnet's usage from its counters alone. A subnet assigned whole to a server is all used; a reserved subnet
    /// has nothing free.
    /// </summary>
    public static SubnetUsage Usage(Subnet s)
    {
        var family = s.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var total = IpMath.Size(s.Cidr, family);
        var used = s.AssignedServerId is not null ? total : (UInt128)s.UsedCount + UInt128.Parse(s.ChildSpan);
        var reserved = (UInt128)s.ReservedCount;
        var free = s.AssignedServerId is not null || s.Reserved ? UInt128.Zero : total - used - reserved;
        var percentage = Math.Round((double)(total - free) / (double)total * 100, 2);
        return new SubnetUsage(free, s.ReservedCount, used, total, percentage);
    }

    private static async Task ReserveDefaultsAsync(CollectDbContext db, Subnet subnet, SubnetInput input, AddressFamily family, UInt128 network, int prefix, UInt128? gateway, CancellationToken ct)
    {
        var wanted = DefaultReservations(input, family, network, prefix, gateway);
        var keys = wanted.Select(v => IpMath.Key(v, family)).ToList();
        var existing = (await db.IpAddresses.Where(a => keys.Contains(a.Key)).Select(a => a.Key).ToListAsync(ct)).ToHashSet();
        foreach (var value in wanted.Where(v => !existing.Contains(IpMath.Key(v, family))))
        {
            db.IpAddresses.Add(new IpAddress { SubnetId = subnet.Id, Key = IpMath.Key(value, family), Address = IpMath.ToAddress(value, family).ToString(), Reserved = true });
            subnet.ReservedCount++;
        }
    }

    /// <summary>
    /// The addresses <c>generateIps</c> reserves: network, broadcast (IPv4), gateway, first and last usable as asked.
    /// Point-to-point prefixes (/31, /32, /127, /128) have no network or broadcast address: every address is usable.
    /// </summary>
    internal static SortedSet<UInt128> DefaultReservations(SubnetInput input, AddressFamily family, UInt128 network, int prefix, UInt128? gateway)
    {
        var (first, last) = IpMath.Range(network, prefix, family);
        var pointToPoint = last - first < 2;
        var wanted = new SortedSet<UInt128>();
        if (!pointToPoint && input.ReserveNetworkAddress) wanted.Add(first);
        if (!pointToPoint && input.ReserveBroadcastIp && family == AddressFamily.InterNetwork) wanted.Add(last);
        if (input.ReserveGatewayIp && gateway is { } g) wanted.Add(g);
        var usableFirst = pointToPoint ? first : first + 1;
        var usableLast = pointToPoint || family != AddressFamily.InterNetwork ? last : last - 1;
        if (input.ReserveFirstUsableIp) wanted.Add(usableFirst);
        if (input.ReserveLastUsableIp) wanted.Add(usableLast);
        return wanted;
    }

    private static (AddressFamily Family, UInt128 Network, int Prefix, UInt128? Gateway)? ValidateShape(SubnetInput input, Dictionary<string, string[]> errors)
    {
        if (input.Type is not ("v4" or "v6")) { errors["type"] = ["The type must be v4 or v6."]; return null; }
        var family = input.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!IpMath.TryParseStrict(input.Subnet, out var address) || address.AddressFamily != family)
        {
            errors["subnet"] = [$"The subnet must be a valid {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} network address."];
            return null;
        }
        var prefix = input.Cidr;
        if (prefix is null && !string.IsNullOrWhiteSpace(input.Netmask))
        {
            prefix = family == AddressFamily.InterNetwork ? IpMath.PrefixOfNetmask(input.Netmask) : null;
            if (prefix is null) { errors["netmask"] = ["The netmask must be a valid IPv4 netmask such as 255.255.255.0."]; return null; }
        }
        // A /0 (or an IPv6 prefix wider than /8) is the whole internet, not a subnet anyone owns.
        var (min, max) = family == AddressFamily.InterNetwork ? (1, 32) : (8, 128);
        if (prefix is null) { errors["cidr"] = ["The cidr field is required when netmask is not present."]; return null; }
        if (prefix < min || prefix > max) { errors["cidr"] = [$"The cidr must be between {min} and {max}."]; return null; }
        var network = IpMath.ToNumber(address);
        if (!IpMath.IsNetworkAddress(network, prefix.Value, family))
        {
            var proper = IpMath.ToAddress(network & IpMath.Mask(prefix.Value, family), family);
            errors["subnet"] = [$"{address} is not the network address of a /{prefix}; did you mean {proper}?"];
            return null;
        }
        UInt128? gateway = string.IsNullOrWhiteSpace(input.Gw) ? null : ParseGateway(input.Gw, family, network, prefix.Value, errors);
        return errors.ContainsKey("gw") ? null : (family, network, prefix.Value, gateway);
    }

    private static UInt128? ParseGateway(string gw, AddressFamily family, UInt128 network, int prefix, Dictionary<string, string[]> errors)
    {
        if (!IpMath.TryParseStrict(gw, out var address) || address.AddressFamily != family)
        {
            errors["gw"] = ["The gateway must be a valid IP address of the subnet's family."];
            return null;
        }
        var value = IpMath.ToNumber(address);
        if (!IpMath.Contains(network, prefix, family, value))
        {
            errors["gw"] = [$"The gateway {address} is outside the subnet."];
            return null;
        }
        return value;
    }

    private static void ValidateSettings(SubnetInput input, Dictionary<string, string[]> errors, AddressFamily? family)
    {
        if (input.DnsResolvers is { Count: > 0 } resolvers)
        {
            if (resolvers.Any(r => !IPAddress.TryParse(r, out _))) errors["dns_resolvers"] = ["Each DNS resolver must be a valid IP address."];
            else if (resolvers.Select(r => IPAddress.Parse(r).ToString()).Distinct().Count() != resolvers.Count) errors["dns_resolvers"] = ["The DNS resolvers must be unique."];
            else if (resolvers.Count is < 2 or > 3) errors["dns_resolvers"] = ["Give none, or two to three DNS resolvers."];
        }
        foreach (var (field, value) in new[] { ("static_access_vlan_id", input.StaticAccessVlanId), ("range_start_access_vlan_id", input.RangeStartAccessVlanId), ("range_end_access_vlan_id", input.RangeEndAccessVlanId) })
            if (value is < 1 or > 4094) errors[field] = [$"The {field} must be between 1 and 4094."];
        if (input.RangeStartAccessVlanId > input.RangeEndAccessVlanId) errors.TryAdd("range_end_access_vlan_id", ["The VLAN range must not end before it starts."]);
        if (input.TrunkVlans?.Any(v => v is < 1 or > 4094) == true) errors["trunk_vlans"] = ["Each trunk VLAN must be between 1 and 4094."];
        if (input.VlanMode is not null && !VlanModes.Contains(input.VlanMode)) errors["vlan_mode"] = [$"The vlan_mode must be one of: {string.Join(", ", VlanModes)}."];
        if (input.AccessVlanGenerationMode is not null && !AccessVlanGenerationModes.Contains(input.AccessVlanGenerationMode))
            errors["access_vlan_generation_mode"] = [$"The access_vlan_generation_mode must be one of: {string.Join(", ", AccessVlanGenerationModes)}."];
        if (input.VlanLayer3Mode is not null && !VlanLayer3Modes.Contains(input.VlanLayer3Mode))
            errors["vlan_layer3_mode"] = [$"The vlan_layer3_mode must be one of: {string.Join(", ", VlanLayer3Modes)}."];
        if (input.VlanLayer3Ip is { Length: > 0 } l3 && !IPAddress.TryParse(l3, out _)) errors["vlan_layer3_ip"] = ["The vlan_layer3_ip must be a valid IP address."];
        if (input.Description?.Length > 1000) errors["description"] = ["The description must not be greater than 1000 characters."];
        if (input.OnlyIfServerHasRemoteAgents?.Any(a => !int.TryParse(a, out _)) == true) errors["only_if_server_has_remote_agents"] = ["The remote agents must be ids."];
    }

    private static void Apply(Subnet s, SubnetInput i, bool creating)
    {
        bool Set(string field) => creating || i.Has(field);
        if (Set("description")) s.Description = i.Description;
        if (Set("priority")) s.Priority = i.Priority;
        if (Set("offer_if_server_has_tag")) s.OfferIfServerHasTag = i.OfferIfServerHasTag ?? [];
        if (Set("dont_offer_if_server_has_tag")) s.DontOfferIfServerHasTag = i.DontOfferIfServerHasTag ?? [];
        if (Set("only_if_server_has_remote_agents")) s.OnlyIfServerHasRemoteAgents = i.OnlyIfServerHasRemoteAgents ?? [];
        if (Set("apply_restrictions_to_childs")) s.ApplyRestrictionsToChilds = i.ApplyRestrictionsToChilds ?? false;
        if (Set("dns_resolvers")) s.DnsResolvers = (i.DnsResolvers ?? []).Select(r => IPAddress.Parse(r).ToString()).ToList();
        if (Set("enable_switch_automation")) s.EnableSwitchAutomation = i.EnableSwitchAutomation;
        if (Set("copy_network_automation_configuration_to_childs")) s.CopyNetworkAutomationConfigurationToChilds = i.CopyNetworkAutomationConfigurationToChilds;
        if (Set("vlan_mode")) s.VlanMode = i.VlanMode;
        if (Set("access_vlan_generation_mode")) s.AccessVlanGenerationMode = i.AccessVlanGenerationMode;
        if (Set("static_access_vlan_id")) s.StaticAccessVlanId = i.StaticAccessVlanId;
        if (Set("range_start_access_vlan_id")) s.RangeStartAccessVlanId = i.RangeStartAccessVlanId;
        if (Set("range_end_access_vlan_id")) s.RangeEndAccessVlanId = i.RangeEndAccessVlanId;
        if (Set("trunk_vlans")) s.TrunkVlans = (i.TrunkVlans ?? []).Select(v => v.ToString()).ToList();
        if (Set("vlan_layer3_mode")) s.VlanLayer3Mode = i.VlanLayer3Mode;
        if (Set("vlan_layer3_ip")) s.VlanLayer3Ip = i.VlanLayer3Ip;
        if (Set("reuse_access_vlan")) s.ReuseAccessVlan = i.ReuseAccessVlan;
        if (Set("use_existing_port_access_vlan")) s.UseExistingPortAccessVlan = i.UseExistingPortAccessVlan;
        if (Set("vlan_remove_layer3_ip_on_unassign")) s.VlanRemoveLayer3IpOnUnassign = i.VlanRemoveLayer3IpOnUnassign;
        if (Set("exclude_from_dynamic_ip_assignments")) s.ExcludeFromDynamicIpAssignments = i.ExcludeFromDynamicIpAssignments;
    }

    internal static async Task<List<SubnetView>> ViewsAsync(CollectDbContext db, Actor actor, List<Subnet> subnets, CancellationToken ct)
    {
        var ids = subnets.SelectMany(s => UserScope.Ids(s.OwnerTreePath)).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new OwnerRef(u.Id, u.Name, u.UserName!)).ToDictionaryAsync(u => u.UserId, ct);
        return subnets.Select(s =>
        {
            var chain = UserScope.Ids(s.OwnerTreePath).Where(users.ContainsKey).Select(id => users[id]).ToList();
            var family = s.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            return new SubnetView(s, Usage(s), chain, s.UserId == actor.ScopeUserId || actor.IsAdmin, IpMath.Netmask(s.Cidr, family));
        }).ToList();
    }
}
