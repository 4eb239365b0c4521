using System.Net;
using System.Net.Sockets;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Subnets;

public sealed record SplitInput
{
    /// <summary>subnet (child subnets of <see cref="ToPrefix"/>) or singleIps (addresses listed in the parent).</summary>
    public string? Mode { get; init; }
    public int? ToPrefix { get; init; }
    public int? ToAmount { get; init; }
    /// <summary>first, last or custom (<see cref="GatewayCustom"/> is the host part, e.g. "::1", added to each child).</summary>
    public string? GatewayMethod { get; init; }
    public string? GatewayCustom { get; init; }
    public List<string>? ListOfIps { get; init; }
    public bool GenerateIps { get; init; }
    public bool ReserveGatewayIp { get; init; } = true;
    public bool ReserveBroadcastIp { get; init; } = true;
    public bool ReserveNetworkAddress { get; init; } = true;
    public bool ReserveFirstUsableIp { get; init; }
    public bool ReserveLastUsableIp { get; init; }
    public bool CopyNetworkAutomationConfigurationToChilds { get; init; }
}

/// <summary>One child a split creates (or would create): a subnet, or a single address with its full prefix.</summary>
public sealed record SplitChild(string Network, int Cidr, string? Gateway);

/// <summary>What a split does: how many children it creates, of how many that fit, and the first of them.</summary>
public sealed record SplitPlan(string Mode, int Count, UInt128 Fits, IReadOnlyList<SplitChild> Sample);

/// <summary>Which settings <c>childsMassActions</c> pushes from a subnet to every subnet below it.</summary>
public sealed record ChildUpdates(bool Rdns, bool Resolvers, bool Restrictions, bool Owners, bool NetworkAutomation, bool DynamicIpAssignments)
{
    public bool Any => Rdns || Resolvers || Restrictions || Owners || NetworkAutomation || DynamicIpAssignments;
}

/// <summary>
/// Splits a subnet into child subnets (placed in the parent's free space, aligned to their prefix) or lists single
/// addresses in it, and pushes a subnet's settings down to its children. Counters move in the same transaction.
/// </summary>
public sealed class SubnetSplitter(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, TimeProvider clock)
{
    /// <summary>The most children one split creates; a /48 into /64s is exactly this many.</summary>
    public const int MaxChildren = 65_536;
    public const int SampleSize = 256;

    public async Task<ServiceResult<SplitPlan>> PreviewAsync(Actor actor, int subnetId, SplitInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == subnetId, ct);
        if (subnet is null) return ServiceResult<SplitPlan>.NotFound();
        var plan = await PlanAsync(db, subnet, input, ct);
        if (plan.Errors is not null) return ServiceResult<SplitPlan>.Invalid(plan.Errors);
        return ServiceResult<SplitPlan>.Ok(new SplitPlan(input.Mode!, plan.Children.Count, plan.Fits, plan.Children.Take(SampleSize).ToList()));
    }

    public async Task<ServiceResult<SplitPlan>> SplitAsync(Actor actor, int subnetId, SplitInput input, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.split")) return ServiceResult<SplitPlan>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var parent = await db.Subnets.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == subnetId, ct);
        if (parent is null) return ServiceResult<SplitPlan>.NotFound();
        if (parent.AssignedServerId is not null) return ServiceResult<SplitPlan>.Invalid("subnetId", "The subnet is assigned to a server as a whole; unassign it first.");
        var plan = await PlanAsync(db, parent, input, ct);
        if (plan.Errors is not null) return ServiceResult<SplitPlan>.Invalid(plan.Errors);
        var family = Family(parent);

        if (input.Mode == "singleIps")
        {
            var keys = plan.Children.Select(c => IpMath.Key(IPAddress.Parse(c.Network))).ToList();
            var existing = await db.IpAddresses.Where(a => a.SubnetId == parent.Id && keys.Contains(a.Key)).ToDictionaryAsync(a => a.Key, ct);
            foreach (var child in plan.Children)
            {
                var key = IpMath.Key(IPAddress.Parse(child.Network));
                if (existing.TryGetValue(key, out var row)) row.Listed = true;
                else db.IpAddresses.Add(new IpAddress { SubnetId = parent.Id, Key = key, Address = child.Network, Listed = true });
            }
        }
        else
        {
            var prefix = input.ToPrefix!.Value;
            var size = IpMath.Size(prefix, family);
            var created = plan.Children.Select(c => Child(parent, c, prefix, size, family, input)).ToList();
            // Counters first, then the rows: up to 65,536 children (and their reserved addresses) go in with one
            // prepared statement each, not through change tracking, so the split holds the write lock for a moment.
            var moved = await MoveAddressesAsync(db, parent, created, size, ct);
            var reserved = input.GenerateIps ? await ReserveDefaultsAsync(db, created, input, family, ct) : [];
            var now = clock.GetUtcNow();
            await BulkInsert.InsertAsync(db, created, now, ct);
            foreach (var (row, child) in moved) row.SubnetId = child.Id;
            foreach (var (address, child) in reserved) address.SubnetId = child.Id;
            await BulkInsert.InsertAsync(db, reserved.Select(r => r.Address).ToList(), now, ct);
            parent.ChildSpan = (UInt128.Parse(parent.ChildSpan) + size * (UInt128)created.Count).ToString();
            parent.DirectChildCount += created.Count;
        }
        activity.Record(db, actor, "subnet", parent.Id, input.Mode == "singleIps"
            ? $"{plan.Children.Count} address(es) listed in {parent.Network}/{parent.Cidr}"
            : $"Subnet {parent.Network}/{parent.Cidr} split into {plan.Children.Count} /{input.ToPrefix}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<SplitPlan>.Ok(new SplitPlan(input.Mode!, plan.Children.Count, plan.Fits, plan.Children.Take(SampleSize).ToList()));
    }

    /// <summary>Pushes the chosen settings of a subnet to every subnet below it; answers how many changed.</summary>
    public async Task<ServiceResult<int>> UpdateChildrenAsync(Actor actor, int subnetId, ChildUpdates updates, CancellationToken ct = default)
    {
        if (!actor.Can("subnets.childsMassActions")) return ServiceResult<int>.Forbidden();
        if (!updates.Any) return ServiceResult<int>.Invalid("updateRestrictions", "Choose at least one update* setting to push to the child subnets.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var parent = await db.Subnets.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == subnetId, ct);
        if (parent is null) return ServiceResult<int>.NotFound();
        // Every subnet below lies in the parent's range with a longer prefix; that is one indexed range read.
        var below = db.Subnets.Where(s => s.Type == parent.Type && s.Cidr > parent.Cidr &&
                                          s.StartKey.CompareTo(parent.StartKey) >= 0 && s.StartKey.CompareTo(parent.EndKey) <= 0);
        var changed = await below.CountAsync(ct);
        if (changed == 0) return ServiceResult<int>.Ok(0);
        if (updates.Rdns) await below.ExecuteUpdateAsync(u => u.SetProperty(s => s.RdnsServerId, parent.RdnsServerId), ct);
        if (updates.Resolvers) await below.ExecuteUpdateAsync(u => u.SetProperty(s => s.DnsResolvers, parent.DnsResolvers), ct);
        if (updates.Restrictions)
            await below.ExecuteUpdateAsync(u => u
                .SetProperty(s => s.OfferIfServerHasTag, parent.OfferIfServerHasTag)
                .SetProperty(s => s.DontOfferIfServerHasTag, parent.DontOfferIfServerHasTag)
                .SetProperty(s => s.OnlyIfServerHasRemoteAgents, parent.OnlyIfServerHasRemoteAgents)
                .SetProperty(s => s.ApplyRestrictionsToChilds, parent.ApplyRestrictionsToChilds), ct);
        if (updates.Owners)
            await below.ExecuteUpdateAsync(u => u.SetProperty(s => s.UserId, parent.UserId).SetProperty(s => s.OwnerTreePath, parent.OwnerTreePath), ct);
        if (updates.NetworkAutomation)
            await below.ExecuteUpdateAsync(u => u
                .SetProperty(s => s.EnableSwitchAutomation, parent.EnableSwitchAutomation)
                .SetProperty(s => s.VlanMode, parent.VlanMode)
                .SetProperty(s => s.AccessVlanGenerationMode, parent.AccessVlanGenerationMode)
                .SetProperty(s => s.StaticAccessVlanId, parent.StaticAccessVlanId)
                .SetProperty(s => s.RangeStartAccessVlanId, parent.RangeStartAccessVlanId)
                .SetProperty(s => s.RangeEndAccessVlanId, parent.RangeEndAccessVlanId)
                .SetProperty(s => s.TrunkVlans, parent.TrunkVlans)
                .SetProperty(s => s.VlanLayer3Mode, parent.VlanLayer3Mode)
                .SetProperty(s => s.ReuseAccessVlan, parent.ReuseAccessVlan)
                .SetProperty(s => s.UseExistingPortAccessVlan, parent.UseExistingPortAccessVlan)
                .SetProperty(s => s.VlanRemoveLayer3IpOnUnassign, parent.VlanRemoveLayer3IpOnUnassign), ct);
        if (updates.DynamicIpAssignments)
            await below.ExecuteUpdateAsync(u => u.SetProperty(s => s.ExcludeFromDynamicIpAssignments, parent.ExcludeFromDynamicIpAssignments), ct);
        var what = string.Join(", ", new[] { (updates.Rdns, "RDNS"), (updates.Resolvers, "resolvers"), (updates.Restrictions, "restrictions"),
            (updates.Owners, "owner"), (updates.NetworkAutomation, "network automation"), (updates.DynamicIpAssignments, "dynamic assignments") }.Where(x => x.Item1).Select(x => x.Item2));
        activity.Record(db, actor, "subnet", parent.Id, $"Settings ({what}) of {parent.Network}/{parent.Cidr} pushed to {changed} child subnet(s)");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<int>.Ok(changed);
    }

    private sealed record Plan(List<SplitChild> Children, UInt128 Fits, Dictionary<string, string[]>? Errors);

    private static Plan Fail(string field, string message) => new([], 0, new Dictionary<string, string[]> { [field] = [message] });

    private static async Task<Plan> PlanAsync(CollectDbContext db, Subnet parent, SplitInput input, CancellationToken ct)
    {
        var family = Family(parent);
        var bits = IpMath.Bits(family);
        if (input.Mode is not ("subnet" or "singleIps")) return Fail("mode", "The mode must be subnet or singleIps.");
        if (input.ToAmount is < 1) return Fail("toAmount", "The toAmount must be at least 1.");
        if (input.ToAmount > MaxChildren) return Fail("toAmount", $"A split creates at most {MaxChildren:N0} children at once.");
        if (parent.Reserved) return Fail("subnetId", "The subnet is reserved.");
        var start = IpMath.FromKey(parent.StartKey);
        var end = IpMath.FromKey(parent.EndKey);

        if (input.Mode == "singleIps")
        {
            if (input.ListOfIps is { Count: > 0 } list)
            {
                if (list.Count > MaxChildren) return Fail("listOfIps", $"List at most {MaxChildren:N0} addresses at once.");
                var chosen = new List<SplitChild>();
                var seen = new HashSet<UInt128>();
                foreach (var text in list)
                {
                    if (!IpMath.TryParseStrict(text, out var address) || address.AddressFamily != family)
                        return Fail("listOfIps", $"\"{text}\" is not a valid address of this subnet's family.");
                    var value = IpMath.ToNumber(address);
                    if (value < start || value > end) return Fail("listOfIps", $"{address} is outside {parent.Network}/{parent.Cidr}.");
                    if (seen.Add(value)) chosen.Add(new SplitChild(address.ToString(), bits, null));
                }
                var keys = chosen.Select(c => IpMath.Key(IPAddress.Parse(c.Network))).ToList();
                var inChild = await db.Subnets.AnyAsync(s => s.ParentId == parent.Id && keys.Any(k => s.StartKey.CompareTo(k) <= 0 && s.EndKey.CompareTo(k) >= 0), ct);
                if (inChild) return Fail("listOfIps", "Some of the addresses lie in a child subnet; list them there.");
                return new Plan(chosen, (UInt128)chosen.Count, null);
            }
            if (input.ToAmount is not { } amount) return Fail("toAmount", "Give toAmount or listOfIps when mode is singleIps.");
            var free = new List<SplitChild>(amount);
            await foreach (var (from, to) in SubnetService.GapsAsync(db, parent, ct))
            {
                for (var v = from; v <= to && free.Count < amount; v++) free.Add(new SplitChild(IpMath.ToAddress(v, family).ToString(), bits, null));
                if (free.Count >= amount) break;
            }
            if (free.Count < amount) return Fail("toAmount", $"Only {free.Count} free address(es) are left in the subnet.");
            return new Plan(free, (UInt128)free.Count, null);
        }

        if (input.ToPrefix is not { } prefix) return Fail("toPrefix", "The toPrefix field is required when mode is subnet.");
        if (prefix <= parent.Cidr || prefix > bits) return Fail("toPrefix", $"The toPrefix must be between {parent.Cidr + 1} and {bits}.");
        if (input.GatewayMethod is not ("first" or "last" or "custom")) return Fail("gateway_method", "The gateway_method must be first, last or custom.");
        UInt128 custom = 0;
        if (input.GatewayMethod == "custom")
        {
            if (!IpMath.TryParseStrict(input.GatewayCustom, out var host) || host.AddressFamily != family)
                return Fail("gateway_custom", "The gateway_custom must be an address of the subnet's family, e.g. ::1 for the first address of each child.");
            custom = IpMath.ToNumber(host);
            if (custom >= IpMath.Size(prefix, family))
                return Fail("gateway_custom", $"The gateway_custom must fit in the host part of a /{prefix} (a value below {IpMath.Size(prefix, family)}).");
        }

        // Aligned blocks of the new prefix that lie wholly in a free stretch (not in an existing child, not holding
        // an assigned or reserved address).
        var size = IpMath.Size(prefix, family);
        var wanted = input.ToAmount ?? MaxChildren;
        var children = new List<SplitChild>();
        UInt128 fits = 0;
        await foreach (var (from, to) in SubnetService.GapsAsync(db, parent, ct))
        {
            var first = (from + size - 1) / size * size;
            if (first < from || first + size - 1 > to) continue; // no whole block here (or the round-up wrapped)
            var blocks = (to - first + 1) / size;
            fits += blocks;
            for (UInt128 i = 0; i < blocks && children.Count < wanted; i++)
            {
                var network = first + i * size;
                children.Add(new SplitChild(IpMath.ToAddress(network, family).ToString(), prefix, Gateway(network, prefix, family, input.GatewayMethod, custom)));
            }
        }
        if (input.ToAmount is null && fits > MaxChildren)
            return Fail("toAmount", $"{fits} /{prefix} subnets fit; give toAmount (at most {MaxChildren:N0} per split).");
        if (children.Count == 0) return Fail("toPrefix", $"No free /{prefix} is left in {parent.Network}/{parent.Cidr}.");
        if (input.ToAmount is { } n && children.Count < n) return Fail("toAmount", $"Only {fits} free /{prefix} subnet(s) fit in {parent.Network}/{parent.Cidr}.");
        return new Plan(children, fits, null);
    }

    private static string? Gateway(UInt128 network, int prefix, AddressFamily family, string? method, UInt128 custom)
    {
        var size = IpMath.Size(prefix, family);
        if (size < 4) return null; // point-to-point children have no room for a separate gateway
        var value = method switch
        {
            "first" => network + 1,
            "last" => family == AddressFamily.InterNetwork ? network + size - 2 : network + size - 1,
            _ => network + custom,
        };
        return IpMath.ToAddress(value, family).ToString();
    }

    private static Subnet Child(Subnet parent, SplitChild c, int prefix, UInt128 size, AddressFamily family, SplitInput input)
    {
        var network = IpMath.ToNumber(IPAddress.Parse(c.Network));
        var child = new Subnet
        {
            ParentId = parent.Id, Network = c.Network, Cidr = prefix, Type = parent.Type,
            StartKey = IpMath.Key(network, family), EndKey = IpMath.Key(network + size - 1, family), Gateway = c.Gateway,
            // Children take their parent's owner and offering rules, so a split subnet behaves like its parent.
            UserId = parent.UserId, OwnerTreePath = parent.OwnerTreePath, Priority = parent.Priority,
            OfferIfServerHasTag = [.. parent.OfferIfServerHasTag], DontOfferIfServerHasTag = [.. parent.DontOfferIfServerHasTag],
            OnlyIfServerHasRemoteAgents = [.. parent.OnlyIfServerHasRemoteAgents], ApplyRestrictionsToChilds = parent.ApplyRestrictionsToChilds,
            DnsResolvers = [.. parent.DnsResolvers], ExcludeFromDynamicIpAssignments = parent.ExcludeFromDynamicIpAssignments, RdnsServerId = parent.RdnsServerId,
        };
        if (input.CopyNetworkAutomationConfigurationToChilds)
        {
            child.EnableSwitchAutomation = parent.EnableSwitchAutomation;
            child.CopyNetworkAutomationConfigurationToChilds = parent.CopyNetworkAutomationConfigurationToChilds;
            child.VlanMode = parent.VlanMode;
            child.AccessVlanGenerationMode = parent.AccessVlanGenerationMode;
            child.StaticAccessVlanId = parent.StaticAccessVlanId;
            child.RangeStartAccessVlanId = parent.RangeStartAccessVlanId;
            child.RangeEndAccessVlanId = parent.RangeEndAccessVlanId;
            child.TrunkVlans = [.. parent.TrunkVlans];
            child.VlanLayer3Mode = parent.VlanLayer3Mode;
            child.ReuseAccessVlan = parent.ReuseAccessVlan;
            child.UseExistingPortAccessVlan = parent.UseExistingPortAccessVlan;
            child.VlanRemoveLayer3IpOnUnassign = parent.VlanRemoveLayer3IpOnUnassign;
        }
        return child;
    }

    /// <summary>
    /// Stored addresses of the parent that fall in a new child (comments, listed addresses) move to it: the counters
    /// move now, and the rows (tracked) are pointed at their child once it has its id.
    /// </summary>
    private static async Task<List<(IpAddress Row, Subnet Child)>> MoveAddressesAsync(CollectDbContext db, Subnet parent, List<Subnet> children, UInt128 size, CancellationToken ct)
    {
        var low = children.Min(c => c.StartKey)!;
        var high = children.Max(c => c.EndKey)!;
        var rows = await db.IpAddresses.Where(a => a.SubnetId == parent.Id && a.Key.CompareTo(low) >= 0 && a.Key.CompareTo(high) <= 0).ToListAsync(ct);
        var moved = new List<(IpAddress, Subnet)>();
        if (rows.Count == 0) return moved;
        var byNetwork = children.ToDictionary(c => IpMath.FromKey(c.StartKey));
        foreach (var row in rows)
        {
            var value = IpMath.FromKey(row.Key);
            if (!byNetwork.TryGetValue(value / size * size, out var child)) continue;
            moved.Add((row, child));
            if (row.ServerId is not null) { child.UsedCount++; parent.UsedCount--; }
            else if (row.Reserved) { child.ReservedCount++; parent.ReservedCount--; }
        }
        return moved;
    }

    /// <summary>The reserve_* addresses of each new child, counted on the child; the rows get their child's id once it has one.</summary>
    private static async Task<List<(IpAddress Address, Subnet Child)>> ReserveDefaultsAsync(CollectDbContext db, List<Subnet> children, SplitInput input, AddressFamily family, CancellationToken ct)
    {
        var defaults = new SubnetInput
        {
            ReserveGatewayIp = input.ReserveGatewayIp, ReserveBroadcastIp = input.ReserveBroadcastIp, ReserveNetworkAddress = input.ReserveNetworkAddress,
            ReserveFirstUsableIp = input.ReserveFirstUsableIp, ReserveLastUsableIp = input.ReserveLastUsableIp,
        };
        var low = children.Min(c => c.StartKey)!;
        var high = children.Max(c => c.EndKey)!;
        var taken = (await db.IpAddresses.Where(a => a.Key.CompareTo(low) >= 0 && a.Key.CompareTo(high) <= 0).Select(a => a.Key).ToListAsync(ct)).ToHashSet();
        var reserved = new List<(IpAddress, Subnet)>();
        foreach (var child in children)
        {
            UInt128? gateway = child.Gateway is null ? null : IpMath.ToNumber(IPAddress.Parse(child.Gateway));
            foreach (var value in SubnetService.DefaultReservations(defaults, family, IpMath.FromKey(child.StartKey), child.Cidr, gateway))
            {
                var key = IpMath.Key(value, family);
                if (!taken.Add(key)) continue;
                reserved.Add((new IpAddress { Key = key, Address = IpMath.ToAddress(value, family).ToString(), Reserved = true }, child));
                child.ReservedCount++;
            }
        }
        return reserved;
    }

    private static AddressFamily Family(Subnet s) => s.Type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
}
