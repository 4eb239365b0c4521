using System.Security.Claims;
using System.Text.Encodings.Web;
using Collect.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Collect.Web.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the hashed API tokens.</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    AccessResolver access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length == 0 || secret.Length > 512) return AuthenticateResult.Fail("Malformed token.");

        var (check, identity) = await tokens.AuthenticateAsync(secret, ClientAddress.Of(Context), Context.RequestAborted);
        if (check != TokenCheck.Valid || identity is null)
            return AuthenticateResult.Fail(check switch
            {
                TokenCheck.HostNotAllowed => "The token may not be used from this address.",
                TokenCheck.AccountDisabled => "The account is disabled.",
                _ => "Unknown token.",
            });
        // The owner of the token must still be allowed in (not disabled, not under a disabled owner).
        if (await access.GetProfileAsync(identity.UserId, Context.RequestAborted) is null)
            return AuthenticateResult.Fail("The account is disabled.");

        // While impersonating, the token acts as the target; the token's owner is kept as the impersonator.
        var acting = identity.ImpersonatingUserId is { } target ? await access.GetProfileAsync(target, Context.RequestAborted) : null;
        if (identity.ImpersonatingUserId is { } stale &&
            (acting is null || await access.ResolveAsync(stale, identity.UserId, null, ActivitySources.Api, ct: Context.RequestAborted) is null))
        {
            // The impersonation is no longer allowed (target moved away, permission withdrawn): the token acts as its owner again.
            await tokens.SetImpersonationAsync(identity.TokenId, null, Context.RequestAborted);
            acting = null;
        }
        var claims = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, (acting?.UserId ?? identity.UserId).ToString()),
            new Claim(ClaimTypes.Name, acting?.UserName ?? identity.UserName),
            new Claim(CollectClaims.Level, acting?.Level ?? identity.Level),
            new Claim(CollectClaims.TokenId, identity.TokenId.ToString()),
        ], SchemeName);
        if (acting is not null) claims.AddClaim(new Claim(CollectClaims.Impersonator, identity.UserId.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }
}
