using System.Text.Json.Nodes;
using Collect.Core.Subnets;
using Collect.Web.Auth;

namespace Collect.Web.Api;

internal static class IpAssignmentsApi
{
    public static IEndpointRouteBuilder MapIpAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/servers/{serverId:int}/ipassignments").WithTags("IP assignments").RequireAuthorization();
        group.MapGet("", ListAsync).RequirePermission("servers.ipassignments.index").WithSummary("A server's addresses (primary first) and the subnets given to it whole");
        group.MapPost("", AssignAsync).RequirePermission("servers.ipassignments.store")
            .WithSummary("Assign addresses (ips; \"network/prefix\" gives a subnet whole) or the next free address of subnets_id");
        group.MapGet("/getAssignableSubnets", AssignableSubnetsAsync).WithPaging().RequirePermission("servers.ipassignments.getAssignableSubnets")
            .WithSummary("Subnets you may assign from to this server (scope, free space and tag restrictions applied); search narrows them by network or description");
        group.MapPost("/getAssignableIpsOfSubnet", AssignableIpsAsync).WithPaging().RequirePermission("servers.ipassignments.getAssignableIpsOfSubnet")
            .WithSummary("Free addresses of an offered subnet (subnets_id); 1,000 at most without paging");
        group.MapPost("/dynamicIpAssignments", DynamicAsync).RequirePermission("servers.ipassignments.dynamicIpAssignments")
            .WithSummary("Assign N free IPv4/IPv6 addresses and whole subnets from the offered subnets, by priority");
        group.MapPost("/rdns", RdnsAsync).RequirePermission("servers.ipassignments.rdns").WithSummary("The reverse DNS name of one of the server's addresses");
        group.MapPut("/{id}", UpdateAsync).RequirePermission("servers.ipassignments.update")
            .WithSummary("Make an address primary, describe it or set its ptrRecord (the ip body field names it)");
        group.MapDelete("/{id}", UnassignAsync).RequirePermission("servers.ipassignments.destroy")
            .WithSummary("Take addresses back from the server (ip or ips in the body name them; else the id)");
        return app;
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>>> ListAsync(int serverId, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var result = await assignments.ListAsync(HttpActor.Current(http), serverId, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Select(Json).ToList())) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, Ok<PagedEnvelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> AssignableSubnetsAsync(
        int serverId, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        string? search = http.Request.Query["search"];
        if (search?.Contains('\0') == true) return ApiErrors.Invalid("search", "The search must not contain NUL characters.");
        var result = await assignments.AssignableSubnetsAsync(HttpActor.Current(http), serverId, search, list.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        var items = result.Value!.Items.Select(SubnetsApi.Json).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(result.Value.Total, result.Value.PageNumber, result.Value.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, Ok<PagedEnvelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> AssignableIpsAsync(
        int serverId, JsonObject body, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var json = new JsonInput(body);
        var subnetId = json.Int("subnets_id");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (subnetId is null) return ApiErrors.Invalid("subnets_id", "The subnets_id field is required.");
        var result = await assignments.AssignableIpsAsync(HttpActor.Current(http), serverId, subnetId.Value, list.ToRequest(), ct);
        if (!result.IsOk)
            return result.Status switch
            {
                Collect.Core.Access.ResultStatus.NotFound => ApiErrors.NotFound(),
                Collect.Core.Access.ResultStatus.Forbidden => ApiErrors.Forbidden(),
                _ => ApiErrors.Invalid(result.Errors),
            };
        var items = result.Value!.Items.Select(f => new JsonObject { ["ip"] = f.Ip }).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(result.Value.Total, result.Value.PageNumber, result.Value.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> AssignAsync(
        int serverId, JsonObject body, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var ips = json.StringList("ips") ?? (json.String("ip") is { } one ? [one] : []);
        var subnetId = json.Int("subnets_id") ?? json.Int("subnetId");
        var primary = json.Bool("primary_ip") ?? false;
        var description = json.String("description");
        var vlan = json.String("performVlanActions");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (vlan is not null and not "none") return ApiErrors.Invalid("performVlanActions", "VLAN automation is not available; use none.");
        return ApiErrors.From(await assignments.AssignManyAsync(HttpActor.Current(http), serverId, subnetId, ips, primary, description, ct), List);
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DynamicAsync(
        int serverId, JsonObject body, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        int Amount(string field)
        {
            // Each item asks for addresses: a number, or an object with amount (default 1).
            var total = 0;
            foreach (var item in Items(field)) total += AmountOf(item, field, "amount", 1);
            return total;
        }
        List<int> Prefixes(string field)
        {
            var prefixes = new List<int>();
            foreach (var item in Items(field))
            {
                var prefix = AmountOf(item, field, "prefix", -1);
                var count = item is JsonObject ? AmountOf(item, field, "amount", 1) : 1;
                if (prefix < 1) errors.TryAdd(field, [$"Each {field} item needs a prefix, e.g. {{\"prefix\": 64}}."]);
                else prefixes.AddRange(Enumerable.Repeat(prefix, Math.Clamp(count, 0, IpAssignmentService.MaxPerRequest)));
            }
            return prefixes;
        }
        IEnumerable<JsonNode?> Items(string field) => body[field] switch
        {
            null => [],
            JsonArray array => array.SelectMany(i => i is JsonArray inner ? inner.AsEnumerable() : new[] { i }),
            var other => [other],
        };
        int AmountOf(JsonNode? item, string field, string name, int fallback)
        {
            var node = item is JsonObject o ? o[name] : name == "amount" || item is not JsonObject ? item : null;
            if (node is null) return fallback;
            if (node is JsonValue v && v.TryGetValue<int>(out var n) && n >= 0 && n <= IpAssignmentService.MaxPerRequest) return n;
            errors.TryAdd(field, [$"The {field} {name} must be a whole number from 0 to {IpAssignmentService.MaxPerRequest}."]);
            return 0;
        }
        var request = new DynamicRequest(Amount("ipv4Addresses"), Amount("ipv6Addresses"), Prefixes("ipv4Subnets"), Prefixes("ipv6Subnets"),
            body["deleteExistingIpAssignments"] is JsonValue d && d.TryGetValue<bool>(out var delete) && delete);
        if (errors.Count > 0) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await assignments.DynamicAsync(HttpActor.Current(http), serverId, request, ct), List);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> RdnsAsync(
        int serverId, JsonObject body, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var ip = json.String("ip");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await assignments.RdnsAsync(HttpActor.Current(http), serverId, ip, ct), ptr => new JsonObject { ["ptrRecord"] = ptr });
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateAsync(
        int serverId, string id, JsonObject body, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var ip = json.String("ip");
        var primary = json.Bool("primary_ip");
        var description = json.String("description");
        var ptr = json.Provided.Contains("ptrRecord") ? json.String("ptrRecord") ?? "" : null;
        var template = json.Bool("setPtrTemplate") ?? false;
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        var actor = HttpActor.Current(http);
        var (found, isSubnet) = await FindAsync(actor, serverId, id, ip, assignments, ct);
        if (found is null) return ApiErrors.NotFound();
        return ApiErrors.From(await assignments.UpdateAsync(actor, serverId, found.Value, isSubnet, primary, description, ptr, template, ct), Json);
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UnassignAsync(
        int serverId, string id, HttpContext http, IpAssignmentService assignments, CancellationToken ct)
    {
        var json = new JsonInput(await RequestBody.OptionalObjectAsync(http, ct));
        var ips = json.StringList("ips") ?? (json.String("ip") is { } one ? [one] : null);
        var vlan = json.String("performVlanActions");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (vlan is not null and not "none") return ApiErrors.Invalid("performVlanActions", "VLAN automation is not available; use none.");
        var actor = HttpActor.Current(http);
        if (ips is { Count: > 0 })
        {
            var many = await assignments.UnassignManyAsync(actor, serverId, ips, ct);
            return ApiErrors.Deleted(many.IsOk ? Collect.Core.Access.ServiceResult<bool>.Ok(true) : new Collect.Core.Access.ServiceResult<bool>(many.Status, false, many.Errors));
        }
        if (!int.TryParse(id, out var numeric)) return ApiErrors.Invalid("ip", "Name the address to take back in the ip (or ips) body field.");
        return ApiErrors.Deleted(await assignments.UnassignAsync(actor, serverId, numeric, ct));
    }

    /// <summary>The seed identifies an assignment by the ip body field; the id in the path is the fallback.</summary>
    private static async Task<(int? Id, bool IsSubnet)> FindAsync(Collect.Core.Access.Actor actor, int serverId, string id, string? ip, IpAssignmentService assignments, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(ip)) return (await assignments.FindIdAsync(actor, serverId, ip, ct), ip.Contains('/'));
        return (int.TryParse(id, out var numeric) ? numeric : null, false);
    }

    private static IReadOnlyList<JsonObject> List(IReadOnlyList<IpAssignmentView> views) => views.Select(Json).ToList();

    /// <summary>The seed's assignment shape.</summary>
    private static JsonObject Json(IpAssignmentView a) => new()
    {
        ["id"] = a.Id,
        ["updated_at"] = UsersApi.Timestamp(a.UpdatedAt),
        ["ip"] = a.Ip,
        ["primary_ip"] = a.Primary ? 1 : 0,
        ["description"] = a.Description,
        ["ptrRecord"] = a.Rdns,
        ["ipAttributes"] = new JsonObject { ["isIpv4"] = a.Type == "v4" ? 1 : 0, ["isIpv6"] = a.Type == "v6" ? 1 : 0, ["isSubnet"] = a.IsSubnet ? 1 : 0 },
        ["subnetinformation"] = new JsonObject
        {
            ["id"] = a.SubnetId,
            ["cidr"] = a.Cidr,
            ["subnet"] = a.SubnetNetwork,
            ["netmask"] = a.Netmask,
            ["gw"] = a.Gateway,
            ["type"] = a.Type,
            ["rdnsAvailable"] = 0,
            ["vlanAutomationAvailable"] = false,
            ["subnetOwnedByUser"] = a.SubnetOwnedByUser,
            ["rootSubnetId"] = a.RootSubnetId,
            ["isExternalProvider"] = 0,
        },
    };
}
