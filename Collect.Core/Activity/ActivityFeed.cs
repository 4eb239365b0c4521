using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Activity;

/// <summary>Which activity to show: who did it (user name or id), what (words of the description), when, and on what object.</summary>
public sealed record ActivityFilter(
    string? Who = null, string? What = null, string? RootType = null, string? RootId = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? Source = null);

/// <summary>The log a caller asks for: changes made by people (user), by Collect itself (system), or about one agent.</summary>
public enum ActivityLogKind { User, System, Agent }

/// <summary>One entry with the doer's display name (null for Collect itself or a deleted account).</summary>
public sealed record ActivityEntry(ActivityLog Log, string? UserFullName);

/// <summary>One changed field of an entry: its value before and after (null when it did not exist).</summary>
public sealed record FieldChange(string Field, JsonNode? Before, JsonNode? After);

/// <summary>
/// Reading the activity log within the actor's scope: admins see everything, resellers what people in their subtree did,
/// users what they did, plus changes to config items they watch.
/// </summary>
public sealed class ActivityFeed(IDbContextFactory<CollectDbContext> dbFactory)
{
    public const int MaxLimit = 1000;

    public async Task<ServiceResult<Page<ActivityEntry>>> ListAsync(Actor actor, ActivityLogKind kind, ActivityFilter filter, PageRequest page,
        string? agentId = null, CancellationToken ct = default)
    {
        var permission = kind switch { ActivityLogKind.System => "activitylog.system", ActivityLogKind.Agent => "activitylog.agents", _ => "activitylog.user" };
        if (!actor.Can(permission)) return ServiceResult<Page<ActivityEntry>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var logs = db.ActivityLogs.AsNoTracking();
        switch (kind)
        {
            case ActivityLogKind.System:
                logs = logs.Where(a => a.UserId == null);
                if (!actor.IsAdmin) return ServiceResult<Page<ActivityEntry>>.Ok(new Page<ActivityEntry>([], 0, page.Page, page.Size));
                break;
            case ActivityLogKind.Agent:
                // An agent is a managed system posting its inventory: its log is what happened to that system.
                if (!await db.Systems.AnyAsync(s => s.Id == agentId, ct)) return ServiceResult<Page<ActivityEntry>>.NotFound();
                if (!actor.IsAdmin && !await Systems.SystemScope.VisibleTo(db.Systems, actor).AnyAsync(s => s.Id == agentId, ct))
                    return ServiceResult<Page<ActivityEntry>>.NotFound();
                logs = logs.Where(a => a.RootType == "system" && a.RootId == agentId);
                break;
            default:
                logs = await UserScopeAsync(db, actor, logs.Where(a => a.UserId != null), ct);
                break;
        }
        logs = Apply(logs, filter);
        var total = await logs.CountAsync(ct);
        var rows = await logs.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        var userIds = rows.Where(r => r.UserId != null).Select(r => r.UserId!.Value).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var entries = rows.Select(r => new ActivityEntry(r, r.UserId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
        return ServiceResult<Page<ActivityEntry>>.Ok(new Page<ActivityEntry>(entries, total, Math.Max(1, page.Page), page.Size));
    }

    /// <summary>The object types in the log, for the page's filter.</summary>
    public async Task<IReadOnlyList<string>> RootTypesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ActivityLogs.AsNoTracking().Select(a => a.RootType).Distinct().OrderBy(t => t).ToListAsync(ct);
    }

    private static async Task<IQueryable<ActivityLog>> UserScopeAsync(CollectDbContext db, Actor actor, IQueryable<ActivityLog> logs, CancellationToken ct)
    {
        if (actor.IsAdmin) return logs;
        var people = db.Users.VisibleTo(actor).Select(u => (int?)u.Id);
        var watched = await ConfigItems.ConfigItemService.WatchedIdsAsync(db, actor, ct);
        return logs.Where(a => people.Contains(a.UserId) || (a.RootType == ConfigItems.ConfigItemService.RootType && watched.Contains(a.RootId!)));
    }

    private static IQueryable<ActivityLog> Apply(IQueryable<ActivityLog> logs, ActivityFilter f)
    {
        if (!string.IsNullOrWhiteSpace(f.Who))
        {
            var who = f.Who.Trim();
            if (int.TryParse(who, out var userId)) logs = logs.Where(a => a.UserId == userId);
            else
            {
                var lower = who.ToLower();
                logs = logs.Where(a => a.UserName.ToLower().Contains(lower));
            }
        }
        if (!string.IsNullOrWhiteSpace(f.What))
        {
            var what = f.What.Trim().ToLower();
            logs = logs.Where(a => a.Description.ToLower().Contains(what));
        }
        if (!string.IsNullOrWhiteSpace(f.RootType)) logs = logs.Where(a => a.RootType == f.RootType);
        if (!string.IsNullOrWhiteSpace(f.RootId)) logs = logs.Where(a => a.RootId == f.RootId);
        if (!string.IsNullOrWhiteSpace(f.Source)) logs = logs.Where(a => a.Source == f.Source);
        if (f.From is { } from) logs = logs.Where(a => a.CreatedAt >= from);
        if (f.To is { } to) logs = logs.Where(a => a.CreatedAt <= to);
        return logs;
    }

    /// <summary>The fields an entry changed, from its stored <c>{"original", "new"}</c> pair; unchanged fields are left out.</summary>
    public static IReadOnlyList<FieldChange> Changes(string? modelChanges)
    {
        if (string.IsNullOrWhiteSpace(modelChanges)) return [];
        JsonNode? node;
        try { node = JsonNode.Parse(modelChanges); }
        catch (System.Text.Json.JsonException) { return []; }
        if (node is not JsonObject pair) return [];
        var before = pair["original"];
        var after = pair["new"];
        if (before is not JsonObject && after is not JsonObject)
            return JsonNode.DeepEquals(before, after) ? [] : [new FieldChange("value", before?.DeepClone(), after?.DeepClone())];
        var b = before as JsonObject ?? [];
        var a = after as JsonObject ?? [];
        return b.Select(p => p.Key).Concat(a.Select(p => p.Key)).Distinct()
            .Where(k => !JsonNode.DeepEquals(b[k], a[k]) || before is null || after is null)
            .Select(k => new FieldChange(k, before is JsonObject ? b[k]?.DeepClone() : null, after is JsonObject ? a[k]?.DeepClone() : null))
            .ToList();
    }

    /// <summary>Where an entry's object lives in the UI, if it has a page.</summary>
    public static string? Href(string rootType, string? rootId) => rootId is null ? null : rootType switch
    {
        "server" or "servers" => $"/servers/{rootId}",
        "subnet" => $"/subnets/{rootId}",
        "system" => $"/systems/{rootId}",
        "user" => $"/users/{rootId}",
        ConfigItems.ConfigItemService.RootType => $"/configitems/{rootId}",
        _ => null,
    };
}
