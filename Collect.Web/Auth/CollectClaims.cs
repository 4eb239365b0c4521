using System.Security.Claims;
using Collect.Core.Access;

namespace Collect.Web.Auth;

/// <summary>Claims Collect adds to a signed-in principal.</summary>
public static class CollectClaims
{
    public const string Level = "collect:role_type";
    public const string TokenId = "collect:token_id";
    /// <summary>Present while impersonating: the id of the person really at the keyboard.</summary>
    public const string Impersonator = "collect:impersonator";
    public const string AdminPolicy = "Admin";

    public static int? UserId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static int? ImpersonatorId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(Impersonator), out var id) ? id : null;

    /// <summary>Claims only, for tests and places without a database; requests use <see cref="HttpActor"/>.</summary>
    public static Actor? ToActor(this ClaimsPrincipal principal, string? ip, string source, string? endpoint = null, string? method = null)
    {
        var id = principal.UserId();
        if (id is null) return null;
        return new Actor(id.Value, principal.Identity?.Name ?? "", principal.FindFirstValue(Level) ?? RoleLevels.User,
            ip, source, principal.ImpersonatorId(), endpoint, method);
    }
}
