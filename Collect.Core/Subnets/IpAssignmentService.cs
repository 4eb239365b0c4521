using System.Net;
using System.Text.RegularExpressions;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Servers;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Subnets;

/// <summary>A server's address, or a subnet given whole to it (<see cref="IsSubnet"/>; then Id is the subnet's id and Ip is "network/prefix").</summary>
public sealed record IpAssignmentView(int Id, string Ip, bool Primary, string? Description, DateTimeOffset UpdatedAt,
    int SubnetId, string SubnetNetwork, int Cidr, string Netmask, string? Gateway, string Type, bool SubnetOwnedByUser,
    bool IsSubnet = false, string? Rdns = null, int? RootSubnetId = null);

/// <summary>What <c>dynamicIpAssignments</c> should hand out: address counts per family and whole subnets by prefix.</summary>
public sealed record DynamicRequest(int Ipv4Addresses, int Ipv6Addresses, IReadOnlyList<int> Ipv4SubnetPrefixes, IReadOnlyList<int> Ipv6SubnetPrefixes,
    bool DeleteExisting, string? Description = null);

/// <summary>
/// Addresses given to servers. The unique address key decides races: of two requests for the same (or the last free)
/// address exactly one commits; the other is told the address is taken.
/// </summary>
public sealed partial class IpAssignmentService(IDbContextFactory<CollectDbContext> dbFactory, SubnetService subnets, SubnetSplitter splitter, ActivityRecorder activity)
{
    /// <summary>The most addresses one request assigns.</summary>
    public const int MaxPerRequest = 1000;

    public async Task<ServiceResult<IReadOnlyList<IpAssignmentView>>> ListAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<IReadOnlyList<IpAssignmentView>>.NotFound();
        var rows = await db.IpAddresses.AsNoTracking().Where(a => a.ServerId == serverId).OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Key).ToListAsync(ct);
        var whole = await db.Subnets.AsNoTracking().Where(s => s.AssignedServerId == serverId).OrderBy(s => s.Type).ThenBy(s => s.StartKey).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<IpAssignmentView>>.Ok([.. await ViewsAsync(db, actor, rows, ct), .. whole.Select(s => SubnetView(actor, s))]);
    }

    /// <summary>
    /// Subnets the actor may assign from to this server, by priority: in the actor's scope, with free addresses, and
    /// whose tag restrictions the server meets (its own, and those of any parent that applies them to its children).
    /// Subnets that require remote agents are not offered until remote agents exist. A page of them, optionally only those
    /// whose network (or CIDR notation) starts with <paramref name="search"/> or whose description contains it; only the
    /// page's subnets are described, so a server offered 65,536 split children gets its first page as fast as one offered
    /// ten. PerPage int.MaxValue asks for the whole list.
    /// </summary>
    public async Task<ServiceResult<Page<SubnetView>>> AssignableSubnetsAsync(Actor actor, int serverId, string? search, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var offered = await OfferedAsync(db, actor, serverId, ct);
        if (offered is null) return ServiceResult<Page<SubnetView>>.NotFound();
        var term = search?.Trim();
        var matching = string.IsNullOrEmpty(term) ? offered : offered.Where(s =>
            $"{s.Network}/{s.Cidr}".StartsWith(term, StringComparison.OrdinalIgnoreCase) ||
            s.Description?.Contains(term, StringComparison.OrdinalIgnoreCase) == true).ToList();
        var items = matching.Skip(page.Skip).Take(page.Size).ToList();
        var views = await SubnetService.ViewsAsync(db, actor, items, ct);
        return ServiceResult<Page<SubnetView>>.Ok(new Page<SubnetView>(views, matching.Count, Math.Max(1, page.Page), page.Size));
    }

    private static async Task<List<Subnet>?> OfferedAsync(CollectDbContext db, Actor actor, int serverId, CancellationToken ct)
    {
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return null;
        var tags = server.Tags.Select(t => t.Tag).ToHashSet(StringComparer.Ordinal);
        var candidates = await db.Subnets.AsNoTracking().VisibleTo(actor).Where(s => !s.Reserved && s.AssignedServerId == null)
            .OrderBy(s => s.Priority == null).ThenBy(s => s.Priority).ThenBy(s => s.Type).ThenBy(s => s.StartKey).ToListAsync(ct);
        // Parents that hand their restrictions down apply even when the actor cannot see them.
        var inherited = await db.Subnets.AsNoTracking().Where(s => s.ApplyRestrictionsToChilds).ToListAsync(ct);
        bool Meets(Subnet s) =>
            (s.OfferIfServerHasTag.Count == 0 || s.OfferIfServerHasTag.Any(tags.Contains)) &&
            !s.DontOfferIfServerHasTag.Any(tags.Contains) &&
            s.OnlyIfServerHasRemoteAgents.Count == 0;
        return candidates.Where(s => SubnetService.Usage(s).Free > 0 && Meets(s) &&
            inherited.Where(p => p.Type == s.Type && p.Cidr < s.Cidr && p.StartKey.CompareTo(s.StartKey) <= 0 && p.EndKey.CompareTo(s.EndKey) >= 0).All(Meets)).ToList();
    }

    /// <summary>Free addresses of a subnet that is offered to the server (a page; 1,000 at most without paging).</summary>
    public async Task<ServiceResult<Page<FreeAddress>>> AssignableIpsAsync(Actor actor, int serverId, int subnetId, PageRequest page, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var offered = await OfferedAsync(db, actor, serverId, ct);
            if (offered is null) return ServiceResult<Page<FreeAddress>>.NotFound();
            if (offered.All(s => s.Id != subnetId))
                return ServiceResult<Page<FreeAddress>>.Invalid("subnets_id", "The subnet is not offered to this server, or it is full.");
        }
        return await subnets.ListFreeAsync(actor, subnetId, page, ct);
    }

    /// <summary>Assigns a given address, or the next free one of a subnet, to a server.</summary>
    public async Task<ServiceResult<IpAssignmentView>> AssignAsync(Actor actor, int serverId, string? ip, int? subnetId, bool primary, string? description, CancellationToken ct = default)
    {
        var result = await AssignManyAsync(actor, serverId, subnetId, string.IsNullOrWhiteSpace(ip) ? [] : [ip], primary, description, ct);
        return result.IsOk ? ServiceResult<IpAssignmentView>.Ok(result.Value![0]) : new ServiceResult<IpAssignmentView>(result.Status, null, result.Errors);
    }

    /// <summary>
    /// Assigns addresses (or subnets written "network/prefix", given whole) to a server, all or none. With no
    /// addresses, the next free address of <paramref name="subnetId"/> is taken. With a subnetId, every address must
    /// lie in that subnet.
    /// </summary>
    public async Task<ServiceResult<IReadOnlyList<IpAssignmentView>>> AssignManyAsync(Actor actor, int serverId, int? subnetId, IReadOnlyList<string> ips,
        bool primary, string? description, CancellationToken ct = default)
    {
        if (!actor.Can("servers.ipassignments.store")) return Forbidden<IReadOnlyList<IpAssignmentView>>();
        if (description?.Length > 255) return Invalid<IReadOnlyList<IpAssignmentView>>("description", "The description must not be greater than 255 characters.");
        if (ips.Count > MaxPerRequest) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"Assign at most {MaxPerRequest} addresses at once.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<IReadOnlyList<IpAssignmentView>>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return Forbidden<IReadOnlyList<IpAssignmentView>>("This server is suspended.");

        Subnet? only = null;
        if (subnetId is { } sid)
        {
            only = await db.Subnets.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == sid, ct);
            if (only is null) return Invalid<IReadOnlyList<IpAssignmentView>>("subnets_id", "The selected subnet is invalid.");
        }
        if (ips.Count == 0)
        {
            if (only is null) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", "Give the addresses to assign, or a subnets_id to take its next free address.");
            var next = await subnets.NextFreeAsync(only.Id, ct);
            if (next is null) return Invalid<IReadOnlyList<IpAssignmentView>>("subnets_id", "The subnet has no free address left.");
            ips = [next];
        }

        var addresses = new List<(Subnet Subnet, IpAddress? Row, IPAddress Address, string Key)>();
        var wholeSubnets = new List<Subnet>();
        foreach (var text in ips.Distinct())
        {
            if (text.Contains('/'))
            {
                var found = await IpActions.FindSubnetsAsync(db, actor, [text], ct);
                if (!found.IsOk) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", found.Errors!.Values.First()[0]);
                var whole = found.Value![0];
                var name = $"{whole.Network}/{whole.Cidr}";
                if (whole.AssignedServerId is not null) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{name} is already assigned to a server.");
                if (whole.Reserved) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{name} is reserved.");
                if (whole.UsedCount > 0 || whole.DirectChildCount > 0)
                    return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{name} has assigned addresses or child subnets; only an unused subnet is given whole.");
                if (only is not null && whole.ParentId != only.Id) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{name} is not a child of the selected subnet.");
                wholeSubnets.Add(whole);
                continue;
            }
            if (!IpMath.TryParseStrict(text, out var address)) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"\"{text}\" is not a valid IP address.");
            var key = IpMath.Key(address);
            var subnet = await SubnetService.DeepestVisibleAsync(db, actor, address, ct);
            if (subnet is null) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} is not in a subnet you can assign from.");
            if (await SubnetService.InChildAsync(db, subnet, key, ct))
                return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} belongs to a child subnet you cannot assign from.");
            if (only is not null && subnet.Id != only.Id) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} is not in the selected subnet.");
            if (subnet.AssignedServerId is not null) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} lies in a subnet assigned whole to a server.");
            if (subnet.Reserved) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} lies in a reserved subnet.");
            var row = await db.IpAddresses.FirstOrDefaultAsync(a => a.Key == key, ct);
            if (row is not null && row.SubnetId != subnet.Id) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} is not in a subnet you can assign from.");
            if (row is { ServerId: not null }) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} is already assigned to a server.");
            if (row is { Reserved: true }) return Invalid<IReadOnlyList<IpAssignmentView>>("ips", $"{address} is reserved.");
            addresses.Add((subnet, row, address, key));
        }

        try
        {
            return await CommitAsync(db, actor, server, addresses, wholeSubnets, primary, description, ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            // Someone took an address between our read and this write: the unique key (or the engine's write lock)
            // refused the second writer, and its transaction rolled back.
            return Invalid<IReadOnlyList<IpAssignmentView>>("ips", ips.Count == 1
                ? $"{ips[0]} was just assigned elsewhere; pick another address."
                : "One of the addresses was just assigned elsewhere; nothing was assigned.");
        }
    }

    private async Task<ServiceResult<IReadOnlyList<IpAssignmentView>>> CommitAsync(CollectDbContext db, Actor actor, Server server,
        List<(Subnet Subnet, IpAddress? Row, IPAddress Address, string Key)> addresses, List<Subnet> wholeSubnets, bool primary, string? description, CancellationToken ct)
    {
        var serverId = server.Id;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var hasPrimary = await db.IpAddresses.AnyAsync(a => a.ServerId == serverId && a.IsPrimary, ct);
        var makePrimary = addresses.Count > 0 && (primary || !hasPrimary);
        if (makePrimary && hasPrimary)
            await db.IpAddresses.Where(a => a.ServerId == serverId && a.IsPrimary).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsPrimary, false), ct);
        var rows = new List<IpAddress>();
        foreach (var (subnet, existing, address, key) in addresses)
        {
            var row = existing;
            if (row is null)
            {
                row = new IpAddress { SubnetId = subnet.Id, Key = key, Address = address.ToString() };
                db.IpAddresses.Add(row);
            }
            row.ServerId = serverId;
            row.IsPrimary = makePrimary && rows.Count == 0;
            row.Description = description ?? row.Description;
            rows.Add(row);
        }
        if (makePrimary) server.PrimaryIp = rows[0].Address;
        foreach (var whole in wholeSubnets)
        {
            whole.AssignedServerId = serverId;
            if (description is not null) whole.Description = description;
        }
        var names = rows.Select(r => r.Address).Concat(wholeSubnets.Select(s => $"{s.Network}/{s.Cidr}")).ToList();
        activity.Record(db, actor, "server", serverId, names.Count == 1 ? $"Address {names[0]} assigned" : $"{names.Count} addresses assigned: {string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : "")}");
        await db.SaveChangesAsync(ct);
        foreach (var group in addresses.GroupBy(a => a.Subnet.Id))
        {
            var count = group.Count();
            await db.Subnets.Where(s => s.Id == group.Key).ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedCount, x => x.UsedCount + count), ct);
        }
        await SubnetService.AdvanceFreeFromAsync(db, addresses.Select(a => a.Subnet.Id), ct);
        await tx.CommitAsync(ct);
        return ServiceResult<IReadOnlyList<IpAssignmentView>>.Ok([.. await ViewsAsync(db, actor, rows, ct), .. wholeSubnets.Select(s => SubnetView(actor, s))]);
    }

    /// <summary>
    /// Hands out free addresses (and whole subnets) from the subnets offered to the server, by priority, skipping
    /// subnets excluded from dynamic assignments. All or nothing: when not enough is free, nothing is assigned.
    /// Whole subnets are existing unused children of the prefix, or (for those who may split) carved from a parent.
    /// With DeleteExisting the new addresses are chosen while the old ones are still held, then the old ones go, so a
    /// server gets fresh addresses.
    /// </summary>
    public async Task<ServiceResult<IReadOnlyList<IpAssignmentView>>> DynamicAsync(Actor actor, int serverId, DynamicRequest request, CancellationToken ct = default)
    {
        if (!actor.Can("servers.ipassignments.dynamicIpAssignments")) return Forbidden<IReadOnlyList<IpAssignmentView>>();
        var total = request.Ipv4Addresses + request.Ipv6Addresses + request.Ipv4SubnetPrefixes.Count + request.Ipv6SubnetPrefixes.Count;
        if (request.Ipv4Addresses < 0 || request.Ipv6Addresses < 0) return Invalid<IReadOnlyList<IpAssignmentView>>("ipv4Addresses", "Amounts must not be negative.");
        if (total == 0) return Invalid<IReadOnlyList<IpAssignmentView>>("ipv4Addresses", "Ask for at least one address or subnet.");
        if (total > MaxPerRequest) return Invalid<IReadOnlyList<IpAssignmentView>>("ipv4Addresses", $"Ask for at most {MaxPerRequest} addresses at once.");
        List<Subnet> offered;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await OfferedAsync(db, actor, serverId, ct);
            if (found is null) return ServiceResult<IReadOnlyList<IpAssignmentView>>.NotFound();
            offered = found.Where(s => s.ExcludeFromDynamicIpAssignments != true).ToList();
        }

        // Whole subnets first: carving one out of a parent changes which of the parent's addresses are free.
        var wanted = new List<string>();
        foreach (var (type, prefixes) in new[] { ("v4", request.Ipv4SubnetPrefixes), ("v6", request.Ipv6SubnetPrefixes) })
        foreach (var prefix in prefixes)
        {
            var whole = offered.FirstOrDefault(s => s.Type == type && s.Cidr == prefix && s.ParentId != null && s.UsedCount == 0 && s.DirectChildCount == 0
                                                    && !wanted.Contains($"{s.Network}/{s.Cidr}"));
            if (whole is not null)
            {
                wanted.Add($"{whole.Network}/{whole.Cidr}");
                continue;
            }
            string? carved = null;
            if (actor.Can("subnets.split"))
                foreach (var parent in offered.Where(s => s.Type == type && s.Cidr < prefix))
                {
                    var split = await splitter.SplitAsync(actor, parent.Id, new SplitInput { Mode = "subnet", ToPrefix = prefix, ToAmount = 1, GatewayMethod = "first" }, ct);
                    if (!split.IsOk) continue;
                    carved = $"{split.Value!.Sample[0].Network}/{prefix}";
                    break;
                }
            if (carved is null)
                return Invalid<IReadOnlyList<IpAssignmentView>>(type == "v4" ? "ipv4Subnets" : "ipv6Subnets", $"No free /{prefix} subnet is offered to this server; nothing was assigned.");
            wanted.Add(carved);
        }
        foreach (var (type, count) in new[] { ("v4", request.Ipv4Addresses), ("v6", request.Ipv6Addresses) })
        {
            var left = count;
            foreach (var subnet in offered.Where(s => s.Type == type))
            {
                if (left == 0) break;
                var free = await subnets.ListFreeAsync(actor, subnet.Id, new PageRequest(1, int.MaxValue), ct); // up to 1,000, the most one request asks for
                var take = free.Value?.Items.Take(left).Select(f => f.Ip).ToList() ?? [];
                wanted.AddRange(take);
                left -= take.Count;
            }
            if (left > 0)
                return Invalid<IReadOnlyList<IpAssignmentView>>(type == "v4" ? "ipv4Addresses" : "ipv6Addresses",
                    $"Only {count - left} free IP{type} address(es) are offered to this server; nothing was assigned.");
        }

        if (request.DeleteExisting)
        {
            var existing = await ListAsync(actor, serverId, ct);
            var released = await UnassignManyAsync(actor, serverId, existing.Value!.Select(a => a.Ip).ToList(), ct);
            if (!released.IsOk) return new ServiceResult<IReadOnlyList<IpAssignmentView>>(released.Status, null, released.Errors);
        }
        return await AssignManyAsync(actor, serverId, null, wanted, false, request.Description, ct);
    }

    /// <summary>Finds a server's assignment by its address (or "network/prefix" for a whole subnet), as the seed identifies them.</summary>
    public async Task<int?> FindIdAsync(Actor actor, int serverId, string ip, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return null;
        if (IpActions.TryParseCidr(ip, out var network, out var prefix))
        {
            var key = IpMath.Key(network);
            return await db.Subnets.Where(s => s.AssignedServerId == serverId && s.StartKey == key && s.Cidr == prefix).Select(s => (int?)s.Id).FirstOrDefaultAsync(ct);
        }
        if (!IpMath.TryParseStrict(ip, out var address)) return null;
        var addressKey = IpMath.Key(address);
        return await db.IpAddresses.Where(a => a.Key == addressKey && a.ServerId == serverId).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
    }

    public Task<ServiceResult<IpAssignmentView>> UpdateAsync(Actor actor, int serverId, int id, bool? primary, string? description, CancellationToken ct = default) =>
        UpdateAsync(actor, serverId, id, isSubnet: false, primary, description, ptrRecord: null, setPtrTemplate: false, ct);

    /// <summary>Makes an address primary, describes it, or sets its reverse DNS name (ptrRecord; empty clears it).</summary>
    public async Task<ServiceResult<IpAssignmentView>> UpdateAsync(Actor actor, int serverId, int id, bool isSubnet, bool? primary, string? description,
        string? ptrRecord, bool setPtrTemplate, CancellationToken ct = default)
    {
        if (!actor.Can("servers.ipassignments.update")) return Forbidden<IpAssignmentView>();
        if (description?.Length > 255) return Invalid<IpAssignmentView>("description", "The description must not be greater than 255 characters.");
        if (ptrRecord is { Length: > 0 } && (ptrRecord.Length > 253 || !HostnamePattern().IsMatch(ptrRecord.TrimEnd('.'))))
            return Invalid<IpAssignmentView>("ptrRecord", "The ptrRecord must be a host name such as server-001.example.com.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<IpAssignmentView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return Forbidden<IpAssignmentView>("This server is suspended.");
        if (isSubnet)
        {
            var whole = await db.Subnets.FirstOrDefaultAsync(s => s.Id == id && s.AssignedServerId == serverId, ct);
            if (whole is null) return ServiceResult<IpAssignmentView>.NotFound();
            if (primary == true) return Invalid<IpAssignmentView>("primary_ip", "A subnet cannot be the primary address; make one of the server's addresses primary.");
            if (description is not null) whole.Description = description;
            activity.Record(db, actor, "server", serverId, $"Subnet {whole.Network}/{whole.Cidr} changed");
            await db.SaveChangesAsync(ct);
            return ServiceResult<IpAssignmentView>.Ok(SubnetView(actor, whole));
        }
        var row = await db.IpAddresses.FirstOrDefaultAsync(a => a.Id == id && a.ServerId == serverId, ct);
        if (row is null) return ServiceResult<IpAssignmentView>.NotFound();
        if (primary == true && !row.IsPrimary)
        {
            await db.IpAddresses.Where(a => a.ServerId == serverId && a.IsPrimary).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsPrimary, false), ct);
            row.IsPrimary = true;
            server.PrimaryIp = row.Address;
        }
        if (description is not null) row.Description = description.Length == 0 ? null : description;
        if (setPtrTemplate) row.Rdns = server.Hostname.Length > 0 ? server.Hostname : null;
        else if (ptrRecord is not null) row.Rdns = ptrRecord.Length == 0 ? null : ptrRecord.TrimEnd('.');
        activity.Record(db, actor, "server", serverId, $"Address {row.Address} changed");
        await db.SaveChangesAsync(ct);
        return ServiceResult<IpAssignmentView>.Ok((await ViewsAsync(db, actor, [row], ct))[0]);
    }

    /// <summary>The reverse DNS name stored for one of the server's addresses.</summary>
    public async Task<ServiceResult<string?>> RdnsAsync(Actor actor, int serverId, string? ip, CancellationToken ct = default)
    {
        if (!IpMath.TryParseStrict(ip, out var address)) return ServiceResult<string?>.Invalid("ip", "The ip must be a valid IP address which is assigned to this server.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<string?>.NotFound();
        var key = IpMath.Key(address);
        var row = await db.IpAddresses.AsNoTracking().FirstOrDefaultAsync(a => a.Key == key && a.ServerId == serverId, ct);
        return row is null ? ServiceResult<string?>.Invalid("ip", $"{address} is not assigned to this server.") : ServiceResult<string?>.Ok(row.Rdns);
    }

    public async Task<ServiceResult<bool>> UnassignAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ip = await db.IpAddresses.Where(a => a.Id == id && a.ServerId == serverId).Select(a => a.Address).FirstOrDefaultAsync(ct);
        if (ip is null) return actor.Can("servers.ipassignments.destroy") ? ServiceResult<bool>.NotFound() : Forbidden<bool>();
        var result = await UnassignManyAsync(actor, serverId, [ip], ct);
        return result.IsOk ? ServiceResult<bool>.Ok(true) : new ServiceResult<bool>(result.Status, false, result.Errors);
    }

    /// <summary>Takes addresses (or whole subnets, "network/prefix") back from a server, all or none.</summary>
    public async Task<ServiceResult<int>> UnassignManyAsync(Actor actor, int serverId, IReadOnlyList<string> ips, CancellationToken ct = default)
    {
        if (!actor.Can("servers.ipassignments.destroy")) return Forbidden<int>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<int>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return Forbidden<int>("This server is suspended.");
        if (ips.Count == 0) return Invalid<int>("ip", "The ip field is required.");
        var rows = new List<IpAddress>();
        var wholes = new List<Subnet>();
        foreach (var text in ips.Distinct())
        {
            if (IpActions.TryParseCidr(text, out var network, out var prefix))
            {
                var key = IpMath.Key(network);
                var whole = await db.Subnets.FirstOrDefaultAsync(s => s.AssignedServerId == serverId && s.StartKey == key && s.Cidr == prefix, ct);
                if (whole is null) return Invalid<int>("ip", $"{text} is not assigned to this server.");
                wholes.Add(whole);
                continue;
            }
            if (!IpMath.TryParseStrict(text, out var address)) return Invalid<int>("ip", $"\"{text}\" is not a valid IP address.");
            var addressKey = IpMath.Key(address);
            var row = await db.IpAddresses.FirstOrDefaultAsync(a => a.Key == addressKey && a.ServerId == serverId, ct);
            if (row is null) return Invalid<int>("ip", $"{address} is not assigned to this server.");
            rows.Add(row);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var primaryGone = rows.Any(r => r.IsPrimary);
        await ReleaseAsync(db, rows, ct);
        foreach (var whole in wholes) whole.AssignedServerId = null;
        if (primaryGone)
        {
            var gone = rows.Select(r => r.Id).ToList();
            var next = await db.IpAddresses.Where(a => a.ServerId == serverId && !gone.Contains(a.Id)).OrderBy(a => a.Key).FirstOrDefaultAsync(ct);
            if (next is not null) next.IsPrimary = true;
            server.PrimaryIp = next?.Address;
        }
        var names = rows.Select(r => r.Address).Concat(wholes.Select(s => $"{s.Network}/{s.Cidr}")).ToList();
        activity.Record(db, actor, "server", serverId, names.Count == 1 ? $"Address {names[0]} unassigned" : $"{names.Count} addresses unassigned: {string.Join(", ", names.Take(10))}");
        await db.SaveChangesAsync(ct);
        await DecrementAsync(db, rows, ct);
        await tx.CommitAsync(ct);
        return ServiceResult<int>.Ok(names.Count);
    }

    /// <summary>
    /// Frees everything a server holds, in the caller's transaction, before the server row goes: addresses return to
    /// their subnets (counters follow) and subnets given whole are released.
    /// </summary>
    public static async Task ReleaseServerAsync(CollectDbContext db, int serverId, CancellationToken ct)
    {
        var rows = await db.IpAddresses.Where(a => a.ServerId == serverId).ToListAsync(ct);
        await ReleaseAsync(db, rows, ct);
        await db.Subnets.Where(s => s.AssignedServerId == serverId).ExecuteUpdateAsync(s => s.SetProperty(x => x.AssignedServerId, (int?)null), ct);
        await db.SaveChangesAsync(ct);
        await DecrementAsync(db, rows, ct);
    }

    /// <summary>
    /// Takes addresses back from their server; with the delete_rdns_entry_when_delete_ip setting on, their reverse DNS
    /// entries go too. Rows that carry nothing any more are deleted.
    /// </summary>
    private static async Task ReleaseAsync(CollectDbContext db, List<IpAddress> rows, CancellationToken ct)
    {
        var dropRdns = rows.Count > 0 && await Settings.SystemSettingsService.IsOnAsync(db, "delete_rdns_entry_when_delete_ip", ct);
        foreach (var row in rows)
        {
            row.ServerId = null;
            row.IsPrimary = false;
            if (dropRdns) row.Rdns = null;
            if (row.CarriesNothing) db.IpAddresses.Remove(row);
        }
    }

    private static async Task DecrementAsync(CollectDbContext db, List<IpAddress> rows, CancellationToken ct)
    {
        foreach (var group in rows.GroupBy(r => r.SubnetId))
        {
            var count = group.Count();
            var lowest = group.Select(r => r.Key).Min(StringComparer.Ordinal)!;
            await db.Subnets.Where(s => s.Id == group.Key).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.UsedCount, x => x.UsedCount - count)
                .SetProperty(x => x.FreeFromKey, x => x.FreeFromKey != null && x.FreeFromKey.CompareTo(lowest) > 0 ? lowest : x.FreeFromKey), ct);
        }
    }

    private static ServiceResult<T> Invalid<T>(string field, string message) => ServiceResult<T>.Invalid(field, message);
    private static ServiceResult<T> Forbidden<T>(string? reason = null) => ServiceResult<T>.Forbidden(reason);

    private static IpAssignmentView SubnetView(Actor actor, Subnet s) =>
        new(s.Id, $"{s.Network}/{s.Cidr}", false, s.Description, s.UpdatedAt, s.Id, s.Network, s.Cidr, IpMath.Netmask(s.Cidr, IpMath.FamilyOf(s.Type)), s.Gateway,
            s.Type, actor.IsAdmin || s.UserId == actor.ScopeUserId, IsSubnet: true, RootSubnetId: s.ParentId);

    private static async Task<List<IpAssignmentView>> ViewsAsync(CollectDbContext db, Actor actor, List<IpAddress> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.SubnetId).Distinct().ToList();
        var nets = await db.Subnets.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return rows.Select(r =>
        {
            var s = nets[r.SubnetId];
            return new IpAssignmentView(r.Id, r.Address, r.IsPrimary, r.Description, r.UpdatedAt, s.Id, s.Network, s.Cidr,
                IpMath.Netmask(s.Cidr, IpMath.FamilyOf(s.Type)), s.Gateway, s.Type, actor.IsAdmin || s.UserId == actor.ScopeUserId, Rdns: r.Rdns, RootSubnetId: s.ParentId);
        }).ToList();
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostnamePattern();
}
