using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.ConfigItems;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>
/// Config items, config types and relationship types in the management envelope, and the config-item routes of seed 004
/// (<c>/external_api/v1/config_items...</c>) in that API's own envelope.
/// </summary>
internal static class ConfigItemsApi
{
    public static IEndpointRouteBuilder MapConfigItemsApi(this IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/api/config_items").WithTags("Config items").RequireAuthorization();
        items.MapGet("", ListAsync).WithPaging().RequirePermission("configItems.index")
            .WithSummary("Config items you can see").WithDescription("Filters: config_type_id, owner_id, search (name or description).");
        items.MapPost("", CreateAsync).RequirePermission("configItems.store").WithSummary("Add a config item with its type fields, additional fields and relationships");
        items.MapGet("/{id:int}", GetAsync).RequirePermission("configItems.show").WithSummary("One config item with its fields and relationships");
        items.MapPut("/{id:int}", UpdateAsync).RequirePermission("configItems.update").WithSummary("Change a config item (sent fields only; config_relationships replaces the list)");
        items.MapDelete("/{id:int}", DeleteAsync).RequirePermission("configItems.destroy").WithSummary("Delete a config item and every relationship from or to it");
        items.MapPost("/{id:int}/watch", (int id, HttpContext http, ConfigItemService service, CancellationToken ct) => WatchAsync(id, true, http, service, ct))
            .RequirePermission("configItems.show").WithSummary("Watch a config item: its changes reach your activity feed while it notifies watchers");
        items.MapDelete("/{id:int}/watch", (int id, HttpContext http, ConfigItemService service, CancellationToken ct) => WatchAsync(id, false, http, service, ct))
            .RequirePermission("configItems.show").WithSummary("Stop watching a config item");

        var types = app.MapGroup("/api/config_types").WithTags("Config items").RequireAuthorization();
        types.MapGet("", ListTypesAsync).RequirePermission("configTypes.index").WithSummary("Config types with their fields");
        types.MapPost("", CreateTypeAsync).RequirePermission("configTypes.store").WithSummary("Add a config type with named, typed fields (text, number, date, boolean, dropdown)");
        types.MapGet("/{id:int}", GetTypeAsync).RequirePermission("configTypes.show").WithSummary("One config type");
        types.MapPut("/{id:int}", UpdateTypeAsync).RequirePermission("configTypes.update").WithSummary("Change a config type's name, description or fields");
        types.MapDelete("/{id:int}", DeleteTypeAsync).RequirePermission("configTypes.destroy").WithSummary("Delete a config type no item uses");

        var relationships = app.MapGroup("/api/config_relationship_types").WithTags("Config items").RequireAuthorization();
        relationships.MapGet("", ListRelationshipTypesAsync).RequirePermission("configRelationshipTypes.index").WithSummary("Relationship types (runs on, depends on, ...)");
        relationships.MapPost("", CreateRelationshipTypeAsync).RequirePermission("configRelationshipTypes.store").WithSummary("Add a relationship type");
        relationships.MapGet("/{id:int}", GetRelationshipTypeAsync).RequirePermission("configRelationshipTypes.show").WithSummary("One relationship type");
        relationships.MapPut("/{id:int}", UpdateRelationshipTypeAsync).RequirePermission("configRelationshipTypes.update").WithSummary("Rename or describe a relationship type");
        relationships.MapDelete("/{id:int}", DeleteRelationshipTypeAsync).RequirePermission("configRelationshipTypes.destroy").WithSummary("Delete a relationship type no relationship uses");

        var external = app.MapGroup("/external_api/v1").WithTags("Config items (seed 004 compatibility)").AllowAnonymous();
        external.MapPost("/config_items.json", ExternalCreateAsync)
            .WithSummary("Create a config item from {\"config_item\": {...}}; answers {\"result\": {\"config_item\": ...}, \"version\": \"1.0\", \"status\": \"Success\"}");
        external.MapGet("/config_items/{id:int}.json", ExternalGetAsync)
            .WithSummary("One config item as {\"result\": {\"config_item\": ...}, \"version\": \"1.0\", \"status\": \"Success\"}");
        return app;
    }

    // ---- management API ----

    private static async Task<IResult> ListAsync(HttpContext http, ConfigItemService service, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var q = http.Request.Query;
        int? typeId = null, ownerId = null;
        foreach (var (field, set) in new (string, Action<int>)[] { ("config_type_id", v => typeId = v), ("owner_id", v => ownerId = v) })
        {
            if (!q.TryGetValue(field, out var text)) continue;
            if (!int.TryParse(text, out var value)) return ApiErrors.Invalid(field, $"The {field} must be an integer.");
            set(value);
        }
        var result = await service.ListAsync(HttpActor.Current(http), new ConfigItemQuery(typeId, q["search"], ownerId), list.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.Forbidden();
        var page = result.Value!;
        var json = page.Items.Select(Json).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(json, new PageMeta(page.Total, page.PageNumber, page.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(json));
    }

    private static async Task<IResult> GetAsync(int id, HttpContext http, ConfigItemService service, CancellationToken ct) =>
        ApiErrors.From(await service.GetAsync(HttpActor.Current(http), id, ct), Json);

    private static async Task<IResult> CreateAsync(JsonObject body, HttpContext http, ConfigItemService service, CancellationToken ct)
    {
        var (input, errors) = ReadItem(Unwrap(body));
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await service.CreateAsync(HttpActor.Current(http), input, ct), Json);
    }

    private static async Task<IResult> UpdateAsync(int id, JsonObject body, HttpContext http, ConfigItemService service, CancellationToken ct)
    {
        var (input, errors) = ReadItem(Unwrap(body));
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await service.UpdateAsync(HttpActor.Current(http), id, input, ct), Json);
    }

    private static async Task<IResult> DeleteAsync(int id, HttpContext http, ConfigItemService service, CancellationToken ct) =>
        ApiErrors.Deleted(await service.DeleteAsync(HttpActor.Current(http), id, ct));

    private static async Task<IResult> WatchAsync(int id, bool watch, HttpContext http, ConfigItemService service, CancellationToken ct) =>
        ApiErrors.From(await service.WatchAsync(HttpActor.Current(http), id, watch, ct), Json);

    private static async Task<IResult> ListTypesAsync(HttpContext http, ConfigTypeService service, CancellationToken ct) =>
        ApiErrors.From(await service.ListTypesAsync(HttpActor.Current(http), ct), l => l.Select(TypeJson).ToList());

    private static async Task<IResult> GetTypeAsync(int id, HttpContext http, ConfigTypeService service, CancellationToken ct) =>
        ApiErrors.From(await service.GetTypeAsync(HttpActor.Current(http), id, ct), TypeJson);

    private static async Task<IResult> CreateTypeAsync(JsonObject body, HttpContext http, ConfigTypeService service, CancellationToken ct)
    {
        var (input, errors) = ReadType(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await service.CreateTypeAsync(HttpActor.Current(http), input, ct), TypeJson);
    }

    private static async Task<IResult> UpdateTypeAsync(int id, JsonObject body, HttpContext http, ConfigTypeService service, CancellationToken ct)
    {
        var (input, errors) = ReadType(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await service.UpdateTypeAsync(HttpActor.Current(http), id, input, ct), TypeJson);
    }

    private static async Task<IResult> DeleteTypeAsync(int id, HttpContext http, ConfigTypeService service, CancellationToken ct) =>
        ApiErrors.Deleted(await service.DeleteTypeAsync(HttpActor.Current(http), id, ct));

    private static async Task<IResult> ListRelationshipTypesAsync(HttpContext http, ConfigTypeService service, CancellationToken ct) =>
        ApiErrors.From(await service.ListRelationshipTypesAsync(HttpActor.Current(http), ct), l => l.Select(RelationshipTypeJson).ToList());

    private static async Task<IResult> GetRelationshipTypeAsync(int id, HttpContext http, ConfigTypeService service, CancellationToken ct) =>
        ApiErrors.From(await service.GetRelationshipTypeAsync(HttpActor.Current(http), id, ct), RelationshipTypeJson);

    private static async Task<IResult> CreateRelationshipTypeAsync(JsonObject body, HttpContext http, ConfigTypeService service, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var input = new RelationshipTypeInput(json.String("name"), json.String("description"), json.Provided);
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await service.CreateRelationshipTypeAsync(HttpActor.Current(http), input, ct), RelationshipTypeJson);
    }

    private static async Task<IResult> UpdateRelationshipTypeAsync(int id, JsonObject body, HttpContext http, ConfigTypeService service, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var input = new RelationshipTypeInput(json.String("name"), json.String("description"), json.Provided);
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await service.UpdateRelationshipTypeAsync(HttpActor.Current(http), id, input, ct), RelationshipTypeJson);
    }

    private static async Task<IResult> DeleteRelationshipTypeAsync(int id, HttpContext http, ConfigTypeService service, CancellationToken ct) =>
        ApiErrors.Deleted(await service.DeleteRelationshipTypeAsync(HttpActor.Current(http), id, ct));

    // ---- seed 004 compatibility ----

    private const int MaxExternalBodyBytes = 1024 * 1024;

    private static async Task<IResult> ExternalCreateAsync(HttpContext http, ConfigItemService service, CancellationToken ct)
    {
        if (await ExternalActorAsync(http) is not { } actor) return External(401, "[E401] authentication required: send Authorization: Bearer <api token>");
        if (!actor.Can("configItems.store")) return External(403, "[E403] not authorized to create config items");
        if (http.Request.ContentLength > MaxExternalBodyBytes) return External(413, "[E413] the request body is too large");
        JsonObject item;
        try
        {
            var node = await JsonNode.ParseAsync(new LimitedReadStream(http.Request.Body, MaxExternalBodyBytes), cancellationToken: ct);
            if (node is not JsonObject body || body["config_item"] is not JsonObject fields)
                return External(400, "[E400] send the item's fields inside a \"config_item\" object");
            item = (JsonObject)fields.DeepClone();
            _ = item.Count; // a property named twice fails here, not in the middle of reading
        }
        catch (JsonException)
        {
            return External(400, "[E400] the request body is not valid JSON");
        }
        catch (BadHttpRequestException)
        {
            return External(413, "[E413] the request body is too large");
        }
        catch (ArgumentException)
        {
            return External(400, "[E400] the request body names a property more than once");
        }
        var (input, errors) = ReadItem(item);
        if (errors is not null) return External(400, errors.Select(e => $"[E400] {e.Key}: {e.Value.First()}").ToArray());
        var result = await service.CreateAsync(actor, input, ct);
        return result.Status switch
        {
            ResultStatus.Ok => ExternalOk(Json(result.Value!)),
            ResultStatus.Forbidden => External(403, "[E403] not authorized to create config items"),
            // The seed's own error for an unknown config type, word for word.
            ResultStatus.Invalid when result.Errors!.TryGetValue("config_type_id", out var typeErrors) && typeErrors.Any(m => m.StartsWith("No config type", StringComparison.Ordinal))
                => External(400, "[E400] no config type found"),
            _ => External(400, result.Errors!.Select(e => $"[E400] {e.Key}: {e.Value.First()}").ToArray()),
        };
    }

    private static async Task<IResult> ExternalGetAsync(int id, HttpContext http, ConfigItemService service, CancellationToken ct)
    {
        if (await ExternalActorAsync(http) is not { } actor) return External(401, "[E401] authentication required: send Authorization: Bearer <api token>");
        if (!actor.Can("configItems.show")) return External(403, "[E403] not authorized to read config items");
        var result = await service.GetAsync(actor, id, ct);
        return result.IsOk ? ExternalOk(Json(result.Value!)) : External(404, "[E404] no config item found");
    }

    /// <summary>Only API tokens work here: these routes sit outside /api and its cross-site guard, so a browser cookie is not enough.</summary>
    private static async Task<Actor?> ExternalActorAsync(HttpContext http) =>
        http.User.HasClaim(c => c.Type == CollectClaims.TokenId) ? await HttpActor.ResolveAsync(http) : null;

    private static IResult ExternalOk(JsonObject item) => TypedResults.Json(new JsonObject
    {
        ["result"] = new JsonObject { ["config_item"] = item },
        ["version"] = "1.0",
        ["status"] = "Success",
    }, ApiErrorMiddleware.JsonOptions);

    /// <summary>
    /// Seed 004's error body. The seed spells the key "staus"; tools written against it read that key, so it is kept,
    /// with a correctly spelt "status" beside it.
    /// </summary>
    private static IResult External(int status, params string[] messages) => TypedResults.Json(new JsonObject
    {
        ["staus"] = "Failed",
        ["status"] = "Failed",
        ["errors"] = new JsonArray(messages.Select(m => (JsonNode?)new JsonObject { ["error"] = m }).ToArray()),
        ["version"] = "1.0",
    }, ApiErrorMiddleware.JsonOptions, statusCode: status);

    // ---- reading and writing ----

    /// <summary>The management API also takes the seed's wrapped form, {"config_item": {...}}.</summary>
    private static JsonObject Unwrap(JsonObject body) =>
        body.Count == 1 && body["config_item"] is JsonObject inner ? (JsonObject)inner.DeepClone() : body;

    internal static (ConfigItemInput Input, IReadOnlyDictionary<string, string[]>? Errors) ReadItem(JsonObject body)
    {
        var json = new JsonInput(body);
        var errors = new Dictionary<string, string[]>();
        var input = new ConfigItemInput
        {
            Name = json.String("name"),
            ConfigTypeId = json.Int("config_type_id"),
            OwnerId = json.Int("owner_id"),
            Description = json.String("description"),
            NotifyWatchlisted = json.Bool("notify_watchlisted"),
            TypeFields = Values(body, "config_type_fields", errors),
            AdditionalFields = Values(body, "additional_fields", errors),
            Relationships = Relationships(body, errors),
            Provided = json.Provided,
        };
        foreach (var (key, value) in json.Errors) errors.TryAdd(key, value);
        return (input, errors.Count > 0 ? errors : null);
    }

    /// <summary>Key-value pairs as an object, or as the seed shows them, an array of objects.</summary>
    private static Dictionary<string, string?>? Values(JsonObject body, string field, Dictionary<string, string[]> errors)
    {
        var node = body[field];
        if (node is null) return null;
        var objects = node switch
        {
            JsonObject o => [o],
            JsonArray a when a.All(x => x is JsonObject) => a.Select(x => (JsonObject)x!).ToList(),
            _ => null,
        };
        if (objects is null)
        {
            errors.TryAdd(field, [$"The {field} must be an object of names and values."]);
            return null;
        }
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in objects.SelectMany(o => o))
        {
            switch (value)
            {
                case null:
                    values[name] = null;
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    values[name] = v.GetValue<string>();
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                    values[name] = v.ToJsonString();
                    break;
                case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    values[name] = v.GetValueKind() == JsonValueKind.True ? "true" : "false";
                    break;
                default:
                    errors.TryAdd($"{field}.{name}", [$"The {name} must be a single value."]);
                    break;
            }
        }
        return values;
    }

    private static List<RelationshipInput>? Relationships(JsonObject body, Dictionary<string, string[]> errors)
    {
        var node = body["config_relationships"];
        if (node is null) return null;
        if (node is not JsonArray array)
        {
            errors.TryAdd("config_relationships", ["The config_relationships must be an array."]);
            return null;
        }
        var list = new List<RelationshipInput>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o)
            {
                errors.TryAdd($"config_relationships.{i}", ["Each relationship must be an object."]);
                continue;
            }
            var json = new JsonInput(o);
            var relationship = new RelationshipInput(json.Int("config_relationship_type_id"), json.Int("other_config_item_id"), json.Int("server_id"), json.String("system_id"));
            foreach (var (key, value) in json.Errors) errors.TryAdd($"config_relationships.{i}.{key}", value);
            list.Add(relationship);
        }
        return list;
    }

    private static (ConfigTypeInput Input, IReadOnlyDictionary<string, string[]>? Errors) ReadType(JsonObject body)
    {
        var json = new JsonInput(body);
        var name = json.String("name");
        var description = json.String("description");
        List<ConfigFieldDefinition>? fields = null;
        var errors = new Dictionary<string, string[]>();
        if (body["fields"] is { } node)
        {
            if (node is not JsonArray array) errors["fields"] = ["The fields must be an array."];
            else
            {
                fields = [];
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not JsonObject o)
                    {
                        errors.TryAdd($"fields.{i}", ["Each field must be an object with name and type."]);
                        continue;
                    }
                    var f = new JsonInput(o);
                    var field = new ConfigFieldDefinition(f.String("name") ?? "", f.String("type") ?? "", f.Bool("required") ?? false, f.StringList("options"));
                    foreach (var (key, value) in f.Errors) errors.TryAdd($"fields.{i}.{key}", value);
                    fields.Add(field);
                }
            }
        }
        foreach (var (key, value) in json.Errors) errors.TryAdd(key, value);
        return (new ConfigTypeInput(name, description, fields, json.Provided), errors.Count > 0 ? errors : null);
    }

    /// <summary>A config item as both APIs show it; field values typed by their field (numbers and booleans as JSON numbers and booleans).</summary>
    internal static JsonObject Json(ConfigItemView v)
    {
        var typeFields = new JsonObject();
        foreach (var f in v.TypeFields) typeFields[f.Name] = Typed(f);
        return new JsonObject
        {
            ["id"] = v.Id,
            ["name"] = v.Name,
            ["config_type_id"] = v.ConfigTypeId,
            ["config_type_name"] = v.ConfigTypeName,
            ["owner_id"] = v.UserId,
            ["owner_name"] = v.OwnerName,
            ["description"] = v.Description,
            ["notify_watchlisted"] = v.NotifyWatchlisted,
            ["watching"] = v.Watching,
            ["config_type_fields"] = typeFields,
            ["additional_fields"] = new JsonObject(v.AdditionalFields.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["config_relationships"] = new JsonArray(v.Relationships.Select(r => (JsonNode?)RelationshipJson(r)).ToArray()),
            ["created_at"] = UsersApi.Timestamp(v.CreatedAt),
            ["updated_at"] = UsersApi.Timestamp(v.UpdatedAt),
        };
    }

    private static JsonNode? Typed(ConfigFieldValue f) => f.Value is null ? null : f.Type switch
    {
        ConfigFieldTypes.Number when decimal.TryParse(f.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        ConfigFieldTypes.Boolean => JsonValue.Create(f.Value == "true"),
        _ => JsonValue.Create(f.Value),
    };

    private static JsonObject RelationshipJson(RelationshipView r)
    {
        var json = new JsonObject
        {
            ["id"] = r.Id,
            ["config_relationship_type_id"] = r.TypeId,
            ["config_relationship_type_name"] = r.TypeName,
            ["direction"] = r.Incoming ? "incoming" : "outgoing",
            ["target_type"] = r.TargetKind,
        };
        switch (r.TargetKind)
        {
            case RelationshipTargets.ConfigItem: json["other_config_item_id"] = int.Parse(r.TargetId, CultureInfo.InvariantCulture); break;
            case RelationshipTargets.Server: json["server_id"] = int.Parse(r.TargetId, CultureInfo.InvariantCulture); break;
            default: json["system_id"] = r.TargetId; break;
        }
        json["name"] = r.TargetName;
        return json;
    }

    private static JsonObject TypeJson(ConfigTypeView t) => new()
    {
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["description"] = t.Description,
        ["fields"] = new JsonArray(t.Fields.Select(f => (JsonNode?)new JsonObject
        {
            ["name"] = f.Name,
            ["type"] = f.Type,
            ["required"] = f.Required,
            ["options"] = f.Options is null ? null : new JsonArray(f.Options.Select(o => (JsonNode?)o).ToArray()),
        }).ToArray()),
        ["config_items_count"] = t.ItemCount,
        ["created_at"] = UsersApi.Timestamp(t.CreatedAt),
        ["updated_at"] = UsersApi.Timestamp(t.UpdatedAt),
    };

    private static JsonObject RelationshipTypeJson(RelationshipTypeView t) => new()
    {
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["description"] = t.Description,
        ["relationships_count"] = t.UseCount,
        ["created_at"] = UsersApi.Timestamp(t.CreatedAt),
        ["updated_at"] = UsersApi.Timestamp(t.UpdatedAt),
    };
}
