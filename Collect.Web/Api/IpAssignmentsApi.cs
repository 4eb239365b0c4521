using System.Text.Json.Nodes;
using Collect.Core.Subnets;
using Collect.Web.Auth;

namespace Collect.Web.Api;

internal static class IpAssignmentsApi
{
    public static IEndpointRouteBuilder MapIpAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/servers/{serverId:int}/ipassignments").WithTags("IP assignments").RequireAuthorization();
        group.MapGet("", ListAsync).RequirePermission("servers.ipassignments.index").WithSummary("A server's addresses, primary first");
        group.MapPost("", AssignAsync).RequirePermission("servers.ipassignments.store")
            .WithSummary("Assign an address (ip) or the next free one of a subnet (subnetId)");
        group.MapGet("/getAssignableSubnets", AssignableSubnetsAsync).RequirePermission("servers.ipassignments.getAssignableSubnets")
            .WithSummary("Subnets you may assign from to this server (scope, free space and tag restrictions applied)");
        group.MapPut("/{id:int}", UpdateAsync).RequirePermission("servers.ipassignments.update").WithSummary("Make an address primary or describe it");
        group.MapDelete("/{id:int}", UnassignAsync).RequirePermission("servers.ipassignments.destroy").WithSummary("Take an address back from the server");
        return app;
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>>> ListAsync(int serverId, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var result = await assignments.ListAsync(HttpActor.Current(http), serverId, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Select(Json).ToList())) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>>> AssignableSubnetsAsync(
        int serverId, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var result = await assignments.AssignableSubnetsAsync(HttpActor.Current(http), serverId, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Select(SubnetsApi.Json).ToList())) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> AssignAsync(
        int serverId, JsonObject body, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var ip = json.String("ip");
        var subnetId = json.Int("subnetId");
        var primary = json.Bool("primary_ip") ?? false;
        var description = json.String("description");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await assignments.AssignAsync(HttpActor.Current(http), serverId, ip, subnetId, primary, description, ct), Json);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateAsync(
        int serverId, int id, JsonObject body, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var primary = json.Bool("primary_ip");
        var description = json.String("description");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await assignments.UpdateAsync(HttpActor.Current(http), serverId, id, primary, description, ct), Json);
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UnassignAsync(
        int serverId, int id, HttpContext http, IpAssignmentService assignments, CancellationToken ct) =>
        ApiErrors.Deleted(await assignments.UnassignAsync(HttpActor.Current(http), serverId, id, ct));

    /// <summary>The seed's assignment shape.</summary>
    private static JsonObject Json(IpAssignmentView a) => new()
    {
        ["id"] = a.Id,
        ["updated_at"] = UsersApi.Timestamp(a.UpdatedAt),
        ["ip"] = a.Ip,
        ["primary_ip"] = a.Primary ? 1 : 0,
        ["description"] = a.Description,
        ["ipAttributes"] = new JsonObject { ["isIpv4"] = a.Type == "v4" ? 1 : 0, ["isIpv6"] = a.Type == "v6" ? 1 : 0, ["isSubnet"] = 0 },
        ["subnetinformation"] = new JsonObject
        {
            ["id"] = a.SubnetId,
            ["cidr"] = a.Cidr,
            ["subnet"] = a.SubnetNetwork,
            ["netmask"] = a.Netmask,
            ["gw"] = a.Gateway,
            ["type"] = a.Type,
            ["subnetOwnedByUser"] = a.SubnetOwnedByUser,
        },
    };
}
