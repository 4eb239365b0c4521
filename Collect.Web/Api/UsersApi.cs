using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Web.Auth;

namespace Collect.Web.Api;

internal static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        users.MapGet("", ListAsync).WithPaging().RequirePermission("users.index")
            .WithSummary("List the users in your scope").WithDescription("Filters: search (username, name, email), role_id, accountstatus.");
        users.MapPost("", CreateAsync).RequirePermission("users.store").WithSummary("Create a user (customer, reseller or sub-user)");
        users.MapGet("/{id:int}", GetAsync).RequirePermission("users.show").WithSummary("One user");
        users.MapPut("/{id:int}", UpdateAsync).RequirePermission("users.update").WithSummary("Change a user; only the fields sent change");
        users.MapDelete("/{id:int}", DeleteAsync).RequirePermission("users.destroy").WithSummary("Delete a user without sub-users");
        users.MapGet("/{userId:int}/loginhistory", LoginHistoryAsync).WithPaging().RequirePermission("users.loginhistory")
            .WithSummary("A user's sign-in attempts, newest first");
        users.MapGet("/{userId:int}/accesslog", AccessLogAsync).RequirePermission("users.accesslog")
            .WithSummary("A user's API requests, newest first (limit, default 100)");

        var current = app.MapGroup("/api/user").WithTags("Users").RequireAuthorization();
        current.MapPost("/testLoginDetails", TestLoginDetailsAsync).RequirePermission("user.testLoginDetails")
            .WithSummary("Check a user's username or email, password and 2FA code");
        current.MapGet("/{user:int}/twofactor/disable", DisableTwoFactorAsync).RequirePermission("user.twofactor.disable")
            .WithSummary("Turn two-factor authentication off for a user");
        current.MapPost("/{user:int}/twofactor/enable", EnableTwoFactorAsync).RequirePermission("user.twofactor.enable")
            .WithSummary("Turn two-factor authentication on for yourself with a code from the authenticator set up in the profile");
        return app;
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, Ok<PagedEnvelope<JsonObject>>, UnprocessableEntity<ErrorBody>>> ListAsync(
        HttpContext http, UserService users, string? search, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var query = http.Request.Query;
        int? roleId = null;
        if (query.TryGetValue("role_id", out var roleText))
        {
            if (!int.TryParse(roleText, out var parsed)) return ApiErrors.Invalid("role_id", "The role_id must be an integer.");
            roleId = parsed;
        }
        string? status = query["accountstatus"];
        if (status is not (null or "" or AccountStatuses.Enabled or AccountStatuses.Disabled))
            return ApiErrors.Invalid("accountstatus", "The accountstatus must be enabled or disabled.");
        var actor = HttpActor.Current(http);
        var page = await users.ListAsync(actor, new UserListQuery(search, roleId, status), list.ToRequest(), ct);
        var items = page.Items.Select(u => Json(u, actor)).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(page.Total, page.PageNumber, page.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>>> GetAsync(int id, HttpContext http, UserService users, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        var result = await users.GetAsync(actor, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(Json(result.Value!, actor))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CreateAsync(
        JsonObject body, HttpContext http, UserService users, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        var actor = HttpActor.Current(http);
        return Map(await users.CreateAsync(actor, input, ct), actor);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateAsync(
        int id, JsonObject body, HttpContext http, UserService users, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        var actor = HttpActor.Current(http);
        return Map(await users.UpdateAsync(actor, id, input, ct), actor);
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        int id, HttpContext http, UserService users, CancellationToken ct)
    {
        var result = await users.DeleteAsync(HttpActor.Current(http), id, ct);
        return ApiErrors.Deleted(result);
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, Ok<PagedEnvelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> LoginHistoryAsync(
        int userId, HttpContext http, LoginHistoryService history, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var result = await history.ListAsync(HttpActor.Current(http), userId, list.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        var items = result.Value!.Items.Select(a => new JsonObject
        {
            ["created_at"] = Timestamp(a.CreatedAt),
            ["ip"] = a.Ip,
            ["userAgent"] = a.UserAgent,
            ["result"] = a.Outcome,
        }).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(result.Value.Total, result.Value.PageNumber, result.Value.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> AccessLogAsync(
        int userId, HttpContext http, UserService users, CancellationToken ct)
    {
        var limit = 100;
        if (http.Request.Query.TryGetValue("limit", out var text) && (!int.TryParse(text, out limit) || limit is < 1 or > 1000))
            return ApiErrors.Invalid("limit", "The limit must be an integer between 1 and 1000.");
        var result = await users.AccessLogAsync(HttpActor.Current(http), userId, limit, ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Select(l => new JsonObject
        {
            ["id"] = l.Id,
            ["request"] = l.Request,
            ["response"] = l.Response,
            ["endpoint"] = l.Endpoint,
            ["method"] = l.Method,
            ["statuscode"] = l.StatusCode.ToString(),
            ["ip"] = l.Ip,
            ["userAgent"] = l.UserAgent,
            ["created_at"] = Timestamp(l.CreatedAt),
            ["requestSource"] = l.RequestSource,
        }).ToList()));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, UnprocessableEntity<ErrorBody>>> TestLoginDetailsAsync(
        JsonObject body, HttpContext http, UserService users, CancellationToken ct)
    {
        var input = new JsonInput(body);
        var identify = input.String("identify");
        var password = input.String("password");
        var code = input.String("two_factor_code");
        if (!input.IsValid) return ApiErrors.Invalid(input.Errors);
        if (string.IsNullOrWhiteSpace(identify)) return ApiErrors.Invalid("identify", "The identify field is required.");
        if (string.IsNullOrEmpty(password)) return ApiErrors.Invalid("password", "The password field is required.");
        var check = await users.TestLoginDetailsAsync(HttpActor.Current(http), identify, password, code, ct);
        return TypedResults.Ok(new Envelope<JsonObject>(new JsonObject
        {
            ["result"] = check.Result,
            ["twoFactorAuthEnabled"] = check.TwoFactorAuthEnabled,
            ["twoFactorAuthPassed"] = check.TwoFactorAuthPassed,
            ["userId"] = check.UserId,
        }));
    }

    private static async Task<Results<Ok<Envelope<string>>, NotFound<ErrorBody>>> DisableTwoFactorAsync(
        int user, HttpContext http, UserService users, CancellationToken ct)
    {
        var result = await users.DisableTwoFactorAsync(HttpActor.Current(http), user, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<string>("ok")) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<string>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> EnableTwoFactorAsync(
        int user, JsonObject body, HttpContext http, UserService users, AccountService accounts, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        var input = new JsonInput(body);
        var code = input.String("code");
        if (!input.IsValid) return ApiErrors.Invalid(input.Errors);
        if ((await users.GetAsync(actor, user, ct)).Status != ResultStatus.Ok) return ApiErrors.NotFound();
        // Only the holder of the authenticator can prove the code, so nobody turns it on for someone else.
        if (user != actor.UserId) return ApiErrors.Forbidden("Two-factor authentication can only be turned on by the account holder.");
        if (!await accounts.HasAuthenticatorKeyAsync(user))
            return ApiErrors.Invalid("code", "Set up an authenticator app in your profile first, then confirm it with a code.");
        var result = await accounts.EnableTwoFactorAsync(actor, code, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<string>("ok")) : ApiErrors.Invalid(result.Errors);
    }

    internal static (UserInput Input, IReadOnlyDictionary<string, string[]>? Errors) Read(JsonObject body)
    {
        var json = new JsonInput(body);
        var input = new UserInput
        {
            Name = json.String("name"),
            Email = json.String("email"),
            Password = json.String("password"),
            Username = json.String("username"),
            RootOwner = json.Int("root_owner"),
            Description = json.String("description"),
            RoleId = json.Int("role_id"),
            AccountStatus = json.String("accountstatus"),
            Timezone = json.String("timezone"),
            DatetimeFormat = json.String("datetimeFormat"),
            Darkmode = json.Bool("darkmode"),
            Prefs = json.Raw("prefs"),
            AllowedHosts = json.StringList("allowedHosts"),
            Language = json.String("language"),
            SessionTimeout = json.String("sessionTimeout"),
            Provided = json.Provided,
        };
        return (input, json.IsValid ? null : json.Errors);
    }

    private static Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> Map(ServiceResult<UserView> result, Actor actor) =>
        ApiErrors.From(result, u => Json(u, actor));

    internal static string? FirstError(IReadOnlyDictionary<string, string[]>? errors) => errors?.Values.SelectMany(v => v).FirstOrDefault();

    /// <summary>The seed's user shape, with the fields the actor may not see left out.</summary>
    internal static JsonObject Json(UserView u, Actor actor)
    {
        var subUsers = new JsonObject();
        for (var i = 0; i < u.SubUsers.Count; i++) subUsers[(i + 1).ToString()] = u.SubUsers[i];
        var item = new JsonObject
        {
            ["id"] = u.Id,
            ["name"] = u.Name,
            ["email"] = u.Email,
            ["two_factor_confirmed"] = u.TwoFactorConfirmed ? 1 : 0,
            ["created_at"] = Timestamp(u.CreatedAt),
            ["root_owner"] = u.RootOwner,
            ["username"] = u.Username,
            ["accountstatus"] = u.AccountStatus,
            ["isParentAccountSuspended"] = u.IsParentAccountSuspended,
            ["timezone"] = u.Timezone,
            ["datetimeFormat"] = u.DatetimeFormat,
            ["darkmode"] = u.Darkmode switch { true => 1, false => 0, null => null },
            ["prefs"] = u.Prefs is null ? new JsonArray() : JsonNode.Parse(u.Prefs),
            ["allowedHosts"] = new JsonArray(u.AllowedHosts.Select(h => (JsonNode?)h).ToArray()),
            ["isSharedAccess"] = u.IsSharedAccess,
            ["sharedUserId"] = u.SharedUserId,
            ["realOrSharedUserId"] = u.RealOrSharedUserId,
            ["role_id"] = u.RoleId,
            ["role_name"] = u.RoleName,
            ["root_owner_username"] = u.RootOwnerUsername,
            ["lastlogin"] = new JsonObject
            {
                ["date"] = u.LastLogin.At is { } at ? Timestamp(at) : "Never",
                ["ip"] = u.LastLogin.Ip ?? "-",
            },
            ["canCreateSubUsers"] = u.CanCreateSubUsers ? 1 : 0,
            ["description"] = u.Description,
            ["subUsers"] = u.SubUsers.Count == 0 ? new JsonArray() : subUsers,
            ["permissions"] = new JsonArray(u.Permissions.Select(p => (JsonNode?)p).ToArray()),
            ["language"] = u.Language,
            ["sessionTimeout"] = u.SessionTimeout,
        };
        if (u.IsSharedAccess) item["user_alias_assignments"] = new JsonArray(u.AliasServerIds.Select(s => (JsonNode?)s).ToArray());
        return FieldPolicy.FilterOutput(item, UserService.Resource, actor);
    }

    internal static string Timestamp(DateTimeOffset at) =>
        UtcTimestampConverter.Format(at);
}
