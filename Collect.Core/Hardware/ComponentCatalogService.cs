using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Hardware;

public sealed record ComponentInput(string? ComponentName, string? Description, string? GroupName, string? ValueType, List<string>? CustomFieldIds, IReadOnlySet<string> Provided);

public sealed record CustomFieldInput(string? Name, string? Type, List<string>? AvailableValues, IReadOnlySet<string> Provided);

public sealed record ComponentView(InventoryComponent Component, IReadOnlyList<InventoryCustomField> Fields);

/// <summary>Inventory components and their custom fields: the seed's defaults, created on first start, cannot be deleted.</summary>
public sealed class ComponentCatalogService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public static readonly string[] ValueTypes = ["text", "mb", "MHz", "mib"];
    public static readonly string[] FieldTypes = ["input", "checkbox", "dropdown"];

    /// <summary>The seed's built-in fields and components, created once on an empty catalog.</summary>
    public static async Task EnsureDefaultsAsync(CollectDbContext db, CancellationToken ct)
    {
        if (await db.InventoryComponents.AnyAsync(ct) || await db.InventoryCustomFields.AnyAsync(ct)) return;
        var fields = new[]
        {
            new InventoryCustomField { Name = "Disk Type", Type = "dropdown", AvailableValues = ["1:HDD", "2:SSD", "3:NVMe"], NotDeletable = true },
            new InventoryCustomField { Name = "Cores", Type = "input", NotDeletable = true },
            new InventoryCustomField { Name = "MHz Turbo", Type = "input", NotDeletable = true },
            new InventoryCustomField { Name = "MHz Normal", Type = "input", NotDeletable = true },
            new InventoryCustomField { Name = "Threads", Type = "input", NotDeletable = true },
        };
        db.InventoryCustomFields.AddRange(fields);
        await db.SaveChangesAsync(ct);
        string Id(string name) => fields.First(f => f.Name == name).Id.ToString();
        db.InventoryComponents.AddRange(
            new InventoryComponent { ComponentName = "cpu", Description = "CPU Model", ValueType = "MHz", NotDeletable = true, CustomFieldIds = [Id("Cores"), Id("MHz Turbo"), Id("MHz Normal"), Id("Threads")] },
            new InventoryComponent { ComponentName = "memory", Description = "RAM", ValueType = "mb", NotDeletable = true },
            new InventoryComponent { ComponentName = "system", Description = "System", ValueType = "text", NotDeletable = true },
            new InventoryComponent { ComponentName = "bios", Description = "BIOS", ValueType = "text", NotDeletable = true },
            new InventoryComponent { ComponentName = "storage_controller", Description = "Storage Controller", ValueType = "text", NotDeletable = true },
            new InventoryComponent { ComponentName = "mainboard", Description = "Mainboard Model", ValueType = "text", NotDeletable = true },
            new InventoryComponent { ComponentName = "disk", Description = "Disk", ValueType = "mib", NotDeletable = true, CustomFieldIds = [Id("Disk Type")] },
            new InventoryComponent { ComponentName = "nic", Description = "NIC", ValueType = "text", NotDeletable = true },
            new InventoryComponent { ComponentName = "raid_controller", Description = "RAID Controller", ValueType = "text", NotDeletable = true });
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<ComponentView>> ComponentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var components = await db.InventoryComponents.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var fields = await db.InventoryCustomFields.AsNoTracking().ToDictionaryAsync(f => f.Id.ToString(), ct);
        return components.Select(c => new ComponentView(c, c.CustomFieldIds.Where(fields.ContainsKey).Select(id => fields[id]).ToList())).ToList();
    }

    public async Task<ServiceResult<ComponentView>> ComponentAsync(int id, CancellationToken ct = default) =>
        (await ComponentsAsync(ct)).FirstOrDefault(c => c.Component.Id == id) is { } view ? ServiceResult<ComponentView>.Ok(view) : ServiceResult<ComponentView>.NotFound();

    public async Task<ServiceResult<ComponentView>> SaveComponentAsync(Actor actor, int? id, ComponentInput input, CancellationToken ct = default)
    {
        if (!actor.Can(id is null ? "inventorycomponents.store" : "inventorycomponents.update")) return ServiceResult<ComponentView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var component = id is null ? new InventoryComponent() : await db.InventoryComponents.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (component is null) return ServiceResult<ComponentView>.NotFound();
        bool Set(string field) => id is null || input.Provided.Contains(field);
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, value) in new[] { ("componentname", input.ComponentName), ("description", input.Description), ("groupname", input.GroupName) })
        {
            if (!Set(field)) continue;
            if (string.IsNullOrWhiteSpace(value)) errors[field] = [$"The {field} field is required."];
            else if (value.Trim().Length > 255) errors[field] = [$"The {field} must not be greater than 255 characters."];
        }
        if (Set("valueType") && !ValueTypes.Contains(input.ValueType)) errors["valueType"] = ["The valueType must be one of text, mb, mib or MHz."];
        if (Set("customfieldsRelations") && input.CustomFieldIds is { Count: > 0 } wanted)
        {
            var known = (await db.InventoryCustomFields.Select(f => f.Id).ToListAsync(ct)).Select(i => i.ToString()).ToHashSet();
            if (wanted.FirstOrDefault(w => !known.Contains(w)) is { } bad) errors["customfieldsRelations"] = [$"The custom field {bad} does not exist."];
        }
        if (component.NotDeletable && id is not null && Set("componentname") && input.ComponentName?.Trim() != component.ComponentName)
            errors["componentname"] = ["A built-in component keeps its name; collection relies on it."];
        var name = Set("componentname") ? input.ComponentName?.Trim() : component.ComponentName;
        if (!errors.ContainsKey("componentname") && name is not null && await db.InventoryComponents.AnyAsync(c => c.ComponentName == name && c.Id != component.Id, ct))
            errors["componentname"] = ["The componentname has already been taken."];
        if (errors.Count > 0) return ServiceResult<ComponentView>.Invalid(errors);
        if (Set("componentname")) component.ComponentName = input.ComponentName!.Trim();
        if (Set("description")) component.Description = input.Description!.Trim();
        if (Set("groupname")) component.GroupName = input.GroupName!.Trim();
        if (Set("valueType")) component.ValueType = input.ValueType!;
        if (Set("customfieldsRelations")) component.CustomFieldIds = (input.CustomFieldIds ?? []).Distinct().ToList();
        if (id is null) db.InventoryComponents.Add(component);
        activity.Record(db, actor, "inventorycomponent", component.Id, $"Inventory component {component.ComponentName} {(id is null ? "created" : "changed")}");
        await db.SaveChangesAsync(ct);
        return await ComponentAsync(component.Id, ct);
    }

    public async Task<ServiceResult<bool>> DeleteComponentAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("inventorycomponents.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var component = await db.InventoryComponents.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (component is null) return ServiceResult<bool>.NotFound();
        if (component.NotDeletable) return ServiceResult<bool>.Invalid("id", "Built-in components cannot be deleted.");
        var used = await db.ServerInventoryItems.CountAsync(i => i.ComponentId == id, ct);
        if (used > 0) return ServiceResult<bool>.Invalid("id", $"{used} inventory item(s) use this component; delete them first.");
        db.InventoryComponents.Remove(component);
        activity.Record(db, actor, "inventorycomponent", id, $"Inventory component {component.ComponentName} deleted");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    public async Task<IReadOnlyList<InventoryCustomField>> FieldsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.InventoryCustomFields.AsNoTracking().OrderBy(f => f.Id).ToListAsync(ct);
    }

    public async Task<ServiceResult<InventoryCustomField>> FieldAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await db.InventoryCustomFields.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        return field is null ? ServiceResult<InventoryCustomField>.NotFound() : ServiceResult<InventoryCustomField>.Ok(field);
    }

    public async Task<ServiceResult<InventoryCustomField>> SaveFieldAsync(Actor actor, int? id, CustomFieldInput input, CancellationToken ct = default)
    {
        if (!actor.Can(id is null ? "inventorycomponents.customfields.store" : "inventorycomponents.customfields.update")) return ServiceResult<InventoryCustomField>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = id is null ? new InventoryCustomField() : await db.InventoryCustomFields.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (field is null) return ServiceResult<InventoryCustomField>.NotFound();
        bool Set(string name) => id is null || input.Provided.Contains(name);
        var errors = new Dictionary<string, string[]>();
        if (Set("name") && string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["The name field is required."];
        else if (input.Name?.Trim().Length > 255) errors["name"] = ["The name must not be greater than 255 characters."];
        if (Set("type") && !FieldTypes.Contains(input.Type)) errors["type"] = ["The type must be one of input, checkbox or dropdown."];
        // Collection and the summary find the built-in fields by name and type; only their dropdown values may change.
        if (field.NotDeletable && id is not null && input.Provided.Contains("name") && input.Name?.Trim() != field.Name)
            errors["name"] = ["A built-in custom field keeps its name."];
        if (field.NotDeletable && id is not null && input.Provided.Contains("type") && input.Type != field.Type)
            errors["type"] = ["A built-in custom field keeps its type."];
        var type = Set("type") ? input.Type : field.Type;
        var values = (input.AvailableValues ?? []).Select(v => v.Trim()).ToList();
        if (Set("availableValues") && values.Any(v => v.Length is 0 or > 255)) errors["availableValues"] = ["Each value must have 1 to 255 characters."];
        else if (Set("availableValues") && values.Distinct(StringComparer.OrdinalIgnoreCase).Count() != values.Count) errors["availableValues"] = ["The values must be unique."];
        if (type == "dropdown" && values.Count == 0 && (id is null || (input.Provided.Contains("availableValues") || field.AvailableValues.Count == 0)))
            errors.TryAdd("availableValues", ["A dropdown needs at least one value."]);
        if (errors.Count > 0) return ServiceResult<InventoryCustomField>.Invalid(errors);
        if (Set("name")) field.Name = input.Name!.Trim();
        if (Set("type")) field.Type = input.Type!;
        if (field.Type != "dropdown") field.AvailableValues = [];
        else if (Set("availableValues"))
        {
            // Values that stay keep their ids; new ones get the next free id.
            var existing = field.Values().ToDictionary(v => v.Value, v => v.Id, StringComparer.OrdinalIgnoreCase);
            var next = field.Values().Select(v => int.TryParse(v.Id, out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;
            field.AvailableValues = values.Select(v => $"{(existing.TryGetValue(v, out var old) ? old : (next++).ToString())}:{v}").ToList();
        }
        if (id is null) db.InventoryCustomFields.Add(field);
        activity.Record(db, actor, "inventorycustomfield", field.Id, $"Custom field {field.Name} {(id is null ? "created" : "changed")}");
        await db.SaveChangesAsync(ct);
        return ServiceResult<InventoryCustomField>.Ok(field);
    }

    public async Task<ServiceResult<bool>> DeleteFieldAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("inventorycomponents.customfields.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var field = await db.InventoryCustomFields.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (field is null) return ServiceResult<bool>.NotFound();
        if (field.NotDeletable) return ServiceResult<bool>.Invalid("id", "Built-in custom fields cannot be deleted.");
        var key = id.ToString();
        foreach (var component in await db.InventoryComponents.ToListAsync(ct))
            if (component.CustomFieldIds.Remove(key)) component.CustomFieldIds = [.. component.CustomFieldIds];
        db.InventoryCustomFields.Remove(field);
        activity.Record(db, actor, "inventorycustomfield", id, $"Custom field {field.Name} deleted");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }
}
