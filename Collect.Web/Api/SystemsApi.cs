using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Settings;
using Collect.Core.Systems;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Collect.Web.Api;

/// <summary>
/// Systems and their agents' inventory (seeds 000, 001, 003), in the seeds' own envelope:
/// <c>{"code", "message", "data"}</c>, 400 validation_error bodies, lists with page/page_size and pagination.
/// </summary>
internal static class SystemsApi
{
    public static IEndpointRouteBuilder MapSystemsApi(this IEndpointRouteBuilder app)
    {
        var agents = app.MapGroup("/api/systems").WithTags("Systems").AllowAnonymous();
        agents.MapPost("/inventory", IntakeAsync).WithMetadata(new NoBodyLimit())
            .WithSummary("The agent's inventory upload (HTTP Basic system_key:system_secret); 202 once durably stored");
        agents.MapPost("/heartbeat", HeartbeatAsync).WithSummary("The agent's heartbeat (HTTP Basic system_key:system_secret)");

        var systems = app.MapGroup("/api/systems").WithTags("Systems").RequireAuthorization()
            .AddEndpointFilter(async (context, next) =>
                await HttpActor.ResolveAsync(context.HttpContext) is null ? Error(401, "invalid token", new JsonObject()) : await next(context));
        systems.MapGet("", ListAsync).WithSummary("Systems you can see (page, page_size; search, type, status, heartbeat_status, created_by)");
        systems.MapPost("", CreateAsync).WithSummary("Register a system; the answer alone carries its system_key and system_secret");
        systems.MapGet("/{id}", GetAsync).WithSummary("One system");
        systems.MapPut("/{id}", UpdateAsync).WithSummary("Rename a system, change its type, status or custom_data");
        systems.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a system; its agent's credentials stop working at once");
        systems.MapPost("/{id}/regenerate-secret", RegenerateAsync).WithSummary("A new secret; the old one stops working at once");
        systems.MapGet("/{id}/inventory", RecordsAsync).WithSummary("Inventory records, newest first (page, page_size, from, to)");
        systems.MapGet("/{id}/inventory/latest", LatestAsync).WithSummary("The latest inventory record with its data");
        systems.MapGet("/{id}/inventory/diffs", DiffsAsync).WithSummary("Changes between inventories (severity, category, diff_type, from, to, search)");
        systems.MapGet("/{id}/inventory/timeline", TimelineAsync).WithSummary("Records and changes per day (from, to; the last 30 days by default)");
        systems.MapGet("/{id}/inventory/{inventoryId:long}", RecordAsync).WithSummary("One inventory record with its data");
        return app;
    }

    /// <summary>The intake checks its own size limit, so that the 413 carries max_size_bytes and received_bytes.</summary>
    private sealed class NoBodyLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }

    // ---- the agent's side -------------------------------------------------------------------------------------

    private static async Task<IResult> IntakeAsync(HttpContext http, SystemService systems, InventoryIntake intake, IOptionsMonitor<CollectOptions> options, CancellationToken ct)
    {
        var (key, systemId) = await AgentAsync(http, systems, ct);
        if (systemId is null) return Error(401, "invalid credentials", new JsonObject());
        var max = options.CurrentValue.Inventory.MaxBodyBytes;
        if (http.Request.ContentLength > max) return TooLarge(max, http.Request.ContentLength.Value);
        var feature = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = null;

        // Read at most one byte past the limit: a chunked body that goes on is refused without being kept.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max) return TooLarge(max, buffer.Length);
        }
        var body = buffer.ToArray();
        if (!IsJsonObject(body, out var problem))
            return Validation([("body", problem, body.Length == 0 ? "" : "(" + body.Length + " bytes)")]);
        try
        {
            var receipt = await intake.SubmitAsync(systemId, body, ct);
            return Json(202, "Inventory received and queued for processing", new JsonObject
            {
                ["data_size"] = receipt.Size,
                ["message"] = "Your inventory data has been received and will be processed shortly",
                ["queue_status"] = "queued",
                ["system_key"] = key,
                ["timestamp"] = receipt.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
            });
        }
        catch (InventoryStorageException)
        {
            return Error(500, "Failed to process inventory", new JsonObject { ["error"] = "Inventory storage unavailable" });
        }
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext http, SystemService systems, CancellationToken ct)
    {
        var (key, systemId) = await AgentAsync(http, systems, ct);
        if (systemId is null) return Error(401, "invalid credentials", new JsonObject());
        var at = await systems.HeartbeatAsync(systemId, ct);
        return Json(200, "heartbeat received", new JsonObject { ["system_key"] = key, ["timestamp"] = UtcTimestampConverter.Format(at) });
    }

    /// <summary>The system named by the request's Basic credentials, or null.</summary>
    private static async Task<(string? Key, string? SystemId)> AgentAsync(HttpContext http, SystemService systems, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return (null, null);
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return (null, null);
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0) return (null, null);
        var key = decoded[..colon];
        return (key, await systems.AuthenticateAsync(key, decoded[(colon + 1)..], ct));
    }

    private static bool IsJsonObject(byte[] body, out string problem)
    {
        problem = "";
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "the body must be a JSON object";
                return false;
            }
            reader.Skip();
            if (reader.Read())
            {
                problem = "unexpected data after the JSON object";
                return false;
            }
            return true;
        }
        catch (JsonException ex)
        {
            problem = "invalid JSON: " + ex.Message.Split(". ")[0];
            return false;
        }
    }

    private static IResult TooLarge(long max, long received) =>
        Json(413, "Request too large", new JsonObject { ["max_size_bytes"] = max, ["received_bytes"] = received });

    // ---- management ---------------------------------------------------------------------------------------------

    private static async Task<IResult> ListAsync(HttpContext http, SystemService systems, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        if (!actor.Can("systems.index")) return Forbidden();
        var (page, errors) = Paging(http);
        var q = http.Request.Query;
        int? createdBy = null;
        if (q.TryGetValue("created_by", out var cb) && cb.ToString().Length > 0)
        {
            if (int.TryParse(cb, out var id)) createdBy = id;
            else errors.Add(("created_by", "numeric", cb.ToString()));
        }
        var status = q["status"].ToString();
        if (status.Length > 0 && !SystemStatuses.All.Contains(status)) errors.Add(("status", "oneof=online offline maintenance", status));
        var heartbeat = q["heartbeat_status"].ToString();
        if (heartbeat.Length > 0 && !HeartbeatStatuses.All.Contains(heartbeat)) errors.Add(("heartbeat_status", "oneof=alive dead zombie", heartbeat));
        if (errors.Count > 0) return Validation(errors);
        var result = await systems.ListAsync(actor, new SystemQuery(q["search"], q["type"], status, heartbeat, createdBy), page, ct);
        return Json(200, "systems retrieved successfully", Paged("systems", result.Items.Select(v => SystemJson(v)), result));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, SystemService systems, CancellationToken ct)
    {
        var actor = HttpActor.Current(http);
        if (!actor.Can("systems.show")) return Forbidden();
        var result = await systems.GetAsync(actor, id, ct);
        return result.IsOk ? Json(200, "system retrieved successfully", SystemJson(result.Value!)) : NotFound("system");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, SystemService systems, CancellationToken ct)
    {
        var (input, problems) = await ReadAsync(http, ct);
        if (problems is not null) return Validation(problems);
        var result = await systems.CreateAsync(HttpActor.Current(http), input!, ct);
        if (!result.IsOk) return Outcome(result.Status, result.Errors, "system");
        return Json(201, "system created successfully", WithSecret(result.Value!));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, SystemService systems, CancellationToken ct)
    {
        var (input, problems) = await ReadAsync(http, ct);
        if (problems is not null) return Validation(problems);
        var result = await systems.UpdateAsync(HttpActor.Current(http), id, input!, ct);
        return result.IsOk ? Json(200, "system updated successfully", SystemJson(result.Value!)) : Outcome(result.Status, result.Errors, "system");
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, SystemService systems, CancellationToken ct)
    {
        var result = await systems.DeleteAsync(HttpActor.Current(http), id, ct);
        return result.IsOk ? Json(200, "system deleted successfully", null) : Outcome(result.Status, result.Errors, "system");
    }

    private static async Task<IResult> RegenerateAsync(string id, HttpContext http, SystemService systems, CancellationToken ct)
    {
        var result = await systems.RegenerateSecretAsync(HttpActor.Current(http), id, ct);
        return result.IsOk ? Json(200, "system secret regenerated successfully", WithSecret(result.Value!)) : Outcome(result.Status, result.Errors, "system");
    }

    private static async Task<IResult> RecordsAsync(string id, HttpContext http, SystemInventoryService inventory, CancellationToken ct)
    {
        if (!HttpActor.Current(http).Can("systems.inventory")) return Forbidden();
        var (page, errors) = Paging(http);
        var (from, to) = Range(http, errors);
        if (errors.Count > 0) return Validation(errors);
        var result = await inventory.RecordsAsync(HttpActor.Current(http), id, from, to, page, ct);
        if (!result.IsOk) return NotFound("system");
        return Json(200, "inventory records retrieved successfully", Paged("inventory_records", result.Value!.Items.Select(r => RecordJson(r, null)), result.Value));
    }

    private static async Task<IResult> LatestAsync(string id, HttpContext http, SystemInventoryService inventory, CancellationToken ct)
    {
        if (!HttpActor.Current(http).Can("systems.inventory")) return Forbidden();
        var result = await inventory.RecordAsync(HttpActor.Current(http), id, null, ct);
        return result.IsOk ? Json(200, "latest inventory retrieved successfully", RecordJson(result.Value!.Record, result.Value.Data)) : NotFound("inventory");
    }

    private static async Task<IResult> RecordAsync(string id, long inventoryId, HttpContext http, SystemInventoryService inventory, CancellationToken ct)
    {
        if (!HttpActor.Current(http).Can("systems.inventory")) return Forbidden();
        var result = await inventory.RecordAsync(HttpActor.Current(http), id, inventoryId, ct);
        return result.IsOk ? Json(200, "inventory record retrieved successfully", RecordJson(result.Value!.Record, result.Value.Data)) : NotFound("inventory record");
    }

    private static async Task<IResult> DiffsAsync(string id, HttpContext http, SystemInventoryService inventory, CancellationToken ct)
    {
        if (!HttpActor.Current(http).Can("systems.inventory")) return Forbidden();
        var (page, errors) = Paging(http);
        var (from, to) = Range(http, errors);
        var q = http.Request.Query;
        string? Pick(string field, string[] allowed)
        {
            var value = q[field].ToString();
            if (value.Length == 0) return null;
            if (!allowed.Contains(value)) errors.Add((field, "oneof=" + string.Join(' ', allowed), value));
            return value;
        }
        var severity = Pick("severity", ["low", "medium", "high", "critical"]);
        var diffType = Pick("diff_type", ["create", "update", "delete"]);
        long? inventoryId = null;
        if (q["inventory_id"].ToString() is { Length: > 0 } inv)
        {
            if (long.TryParse(inv, out var n)) inventoryId = n;
            else errors.Add(("inventory_id", "numeric", inv));
        }
        if (errors.Count > 0) return Validation(errors);
        var query = new DiffQuery(severity, q["category"].ToString() is { Length: > 0 } c ? c : null, diffType, from, to, q["search"], inventoryId);
        var result = await inventory.DiffsAsync(HttpActor.Current(http), id, query, page, ct);
        if (!result.IsOk) return NotFound("system");
        return Json(200, "inventory diffs retrieved successfully", Paged("diffs", result.Value!.Items.Select(DiffJson), result.Value));
    }

    private static async Task<IResult> TimelineAsync(string id, HttpContext http, SystemInventoryService inventory, TimeProvider clock, CancellationToken ct)
    {
        if (!HttpActor.Current(http).Can("systems.inventory")) return Forbidden();
        var errors = new List<(string, string, string)>();
        var (from, to) = Range(http, errors);
        if (errors.Count > 0) return Validation(errors);
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if ((end - start).TotalDays > 400) return Validation([("from", "the range must not exceed 400 days", UtcTimestampConverter.Format(start))]);
        var result = await inventory.TimelineAsync(HttpActor.Current(http), id, start, end, ct);
        if (!result.IsOk) return NotFound("system");
        return Json(200, "inventory timeline retrieved successfully", new JsonObject
        {
            ["from"] = UtcTimestampConverter.Format(start),
            ["to"] = UtcTimestampConverter.Format(end),
            ["timeline"] = new JsonArray(result.Value!.Select(d => (JsonNode?)new JsonObject
            {
                ["date"] = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["records"] = d.Records,
                ["records_with_changes"] = d.WithChanges,
                ["changes"] = d.Changes,
            }).ToArray()),
        });
    }

    // ---- shapes ---------------------------------------------------------------------------------------------------

    internal static JsonObject SystemJson(SystemView v)
    {
        var s = v.System;
        JsonNode? custom;
        try { custom = JsonNode.Parse(s.CustomData); } catch (JsonException) { custom = new JsonObject(); }
        return new JsonObject
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["type"] = s.Type,
            ["status"] = s.Status,
            ["fqdn"] = s.Fqdn,
            ["ipv4_address"] = s.Ipv4Address,
            ["ipv6_address"] = s.Ipv6Address,
            ["version"] = s.Version,
            ["last_seen"] = Time(s.LastSeen),
            ["custom_data"] = custom,
            ["secret_hint"] = s.SecretHint,
            ["created_at"] = UtcTimestampConverter.Format(s.CreatedAt),
            ["updated_at"] = UtcTimestampConverter.Format(s.UpdatedAt),
            ["created_by"] = new JsonObject
            {
                ["user_id"] = v.CreatedBy.UserId.ToString(CultureInfo.InvariantCulture),
                ["user_name"] = v.CreatedBy.UserName,
                ["organization_id"] = v.CreatedBy.OrganizationId.ToString(CultureInfo.InvariantCulture),
                ["organization_name"] = v.CreatedBy.OrganizationName,
            },
            ["heartbeat_status"] = v.HeartbeatStatus,
            ["last_heartbeat"] = Time(s.LastHeartbeat),
            ["heartbeat_minutes"] = v.HeartbeatMinutes,
        };
    }

    private static JsonObject WithSecret(SystemWithSecret created)
    {
        var json = SystemJson(created.View);
        json["system_key"] = created.View.System.SystemKey;
        json["system_secret"] = created.Secret;
        return json;
    }

    private static JsonObject RecordJson(InventoryRecord r, byte[]? data)
    {
        var json = new JsonObject
        {
            ["id"] = r.Id,
            ["system_id"] = r.SystemId,
            ["timestamp"] = UtcTimestampConverter.Format(r.Timestamp),
        };
        if (data is not null) json["data"] = JsonNode.Parse(data);
        json["data_hash"] = r.DataHash;
        json["data_size"] = r.DataSize;
        json["processed_at"] = Time(r.ProcessedAt);
        json["has_changes"] = r.HasChanges;
        json["change_count"] = r.ChangeCount;
        json["processing_status"] = r.Failed ? "failed" : r.ProcessedAt is null ? "pending" : "processed";
        if (r.Error is not null) json["processing_error"] = r.Error;
        json["created_at"] = UtcTimestampConverter.Format(r.CreatedAt);
        json["updated_at"] = UtcTimestampConverter.Format(r.UpdatedAt);
        return json;
    }

    private static JsonObject DiffJson(InventoryDiff d) => new()
    {
        ["id"] = d.Id,
        ["system_id"] = d.SystemId,
        ["inventory_id"] = d.InventoryId,
        ["previous_inventory_id"] = d.PreviousInventoryId,
        ["field_path"] = d.FieldPath,
        ["previous_value"] = d.PreviousValue,
        ["current_value"] = d.CurrentValue,
        ["diff_type"] = d.DiffType,
        ["category"] = d.Category,
        ["severity"] = d.Severity,
        ["created_at"] = UtcTimestampConverter.Format(d.CreatedAt),
    };

    private static JsonObject Paged<T>(string name, IEnumerable<JsonObject> items, Page<T> page)
    {
        var pages = page.PageSize <= 0 ? 0 : (int)Math.Ceiling(page.Total / (double)page.PageSize);
        return new JsonObject
        {
            [name] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
            ["pagination"] = new JsonObject
            {
                ["page"] = page.PageNumber,
                ["page_size"] = page.PageSize,
                ["total_count"] = page.Total,
                ["total_pages"] = pages,
                ["has_next"] = page.PageNumber < pages,
                ["has_prev"] = page.PageNumber > 1,
            },
        };
    }

    private static string? Time(DateTimeOffset? value) => value is { } v ? UtcTimestampConverter.Format(v) : null;

    // ---- input and errors -------------------------------------------------------------------------------------

    private static (PageRequest Page, List<(string Key, string Message, string Value)> Errors) Paging(HttpContext http)
    {
        var errors = new List<(string, string, string)>();
        int Read(string field, int fallback, int max)
        {
            var text = http.Request.Query[field].ToString();
            if (text.Length == 0) return fallback;
            if (int.TryParse(text, out var n) && n >= 1 && n <= max) return n;
            errors.Add((field, $"min=1 max={max}", text));
            return fallback;
        }
        return (new PageRequest(Read("page", 1, int.MaxValue), Read("page_size", 50, 100)), errors);
    }

    private static (DateTimeOffset? From, DateTimeOffset? To) Range(HttpContext http, List<(string Key, string Message, string Value)> errors)
    {
        DateTimeOffset? Read(string field)
        {
            var text = http.Request.Query[field].ToString();
            if (text.Length == 0) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value;
            errors.Add((field, "datetime (RFC 3339)", text));
            return null;
        }
        return (Read("from"), Read("to"));
    }

    private static async Task<(SystemInput? Input, List<(string, string, string)>? Problems)> ReadAsync(HttpContext http, CancellationToken ct)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct) as JsonObject ?? throw new JsonException("the body must be a JSON object");
        }
        catch (JsonException ex)
        {
            return (null, [("body", "invalid JSON: " + ex.Message.Split(". ")[0], "")]);
        }
        var problems = new List<(string, string, string)>();
        string? Text(string field)
        {
            if (!body.TryGetPropertyValue(field, out var node) || node is null) return null;
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
            problems.Add((field, "string", node.ToJsonString()));
            return null;
        }
        JsonObject? custom = null;
        if (body.TryGetPropertyValue("custom_data", out var data) && data is not null)
        {
            if (data is JsonObject o) custom = (JsonObject)o.DeepClone();
            else problems.Add(("custom_data", "object", data.ToJsonString()));
        }
        var input = new SystemInput
        {
            Name = Text("name"), Type = Text("type"), Status = Text("status"), CustomData = custom,
            Provided = body.Select(p => p.Key).ToHashSet(StringComparer.Ordinal),
        };
        return problems.Count > 0 ? (null, problems) : (input, null);
    }

    private static IResult Outcome(ResultStatus status, IReadOnlyDictionary<string, string[]>? errors, string what) => status switch
    {
        ResultStatus.NotFound => NotFound(what),
        ResultStatus.Forbidden => Forbidden(),
        _ => Validation((errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value.Select(m => (e.Key, m, ""))).ToList()),
    };

    internal static IResult Json(int code, string message, JsonNode? data) =>
        Results.Json(new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data }, ApiErrorMiddleware.JsonOptions, statusCode: code);

    internal static IResult Error(int code, string message, JsonNode? data) => Json(code, message, data);

    private static IResult Forbidden() => Error(403, "insufficient permissions", new JsonObject());

    private static IResult NotFound(string what) => Error(404, $"{what} not found", new JsonObject());

    private static IResult Validation(IEnumerable<(string Key, string Message, string Value)> errors) =>
        Error(400, "validation failed", new JsonObject
        {
            ["type"] = "validation_error",
            ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)new JsonObject { ["key"] = e.Key, ["message"] = e.Message, ["value"] = e.Value }).ToArray()),
        });
}
