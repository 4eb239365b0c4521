using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Collect.Core.Access;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>The seed's SSH key shape, plus what Collect learned by parsing the key.</summary>
public sealed record SshKeyResponse(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("pubkey")] string Pubkey,
    [property: JsonPropertyName("userid")] int UserId,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("bits")] int Bits);

internal static class SshKeysApi
{
    public static IEndpointRouteBuilder MapSshKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users/{user:int}/sshkeys").WithTags("SSH keys").RequireAuthorization();
        group.MapGet("", ListAsync).WithPaging().RequirePermission("users.sshkeys.index").WithSummary("List a user's SSH keys");
        group.MapPost("", CreateAsync).RequirePermission("users.sshkeys.store")
            .WithSummary("Add an SSH key").WithDescription("pubkey is one OpenSSH line: ssh-ed25519, ssh-rsa (1024 bits or more) or ecdsa-sha2-nistp256/384/521.");
        group.MapGet("/{id:int}", GetAsync).RequirePermission("users.sshkeys.show").WithSummary("One SSH key");
        group.MapPut("/{id:int}", UpdateAsync).RequirePermission("users.sshkeys.update").WithSummary("Change an SSH key; only the fields sent change");
        group.MapDelete("/{id:int}", DeleteAsync).RequirePermission("users.sshkeys.destroy").WithSummary("Remove an SSH key");
        return app;
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<SshKeyResponse>>>, Ok<PagedEnvelope<SshKeyResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> ListAsync(
        int user, HttpContext http, SshKeyService keys, CancellationToken ct)
    {
        var query = ListQuery.From(http.Request);
        if (query.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var result = await keys.ListAsync(HttpActor.Current(http), user, query.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        var items = result.Value!.Items.Select(Map).ToList();
        if (query.IsPaged)
            return TypedResults.Ok(new PagedEnvelope<SshKeyResponse>(items, new PageMeta(result.Value.Total, result.Value.PageNumber, result.Value.PageSize)));
        return TypedResults.Ok(new Envelope<IReadOnlyList<SshKeyResponse>>(items));
    }

    private static async Task<Results<Ok<Envelope<SshKeyResponse>>, NotFound<ErrorBody>>> GetAsync(
        int user, int id, HttpContext http, SshKeyService keys, CancellationToken ct)
    {
        var result = await keys.GetAsync(HttpActor.Current(http), user, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<SshKeyResponse>(Map(result.Value!))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<SshKeyResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> CreateAsync(
        int user, JsonObject body, HttpContext http, SshKeyService keys, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return Outcome(await keys.CreateAsync(HttpActor.Current(http), user, input, ct));
    }

    private static async Task<Results<Ok<Envelope<SshKeyResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> UpdateAsync(
        int user, int id, JsonObject body, HttpContext http, SshKeyService keys, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return Outcome(await keys.UpdateAsync(HttpActor.Current(http), user, id, input, ct));
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>>> DeleteAsync(
        int user, int id, HttpContext http, SshKeyService keys, CancellationToken ct)
    {
        var result = await keys.DeleteAsync(HttpActor.Current(http), user, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<object?>(null)) : ApiErrors.NotFound();
    }

    private static Results<Ok<Envelope<SshKeyResponse>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>> Outcome(ServiceResult<SshKeyView> result) =>
        result.Status switch
        {
            ResultStatus.Ok => TypedResults.Ok(new Envelope<SshKeyResponse>(Map(result.Value!))),
            ResultStatus.Invalid => ApiErrors.Invalid(result.Errors),
            _ => ApiErrors.NotFound(),
        };

    private static (SshKeyInput Input, IReadOnlyDictionary<string, string[]>? Errors) Read(JsonObject body)
    {
        var json = new JsonInput(body);
        var input = new SshKeyInput(json.String("name"), json.String("pubkey"), json.String("description"));
        return (input, json.IsValid ? null : json.Errors);
    }

    private static SshKeyResponse Map(SshKeyView k) =>
        new(k.Id, k.CreatedAt, k.Name, k.PublicKey, k.UserId, k.Description, k.Fingerprint, k.Type, k.Bits);
}
