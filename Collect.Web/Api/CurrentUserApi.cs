using System.Text.Json.Serialization;
using Collect.Core.Access;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>The signed-in user as seed 002 shows it for GET /api/user.</summary>
public sealed record CurrentUserResponse(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("timezone")] string Timezone,
    [property: JsonPropertyName("datetimeFormat")] string DatetimeFormat,
    [property: JsonPropertyName("darkmode")] int? Darkmode,
    [property: JsonPropertyName("sshkeys")] IReadOnlyList<object> SshKeys,
    [property: JsonPropertyName("prefs")] IReadOnlyList<object> Prefs,
    [property: JsonPropertyName("currentIp")] string? CurrentIp,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("role_name")] string RoleName,
    [property: JsonPropertyName("two_factor_confirmed")] int TwoFactorConfirmed,
    [property: JsonPropertyName("isSharedAccess")] bool IsSharedAccess,
    [property: JsonPropertyName("sharedUserId")] int? SharedUserId,
    [property: JsonPropertyName("realOrSharedUserId")] int RealOrSharedUserId,
    [property: JsonPropertyName("permissions")] IReadOnlyList<string> Permissions);

internal static class CurrentUserApi
{
    public static IEndpointRouteBuilder MapCurrentUserApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/user").WithTags("Users").RequireAuthorization();
        group.MapGet("", GetCurrentUserAsync).RequireActor().WithSummary("The signed-in user");
        return app;
    }

    private static async Task<Results<Ok<Envelope<CurrentUserResponse>>, NotFound<ErrorBody>>> GetCurrentUserAsync(
        HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        var user = await accounts.GetCurrentAsync(actor.UserId, ct);
        if (user is null) return ApiErrors.NotFound();
        return TypedResults.Ok(new Envelope<CurrentUserResponse>(new CurrentUserResponse(
            user.Id, user.Name, user.UserName, user.Email, user.Timezone, user.DatetimeFormat,
            user.Darkmode switch { true => 1, false => 0, null => null },
            [], [], actor.Ip, user.Language, user.RoleName, user.TwoFactorEnabled ? 1 : 0,
            actor.IsAlias, actor.IsAlias ? actor.ScopeUserId : null, actor.ScopeUserId,
            (actor.Permissions ?? PermissionCatalog.AllPermissions).OrderBy(p => p, StringComparer.Ordinal).ToList())));
    }
}
