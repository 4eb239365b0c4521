using System.Text.Json.Serialization;
using Collect.Core.Access;
using Collect.Web.Auth;

namespace Collect.Web.Api;

public sealed record TokenResponse(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used")] DateTimeOffset? LastUsed,
    [property: JsonPropertyName("allowedHosts")] IReadOnlyList<string> AllowedHosts);

/// <summary>The POST answer: the only time the secret is ever shown.</summary>
public sealed record CreatedTokenResponse(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used")] DateTimeOffset? LastUsed,
    [property: JsonPropertyName("allowedHosts")] IReadOnlyList<string> AllowedHosts,
    [property: JsonPropertyName("token")] string Token);

public sealed record TokenRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("allowedHosts")] List<string>? AllowedHosts);

internal static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users/{user:int}/tokens").WithTags("API tokens").RequireAuthorization();
        group.MapGet("", ListAsync).WithPaging().RequirePermission("users.tokens.index").WithSummary("List a user's API tokens (never their secrets)");
        group.MapPost("", CreateAsync).RequirePermission("users.tokens.store").WithSummary("Create an API token; the secret is in this answer only");
        group.MapGet("/{id:int}", GetAsync).RequirePermission("users.tokens.show").WithSummary("One API token");
        group.MapPut("/{id:int}", UpdateAsync).RequirePermission("users.tokens.update").WithSummary("Rename a token or change its allowed hosts");
        group.MapDelete("/{id:int}", RevokeAsync).RequirePermission("users.tokens.destroy").WithSummary("Revoke an API token");
        return app;
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<TokenResponse>>>, Ok<PagedEnvelope<TokenResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> ListAsync(
        int user, HttpContext http, ApiTokenService tokens, CancellationToken ct)
    {
        var query = ListQuery.From(http.Request);
        if (query.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var result = await tokens.ListAsync(HttpActor.Current(http), user, query.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        var items = result.Value!.Items.Select(Map).ToList();
        if (query.IsPaged)
            return TypedResults.Ok(new PagedEnvelope<TokenResponse>(items, new PageMeta(result.Value.Total, result.Value.PageNumber, result.Value.PageSize)));
        return TypedResults.Ok(new Envelope<IReadOnlyList<TokenResponse>>(items));
    }

    private static async Task<Results<Ok<Envelope<TokenResponse>>, NotFound<ErrorBody>>> GetAsync(
        int user, int id, HttpContext http, ApiTokenService tokens, CancellationToken ct)
    {
        var result = await tokens.GetAsync(HttpActor.Current(http), user, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<TokenResponse>(Map(result.Value!))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<CreatedTokenResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> CreateAsync(
        int user, TokenRequest request, HttpContext http, ApiTokenService tokens, CancellationToken ct)
    {
        var result = await tokens.CreateAsync(HttpActor.Current(http), user, new ApiTokenInput(request.Name, request.AllowedHosts), ct);
        return result.Status switch
        {
            ResultStatus.Ok => TypedResults.Ok(new Envelope<CreatedTokenResponse>(MapCreated(result.Value!))),
            ResultStatus.Invalid => ApiErrors.Invalid(result.Errors),
            _ => ApiErrors.NotFound(),
        };
    }

    private static async Task<Results<Ok<Envelope<TokenResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> UpdateAsync(
        int user, int id, TokenRequest request, HttpContext http, ApiTokenService tokens, CancellationToken ct)
    {
        var result = await tokens.UpdateAsync(HttpActor.Current(http), user, id, new ApiTokenInput(request.Name, request.AllowedHosts), ct);
        return result.Status switch
        {
            ResultStatus.Ok => TypedResults.Ok(new Envelope<TokenResponse>(Map(result.Value!))),
            ResultStatus.Invalid => ApiErrors.Invalid(result.Errors),
            _ => ApiErrors.NotFound(),
        };
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>>> RevokeAsync(
        int user, int id, HttpContext http, ApiTokenService tokens, CancellationToken ct)
    {
        var result = await tokens.RevokeAsync(HttpActor.Current(http), user, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<object?>(null)) : ApiErrors.NotFound();
    }

    private static TokenResponse Map(ApiTokenView t) => new(t.Id, t.Name, t.CreatedAt, t.LastUsed, t.AllowedHosts);

    private static CreatedTokenResponse MapCreated(CreatedApiToken c) =>
        new(c.Token.Id, c.Token.Name, c.Token.CreatedAt, c.Token.LastUsed, c.Token.AllowedHosts, c.Secret);
}
