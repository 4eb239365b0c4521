using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.ConfigItems;

/// <summary>A config type to create or change; <see cref="Provided"/> names the fields that were sent.</summary>
public sealed record ConfigTypeInput(string? Name, string? Description, IReadOnlyList<ConfigFieldDefinition>? Fields, IReadOnlySet<string> Provided)
{
    public bool Has(string field) => Provided.Contains(field);
}

public sealed record ConfigTypeView(int Id, string Name, string? Description, IReadOnlyList<ConfigFieldDefinition> Fields, int ItemCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record RelationshipTypeInput(string? Name, string? Description, IReadOnlySet<string> Provided)
{
    public bool Has(string field) => Provided.Contains(field);
}

public sealed record RelationshipTypeView(int Id, string Name, string? Description, int UseCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Config types and relationship types: shared by every tenant, read by everyone who works with config items,
/// changed by admins. A type still in use cannot be deleted.
/// </summary>
public sealed class ConfigTypeService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public async Task<ServiceResult<IReadOnlyList<ConfigTypeView>>> ListTypesAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Can("configTypes.index")) return ServiceResult<IReadOnlyList<ConfigTypeView>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ConfigTypes.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var counts = await CountsAsync(db, actor, ct);
        return ServiceResult<IReadOnlyList<ConfigTypeView>>.Ok(rows.Select(t => View(t, counts.GetValueOrDefault(t.Id))).ToList());
    }

    public async Task<ServiceResult<ConfigTypeView>> GetTypeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("configTypes.show")) return ServiceResult<ConfigTypeView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.ConfigTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return ServiceResult<ConfigTypeView>.NotFound();
        var count = await db.ConfigItems.VisibleTo(actor).CountAsync(i => i.ConfigTypeId == id, ct);
        return ServiceResult<ConfigTypeView>.Ok(View(type, count));
    }

    public async Task<ServiceResult<ConfigTypeView>> CreateTypeAsync(Actor actor, ConfigTypeInput input, CancellationToken ct = default)
    {
        if (!actor.Can("configTypes.store")) return ServiceResult<ConfigTypeView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = await ValidateTypeAsync(db, input, null, ct);
        if (errors.Count > 0) return ServiceResult<ConfigTypeView>.Invalid(errors);
        var type = new ConfigType
        {
            Name = input.Name!.Trim(),
            Description = input.Description,
            FieldsJson = ConfigJson.Write(ConfigFieldValues.Clean(input.Fields ?? [])),
        };
        db.ConfigTypes.Add(type);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, "configType", type.Id, $"Config type {type.Name} created", updated: Snapshot(type));
        await db.SaveChangesAsync(ct);
        return ServiceResult<ConfigTypeView>.Ok(View(type, 0));
    }

    public async Task<ServiceResult<ConfigTypeView>> UpdateTypeAsync(Actor actor, int id, ConfigTypeInput input, CancellationToken ct = default)
    {
        if (!actor.Can("configTypes.update")) return ServiceResult<ConfigTypeView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.ConfigTypes.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return ServiceResult<ConfigTypeView>.NotFound();
        var errors = await ValidateTypeAsync(db, input, id, ct);
        if (errors.Count > 0) return ServiceResult<ConfigTypeView>.Invalid(errors);
        var original = Snapshot(type);
        if (input.Has("name")) type.Name = input.Name!.Trim();
        if (input.Has("description")) type.Description = input.Description;
        // Values of removed fields stay stored on the items but are no longer shown or validated.
        if (input.Has("fields")) type.FieldsJson = ConfigJson.Write(ConfigFieldValues.Clean(input.Fields ?? []));
        activity.Record(db, actor, "configType", type.Id, $"Config type {type.Name} changed", original, Snapshot(type));
        await db.SaveChangesAsync(ct);
        return await GetTypeAsync(actor, id, ct);
    }

    public async Task<ServiceResult<bool>> DeleteTypeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("configTypes.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.ConfigTypes.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return ServiceResult<bool>.NotFound();
        var used = await db.ConfigItems.CountAsync(i => i.ConfigTypeId == id, ct);
        if (used > 0) return ServiceResult<bool>.Invalid("id", $"This config type is used by {used} config item(s); change or delete them first.");
        db.ConfigTypes.Remove(type);
        activity.Record(db, actor, "configType", id, $"Config type {type.Name} deleted", Snapshot(type));
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    public async Task<ServiceResult<IReadOnlyList<RelationshipTypeView>>> ListRelationshipTypesAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Can("configRelationshipTypes.index")) return ServiceResult<IReadOnlyList<RelationshipTypeView>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ConfigRelationshipTypes.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        var visible = db.ConfigItems.VisibleTo(actor).Select(i => i.Id);
        var counts = await db.ConfigRelationships.Where(r => visible.Contains(r.ConfigItemId)).GroupBy(r => r.RelationshipTypeId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return ServiceResult<IReadOnlyList<RelationshipTypeView>>.Ok(rows.Select(t => View(t, counts.GetValueOrDefault(t.Id))).ToList());
    }

    public async Task<ServiceResult<RelationshipTypeView>> GetRelationshipTypeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("configRelationshipTypes.show")) return ServiceResult<RelationshipTypeView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.ConfigRelationshipTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return ServiceResult<RelationshipTypeView>.NotFound();
        var visible = db.ConfigItems.VisibleTo(actor).Select(i => i.Id);
        return ServiceResult<RelationshipTypeView>.Ok(View(type, await db.ConfigRelationships.CountAsync(r => r.RelationshipTypeId == id && visible.Contains(r.ConfigItemId), ct)));
    }

    public async Task<ServiceResult<RelationshipTypeView>> CreateRelationshipTypeAsync(Actor actor, RelationshipTypeInput input, CancellationToken ct = default)
    {
        if (!actor.Can("configRelationshipTypes.store")) return ServiceResult<RelationshipTypeView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = await ValidateRelationshipTypeAsync(db, input, null, ct);
        if (errors.Count > 0) return ServiceResult<RelationshipTypeView>.Invalid(errors);
        var type = new ConfigRelationshipType { Name = input.Name!.Trim(), Description = input.Description };
        db.ConfigRelationshipTypes.Add(type);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, "configRelationshipType", type.Id, $"Relationship type {type.Name} created", updated: new { name = type.Name, description = type.Description });
        await db.SaveChangesAsync(ct);
        return ServiceResult<RelationshipTypeView>.Ok(View(type, 0));
    }

    public async Task<ServiceResult<RelationshipTypeView>> UpdateRelationshipTypeAsync(Actor actor, int id, RelationshipTypeInput input, CancellationToken ct = default)
    {
        if (!actor.Can("configRelationshipTypes.update")) return ServiceResult<RelationshipTypeView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.ConfigRelationshipTypes.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return ServiceResult<RelationshipTypeView>.NotFound();
        var errors = await ValidateRelationshipTypeAsync(db, input, id, ct);
        if (errors.Count > 0) return ServiceResult<RelationshipTypeView>.Invalid(errors);
        var original = new { name = type.Name, description = type.Description };
        if (input.Has("name")) type.Name = input.Name!.Trim();
        if (input.Has("description")) type.Description = input.Description;
        activity.Record(db, actor, "configRelationshipType", id, $"Relationship type {type.Name} changed", original, new { name = type.Name, description = type.Description });
        await db.SaveChangesAsync(ct);
        return await GetRelationshipTypeAsync(actor, id, ct);
    }

    public async Task<ServiceResult<bool>> DeleteRelationshipTypeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("configRelationshipTypes.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var type = await db.ConfigRelationshipTypes.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return ServiceResult<bool>.NotFound();
        var used = await db.ConfigRelationships.CountAsync(r => r.RelationshipTypeId == id, ct);
        if (used > 0) return ServiceResult<bool>.Invalid("id", $"This relationship type is used by {used} relationship(s); remove them first.");
        db.ConfigRelationshipTypes.Remove(type);
        activity.Record(db, actor, "configRelationshipType", id, $"Relationship type {type.Name} deleted", new { name = type.Name, description = type.Description });
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    private static async Task<Dictionary<int, int>> CountsAsync(CollectDbContext db, Actor actor, CancellationToken ct) =>
        await db.ConfigItems.VisibleTo(actor).GroupBy(i => i.ConfigTypeId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    private static async Task<Dictionary<string, string[]>> ValidateTypeAsync(CollectDbContext db, ConfigTypeInput input, int? id, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (id is null || input.Has("name"))
        {
            var name = input.Name?.Trim();
            if (string.IsNullOrEmpty(name)) errors["name"] = ["The name field is required."];
            else if (name.Length > 255) errors["name"] = ["The name must not be greater than 255 characters."];
            else if (await db.ConfigTypes.AnyAsync(t => t.Name == name && t.Id != id, ct)) errors["name"] = ["A config type of this name exists already."];
        }
        if (input.Description?.Length > 4000) errors["description"] = ["The description must not be greater than 4000 characters."];
        if (input.Fields is { } fields)
            foreach (var (key, value) in ConfigFieldValues.ValidateDefinitions(fields)) errors.TryAdd(key, value);
        return errors;
    }

    private static async Task<Dictionary<string, string[]>> ValidateRelationshipTypeAsync(CollectDbContext db, RelationshipTypeInput input, int? id, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (id is null || input.Has("name"))
        {
            var name = input.Name?.Trim();
            if (string.IsNullOrEmpty(name)) errors["name"] = ["The name field is required."];
            else if (name.Length > 255) errors["name"] = ["The name must not be greater than 255 characters."];
            else if (await db.ConfigRelationshipTypes.AnyAsync(t => t.Name == name && t.Id != id, ct)) errors["name"] = ["A relationship type of this name exists already."];
        }
        if (input.Description?.Length > 4000) errors["description"] = ["The description must not be greater than 4000 characters."];
        return errors;
    }

    private static object Snapshot(ConfigType t) => new { name = t.Name, description = t.Description, fields = t.Fields };
    private static ConfigTypeView View(ConfigType t, int count) => new(t.Id, t.Name, t.Description, t.Fields, count, t.CreatedAt, t.UpdatedAt);
    private static RelationshipTypeView View(ConfigRelationshipType t, int count) => new(t.Id, t.Name, t.Description, count, t.CreatedAt, t.UpdatedAt);
}
