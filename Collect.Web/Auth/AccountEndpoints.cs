using Collect.Core.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Collect.Web.Auth;

/// <summary>
/// Form posts for signing in and out. A sign-in cookie needs an HTTP response, which an interactive
/// circuit does not have, so the static login pages post here.
/// </summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription();
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        group.MapPost("/login-2fa", LoginTwoFactorAsync).AllowAnonymous();
        group.MapPost("/logout", LogoutAsync);
        group.MapGet("/refresh", RefreshAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http, [FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<CollectUser> signIn, LoginHistoryService history, AccessResolver access)
    {
        var ip = ClientAddress.TextOf(http);
        var agent = http.Request.Headers.UserAgent.ToString();
        var name = (username ?? "").Trim();
        var back = LocalUrl(returnUrl);
        if (name.Length == 0 || string.IsNullOrEmpty(password))
            return LoginError("Enter your username and password.", back, name);

        var user = await signIn.UserManager.Users
            .FirstOrDefaultAsync(u => u.NormalizedUserName == signIn.UserManager.NormalizeName(name));
        if (user is null)
        {
            await history.RecordAsync(null, name, ip, agent, LoginOutcomes.Failed);
            return LoginError("Invalid username or password.", back, name);
        }
        if (await access.GetProfileAsync(user.Id) is null)
        {
            await history.RecordAsync(user.Id, name, ip, agent, LoginOutcomes.Disabled);
            return LoginError("This account is disabled.", back, name);
        }
        if (!ApiTokenService.HostAllowed(user.AllowedHosts, ClientAddress.Of(http)))
        {
            await history.RecordAsync(user.Id, name, ip, agent, LoginOutcomes.HostNotAllowed);
            return LoginError("Sign-in is not allowed from this address.", back, name);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.Success);
            return Results.LocalRedirect(back);
        }
        if (result.RequiresTwoFactor)
        {
            await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.TwoFactorRequired);
            return Results.LocalRedirect($"/account/login-2fa?returnUrl={Uri.EscapeDataString(back)}");
        }
        if (result.IsLockedOut)
        {
            await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.LockedOut);
            return LoginError("Too many failed attempts: this account is locked for a few minutes.", back, name);
        }
        await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.Failed);
        return LoginError("Invalid username or password.", back, name);
    }

    private static async Task<IResult> LoginTwoFactorAsync(
        HttpContext http, [FromForm] string? code, [FromForm] string? recoveryCode, [FromForm] string? returnUrl,
        SignInManager<CollectUser> signIn, LoginHistoryService history)
    {
        var back = LocalUrl(returnUrl);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return Results.LocalRedirect($"/account/login?returnUrl={Uri.EscapeDataString(back)}");

        var ip = ClientAddress.TextOf(http);
        var agent = http.Request.Headers.UserAgent.ToString();
        var useRecovery = !string.IsNullOrWhiteSpace(recoveryCode);
        var clean = (useRecovery ? recoveryCode : code ?? "")!.Replace(" ", "").Replace("-", useRecovery ? "-" : "");
        if (clean.Length == 0) return TwoFactorError("Enter the code from your authenticator app.", back);

        var result = useRecovery
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(clean)
            : await signIn.TwoFactorAuthenticatorSignInAsync(clean, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.Success);
            return Results.LocalRedirect(back);
        }
        if (result.IsLockedOut)
        {
            await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.LockedOut);
            return LoginError("Too many failed attempts: this account is locked for a few minutes.", back, user.UserName);
        }
        await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.TwoFactorFailed);
        return TwoFactorError(useRecovery ? "That recovery code is not valid." : "That code is not valid. Try the current one.", back);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, [FromForm] string? returnUrl, SignInManager<CollectUser> signIn, LoginHistoryService history)
    {
        var actor = http.User.ToActor(ClientAddress.TextOf(http), ActivitySources.Web, "/account/logout", "POST");
        await signIn.SignOutAsync();
        if (actor is not null) await history.RecordLogoutAsync(actor);
        return Results.LocalRedirect("/account/login");
    }

    /// <summary>Re-issues the cookie after a password or 2FA change, which renews the security stamp.</summary>
    private static async Task<IResult> RefreshAsync(HttpContext http, string? returnUrl, SignInManager<CollectUser> signIn)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is not null)
        {
            // Re-issuing the cookie must not turn an impersonation into a plain sign-in as the target.
            var impersonator = http.User.FindFirst(CollectClaims.Impersonator);
            if (impersonator is null) await signIn.RefreshSignInAsync(user);
            else await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new System.Security.Claims.Claim(CollectClaims.Impersonator, impersonator.Value)]);
        }
        return returnUrl is null ? Results.NoContent() : Results.LocalRedirect(LocalUrl(returnUrl));
    }

    private static IResult LoginError(string message, string back, string? name) =>
        Results.LocalRedirect($"/account/login?error={Uri.EscapeDataString(message)}&returnUrl={Uri.EscapeDataString(back)}" +
                              (string.IsNullOrEmpty(name) ? "" : $"&username={Uri.EscapeDataString(name)}"));

    private static IResult TwoFactorError(string message, string back) =>
        Results.LocalRedirect($"/account/login-2fa?error={Uri.EscapeDataString(message)}&returnUrl={Uri.EscapeDataString(back)}");

    /// <summary>Only paths on this site, never another host: an open redirect would help phishing.</summary>
    internal static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl) ? url : "/";
}
