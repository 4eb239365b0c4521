using System.Net;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Servers;

public sealed record ServerInput
{
    public string? Hostname { get; init; }
    public string? Servername { get; init; }
    public int? UserId { get; init; }
    public string? Description { get; init; }
    public List<string>? Tags { get; init; }
    public string? Os { get; init; }
    public string? ServerType { get; init; }
    public List<int>? SuspendUserIds { get; init; }
    public string? SuspendPowerAction { get; init; }
    public string? SuspendNetworkPortAction { get; init; }
    /// <summary>Addresses to note on the server; the first becomes the primary IP.</summary>
    public List<string>? IpAssignments { get; init; }
    /// <summary>Connections to create with the server (seed's "config").</summary>
    public ServerConfigInput? Config { get; init; }
    public IReadOnlySet<string> Provided { get; init; } = new HashSet<string>();
    public bool Has(string field) => Provided.Contains(field);
}

public sealed record ServerConfigInput(
    int? AgentId, string? IpmiIp, string? IpmiUser, string? IpmiPassword, string? PxeMac,
    bool EnablePxe, bool EnableIpmiConsole, bool EnableIpmiPowerManagement, bool EnablePermanentDhcp);

public sealed record OwnerLink(int UserId, string Name, string Username, string Type, DateTimeOffset AssignedAt);

public sealed record ServerView(
    int Id, string Hostname, string Servername, int UserId, string? Os, string ServerType, IReadOnlyList<int> SuspendedUserIds,
    string? PrimaryIp, string? OwnerRealname, IReadOnlyList<string> Tags, string? Description, IReadOnlyList<OwnerLink> OwnerChain,
    string TypeOfServer, DateTimeOffset? AssignmentDate, bool IsSuspended, string? SuspendPowerAction, string? SuspendNetworkPortAction,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyDictionary<string, Hardware.HardwareSummaryLine>? Hardware = null);

/// <summary>
/// Server list filters. Cpu matches the CPU model; MinMemoryMb and MinDiskMb compare with the summed memory and disk
/// sizes of the hardware inventory.
/// </summary>
public sealed record ServerListQuery(string? Search = null, string? Tag = null, int? OwnerId = null, string? ServerType = null,
    string? SortBy = null, bool Descending = false, string? Cpu = null, long? MinMemoryMb = null, long? MinDiskMb = null);

/// <summary>Servers: listing and searching within scope, creating, changing, reassigning, suspending, tagging, deleting.</summary>
public sealed class ServerService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, TimeProvider clock, Subnets.IpAssignmentService ipAssignments)
{
    public const string Resource = "servers";
    public static readonly string[] PowerActions = ["setPowerOn", "setPowerOff", "none"];
    public static readonly string[] NetworkPortActions = ["enable", "disable", "none"];
    private const int MaxTags = 50;

    public async Task<Page<ServerView>> ListAsync(Actor actor, ServerListQuery query, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var servers = Filter(db, db.Servers.AsNoTracking().VisibleTo(actor), query);
        var total = await servers.CountAsync(ct);
        servers = (query.SortBy, query.Descending) switch
        {
            ("hostname", false) => servers.OrderBy(s => s.Hostname).ThenBy(s => s.Id),
            ("hostname", true) => servers.OrderByDescending(s => s.Hostname).ThenByDescending(s => s.Id),
            ("servername", false) => servers.OrderBy(s => s.Servername).ThenBy(s => s.Id),
            ("servername", true) => servers.OrderByDescending(s => s.Servername).ThenByDescending(s => s.Id),
            ("created_at", false) => servers.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id),
            ("created_at", true) => servers.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id),
            (_, true) => servers.OrderByDescending(s => s.Id),
            _ => servers.OrderBy(s => s.Id),
        };
        var rows = await servers.Skip(page.Skip).Take(page.Size).Include(s => s.Tags).Include(s => s.Assignments).AsSplitQuery().ToListAsync(ct);
        return new Page<ServerView>(await ViewsAsync(db, actor, rows, ct), total, page.Page, page.Size);
    }

    public async Task<ServiceResult<ServerView>> GetAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).Include(s => s.Tags).Include(s => s.Assignments)
            .FirstOrDefaultAsync(s => s.Id == id, ct);
        return server is null ? ServiceResult<ServerView>.NotFound() : ServiceResult<ServerView>.Ok((await ViewsAsync(db, actor, [server], ct))[0]);
    }

    /// <summary>Servers holding all the given tags (an AND query).</summary>
    public async Task<IReadOnlyList<ServerView>> GetByTagsAsync(Actor actor, IReadOnlyList<string> tags, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var wanted = tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
        var servers = db.Servers.AsNoTracking().VisibleTo(actor);
        foreach (var tag in wanted) servers = servers.Where(s => s.Tags.Any(t => t.Tag == tag));
        var rows = await servers.OrderBy(s => s.Id).Include(s => s.Tags).Include(s => s.Assignments).AsSplitQuery().ToListAsync(ct);
        return await ViewsAsync(db, actor, rows, ct);
    }

    public async Task<ServiceResult<ServerView>> GetByIpAsync(Actor actor, string ip, CancellationToken ct = default)
    {
        if (!Subnets.IpMath.TryParseStrict(ip, out var address)) return ServiceResult<ServerView>.Invalid("ip", "The ip must be a valid IP address.");
        var text = address.ToString();
        var key = Subnets.IpMath.Key(address);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Servers.AsNoTracking().VisibleTo(actor);
        var id = await db.IpAddresses.AsNoTracking().Where(a => a.Key == key && a.ServerId != null && visible.Any(s => s.Id == a.ServerId))
                     .Select(a => a.ServerId).FirstOrDefaultAsync(ct)
                 ?? await visible.Where(s => s.PrimaryIp == text).Select(s => (int?)s.Id).FirstOrDefaultAsync(ct);
        return id is null ? ServiceResult<ServerView>.NotFound() : await GetAsync(actor, id.Value, ct);
    }

    /// <summary>Every tag on a server the actor can see, with how many servers carry it.</summary>
    public async Task<IReadOnlyList<(string Tag, int Count)>> TagsAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Servers.VisibleTo(actor).Select(s => s.Id);
        var rows = await db.ServerTags.AsNoTracking().Where(t => visible.Contains(t.ServerId))
            .GroupBy(t => t.Tag).Select(g => new { g.Key, Count = g.Count() }).OrderBy(g => g.Key).ToListAsync(ct);
        return rows.Select(r => (r.Key, r.Count)).ToList();
    }

    public async Task<ServiceResult<ServerView>> CreateAsync(Actor actor, ServerInput input, CancellationToken ct = default)
    {
        if (!actor.Can("servers.store")) return ServiceResult<ServerView>.Forbidden();
        if (FieldPolicy.FirstForbiddenWrite(input.Provided, Resource, actor) is { } field)
            return ServiceResult<ServerView>.Forbidden(FieldPolicy.ForbiddenMessage(field));
        var errors = Validate(input, creating: true);
        if (errors.Count > 0) return ServiceResult<ServerView>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ownerId = input.UserId ?? actor.ScopeUserId;
        var owner = await db.Users.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(u => u.Id == ownerId && u.SharedUserId == null, ct);
        if (owner is null) return ServiceResult<ServerView>.Invalid("user_id", "The selected user id is invalid.");

        var server = new Server
        {
            Hostname = input.Hostname!.Trim(),
            Servername = input.Servername!.Trim(),
            UserId = owner.Id,
            OwnerTreePath = owner.TreePath,
            Description = input.Description,
            Os = input.Os,
            ServerType = input.ServerType ?? ServerTypes.Auto,
            Tags = NormalizeTags(input.Tags).Select(t => new ServerTag { Tag = t }).ToList(),
        };
        SetAssignments(server, UserScope.Ids(owner.TreePath));
        db.Servers.Add(server);
        await db.SaveChangesAsync(ct);
        if (input.Config is { } config)
            foreach (var connection in ServerConnectionService.FromConfig(server.Id, config)) db.ServerConnections.Add(connection);
        activity.Record(db, actor, "server", server.Id, $"Server {server.Servername} created", updated: Snapshot(server));
        await db.SaveChangesAsync(ct);
        if (input.IpAssignments is { Count: > 0 } ips)
        {
            // The addresses are real assignments from subnets; when one cannot be given, the server is not created.
            var assigned = await ipAssignments.AssignManyAsync(actor, server.Id, null, ips, primary: true, description: null, ct);
            if (!assigned.IsOk)
            {
                db.Servers.Remove(server);
                await db.SaveChangesAsync(ct);
                return ServiceResult<ServerView>.Invalid("ipassignments", assigned.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? "The addresses could not be assigned.");
            }
        }
        return await GetAsync(actor, server.Id, ct);
    }

    public async Task<ServiceResult<ServerView>> UpdateAsync(Actor actor, int id, ServerInput input, CancellationToken ct = default)
    {
        if (!actor.Can("servers.update")) return ServiceResult<ServerView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).Include(s => s.Tags).Include(s => s.Assignments).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (server is null) return ServiceResult<ServerView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<ServerView>.Forbidden("This server is suspended.");
        if (FieldPolicy.FirstForbiddenWrite(input.Provided, Resource, actor) is { } field)
            return ServiceResult<ServerView>.Forbidden(FieldPolicy.ForbiddenMessage(field));
        var errors = Validate(input, creating: false);
        if (errors.Count > 0) return ServiceResult<ServerView>.Invalid(errors);
        var original = Snapshot(server);
        if (input.Has("ipassignments") && input.IpAssignments is { Count: > 0 } ips)
        {
            // Addresses not yet on the server are assigned first: if one cannot be, nothing else changes either.
            var current = await db.IpAddresses.Where(a => a.ServerId == id).Select(a => a.Address).ToListAsync(ct);
            var added = ips.Select(Canonical).Except(current).ToList();
            if (added.Count > 0)
            {
                var assigned = await ipAssignments.AssignManyAsync(actor, id, null, added, primary: false, description: null, ct);
                if (!assigned.IsOk) return ServiceResult<ServerView>.Invalid("ipassignments", assigned.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? "The addresses could not be assigned.");
                await db.Entry(server).ReloadAsync(ct);
            }
        }

        if (input.Has("user_id") && input.UserId is { } ownerId && ownerId != server.UserId)
        {
            var owner = await db.Users.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(u => u.Id == ownerId && u.SharedUserId == null, ct);
            if (owner is null) return ServiceResult<ServerView>.Invalid("user_id", "The selected user id is invalid.");
            server.UserId = owner.Id;
            server.OwnerTreePath = owner.TreePath;
            SetAssignments(server, UserScope.Ids(owner.TreePath));
            // A suspension for someone no longer on the chain means nothing any more.
            var chain = UserScope.Ids(owner.TreePath).Select(i => i.ToString()).ToHashSet();
            server.SuspendedUserIds = server.SuspendedUserIds.Where(chain.Contains).ToList();
        }
        if (input.Has("suspendUserIds"))
        {
            // Only owners strictly below the actor on this server's chain can be suspended by it.
            var chain = UserScope.Ids(server.OwnerTreePath).ToList();
            var me = Math.Max(chain.IndexOf(actor.ScopeUserId), 0);
            var requested = (input.SuspendUserIds ?? []).Distinct().ToList();
            var invalid = requested.Where(u => chain.IndexOf(u) <= me).Select(u => (int?)u).FirstOrDefault();
            if (invalid is not null) return ServiceResult<ServerView>.Invalid("suspendUserIds", $"User {invalid} is not an owner below you on this server's owner chain.");
            // Suspensions for owners at or above the actor were set by someone higher up and stay.
            var kept = server.SuspendedUserIds.Where(u => int.TryParse(u, out var id) && chain.IndexOf(id) <= me);
            server.SuspendedUserIds = kept.Concat(requested.Select(u => u.ToString())).Distinct().ToList();
        }
        if (input.Has("hostname") && input.Hostname is not null) server.Hostname = input.Hostname.Trim();
        if (input.Has("servername") && input.Servername is not null) server.Servername = input.Servername.Trim();
        if (input.Has("description")) server.Description = input.Description;
        if (input.Has("os")) server.Os = input.Os;
        if (input.Has("servertype") && input.ServerType is not null) server.ServerType = input.ServerType;
        if (input.Has("suspendPowerAction")) server.SuspendPowerAction = input.SuspendPowerAction;
        if (input.Has("suspendNetworkPortAction")) server.SuspendNetworkPortAction = input.SuspendNetworkPortAction;
        if (input.Has("tags"))
        {
            var tags = NormalizeTags(input.Tags);
            server.Tags.RemoveAll(t => !tags.Contains(t.Tag));
            foreach (var tag in tags.Where(t => server.Tags.All(x => x.Tag != t))) server.Tags.Add(new ServerTag { ServerId = server.Id, Tag = tag });
        }
        activity.Record(db, actor, "server", server.Id, $"Server {server.Servername} changed", original, Snapshot(server));
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("servers.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (server is null) return ServiceResult<bool>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<bool>.Forbidden("This server is suspended.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Subnets.IpAssignmentService.ReleaseServerAsync(db, server.Id, ct);
        db.Servers.Remove(server);
        activity.Record(db, actor, "server", server.Id, $"Server {server.Servername} deleted", Snapshot(server));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>Renames a tag on every server the actor can see (merging with an existing tag of the new name).</summary>
    public async Task<ServiceResult<int>> RenameTagAsync(Actor actor, string? from, string? to, CancellationToken ct = default)
    {
        if (!actor.Can("tags.rename")) return ServiceResult<int>.Forbidden();
        if (string.IsNullOrWhiteSpace(from)) return ServiceResult<int>.Invalid("tag", "The tag field is required.");
        if (from.Trim().Length > 255) return ServiceResult<int>.Invalid("tag", "The tag must not be greater than 255 characters.");
        if (string.IsNullOrWhiteSpace(to)) return ServiceResult<int>.Invalid("newTag", "The new tag name is required.");
        if (to.Trim().Length > 255) return ServiceResult<int>.Invalid("newTag", "The new tag must not be greater than 255 characters.");
        from = from.Trim();
        to = to.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Servers.VisibleTo(actor).Select(s => s.Id);
        var rows = await db.ServerTags.Where(t => t.Tag == from && visible.Contains(t.ServerId)).ToListAsync(ct);
        var already = (await db.ServerTags.Where(t => t.Tag == to && visible.Contains(t.ServerId)).Select(t => t.ServerId).ToListAsync(ct)).ToHashSet();
        db.ServerTags.RemoveRange(rows);
        db.ServerTags.AddRange(rows.Where(r => !already.Contains(r.ServerId)).Select(r => new ServerTag { ServerId = r.ServerId, Tag = to }));
        activity.Record(db, actor, "tag", from, $"Tag \"{from}\" renamed to \"{to}\" on {rows.Count} server(s)");
        await db.SaveChangesAsync(ct);
        return ServiceResult<int>.Ok(rows.Count);
    }

    public async Task<ServiceResult<int>> DeleteTagAsync(Actor actor, string? tag, CancellationToken ct = default)
    {
        if (!actor.Can("tags.delete")) return ServiceResult<int>.Forbidden();
        if (string.IsNullOrWhiteSpace(tag)) return ServiceResult<int>.Invalid("tag", "The tag field is required.");
        if (tag.Trim().Length > 255) return ServiceResult<int>.Invalid("tag", "The tag must not be greater than 255 characters.");
        tag = tag.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visible = db.Servers.VisibleTo(actor).Select(s => s.Id);
        var count = await db.ServerTags.Where(t => t.Tag == tag && visible.Contains(t.ServerId)).ExecuteDeleteAsync(ct);
        activity.Record(db, actor, "tag", tag, $"Tag \"{tag}\" removed from {count} server(s)");
        await db.SaveChangesAsync(ct);
        return ServiceResult<int>.Ok(count);
    }

    /// <summary>Adds tags to, or assigns an owner to, many servers at once (the list page's bulk actions).</summary>
    public async Task<ServiceResult<int>> BulkAsync(Actor actor, IReadOnlyList<int> ids, IReadOnlyList<string>? addTags, int? ownerId, CancellationToken ct = default)
    {
        var done = 0;
        var failed = new List<string>();
        foreach (var id in ids.Distinct())
        {
            var current = await GetAsync(actor, id, ct);
            if (!current.IsOk)
            {
                failed.Add($"{id}: not found");
                continue;
            }
            var provided = new HashSet<string>();
            if (addTags is { Count: > 0 }) provided.Add("tags");
            if (ownerId is not null) provided.Add("user_id");
            var result = await UpdateAsync(actor, id, new ServerInput
            {
                Tags = addTags is { Count: > 0 } ? current.Value!.Tags.Concat(addTags).ToList() : null,
                UserId = ownerId,
                Provided = provided,
            }, ct);
            if (result.IsOk) done++;
            else failed.Add($"{current.Value!.Servername}: {result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? "not allowed"}");
        }
        // Each server changes on its own; the answer says which ones did not, so nothing is silently half done.
        return failed.Count == 0
            ? ServiceResult<int>.Ok(done)
            : ServiceResult<int>.Invalid("ids", $"{done} server(s) changed; not changed: {string.Join("; ", failed)}");
    }

    internal static IQueryable<Server> Filter(CollectDbContext db, IQueryable<Server> servers, ServerListQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLower();
            servers = servers.Where(s => s.Hostname.ToLower().Contains(term) || s.Servername.ToLower().Contains(term) ||
                                         (s.Description != null && s.Description.ToLower().Contains(term)) ||
                                         (s.PrimaryIp != null && s.PrimaryIp.Contains(term)) ||
                                         s.Tags.Any(t => t.Tag.ToLower() == term));
        }
        if (!string.IsNullOrWhiteSpace(query.Tag)) servers = servers.Where(s => s.Tags.Any(t => t.Tag == query.Tag));
        if (query.OwnerId is { } owner) servers = servers.Where(s => s.UserId == owner);
        if (!string.IsNullOrWhiteSpace(query.ServerType)) servers = servers.Where(s => s.ServerType == query.ServerType);
        var parts = db.ServerInventoryItems;
        if (!string.IsNullOrWhiteSpace(query.Cpu))
        {
            var cpu = query.Cpu.Trim().ToLower();
            servers = servers.Where(s => parts.Any(i => i.ServerId == s.Id && db.InventoryComponents.Any(c => c.Id == i.ComponentId && c.ComponentName == "cpu")
                                                        && i.Model != null && i.Model.ToLower().Contains(cpu)));
        }
        if (query.MinMemoryMb is { } memory)
            servers = servers.Where(s => parts.Where(i => i.ServerId == s.Id && db.InventoryComponents.Any(c => c.Id == i.ComponentId && c.ComponentName == "memory"))
                .Sum(i => i.Amount ?? 0) >= memory);
        if (query.MinDiskMb is { } disk)
            servers = servers.Where(s => parts.Where(i => i.ServerId == s.Id && db.InventoryComponents.Any(c => c.Id == i.ComponentId && c.ComponentName == "disk"))
                .Sum(i => i.Amount ?? 0) >= disk);
        return servers;
    }

    private void SetAssignments(Server server, IReadOnlyList<int> chain)
    {
        var now = clock.GetUtcNow();
        server.Assignments.RemoveAll(a => !chain.Contains(a.UserId));
        foreach (var userId in chain.Where(u => server.Assignments.All(a => a.UserId != u)))
            server.Assignments.Add(new ServerAssignment { ServerId = server.Id, UserId = userId, AssignedAt = now });
    }

    private static async Task<List<ServerView>> ViewsAsync(CollectDbContext db, Actor actor, List<Server> servers, CancellationToken ct)
    {
        var hardware = await Hardware.ServerHardwareService.SummariesAsync(db, servers.Select(s => s.Id).ToList(), ct);
        var userIds = servers.SelectMany(s => UserScope.Ids(s.OwnerTreePath)).Append(0).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Name, u.UserName, Level = u.Role!.Level }).ToDictionaryAsync(u => u.Id, ct);
        return servers.Select(s =>
        {
            var chain = UserScope.Ids(s.OwnerTreePath).Where(users.ContainsKey).Select(id =>
            {
                var u = users[id];
                var type = u.Level switch { RoleLevels.Admin => "admin", RoleLevels.Reseller => "reseller", _ => "enduser" };
                var at = s.Assignments.FirstOrDefault(a => a.UserId == id)?.AssignedAt ?? s.CreatedAt;
                return new OwnerLink(id, u.Name, u.UserName ?? "", type, at);
            }).ToList();
            return new ServerView(s.Id, s.Hostname, s.Servername, s.UserId, s.Os, s.ServerType,
                s.SuspendedUserIds.Select(int.Parse).ToList(), s.PrimaryIp, users.GetValueOrDefault(s.UserId)?.Name,
                s.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList(), s.Description, chain,
                s.ServerType == ServerTypes.Vps ? "vps" : "dedicated", chain.LastOrDefault()?.AssignedAt,
                ServerScope.IsSuspendedFor(s, actor), s.SuspendPowerAction, s.SuspendNetworkPortAction, s.CreatedAt, s.UpdatedAt,
                hardware.GetValueOrDefault(s.Id));
        }).ToList();
    }

    private static Dictionary<string, string[]> Validate(ServerInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string f, string m) => errors.TryAdd(f, [m]);
        foreach (var (field, value) in new[] { ("hostname", input.Hostname), ("servername", input.Servername) })
        {
            if ((creating || input.Has(field)) && string.IsNullOrWhiteSpace(value)) Fail(field, $"The {field} field is required.");
            else if (value?.Length > 255) Fail(field, $"The {field} must not be greater than 255 characters.");
        }
        if (input.ServerType is not null && !ServerTypes.All.Contains(input.ServerType))
            Fail("servertype", $"The servertype must be one of: {string.Join(", ", ServerTypes.All)}.");
        if (input.Tags is { } tags)
        {
            if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Trim().Length > 255)) Fail("tags", "Each tag must be 1 to 255 characters long.");
            if (tags.Count > MaxTags) Fail("tags", $"A server carries at most {MaxTags} tags.");
        }
        if (input.Os?.Length > 255) Fail("os", "The os must not be greater than 255 characters.");
        if (input.SuspendPowerAction is not null && !PowerActions.Contains(input.SuspendPowerAction))
            Fail("suspendPowerAction", $"The suspendPowerAction must be one of: {string.Join(", ", PowerActions)}.");
        if (input.SuspendNetworkPortAction is not null && !NetworkPortActions.Contains(input.SuspendNetworkPortAction))
            Fail("suspendNetworkPortAction", $"The suspendNetworkPortAction must be one of: {string.Join(", ", NetworkPortActions)}.");
        if (input.IpAssignments?.FirstOrDefault(ip => !Subnets.IpMath.TryParseStrict(ip, out _)) is { } bad)
            Fail("ipassignments", $"\"{bad}\" is not a valid IP address.");
        if (input.Config is { } config && ServerConnectionService.ValidateConfig(config) is { } configError)
            Fail(configError.Field, configError.Message);
        return errors;
    }

    private static List<string> NormalizeTags(List<string>? tags) =>
        (tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static string Canonical(string ip) => IPAddress.Parse(ip.Trim()).ToString();

    private static object Snapshot(Server s) => new
    {
        s.Hostname, s.Servername, user_id = s.UserId, s.Description, s.Os, servertype = s.ServerType,
        tags = s.Tags.Select(t => t.Tag).ToList(), suspendedUserIds = s.SuspendedUserIds.ToList(),
    };
}
