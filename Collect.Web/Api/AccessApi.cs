using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace Collect.Web.Api;

/// <summary>The permission catalog, alias users and impersonation.</summary>
internal static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/permissions", ListPermissionsAsync).WithTags("Roles").RequireAuthorization().RequirePermission("permissions.index")
            .WithSummary("The permission catalog; with userId, that user's effective permissions");

        var alias = app.MapGroup("/api/aliasUsers").WithTags("Alias users").RequireAuthorization();
        alias.MapGet("", ListAliasesAsync).RequirePermission("aliasUsers.index").WithSummary("List alias users");
        alias.MapPost("", CreateAliasAsync).RequirePermission("aliasUsers.store").WithSummary("Create an alias user with an alias role");
        alias.MapPut("/{id:int}", UpdateAliasAsync).RequirePermission("aliasUsers.update").WithSummary("Change an alias user");
        alias.MapDelete("/{id:int}", DeleteAliasAsync).RequirePermission("aliasUsers.destroy").WithSummary("Delete an alias user");

        var impersonate = app.MapGroup("/api/impersonate").WithTags("Impersonation").RequireAuthorization();
        impersonate.MapGet("/{impersonateUserId:int}/start", StartAsync).RequirePermission("impersonate.start")
            .WithSummary("Act as a user in your subtree until you stop");
        // The impersonated account need not hold impersonate.stop: whoever started it may always end it.
        impersonate.MapGet("/{impersonateUserId:int}/stop", StopAsync).RequireActor().WithSummary("Stop acting as that user");
        return app;
    }

    private static async Task<Results<Ok<Envelope<JsonArray>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> ListPermissionsAsync(
        HttpContext http, AccessResolver access, UserService users, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        if (http.Request.Query.TryGetValue("userId", out var text))
        {
            if (!int.TryParse(text, out var userId)) return ApiErrors.Invalid("userId", "The userId must be an integer.");
            var user = await users.GetAsync(actor, userId, ct);
            if (!user.IsOk) return ApiErrors.NotFound();
            return TypedResults.Ok(new Envelope<JsonArray>(new JsonArray(user.Value!.Permissions.Select(p => (JsonNode?)p).ToArray())));
        }
        // Resellers and users see the sets they could hand out, never more than they hold.
        var sets = PermissionCatalog.Sets.Where(s => actor.Permissions is null || s.All.All(actor.Can));
        return TypedResults.Ok(new Envelope<JsonArray>(new JsonArray(sets.Select(s => (JsonNode?)new JsonObject
        {
            ["name"] = s.Name,
            ["permissions"] = new JsonObject
            {
                ["apiEndpoint"] = Strings(s.ApiEndpoint),
                ["apiUpdateFields"] = Strings(s.ApiUpdateFields),
                ["apiOutput"] = Strings(s.ApiOutput),
                ["isDangerousAliasUserPermissionSet"] = s.IsDangerousAliasUserPermissionSet,
            },
            ["permission_level"] = s.Level,
        }).ToArray())));
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static async Task<Ok<Envelope<IReadOnlyList<JsonObject>>>> ListAliasesAsync(HttpContext http, AliasUserService aliases, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await aliases.ListAsync(actor, ct)).Select(u => UsersApi.Json(u, actor)).ToList()));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CreateAliasAsync(
        JsonObject body, HttpContext http, AliasUserService aliases, CancellationToken ct)
    {
        var (input, errors) = ReadAlias(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        var actor = HttpActor.Current(http);
        return MapUser(await aliases.CreateAsync(actor, input, ct), actor);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateAliasAsync(
        int id, JsonObject body, HttpContext http, AliasUserService aliases, CancellationToken ct)
    {
        var (input, errors) = ReadAlias(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        var actor = HttpActor.Current(http);
        return MapUser(await aliases.UpdateAsync(actor, id, input, ct), actor);
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteAliasAsync(
        int id, HttpContext http, AliasUserService aliases, CancellationToken ct)
    {
        var result = await aliases.DeleteAsync(HttpActor.Current(http), id, ct);
        return ApiErrors.Deleted(result);
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> StartAsync(
        int impersonateUserId, HttpContext http, ImpersonationService impersonation, ApiTokenService tokens,
        SignInManager<CollectUser> signIn, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        var result = await impersonation.StartAsync(actor, impersonateUserId, ct);
        if (result.Status == ResultStatus.NotFound) return ApiErrors.NotFound();
        if (result.Status == ResultStatus.Invalid) return ApiErrors.Invalid(result.Errors);
        if (result.Status == ResultStatus.Forbidden) return ApiErrors.Forbidden(UsersApi.FirstError(result.Errors));

        if (int.TryParse(http.User.FindFirst(CollectClaims.TokenId)?.Value, out var tokenId))
            await tokens.SetImpersonationAsync(tokenId, impersonateUserId, ct);
        else
        {
            var target = await signIn.UserManager.FindByIdAsync(impersonateUserId.ToString());
            await signIn.SignInWithClaimsAsync(target!, isPersistent: false,
                [new System.Security.Claims.Claim(CollectClaims.Impersonator, actor.UserId.ToString())]);
        }
        return TypedResults.Ok(new Envelope<object?>(null));
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>>> StopAsync(
        int impersonateUserId, HttpContext http, ImpersonationService impersonation, ApiTokenService tokens,
        SignInManager<CollectUser> signIn, CancellationToken ct)
    {
        var result = await impersonation.StopAsync(HttpActor.Current(http), impersonateUserId, ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        if (int.TryParse(http.User.FindFirst(CollectClaims.TokenId)?.Value, out var tokenId))
            await tokens.SetImpersonationAsync(tokenId, null, ct);
        else
        {
            var real = await signIn.UserManager.FindByIdAsync(result.Value!.UserId.ToString());
            await signIn.SignInAsync(real!, isPersistent: false);
        }
        return TypedResults.Ok(new Envelope<object?>(null));
    }

    private static (AliasUserInput, IReadOnlyDictionary<string, string[]>?) ReadAlias(JsonObject body)
    {
        var json = new JsonInput(body);
        var input = new AliasUserInput
        {
            Name = json.String("name"),
            Email = json.String("email"),
            Password = json.String("password"),
            Username = json.String("username"),
            RoleId = json.Int("role_id"),
            AccountStatus = json.String("accountstatus"),
            UserAliasAssignments = json.StringList("user_alias_assignments"),
        };
        return (input, json.IsValid ? null : json.Errors);
    }

    private static Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> MapUser(ServiceResult<UserView> result, Actor actor) =>
        ApiErrors.From(result, u => UsersApi.Json(u, actor));
}
