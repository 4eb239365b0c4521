using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>/api/roles and /api/aliasRoles: the same service, alias roles kept apart.</summary>
internal static class RolesApi
{
    public static IEndpointRouteBuilder MapRolesApi(this IEndpointRouteBuilder app)
    {
        var roles = app.MapGroup("/api/roles").WithTags("Roles").RequireAuthorization();
        roles.MapGet("", (HttpContext http, RoleService s, CancellationToken ct) => ListAsync(http, s, false, ct))
            .RequirePermission("roles.index").WithSummary("List the roles you can see");
        roles.MapPost("", (JsonObject body, HttpContext http, RoleService s, CancellationToken ct) => CreateAsync(body, http, s, false, ct))
            .RequirePermission("roles.store").WithSummary("Create a role from single permissions and permission sets");
        roles.MapGet("/{id:int}", (int id, HttpContext http, RoleService s, CancellationToken ct) => GetAsync(id, http, s, false, ct))
            .RequirePermission("roles.show").WithSummary("One role with its effective permissions");
        roles.MapPut("/{id:int}", (int id, JsonObject body, HttpContext http, RoleService s, CancellationToken ct) => UpdateAsync(id, body, http, s, false, ct))
            .RequirePermission("roles.update").WithSummary("Change a role you own");
        roles.MapDelete("/{id:int}", (int id, HttpContext http, RoleService s, CancellationToken ct) => DeleteAsync(id, http, s, false, ct))
            .RequirePermission("roles.destroy").WithSummary("Delete a role nobody holds");

        var aliasRoles = app.MapGroup("/api/aliasRoles").WithTags("Alias users").RequireAuthorization();
        aliasRoles.MapGet("", (HttpContext http, RoleService s, CancellationToken ct) => ListAsync(http, s, true, ct))
            .RequirePermission("aliasRoles.index").WithSummary("List your alias roles");
        aliasRoles.MapPost("", (JsonObject body, HttpContext http, RoleService s, CancellationToken ct) => CreateAsync(body, http, s, true, ct))
            .RequirePermission("aliasRoles.store").WithSummary("Create an alias role");
        aliasRoles.MapGet("/{id:int}", (int id, HttpContext http, RoleService s, CancellationToken ct) => GetAsync(id, http, s, true, ct))
            .RequirePermission("aliasRoles.show").WithSummary("One alias role");
        aliasRoles.MapPut("/{id:int}", (int id, JsonObject body, HttpContext http, RoleService s, CancellationToken ct) => UpdateAsync(id, body, http, s, true, ct))
            .RequirePermission("aliasRoles.update").WithSummary("Change an alias role");
        aliasRoles.MapDelete("/{id:int}", (int id, HttpContext http, RoleService s, CancellationToken ct) => DeleteAsync(id, http, s, true, ct))
            .RequirePermission("aliasRoles.destroy").WithSummary("Delete an alias role nobody holds");
        return app;
    }

    private static async Task<Ok<Envelope<IReadOnlyList<JsonObject>>>> ListAsync(HttpContext http, RoleService roles, bool alias, CancellationToken ct) =>
        TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await roles.ListAsync(HttpActor.Current(http), alias, ct)).Select(r => Json(r, false)).ToList()));

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>>> GetAsync(int id, HttpContext http, RoleService roles, bool alias, CancellationToken ct)
    {
        var result = await roles.GetAsync(HttpActor.Current(http), id, alias, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(Json(result.Value!, true))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CreateAsync(
        JsonObject body, HttpContext http, RoleService roles, bool alias, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return Map(await roles.CreateAsync(HttpActor.Current(http), input, alias, ct));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateAsync(
        int id, JsonObject body, HttpContext http, RoleService roles, bool alias, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return Map(await roles.UpdateAsync(HttpActor.Current(http), id, input, alias, ct));
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        int id, HttpContext http, RoleService roles, bool alias, CancellationToken ct)
    {
        var result = await roles.DeleteAsync(HttpActor.Current(http), id, alias, ct);
        return ApiErrors.Deleted(result);
    }

    private static (RoleInput, IReadOnlyDictionary<string, string[]>?) Read(JsonObject body)
    {
        var json = new JsonInput(body);
        var input = new RoleInput
        {
            Name = json.String("name"),
            PermissionList = json.StringList("permissionlist"),
            PermissionSets = json.StringList("permissionsets"),
            ServersIndexDisablePermissionChecks = json.Bool("serversIndexDisablePermissionChecks"),
            Level = json.String("level"),
        };
        return (input, json.IsValid ? null : json.Errors);
    }

    private static Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> Map(ServiceResult<RoleView> result) =>
        ApiErrors.From(result, r => Json(r, true));

    private static JsonObject? Ref(RoleUserRef? r) =>
        r is null ? null : new JsonObject { ["userId"] = r.UserId, ["fullname"] = r.Fullname, ["username"] = r.Username };

    /// <summary>The seed's role shape; the single view also lists every effective permission.</summary>
    private static JsonObject Json(RoleView r, bool withPermissions) => new()
    {
        ["name"] = r.Name,
        ["id"] = r.Id,
        ["isAliasRole"] = r.IsAliasRole ? 1 : 0,
        ["assignedUsers"] = new JsonArray(r.AssignedUsers.Select(u => (JsonNode?)Ref(u)).ToArray()),
        ["notDeleteable"] = r.NotDeleteable ? 1 : 0,
        ["notAssignable"] = r.NotAssignable ? 1 : 0,
        ["serversIndexDisablePermissionChecks"] = r.ServersIndexDisablePermissionChecks ? 1 : 0,
        ["ownedBy"] = Ref(r.OwnedBy),
        ["ownerUserId"] = r.OwnerUserId,
        ["type"] = r.Kind,
        ["level"] = r.Level,
        ["permissionlist"] = new JsonArray(r.PermissionList.Select(p => (JsonNode?)p).ToArray()),
        ["permissionsets"] = new JsonArray(r.PermissionSets.Select(p => (JsonNode?)p).ToArray()),
        ["permissions"] = withPermissions
            ? new JsonArray(r.EffectivePermissions.Select(p => (JsonNode?)new JsonObject { ["name"] = p }).ToArray())
            : new JsonArray(),
    };
}
