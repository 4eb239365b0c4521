using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Servers;
using Collect.Web.Auth;

namespace Collect.Web.Api;

internal static class ServersApi
{
    public static IEndpointRouteBuilder MapServersApi(this IEndpointRouteBuilder app)
    {
        var servers = app.MapGroup("/api/servers").WithTags("Servers").RequireAuthorization();
        servers.MapGet("", ListAsync).WithPaging().RequirePermission("servers.index")
            .WithSummary("List the servers you can see").WithDescription("Filters: search, tag, user_id, servertype; sort: hostname, servername, created_at, id; order: asc/desc.");
        servers.MapPost("", CreateAsync).RequirePermission("servers.store").WithSummary("Add a server, optionally with its connections (config)");
        servers.MapGet("/tags", TagsAsync).RequirePermission("servers.tags").WithSummary("Every tag on servers you can see, with counts");
        servers.MapPost("/getByTags", GetByTagsAsync).RequirePermission("servers.getByTags").WithSummary("Servers holding all the given tags");
        servers.MapGet("/getByIp/{ip}", GetByIpAsync).RequirePermission("servers.getByIp").WithSummary("The server with this IP address");
        servers.MapGet("/{id:int}", GetAsync).RequirePermission("servers.show").WithSummary("One server");
        servers.MapPut("/{id:int}", UpdateAsync).RequirePermission("servers.update").WithSummary("Change, reassign, tag or suspend a server");
        servers.MapDelete("/{id:int}", DeleteAsync).RequirePermission("servers.destroy").WithSummary("Delete a server");
        servers.MapGet("/{serverId:int}/activitylog", ActivityAsync).RequirePermission("servers.activitylog").WithSummary("Changes made to a server, newest first");

        var tags = app.MapGroup("/api/tags").WithTags("Servers").RequireAuthorization();
        tags.MapPost("/rename", RenameTagAsync).RequirePermission("tags.rename").WithSummary("Rename a tag on every server you can see");
        tags.MapDelete("/delete", DeleteTagAsync).RequirePermission("tags.delete").WithSummary("Remove a tag from every server you can see");

        app.MapPost("/api/search/quicksearch", QuickSearchAsync).WithTags("Search").RequireAuthorization().RequirePermission("search.quicksearch")
            .WithSummary("Search servers, users, subnets and addresses you can see");
        return app;
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, Ok<PagedEnvelope<JsonObject>>, UnprocessableEntity<ErrorBody>>> ListAsync(
        HttpContext http, ServerService servers, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var q = http.Request.Query;
        int? owner = null;
        if (q.TryGetValue("user_id", out var ownerText))
        {
            if (!int.TryParse(ownerText, out var parsed)) return ApiErrors.Invalid("user_id", "The user_id must be an integer.");
            owner = parsed;
        }
        string? sort = q["sort"];
        if (sort is not (null or "" or "id" or "hostname" or "servername" or "created_at"))
            return ApiErrors.Invalid("sort", "The sort must be one of: id, hostname, servername, created_at.");
        string? order = q["order"];
        if (order is not (null or "" or "asc" or "desc")) return ApiErrors.Invalid("order", "The order must be asc or desc.");
        long? memory = null, disk = null;
        foreach (var (field, set) in new (string, Action<long>)[] { ("min_memory_mb", v => memory = v), ("min_disk_mb", v => disk = v) })
        {
            if (!q.TryGetValue(field, out var text)) continue;
            if (!long.TryParse(text, out var value) || value < 0) return ApiErrors.Invalid(field, $"The {field} must be a whole number of megabytes.");
            set(value);
        }
        var actor = HttpActor.Current(http);
        var query = new ServerListQuery(q["search"], q["tag"], owner, q["servertype"], sort, order == "desc", q["cpu"], memory, disk);
        var page = await servers.ListAsync(actor, query, list.ToRequest(), ct);
        var items = page.Items.Select(s => Json(s, actor)).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(page.Total, page.PageNumber, page.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>>> GetAsync(int id, HttpContext http, ServerService servers, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        var result = await servers.GetAsync(actor, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(Json(result.Value!, actor))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> GetByIpAsync(
        string ip, HttpContext http, ServerService servers, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        return Map(await servers.GetByIpAsync(actor, ip, ct), actor);
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, UnprocessableEntity<ErrorBody>>> GetByTagsAsync(
        JsonObject body, HttpContext http, ServerService servers, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var tags = json.StringList("tags");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        if (tags is null || tags.Count == 0) return ApiErrors.Invalid("tags", "The tags field is required.");
        var actor = HttpActor.Current(http);
        return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await servers.GetByTagsAsync(actor, tags, ct)).Select(s => Json(s, actor)).ToList()));
    }

    private static async Task<Ok<Envelope<JsonArray>>> TagsAsync(HttpContext http, ServerService servers, CancellationToken ct)
    {
        var tags = await servers.TagsAsync(HttpActor.Current(http), ct);
        return TypedResults.Ok(new Envelope<JsonArray>(new JsonArray(tags.Select(t => (JsonNode?)new JsonObject { ["tag"] = t.Tag, ["count"] = t.Count }).ToArray())));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CreateAsync(
        JsonObject body, HttpContext http, ServerService servers, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        var actor = HttpActor.Current(http);
        return Map(await servers.CreateAsync(actor, input, ct), actor);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateAsync(
        int id, JsonObject body, HttpContext http, ServerService servers, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        var actor = HttpActor.Current(http);
        return Map(await servers.UpdateAsync(actor, id, input, ct), actor);
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        int id, HttpContext http, ServerService servers, CancellationToken ct)
    {
        var result = await servers.DeleteAsync(HttpActor.Current(http), id, ct);
        return ApiErrors.Deleted(result);
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>>> ActivityAsync(
        int serverId, HttpContext http, ServerService servers, Collect.Core.Activity.ActivityQueries activity, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        if (!(await servers.GetAsync(actor, serverId, ct)).IsOk) return ApiErrors.NotFound();
        var rows = await activity.ForObjectAsync("server", serverId.ToString(), 500, ct);
        return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(rows.Select(ActivityJson).ToList()));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, UnprocessableEntity<ErrorBody>>> RenameTagAsync(
        JsonObject body, HttpContext http, ServerService servers, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var from = json.String("tag");
        var to = json.String("newTag");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        var result = await servers.RenameTagAsync(HttpActor.Current(http), from, to, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(new JsonObject { ["renamed"] = result.Value })) : ApiErrors.Invalid(result.Errors);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, UnprocessableEntity<ErrorBody>>> DeleteTagAsync(
        HttpContext http, ServerService servers, CancellationToken ct)
    {
        // DELETE with the tag in the query (?tag=) or in a JSON body, as clients differ.
        string? tag = http.Request.Query["tag"];
        if (string.IsNullOrEmpty(tag) && http.Request.ContentLength > 0)
        {
            var json = new JsonInput(await RequestBody.OptionalObjectAsync(http, ct));
            tag = json.String("tag");
            if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        }
        var result = await servers.DeleteTagAsync(HttpActor.Current(http), tag, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(new JsonObject { ["removed"] = result.Value })) : ApiErrors.Invalid(result.Errors);
    }

    private static async Task<Results<Ok<Envelope<JsonArray>>, UnprocessableEntity<ErrorBody>>> QuickSearchAsync(
        JsonObject body, HttpContext http, Collect.Core.Search.SearchService search, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var text = json.String("text");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        var result = await search.QuickSearchAsync(HttpActor.Current(http), text, ct);
        if (!result.IsOk) return ApiErrors.Invalid(result.Errors);
        return TypedResults.Ok(new Envelope<JsonArray>(new JsonArray(result.Value!.Select(h => (JsonNode?)new JsonObject
        {
            ["id"] = h.Id,
            ["match"] = h.Match,
            ["matchedFields"] = new JsonArray(h.MatchedFields.Select(f => (JsonNode?)f).ToArray()),
            ["desc"] = h.Desc,
            ["path"] = h.Path,
            ["group"] = h.Group,
            ["uuid"] = h.Uuid,
        }).ToArray())));
    }

    internal static JsonObject ActivityJson(Collect.Core.Activity.ActivityLog a) => new()
    {
        ["id"] = a.Id,
        ["created_at"] = UsersApi.Timestamp(a.CreatedAt),
        ["user_id"] = a.UserId,
        ["username"] = a.UserName,
        ["impersonator_id"] = a.ImpersonatorId,
        ["ip"] = a.Ip,
        ["source"] = a.Source,
        ["endpoint"] = a.Endpoint,
        ["method"] = a.Method,
        ["rootType"] = a.RootType,
        ["rootId"] = a.RootId,
        ["description"] = a.Description,
        ["modelchanges"] = a.ModelChanges is null ? null : JsonNode.Parse(a.ModelChanges),
    };

    private static (ServerInput, IReadOnlyDictionary<string, string[]>?) Read(JsonObject body)
    {
        var json = new JsonInput(body);
        List<int>? suspend = null;
        if (json.StringList("suspendUserIds") is { } raw)
        {
            suspend = [];
            foreach (var item in raw)
                if (int.TryParse(item, out var id)) suspend.Add(id);
                else return (new ServerInput(), new Dictionary<string, string[]> { ["suspendUserIds"] = ["The suspendUserIds must be an array of user ids."] });
        }
        ServerConfigInput? config = null;
        if (body["config"] is JsonObject c)
        {
            var cj = new JsonInput(c);
            config = new ServerConfigInput(cj.Int("agentId"), cj.String("ipmi_ip"), cj.String("ipmi_user"), cj.String("ipmi_password"),
                cj.String("pxe_mac"), cj.Bool("enable_pxe") ?? false, cj.Bool("enable_ipmi_console") ?? false,
                cj.Bool("enable_ipmi_powermanagement") ?? false, cj.Bool("enable_permanent_dhcp") ?? false);
            if (!cj.IsValid) return (new ServerInput(), cj.Errors.ToDictionary(e => "config." + e.Key, e => e.Value));
        }
        else if (body["config"] is not null) return (new ServerInput(), new Dictionary<string, string[]> { ["config"] = ["The config must be an object."] });

        // ipassignments: IP strings, or objects with an "ip" field; empty entries (the seed shows [[]]) are ignored.
        List<string>? ips = null;
        if (body["ipassignments"] is JsonArray array)
        {
            ips = [];
            foreach (var item in array)
            {
                if (item is JsonValue v && v.TryGetValue<string>(out var s)) ips.Add(s);
                else if (item is JsonObject o && o["ip"] is JsonValue ipValue && ipValue.TryGetValue<string>(out var ip)) ips.Add(ip);
                else if (item is JsonArray { Count: 0 }) continue;
                else return (new ServerInput(), new Dictionary<string, string[]> { ["ipassignments"] = ["The ipassignments must be a list of IP addresses."] });
            }
        }
        var input = new ServerInput
        {
            Hostname = json.String("hostname"),
            Servername = json.String("servername"),
            UserId = json.Int("user_id"),
            Description = json.String("description"),
            Tags = json.StringList("tags"),
            Os = json.String("os"),
            ServerType = json.String("servertype"),
            SuspendUserIds = suspend,
            SuspendPowerAction = json.String("suspendPowerAction"),
            SuspendNetworkPortAction = json.String("suspendNetworkPortAction"),
            IpAssignments = ips,
            Config = config,
            Provided = json.Provided,
        };
        return (input, json.IsValid ? null : json.Errors);
    }

    private static Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> Map(ServiceResult<ServerView> result, Actor actor) =>
        ApiErrors.From(result, s => Json(s, actor));

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The seed's server shape. Fields whose features come later carry their neutral value.</summary>
    internal static JsonObject Json(ServerView s, Actor actor)
    {
        var item = new JsonObject
        {
            ["id"] = s.Id,
            ["hostname"] = s.Hostname,
            ["servername"] = s.Servername,
            ["user_id"] = s.UserId,
            ["os"] = s.Os,
            ["servertype"] = s.ServerType,
            ["suspendedUserIds"] = new JsonArray(s.SuspendedUserIds.Select(i => (JsonNode?)i).ToArray()),
            ["primaryip"] = s.PrimaryIp,
            ["reinstallationprovider"] = null,
            ["powerprovider"] = null,
            ["consoleprovider"] = null,
            ["owner_realname"] = s.OwnerRealname,
            ["tags"] = new JsonArray(s.Tags.Select(t => (JsonNode?)t).ToArray()),
            ["description"] = s.Description,
            ["reinstallationRunning"] = 0,
            ["diskwipeRunning"] = 0,
            ["rescueBootRunning"] = 0,
            ["hardwarecollectRunning"] = 0,
            ["passwordResetRunning"] = 0,
            ["detailedHardwareInformation"] = HardwareApi.SummaryJson(s.Hardware, details: true),
            ["ownerChain"] = new JsonArray(s.OwnerChain.Select(o => (JsonNode?)new JsonObject
            {
                ["userId"] = o.UserId,
                ["name"] = o.Name,
                ["username"] = o.Username,
                ["type"] = o.Type,
                ["assignmentDate"] = Date(o.AssignedAt),
            }).ToArray()),
            ["typeOfServer"] = s.TypeOfServer,
            ["cachedPowerstatus"] = "unknown",
            ["backendDeletable"] = 0,
            ["assignmentDate"] = s.AssignmentDate is { } at ? Date(at) : null,
            ["isExternalServer"] = 0,
            ["postReinstallationActionAvailable"] = "",
            ["trafficStatistics"] = new JsonObject(),
            ["lastBwrate"] = new JsonObject(),
            ["isSuspended"] = s.IsSuspended ? 1 : 0,
            ["ipassignments"] = new JsonArray(s.PrimaryIp is null ? [] : [new JsonObject { ["ip"] = s.PrimaryIp, ["primary_ip"] = 1 }]),
            ["suspendPowerAction"] = s.SuspendPowerAction,
            ["suspendNetworkPortAction"] = s.SuspendNetworkPortAction,
            ["created_at"] = UsersApi.Timestamp(s.CreatedAt),
            ["updated_at"] = UsersApi.Timestamp(s.UpdatedAt),
        };
        return FieldPolicy.FilterOutput(item, ServerService.Resource, actor);
    }
}
