using System.Security.Claims;
using Collect.Core.Access;

namespace Collect.Web.Auth;

/// <summary>Claims Collect adds to a signed-in principal, and turning a principal into an <see cref="Actor"/>.</summary>
public static class CollectClaims
{
    public const string RoleType = "collect:role_type";
    public const string TokenId = "collect:token_id";
    public const string AdminPolicy = "Admin";

    public static int? UserId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Actor? ToActor(this ClaimsPrincipal principal, string? ip, string source, string? endpoint = null, string? method = null)
    {
        var id = principal.UserId();
        if (id is null) return null;
        return new Actor(id.Value, principal.Identity?.Name ?? "", principal.FindFirstValue(RoleType) ?? RoleTypes.User,
            ip, source, null, endpoint, method);
    }

    public static Actor ActorOf(HttpContext context) =>
        context.User.ToActor(ClientAddress.TextOf(context), ActivitySources.Api, context.Request.Path, context.Request.Method)
        ?? throw new InvalidOperationException("An authenticated endpoint ran without a user.");
}
