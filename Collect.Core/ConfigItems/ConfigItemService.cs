using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Servers;
using Collect.Core.Systems;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.ConfigItems;

/// <summary>The tenancy scope for config items: like servers, the owner's subtree sees an item.</summary>
public static class ConfigItemScope
{
    public static IQueryable<ConfigItem> VisibleTo(this IQueryable<ConfigItem> items, Actor actor)
    {
        if (actor.IsAdmin) return items;
        return actor.TreePath is { } path ? items.Where(i => i.OwnerTreePath.StartsWith(path)) : items.Where(i => i.UserId == actor.ScopeUserId);
    }
}

/// <summary>One relationship as sent: its type and exactly one of another item, a server or a system.</summary>
public sealed record RelationshipInput(int? TypeId, int? OtherConfigItemId, int? ServerId, string? SystemId);

/// <summary>A config item to create or change. Field values are raw text; null removes a value.</summary>
public sealed record ConfigItemInput
{
    public string? Name { get; init; }
    public int? ConfigTypeId { get; init; }
    public int? OwnerId { get; init; }
    public string? Description { get; init; }
    public bool? NotifyWatchlisted { get; init; }
    public IReadOnlyDictionary<string, string?>? TypeFields { get; init; }
    public IReadOnlyDictionary<string, string?>? AdditionalFields { get; init; }
    public IReadOnlyList<RelationshipInput>? Relationships { get; init; }
    public IReadOnlySet<string> Provided { get; init; } = new HashSet<string>();
    public bool Has(string field) => Provided.Contains(field);
}

public static class RelationshipTargets
{
    public const string ConfigItem = "config_item";
    public const string Server = "server";
    public const string System = "system";
}

/// <summary>A relationship seen from one item: outgoing (this item relates to the target) or incoming (the target relates to it).</summary>
public sealed record RelationshipView(int Id, int TypeId, string TypeName, bool Incoming, string TargetKind, string TargetId, string TargetName);

public sealed record ConfigFieldValue(string Name, string Type, bool Required, string? Value);

public sealed record ConfigItemView(
    int Id, string Name, int ConfigTypeId, string ConfigTypeName, int UserId, string? OwnerName, string? Description, bool NotifyWatchlisted,
    IReadOnlyList<ConfigFieldValue> TypeFields, IReadOnlyDictionary<string, string> AdditionalFields, IReadOnlyList<RelationshipView> Relationships,
    bool Watching, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ConfigItemQuery(int? ConfigTypeId = null, string? Search = null, int? OwnerId = null);

/// <summary>An item related to a server, for the server's page.</summary>
public sealed record ServerConfigItem(int ItemId, string ItemName, string ConfigTypeName, string RelationshipTypeName);

/// <summary>Config items (seed 004): typed fields checked against their type, relationships, watchers, all within the tenant scope.</summary>
public sealed class ConfigItemService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public const string RootType = "configItem";
    private const int MaxAdditionalFields = 100;
    private const int MaxRelationships = 200;

    public async Task<ServiceResult<Page<ConfigItemView>>> ListAsync(Actor actor, ConfigItemQuery query, PageRequest page, CancellationToken ct = default)
    {
        if (!actor.Can("configItems.index")) return ServiceResult<Page<ConfigItemView>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = db.ConfigItems.AsNoTracking().VisibleTo(actor);
        if (query.ConfigTypeId is { } type) items = items.Where(i => i.ConfigTypeId == type);
        if (query.OwnerId is { } owner) items = items.Where(i => i.UserId == owner);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLower();
            items = items.Where(i => i.Name.ToLower().Contains(term) || (i.Description != null && i.Description.ToLower().Contains(term)));
        }
        var total = await items.CountAsync(ct);
        var rows = await items.OrderBy(i => i.Name).ThenBy(i => i.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return ServiceResult<Page<ConfigItemView>>.Ok(new Page<ConfigItemView>(await ViewsAsync(db, actor, rows, ct), total, Math.Max(1, page.Page), page.Size));
    }

    public async Task<ServiceResult<ConfigItemView>> GetAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("configItems.show")) return ServiceResult<ConfigItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.ConfigItems.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(i => i.Id == id, ct);
        return item is null ? ServiceResult<ConfigItemView>.NotFound() : ServiceResult<ConfigItemView>.Ok((await ViewsAsync(db, actor, [item], ct))[0]);
    }

    /// <summary>Items the actor can see that relate to a server (either way round is the same: items point at servers).</summary>
    public async Task<IReadOnlyList<ServerConfigItem>> ForServerAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        if (!actor.Can("configItems.index")) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = db.ConfigItems.VisibleTo(actor);
        return await (from r in db.ConfigRelationships
                      where r.ServerId == serverId
                      join i in items on r.ConfigItemId equals i.Id
                      join t in db.ConfigTypes on i.ConfigTypeId equals t.Id
                      join rt in db.ConfigRelationshipTypes on r.RelationshipTypeId equals rt.Id
                      orderby i.Name, i.Id
                      select new ServerConfigItem(i.Id, i.Name, t.Name, rt.Name)).ToListAsync(ct);
    }

    public async Task<ServiceResult<ConfigItemView>> CreateAsync(Actor actor, ConfigItemInput input, CancellationToken ct = default)
    {
        if (!actor.Can("configItems.store")) return ServiceResult<ConfigItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["The name field is required."];
        if (input.ConfigTypeId is null) errors["config_type_id"] = ["The config type id field is required."];
        var type = input.ConfigTypeId is { } typeId ? await db.ConfigTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == typeId, ct) : null;
        if (input.ConfigTypeId is not null && type is null) errors.TryAdd("config_type_id", ["No config type found with this id."]);
        Common(input, errors);
        var owner = await OwnerAsync(db, actor, input.OwnerId ?? actor.ScopeUserId, errors, ct);
        var typeFields = type is null ? [] : TypeFields(type, new Dictionary<string, string>(), input.TypeFields, requireAll: true, errors);
        var additional = Additional(new Dictionary<string, string>(), input.AdditionalFields, errors);
        var relationships = await RelationshipsAsync(db, actor, null, input.Relationships, errors, ct);
        if (errors.Count > 0) return ServiceResult<ConfigItemView>.Invalid(errors);

        var item = new ConfigItem
        {
            Name = name!,
            ConfigTypeId = type!.Id,
            UserId = owner!.Id,
            OwnerTreePath = owner.TreePath,
            Description = input.Description,
            NotifyWatchlisted = input.NotifyWatchlisted ?? false,
            TypeFieldsJson = ConfigJson.Write(typeFields),
            AdditionalFieldsJson = ConfigJson.Write(additional),
            Relationships = relationships ?? [],
        };
        db.ConfigItems.Add(item);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, RootType, item.Id, $"Config item {item.Name} created", updated: Snapshot(item));
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, item.Id, ct);
    }

    public async Task<ServiceResult<ConfigItemView>> UpdateAsync(Actor actor, int id, ConfigItemInput input, CancellationToken ct = default)
    {
        if (!actor.Can("configItems.update")) return ServiceResult<ConfigItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.ConfigItems.VisibleTo(actor).Include(i => i.Relationships).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null) return ServiceResult<ConfigItemView>.NotFound();
        var original = Snapshot(item);
        var errors = new Dictionary<string, string[]>();
        if (input.Has("name") && string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["The name field is required."];
        Common(input, errors);
        var typeChanged = input.Has("config_type_id") && input.ConfigTypeId != item.ConfigTypeId;
        var type = await db.ConfigTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == (typeChanged ? input.ConfigTypeId : item.ConfigTypeId), ct);
        if (type is null) errors.TryAdd("config_type_id", ["No config type found with this id."]);
        CollectUser? owner = null;
        if (input.Has("owner_id") && input.OwnerId is { } ownerId && ownerId != item.UserId) owner = await OwnerAsync(db, actor, ownerId, errors, ct);
        Dictionary<string, string>? typeFields = null;
        if (type is not null && (typeChanged || input.Has("config_type_fields")))
        {
            // On a change of type, values of fields the new type also has carry over.
            var current = item.TypeFields;
            if (typeChanged) current = current.Where(kv => type.Fields.Any(f => f.Name == kv.Key)).ToDictionary();
            typeFields = TypeFields(type, current, input.TypeFields, requireAll: true, errors);
        }
        var additional = input.Has("additional_fields") ? Additional(item.AdditionalFields, input.AdditionalFields, errors) : null;
        var relationships = input.Has("config_relationships") ? await RelationshipsAsync(db, actor, id, input.Relationships, errors, ct) : null;
        if (errors.Count > 0) return ServiceResult<ConfigItemView>.Invalid(errors);

        if (input.Has("name")) item.Name = input.Name!.Trim();
        if (input.Has("description")) item.Description = input.Description;
        if (input.NotifyWatchlisted is { } notify) item.NotifyWatchlisted = notify;
        if (type is not null) item.ConfigTypeId = type.Id;
        if (owner is not null)
        {
            item.UserId = owner.Id;
            item.OwnerTreePath = owner.TreePath;
        }
        if (typeFields is not null) item.TypeFieldsJson = ConfigJson.Write(typeFields);
        if (additional is not null) item.AdditionalFieldsJson = ConfigJson.Write(additional);
        if (relationships is not null)
        {
            // Relationships the actor cannot see (to another tenant's objects) are not the actor's to remove.
            var hidden = await HiddenRelationshipIdsAsync(db, actor, item.Relationships, ct);
            item.Relationships.RemoveAll(r => !hidden.Contains(r.Id));
            item.Relationships.AddRange(relationships);
        }
        activity.Record(db, actor, RootType, item.Id, $"Config item {item.Name} changed", original, Snapshot(item));
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    /// <summary>Deletes an item; its relationships, both those from it and those to it, go with it.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("configItems.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.ConfigItems.VisibleTo(actor).Include(i => i.Relationships).FirstOrDefaultAsync(i => i.Id == id, ct);
        if (item is null) return ServiceResult<bool>.NotFound();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ConfigRelationships.Where(r => r.OtherConfigItemId == id).ExecuteDeleteAsync(ct);
        await db.ConfigItemWatchers.Where(w => w.ConfigItemId == id).ExecuteDeleteAsync(ct);
        db.ConfigItems.Remove(item);
        activity.Record(db, actor, RootType, id, $"Config item {item.Name} deleted", Snapshot(item));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>Starts or stops watching an item: while it notifies watchers, its changes show in the watcher's activity feed.</summary>
    public async Task<ServiceResult<ConfigItemView>> WatchAsync(Actor actor, int id, bool watch, CancellationToken ct = default)
    {
        if (!actor.Can("configItems.show")) return ServiceResult<ConfigItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.ConfigItems.VisibleTo(actor).AnyAsync(i => i.Id == id, ct)) return ServiceResult<ConfigItemView>.NotFound();
        var row = await db.ConfigItemWatchers.FirstOrDefaultAsync(w => w.ConfigItemId == id && w.UserId == actor.UserId, ct);
        if (watch && row is null) db.ConfigItemWatchers.Add(new ConfigItemWatcher { ConfigItemId = id, UserId = actor.UserId });
        if (!watch && row is not null) db.ConfigItemWatchers.Remove(row);
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    /// <summary>Ids (as activity root ids) of the items whose changes reach this user's feed.</summary>
    public static async Task<List<string>> WatchedIdsAsync(CollectDbContext db, Actor actor, CancellationToken ct)
    {
        var visible = db.ConfigItems.VisibleTo(actor).Where(i => i.NotifyWatchlisted).Select(i => i.Id);
        var ids = await db.ConfigItemWatchers.Where(w => w.UserId == actor.UserId && visible.Contains(w.ConfigItemId)).Select(w => w.ConfigItemId).ToListAsync(ct);
        return ids.Select(i => i.ToString()).ToList();
    }

    private static void Common(ConfigItemInput input, Dictionary<string, string[]> errors)
    {
        if (input.Name?.Trim().Length > 255) errors.TryAdd("name", ["The name must not be greater than 255 characters."]);
        if (input.Description?.Length > 10000) errors.TryAdd("description", ["The description must not be greater than 10000 characters."]);
    }

    private static async Task<CollectUser?> OwnerAsync(CollectDbContext db, Actor actor, int ownerId, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var owner = await db.Users.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(u => u.Id == ownerId && u.SharedUserId == null, ct);
        if (owner is null) errors.TryAdd("owner_id", ["The selected owner id is invalid."]);
        return owner;
    }

    private static Dictionary<string, string> TypeFields(ConfigType type, Dictionary<string, string> current, IReadOnlyDictionary<string, string?>? sent,
        bool requireAll, Dictionary<string, string[]> errors)
    {
        var fields = type.Fields;
        var values = new Dictionary<string, string>(current);
        foreach (var (name, raw) in sent ?? new Dictionary<string, string?>())
        {
            var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                errors.TryAdd($"config_type_fields.{name}", [$"The config type {type.Name} has no field \"{name}\"."]);
                continue;
            }
            if (string.IsNullOrWhiteSpace(raw))
            {
                values.Remove(field.Name);
                continue;
            }
            var (value, error) = ConfigFieldValues.Normalize(field, raw);
            if (error is not null) errors.TryAdd($"config_type_fields.{field.Name}", [error]);
            else values[field.Name] = value!;
        }
        if (requireAll)
            foreach (var field in fields.Where(f => f.Required && !values.ContainsKey(f.Name)))
                errors.TryAdd($"config_type_fields.{field.Name}", [$"The {field.Name} field is required."]);
        return values;
    }

    private static Dictionary<string, string> Additional(Dictionary<string, string> current, IReadOnlyDictionary<string, string?>? sent, Dictionary<string, string[]> errors)
    {
        var values = new Dictionary<string, string>(current);
        foreach (var (name, raw) in sent ?? new Dictionary<string, string?>())
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            {
                errors.TryAdd("additional_fields", ["Each additional field needs a name of 1 to 100 characters."]);
                continue;
            }
            if (raw is null) values.Remove(name);
            else if (raw.Length > ConfigFieldValues.MaxTextLength) errors.TryAdd($"additional_fields.{name}", [$"The {name} must not be greater than {ConfigFieldValues.MaxTextLength} characters."]);
            else values[name] = raw;
        }
        if (values.Count > MaxAdditionalFields) errors.TryAdd("additional_fields", [$"An item has at most {MaxAdditionalFields} additional fields."]);
        return values;
    }

    private static async Task<List<ConfigRelationship>?> RelationshipsAsync(CollectDbContext db, Actor actor, int? selfId, IReadOnlyList<RelationshipInput>? sent,
        Dictionary<string, string[]> errors, CancellationToken ct)
    {
        if (sent is null) return null;
        if (sent.Count > MaxRelationships)
        {
            errors.TryAdd("config_relationships", [$"An item has at most {MaxRelationships} relationships."]);
            return null;
        }
        var typeIds = (await db.ConfigRelationshipTypes.Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        var itemIds = sent.Where(r => r.OtherConfigItemId is not null).Select(r => r.OtherConfigItemId!.Value).Distinct().ToList();
        var serverIds = sent.Where(r => r.ServerId is not null).Select(r => r.ServerId!.Value).Distinct().ToList();
        var systemIds = sent.Where(r => r.SystemId is not null).Select(r => r.SystemId!).Distinct().ToList();
        var items = (await db.ConfigItems.VisibleTo(actor).Where(i => itemIds.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct)).ToHashSet();
        var servers = (await db.Servers.VisibleTo(actor).Where(s => serverIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var systems = (await db.Systems.VisibleTo(actor).Where(s => systemIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var result = new List<ConfigRelationship>();
        for (var i = 0; i < sent.Count; i++)
        {
            var r = sent[i];
            var key = $"config_relationships.{i}";
            var targets = (r.OtherConfigItemId is null ? 0 : 1) + (r.ServerId is null ? 0 : 1) + (r.SystemId is null ? 0 : 1);
            if (r.TypeId is null || !typeIds.Contains(r.TypeId.Value)) errors.TryAdd(key, ["No config relationship type found with this id."]);
            else if (targets != 1) errors.TryAdd(key, ["Name exactly one of other_config_item_id, server_id or system_id."]);
            else if (r.OtherConfigItemId is { } other && (other == selfId || !items.Contains(other))) errors.TryAdd(key, [other == selfId ? "An item cannot relate to itself." : $"No config item found with id {other}."]);
            else if (r.ServerId is { } server && !servers.Contains(server)) errors.TryAdd(key, [$"No server found with id {server}."]);
            else if (r.SystemId is { } system && !systems.Contains(system)) errors.TryAdd(key, [$"No system found with id {system}."]);
            else if (!result.Any(x => x.RelationshipTypeId == r.TypeId && x.OtherConfigItemId == r.OtherConfigItemId && x.ServerId == r.ServerId && x.SystemId == r.SystemId))
                result.Add(new ConfigRelationship { RelationshipTypeId = r.TypeId.Value, OtherConfigItemId = r.OtherConfigItemId, ServerId = r.ServerId, SystemId = r.SystemId });
        }
        return result;
    }

    private static async Task<HashSet<int>> HiddenRelationshipIdsAsync(CollectDbContext db, Actor actor, List<ConfigRelationship> relationships, CancellationToken ct)
    {
        if (actor.IsAdmin) return [];
        var visible = await VisibleTargetsAsync(db, actor, relationships, ct);
        return relationships.Where(r => !visible.Contains(r.Id)).Select(r => r.Id).ToHashSet();
    }

    private static async Task<HashSet<int>> VisibleTargetsAsync(CollectDbContext db, Actor actor, IReadOnlyList<ConfigRelationship> relationships, CancellationToken ct)
    {
        var itemIds = relationships.Where(r => r.OtherConfigItemId is not null).Select(r => r.OtherConfigItemId!.Value).Distinct().ToList();
        var serverIds = relationships.Where(r => r.ServerId is not null).Select(r => r.ServerId!.Value).Distinct().ToList();
        var systemIds = relationships.Where(r => r.SystemId is not null).Select(r => r.SystemId!).Distinct().ToList();
        var items = (await db.ConfigItems.VisibleTo(actor).Where(i => itemIds.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct)).ToHashSet();
        var servers = (await db.Servers.VisibleTo(actor).Where(s => serverIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var systems = (await db.Systems.VisibleTo(actor).Where(s => systemIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        return relationships.Where(r => r.OtherConfigItemId is { } i ? items.Contains(i) : r.ServerId is { } s ? servers.Contains(s) : r.SystemId is { } y && systems.Contains(y))
            .Select(r => r.Id).ToHashSet();
    }

    private static async Task<List<ConfigItemView>> ViewsAsync(CollectDbContext db, Actor actor, List<ConfigItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        var typeIds = items.Select(i => i.ConfigTypeId).Distinct().ToList();
        var types = await db.ConfigTypes.AsNoTracking().Where(t => typeIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var ownerIds = items.Select(i => i.UserId).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var outgoing = await db.ConfigRelationships.AsNoTracking().Where(r => ids.Contains(r.ConfigItemId)).ToListAsync(ct);
        var visibleItems = db.ConfigItems.VisibleTo(actor).Select(i => i.Id);
        var incoming = await db.ConfigRelationships.AsNoTracking().Where(r => r.OtherConfigItemId != null && ids.Contains(r.OtherConfigItemId.Value) && visibleItems.Contains(r.ConfigItemId)).ToListAsync(ct);
        var visibleTargets = await VisibleTargetsAsync(db, actor, outgoing, ct);
        outgoing = outgoing.Where(r => visibleTargets.Contains(r.Id)).ToList();
        var relTypes = await db.ConfigRelationshipTypes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var itemNameIds = outgoing.Select(r => r.OtherConfigItemId).Concat(incoming.Select(r => (int?)r.ConfigItemId)).OfType<int>().Distinct().ToList();
        var itemNames = await db.ConfigItems.AsNoTracking().Where(i => itemNameIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var serverIds = outgoing.Select(r => r.ServerId).OfType<int>().Distinct().ToList();
        var serverNames = await db.Servers.AsNoTracking().Where(s => serverIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Servername, ct);
        var systemIds = outgoing.Select(r => r.SystemId).OfType<string>().Distinct().ToList();
        var systemNames = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var watched = (await db.ConfigItemWatchers.AsNoTracking().Where(w => w.UserId == actor.UserId && ids.Contains(w.ConfigItemId)).Select(w => w.ConfigItemId).ToListAsync(ct)).ToHashSet();

        RelationshipView Out(ConfigRelationship r)
        {
            var type = relTypes.GetValueOrDefault(r.RelationshipTypeId, "");
            if (r.OtherConfigItemId is { } i) return new(r.Id, r.RelationshipTypeId, type, false, RelationshipTargets.ConfigItem, i.ToString(), itemNames.GetValueOrDefault(i, ""));
            if (r.ServerId is { } s) return new(r.Id, r.RelationshipTypeId, type, false, RelationshipTargets.Server, s.ToString(), serverNames.GetValueOrDefault(s, ""));
            return new(r.Id, r.RelationshipTypeId, type, false, RelationshipTargets.System, r.SystemId!, systemNames.GetValueOrDefault(r.SystemId!, ""));
        }

        return items.Select(item =>
        {
            var type = types.GetValueOrDefault(item.ConfigTypeId);
            var values = item.TypeFields;
            var fields = (type?.Fields ?? []).Select(f => new ConfigFieldValue(f.Name, f.Type, f.Required, values.GetValueOrDefault(f.Name))).ToList();
            var relationships = outgoing.Where(r => r.ConfigItemId == item.Id).Select(Out)
                .Concat(incoming.Where(r => r.OtherConfigItemId == item.Id).Select(r => new RelationshipView(r.Id, r.RelationshipTypeId,
                    relTypes.GetValueOrDefault(r.RelationshipTypeId, ""), true, RelationshipTargets.ConfigItem, r.ConfigItemId.ToString(), itemNames.GetValueOrDefault(r.ConfigItemId, ""))))
                .ToList();
            return new ConfigItemView(item.Id, item.Name, item.ConfigTypeId, type?.Name ?? "", item.UserId, owners.GetValueOrDefault(item.UserId), item.Description,
                item.NotifyWatchlisted, fields, item.AdditionalFields, relationships, watched.Contains(item.Id), item.CreatedAt, item.UpdatedAt);
        }).ToList();
    }

    private static object Snapshot(ConfigItem i) => new
    {
        name = i.Name,
        config_type_id = i.ConfigTypeId,
        owner_id = i.UserId,
        description = i.Description,
        notify_watchlisted = i.NotifyWatchlisted,
        config_type_fields = i.TypeFields,
        additional_fields = i.AdditionalFields,
        config_relationships = i.Relationships.Select(r => new { config_relationship_type_id = r.RelationshipTypeId, other_config_item_id = r.OtherConfigItemId, server_id = r.ServerId, system_id = r.SystemId }).ToList(),
    };
}
