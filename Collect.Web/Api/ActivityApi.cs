using System.Globalization;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>The activity logs of seed 002 (people, Collect itself, one agent) and task polling.</summary>
internal static class ActivityApi
{
    private const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapActivityApi(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/api/activitylog").WithTags("Activity").RequireAuthorization();
        log.MapGet("/user", (HttpContext http, ActivityFeed feed, CancellationToken ct) => ListAsync(http, feed, ActivityLogKind.User, null, ct))
            .RequirePermission("activitylog.user")
            .WithSummary("Changes made by people, newest first: all for admins, a reseller's subtree, a user's own (and config items it watches)")
            .WithDescription("Query: limit (1-1000, default 100); filters who (user name or id), what (words of the description), rootType, rootId, from, to (ISO 8601).");
        log.MapGet("/system", (HttpContext http, ActivityFeed feed, CancellationToken ct) => ListAsync(http, feed, ActivityLogKind.System, null, ct))
            .RequirePermission("activitylog.system").WithSummary("Changes Collect made by itself (jobs, start-up work), newest first; query: limit and the filters of /user");
        log.MapGet("/agents/{agentId}", (string agentId, HttpContext http, ActivityFeed feed, CancellationToken ct) => ListAsync(http, feed, ActivityLogKind.Agent, agentId, ct))
            .RequirePermission("activitylog.agents").WithSummary("What happened to one agent (a managed system, by its id), newest first; query: limit");

        app.MapGet("/api/tasks/{id:int}", GetTaskAsync).WithTags("Tasks").RequireAuthorization().RequirePermission("tasks.show")
            .WithSummary("Poll a long-running task (today: system backups, action createBackup): status pending, running, completed or failed, with progress 0-100");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ActivityFeed feed, ActivityLogKind kind, string? agentId, CancellationToken ct)
    {
        var q = http.Request.Query;
        var limit = DefaultLimit;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit < 1 || limit > ActivityFeed.MaxLimit))
            return ApiErrors.Invalid("limit", $"The limit must be an integer between 1 and {ActivityFeed.MaxLimit}.");
        DateTimeOffset? from = null, to = null;
        foreach (var (field, set) in new (string, Action<DateTimeOffset>)[] { ("from", v => from = v), ("to", v => to = v) })
        {
            if (!q.TryGetValue(field, out var text) || string.IsNullOrWhiteSpace(text)) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
                return ApiErrors.Invalid(field, $"The {field} must be a date and time (ISO 8601).");
            set(value);
        }
        var filter = new ActivityFilter(q["who"], q["what"], q["rootType"], q["rootId"], from, to);
        var result = await feed.ListAsync(HttpActor.Current(http), kind, filter, new PageRequest(1, limit), agentId, ct);
        if (result.Status == ResultStatus.NotFound) return ApiErrors.NotFound();
        if (!result.IsOk) return ApiErrors.Forbidden();
        string? agentName = null;
        if (kind == ActivityLogKind.Agent)
            agentName = await http.RequestServices.GetRequiredService<Collect.Core.Systems.SystemService>().GetAsync(HttpActor.Current(http), agentId!, ct) is { IsOk: true } system
                ? system.Value!.System.Name
                : null;
        return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Items.Select(e =>
        {
            var json = Json(e);
            if (kind == ActivityLogKind.Agent)
            {
                json["agentId"] = agentId;
                json["agentName"] = agentName;
            }
            return json;
        }).ToList()));
    }

    private static async Task<IResult> GetTaskAsync(int id, HttpContext http, TaskQueries tasks, CancellationToken ct) =>
        ApiErrors.From(await tasks.GetAsync(HttpActor.Current(http), id, ct), t => new JsonObject
        {
            ["id"] = t.Id,
            ["action"] = t.Action,
            ["status"] = t.Status,
            ["progress"] = t.Progress,
            ["message"] = t.Message,
            ["created_at"] = UsersApi.Timestamp(t.CreatedAt),
            ["updated_at"] = UsersApi.Timestamp(t.UpdatedAt),
        });

    /// <summary>An entry in the seed's shape; modelchanges as <c>{"field": {"original": …, "changes": …}}</c>, or [] when nothing changed.</summary>
    internal static JsonObject Json(ActivityEntry e)
    {
        var a = e.Log;
        var changes = ActivityFeed.Changes(a.ModelChanges);
        JsonNode modelChanges = changes.Count == 0
            ? new JsonArray()
            : new JsonObject(changes.Select(c => KeyValuePair.Create(c.Field, (JsonNode?)new JsonObject { ["original"] = c.Before, ["changes"] = c.After })));
        var href = ActivityFeed.Href(a.RootType, a.RootId);
        var created = UsersApi.Timestamp(a.CreatedAt);
        return new JsonObject
        {
            ["id"] = a.Id,
            ["userId"] = a.UserId?.ToString(CultureInfo.InvariantCulture) ?? "system",
            ["relationId"] = "",
            ["relationType"] = "",
            ["rootId"] = a.RootId ?? "",
            ["rootType"] = a.RootType,
            ["description"] = a.Description,
            ["modelchanges"] = modelChanges,
            ["userIp"] = a.Ip ?? "-",
            ["visibleFor"] = a.UserId is null ? "admin" : "all",
            ["loglevel"] = "info",
            ["postdata"] = "",
            ["created_at"] = created,
            ["updated_at"] = created,
            ["endpoint"] = a.Endpoint ?? "",
            ["method"] = a.Method ?? "",
            ["requestSource"] = a.Source,
            ["impersonatorId"] = a.ImpersonatorId,
            ["userDetails"] = a.UserId is { } userId
                ? new JsonObject { ["username"] = a.UserName, ["name"] = e.UserFullName ?? a.UserName, ["id"] = userId }
                : new JsonObject { ["username"] = "System", ["name"] = "system", ["id"] = "System" },
            ["meta"] = new JsonObject { ["href"] = href ?? "", ["text"] = a.RootId is null ? "" : $"ID: {a.RootId}" },
        };
    }
}
