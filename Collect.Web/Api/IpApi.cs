using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Subnets;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>The seed's address actions: adminIp (or ips, a list) names addresses (type singleIp) or subnets with their prefix (type subnet).</summary>
internal static class IpApi
{
    public static IEndpointRouteBuilder MapIpApi(this IEndpointRouteBuilder app)
    {
        var ip = app.MapGroup("/api/ip").WithTags("Subnets").RequireAuthorization();
        ip.MapPost("/reserve", (JsonObject body, HttpContext http, IpActions a, CancellationToken ct) => ReserveAsync(body, http, a, true, ct))
            .RequirePermission("ip.reserve").WithSummary("Reserve addresses, or hold back whole subnets");
        ip.MapPost("/unreserve", (JsonObject body, HttpContext http, IpActions a, CancellationToken ct) => ReserveAsync(body, http, a, false, ct))
            .RequirePermission("ip.unreserve").WithSummary("Release reserved addresses or subnets");
        ip.MapPost("/comment", CommentAsync).RequirePermission("ip.comment").WithSummary("Comment an address or a subnet (an empty comment clears it)");
        ip.MapDelete("/delete", DeleteAsync).RequirePermission("ip.delete")
            .WithSummary("Forget what is stored about addresses (reservation, comment, RDNS), or delete subnets");
        ip.MapPost("/massaction", MassActionAsync).RequirePermission("ip.massaction").WithSummary("Reserve, unreserve or delete many addresses or subnets at once");
        return app;
    }

    private static (List<string>? Targets, string? Type, JsonInput Json) Read(JsonObject body)
    {
        var json = new JsonInput(body);
        var targets = json.StringList("ips") ?? (json.String("adminIp") is { } one ? [one] : null);
        return (targets, json.String("type"), json);
    }

    private static UnprocessableEntity<ErrorBody>? Missing(List<string>? targets, string field = "adminIp") =>
        targets is null || targets.Count == 0 ? ApiErrors.Invalid(field, $"The {field} field is required.") : null;

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> ReserveAsync(
        JsonObject body, HttpContext http, IpActions actions, bool reserve, CancellationToken ct)
    {
        var (targets, type, json) = Read(body);
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (Missing(targets) is { } missing) return missing;
        return ApiErrors.From(await actions.ReserveAsync(HttpActor.Current(http), targets!, type, reserve, ct), Changed);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CommentAsync(
        JsonObject body, HttpContext http, IpActions actions, CancellationToken ct)
    {
        var (targets, type, json) = Read(body);
        var comment = json.String("comment");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (Missing(targets) is { } missing) return missing;
        return ApiErrors.From(await actions.CommentAsync(HttpActor.Current(http), targets!, type, comment, ct), Changed);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        HttpContext http, IpActions actions, CancellationToken ct)
    {
        // DELETE carries its body like the seed's clients send it; an empty body is the same as a missing field.
        var (targets, type, json) = Read(await RequestBody.OptionalObjectAsync(http, ct));
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (Missing(targets) is { } missing) return missing;
        return ApiErrors.From(await actions.DeleteAsync(HttpActor.Current(http), targets!, type, ct), Changed);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> MassActionAsync(
        JsonObject body, HttpContext http, IpActions actions, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var targets = json.StringList("ips");
        var mode = json.String("mode");
        var type = json.String("type");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (Missing(targets, "ips") is { } missing) return missing;
        return ApiErrors.From(await actions.MassActionAsync(HttpActor.Current(http), mode, targets!, type, ct), Changed);
    }

    private static JsonObject Changed(int n) => new() { ["changed"] = n };
}
