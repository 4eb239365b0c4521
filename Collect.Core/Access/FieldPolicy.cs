using System.Text.Json.Nodes;

namespace Collect.Core.Access;

/// <summary>
/// The one mechanism for field permissions on every resource: output fields an actor may not see are left out,
/// and a write to a field it may not change is refused naming the field.
/// </summary>
public static class FieldPolicy
{
    /// <summary>Removes the governed fields the actor lacks <c>resource.apiOutput.param.field</c> for.</summary>
    public static JsonObject FilterOutput(JsonObject item, string resource, Actor actor)
    {
        if (actor.Permissions is null || !PermissionCatalog.OutputFields.TryGetValue(resource, out var fields)) return item;
        foreach (var field in fields)
            if (item.ContainsKey(field) && !actor.Can(PermissionCatalog.Output(resource, field)))
                item.Remove(field);
        return item;
    }

    /// <summary>The first provided field the actor may not write, or null when all are allowed.</summary>
    public static string? FirstForbiddenWrite(IEnumerable<string> providedFields, string resource, Actor actor)
    {
        if (actor.Permissions is null || !PermissionCatalog.UpdateFields.TryGetValue(resource, out var fields)) return null;
        return providedFields.FirstOrDefault(f => fields.Contains(f) && !actor.Can(PermissionCatalog.Update(resource, f)));
    }

    public static string ForbiddenMessage(string field) => $"You are not allowed to change the field {field}.";
}
