using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Collect.Core.Access;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace Collect.Web.Api;

/// <summary>The only time a login link's secret is shown; validUntil is in unix seconds.</summary>
public sealed record SsoTokenResponse(
    [property: JsonPropertyName("authToken")] string AuthToken,
    [property: JsonPropertyName("validUntil")] long ValidUntil);

/// <summary>One-time login links: created through the API, opened by a browser at /tokenLogin/{authToken}.</summary>
internal static class SsoApi
{
    public const string InvalidLinkMessage = "This login link is invalid or has expired.";

    public static IEndpointRouteBuilder MapSsoApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users/{user:int}").WithTags("Users").RequireAuthorization();
        users.MapPost("/generateSsoToken", GenerateAsync).RequirePermission("users.generateSsoToken")
            .WithSummary("Create a one-time login link for a user")
            .WithDescription("Open /tokenLogin/{authToken} in a browser before validUntil to be signed in as the user and sent to endpoint " +
                             "(a path on this site, default \"/\"). validForSeconds: 1 to 86400, default 60.");
        // Opened by a browser that is not signed in yet, so it is neither under /api nor behind authorization.
        app.MapGet("/tokenLogin/{authToken}", LoginAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<Envelope<SsoTokenResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> GenerateAsync(
        int user, JsonObject? body, HttpContext http, SsoTokenService sso, CancellationToken ct)
    {
        var json = new JsonInput(body ?? []);
        var input = new SsoTokenInput(json.String("endpoint"), json.Int("validForSeconds"));
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        var result = await sso.CreateAsync(HttpActor.Current(http), user, input, ct);
        return result.Status switch
        {
            ResultStatus.Ok => TypedResults.Ok(new Envelope<SsoTokenResponse>(
                new SsoTokenResponse(result.Value!.AuthToken, result.Value.ValidUntil.ToUnixTimeSeconds()))),
            ResultStatus.Invalid => ApiErrors.Invalid(result.Errors),
            ResultStatus.Forbidden => ApiErrors.Forbidden(result.Errors?.Values.SelectMany(v => v).FirstOrDefault()),
            _ => ApiErrors.NotFound(),
        };
    }

    private static async Task<IResult> LoginAsync(
        string authToken, HttpContext http, SsoTokenService sso, SignInManager<CollectUser> signIn, LoginHistoryService history, CancellationToken ct)
    {
        // The secret is in the path: keep it out of caches and out of the Referer of the next page.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var ip = ClientAddress.TextOf(http);
        var agent = http.Request.Headers.UserAgent.ToString();

        var redemption = await sso.RedeemAsync(authToken, ClientAddress.Of(http), ct);
        switch (redemption.Outcome)
        {
            case SsoOutcome.AccountDisabled:
                await history.RecordAsync(redemption.UserId, redemption.UserName ?? "", ip, agent, LoginOutcomes.Disabled, ct);
                return LoginError("This account is disabled.");
            case SsoOutcome.HostNotAllowed:
                await history.RecordAsync(redemption.UserId, redemption.UserName ?? "", ip, agent, LoginOutcomes.HostNotAllowed, ct);
                return LoginError("Sign-in is not allowed from this address.");
            case SsoOutcome.SignIn:
                break;
            default:
                return LoginError(InvalidLinkMessage);
        }

        var user = await signIn.UserManager.FindByIdAsync(redemption.UserId!.Value.ToString());
        if (user is null) return LoginError(InvalidLinkMessage);
        await signIn.SignInAsync(user, isPersistent: false);
        await history.RecordAsync(user.Id, user.UserName!, ip, agent, LoginOutcomes.Success, ct);
        return Results.LocalRedirect(AccountEndpoints.LocalUrl(redemption.Endpoint));
    }

    private static IResult LoginError(string message) =>
        Results.LocalRedirect($"/account/login?error={Uri.EscapeDataString(message)}");
}
