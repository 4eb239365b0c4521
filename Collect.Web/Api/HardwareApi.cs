using System.Globalization;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Hardware;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>Inventory components and custom fields, servers' hardware items and summaries, and the hwdetect collection.</summary>
internal static class HardwareApi
{
    public static IEndpointRouteBuilder MapHardwareApi(this IEndpointRouteBuilder app)
    {
        var components = app.MapGroup("/api/inventorycomponents").WithTags("Inventory components").RequireAuthorization();
        components.MapGet("", async (ComponentCatalogService catalog, CancellationToken ct) =>
                TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await catalog.ComponentsAsync(ct)).Select(ComponentJson).ToList())))
            .RequirePermission("inventorycomponents.index").WithSummary("Every inventory component with its custom fields");
        components.MapPost("", (JsonObject body, HttpContext http, ComponentCatalogService catalog, CancellationToken ct) => SaveComponentAsync(null, body, http, catalog, ct))
            .RequirePermission("inventorycomponents.store").WithSummary("Add a component (groupname, description, componentname, valueType, customfieldsRelations)");
        components.MapGet("/{id:int}", async (int id, ComponentCatalogService catalog, CancellationToken ct) =>
                (await catalog.ComponentAsync(id, ct)) is { IsOk: true } r ? (IResult)TypedResults.Ok(new Envelope<JsonObject>(ComponentJson(r.Value!))) : ApiErrors.NotFound())
            .RequirePermission("inventorycomponents.show").WithSummary("One inventory component");
        components.MapPut("/{id:int}", (int id, JsonObject body, HttpContext http, ComponentCatalogService catalog, CancellationToken ct) => SaveComponentAsync(id, body, http, catalog, ct))
            .RequirePermission("inventorycomponents.update").WithSummary("Change a component; built-in ones keep their name");
        components.MapDelete("/{id:int}", async (int id, HttpContext http, ComponentCatalogService catalog, CancellationToken ct) =>
                ApiErrors.Deleted(await catalog.DeleteComponentAsync(HttpActor.Current(http), id, ct)))
            .RequirePermission("inventorycomponents.destroy").WithSummary("Delete an unused component (built-in ones cannot be deleted)");

        var fields = app.MapGroup("/api/inventorycomponents/customfields").WithTags("Inventory components").RequireAuthorization();
        fields.MapGet("", async (ComponentCatalogService catalog, CancellationToken ct) =>
                TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await catalog.FieldsAsync(ct)).Select(FieldJson).ToList())))
            .RequirePermission("inventorycomponents.customfields.index").WithSummary("Every custom field");
        fields.MapPost("", (JsonObject body, HttpContext http, ComponentCatalogService catalog, CancellationToken ct) => SaveFieldAsync(null, body, http, catalog, ct))
            .RequirePermission("inventorycomponents.customfields.store").WithSummary("Add a custom field (input, checkbox, or dropdown with availableValues)");
        fields.MapGet("/{id:int}", async (int id, ComponentCatalogService catalog, CancellationToken ct) =>
                (await catalog.FieldAsync(id, ct)) is { IsOk: true } r ? (IResult)TypedResults.Ok(new Envelope<JsonObject>(FieldJson(r.Value!))) : ApiErrors.NotFound())
            .RequirePermission("inventorycomponents.customfields.show").WithSummary("One custom field");
        fields.MapPut("/{id:int}", (int id, JsonObject body, HttpContext http, ComponentCatalogService catalog, CancellationToken ct) => SaveFieldAsync(id, body, http, catalog, ct))
            .RequirePermission("inventorycomponents.customfields.update").WithSummary("Change a custom field; dropdown values keep their ids");
        fields.MapDelete("/{id:int}", async (int id, HttpContext http, ComponentCatalogService catalog, CancellationToken ct) =>
                ApiErrors.Deleted(await catalog.DeleteFieldAsync(HttpActor.Current(http), id, ct)))
            .RequirePermission("inventorycomponents.customfields.destroy").WithSummary("Delete a custom field (built-in ones cannot be deleted)");

        var inventory = app.MapGroup("/api/servers/{serverId:int}").WithTags("Hardware inventory").RequireAuthorization();
        inventory.MapGet("/inventory", async (int serverId, HttpContext http, ServerHardwareService hardware, CancellationToken ct) =>
                (await hardware.ItemsAsync(HttpActor.Current(http), serverId, ct)) is { IsOk: true } r
                    ? (IResult)TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(r.Value!.Select(ItemJson).ToList()))
                    : ApiErrors.NotFound())
            .RequirePermission("servers.inventory.index").WithSummary("The server's hardware items");
        inventory.MapPost("/inventory", (int serverId, JsonObject body, HttpContext http, ServerHardwareService hardware, CancellationToken ct) =>
                SaveItemAsync(serverId, null, body, http, hardware, ct))
            .RequirePermission("servers.inventory.store").WithSummary("Add a hardware item (model, value, serial, inventorycomponent_id, description, customfields)");
        inventory.MapGet("/inventory/getInventoryCommand", async (int serverId, HttpContext http, ServerHardwareService hardware, CancellationToken ct) =>
                ApiErrors.From(await hardware.CommandAsync(HttpActor.Current(http), serverId, $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}", ct),
                    command => command))
            .RequirePermission("servers.inventory.getInventoryCommand").WithSummary("The one-line command that collects the hardware from the running machine");
        inventory.MapGet("/inventory/{id:int}", async (int serverId, int id, HttpContext http, ServerHardwareService hardware, CancellationToken ct) =>
                (await hardware.ItemAsync(HttpActor.Current(http), serverId, id, ct)) is { IsOk: true } r
                    ? (IResult)TypedResults.Ok(new Envelope<JsonObject>(ItemJson(r.Value!)))
                    : ApiErrors.NotFound())
            .RequirePermission("servers.inventory.show").WithSummary("One hardware item");
        inventory.MapPut("/inventory/{id:int}", (int serverId, int id, JsonObject body, HttpContext http, ServerHardwareService hardware, CancellationToken ct) =>
                SaveItemAsync(serverId, id, body, http, hardware, ct))
            .RequirePermission("servers.inventory.update").WithSummary("Change a hardware item (it is then kept by later collections)");
        inventory.MapDelete("/inventory/{id:int}", async (int serverId, int id, HttpContext http, ServerHardwareService hardware, CancellationToken ct) =>
                ApiErrors.Deleted(await hardware.DeleteItemAsync(HttpActor.Current(http), serverId, id, ct)))
            .RequirePermission("servers.inventory.destroy").WithSummary("Remove a hardware item");
        inventory.MapGet("/hwsummary", (int serverId, HttpContext http, ServerHardwareService hardware, CancellationToken ct) => SummaryAsync(serverId, false, http, hardware, ct))
            .RequirePermission("servers.hwsummary").WithSummary("Summarised hardware: model (or multiple), summed sizes, counts, CPU cores");
        inventory.MapGet("/hwsummary/withDetails", (int serverId, HttpContext http, ServerHardwareService hardware, CancellationToken ct) => SummaryAsync(serverId, true, http, hardware, ct))
            .RequirePermission("servers.hwsummary.withDetails").WithSummary("The hardware summary with each part's model and size");

        var collection = app.MapGroup("/api").WithTags("Hardware inventory").AllowAnonymous();
        collection.MapGet("/scripts/hwdetect", (Microsoft.Extensions.Options.IOptions<Collect.Core.Settings.CollectOptions> options) =>
                TypedResults.PhysicalFile(Path.GetFullPath(Path.Combine(options.Value.AssetsPath, "hwdetect.sh")), "text/x-shellscript; charset=utf-8"))
            .WithSummary("The hardware detection script the collection command runs");
        collection.MapPost("/servers/inventory/callback/{token}", CallbackAsync)
            .WithSummary("Where the hwdetect script posts a server's hardware (the token comes from getInventoryCommand)");
        return app;
    }

    private static async Task<IResult> CallbackAsync(string token, HttpContext http, ServerHardwareService hardware, CancellationToken ct)
    {
        // The token is checked before the body is read: a wrong one learns nothing else.
        if (token.Length is < 8 or > 128 || !token.All(char.IsAsciiHexDigitLower)) return ApiErrors.NotFound();
        var body = await RequestBody.OptionalObjectAsync(http, ct);
        if (body.Count == 0) return ApiErrors.Invalid("body", "The report is empty.");
        var id = await hardware.AcceptReportAsync(token, body, ct);
        return id is null ? ApiErrors.NotFound() : TypedResults.Ok(new Envelope<JsonObject>(new JsonObject { ["reportId"] = id, ["status"] = "queued" }));
    }

    private static async Task<IResult> SaveComponentAsync(int? id, JsonObject body, HttpContext http, ComponentCatalogService catalog, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var input = new ComponentInput(json.String("componentname"), json.String("description"), json.String("groupname"), json.String("valueType"),
            json.StringList("customfieldsRelations"), json.Provided);
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await catalog.SaveComponentAsync(HttpActor.Current(http), id, input, ct), ComponentJson);
    }

    private static async Task<IResult> SaveFieldAsync(int? id, JsonObject body, HttpContext http, ComponentCatalogService catalog, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var input = new CustomFieldInput(json.String("name"), json.String("type"), json.StringList("availableValues"), json.Provided);
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await catalog.SaveFieldAsync(HttpActor.Current(http), id, input, ct), FieldJson);
    }

    private static async Task<IResult> SaveItemAsync(int serverId, int? id, JsonObject body, HttpContext http, ServerHardwareService hardware, CancellationToken ct)
    {
        var json = new JsonInput(body);
        List<(int, string)>? custom = null;
        if (body["customfields"] is JsonArray array)
        {
            custom = [];
            foreach (var entry in array)
            {
                // {"fieldId": 1, "value": "3"} as the seed shows.
                if (entry is JsonObject o && o["fieldId"] is JsonValue f && f.TryGetValue<int>(out var fieldId) && o["value"] is JsonValue v)
                    custom.Add((fieldId, v.ToString()));
                else return ApiErrors.Invalid("customfields", "Each custom field must be an object with fieldId and value.");
            }
        }
        else if (body["customfields"] is not null) return ApiErrors.Invalid("customfields", "The customfields must be an array or null.");
        var input = new InventoryItemInput(json.String("model"), json.String("value"), json.String("serial"), json.Int("inventorycomponent_id"),
            json.String("description"), custom, json.Provided);
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await hardware.SaveItemAsync(HttpActor.Current(http), serverId, id, input, ct), ItemJson);
    }

    private static async Task<IResult> SummaryAsync(int serverId, bool details, HttpContext http, ServerHardwareService hardware, CancellationToken ct)
    {
        var result = await hardware.SummaryAsync(HttpActor.Current(http), serverId, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(SummaryJson(result.Value, details))) : ApiErrors.NotFound();
    }

    /// <summary>The seed's hwsummary shape, also the server output's detailedHardwareInformation.</summary>
    internal static JsonObject SummaryJson(IReadOnlyDictionary<string, HardwareSummaryLine>? summary, bool details)
    {
        var json = new JsonObject();
        foreach (var (name, line) in summary ?? new Dictionary<string, HardwareSummaryLine>())
        {
            var summed = line.ValueType is "mb" or "mib";
            var entry = new JsonObject
            {
                ["model"] = line.Model,
                ["value"] = summed && long.TryParse(line.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : line.Value,
                ["count"] = line.Count,
                ["valueType"] = line.ValueType,
            };
            if (name == "cpu")
            {
                entry["cores"] = line.Cores;
                entry["threads"] = line.Threads;
                entry["mhzTurbo"] = line.MhzTurbo;
            }
            else entry["details"] = details ? new JsonArray(line.Details.Select(d => (JsonNode?)new JsonObject { ["model"] = d.Model, ["size"] = d.Size }).ToArray()) : null;
            json[name] = entry;
        }
        return json;
    }

    private static JsonObject FieldJson(InventoryCustomField f) => new()
    {
        ["id"] = f.Id,
        ["name"] = f.Name,
        ["type"] = f.Type,
        ["availableValues"] = new JsonArray(f.Values().Select(v => (JsonNode?)new JsonObject { ["id"] = v.Id, ["value"] = v.Value }).ToArray()),
        ["notdeletable"] = f.NotDeletable ? 1 : 0,
        ["created_at"] = UsersApi.Timestamp(f.CreatedAt),
        ["updated_at"] = UsersApi.Timestamp(f.UpdatedAt),
    };

    private static JsonObject ComponentJson(ComponentView v) => new()
    {
        ["id"] = v.Component.Id,
        ["created_at"] = UsersApi.Timestamp(v.Component.CreatedAt),
        ["updated_at"] = UsersApi.Timestamp(v.Component.UpdatedAt),
        ["componentname"] = v.Component.ComponentName,
        ["description"] = v.Component.Description,
        ["notdeletable"] = v.Component.NotDeletable ? 1 : 0,
        ["groupname"] = v.Component.GroupName,
        ["valueType"] = v.Component.ValueType,
        ["customfieldsRelations"] = new JsonArray(v.Fields.Select(f => (JsonNode?)f.Id).ToArray()),
        ["customfields"] = new JsonArray(v.Fields.Select(f => (JsonNode?)new JsonObject
        {
            ["field_id"] = f.Id,
            ["name"] = f.Name,
            ["type"] = f.Type,
            ["values"] = new JsonArray(f.Values().Select(x => (JsonNode?)new JsonObject { ["id"] = x.Id, ["value"] = x.Value }).ToArray()),
        }).ToArray()),
    };

    private static JsonObject ItemJson(InventoryItemView v) => new()
    {
        ["id"] = v.Item.Id,
        ["created_at"] = UsersApi.Timestamp(v.Item.CreatedAt),
        ["updated_at"] = UsersApi.Timestamp(v.Item.UpdatedAt),
        ["model"] = v.Item.Model,
        ["value"] = v.Item.Value,
        ["serial"] = v.Item.Serial,
        ["description"] = v.Item.Description ?? "",
        ["server_id"] = v.Item.ServerId,
        ["source"] = v.Item.Source,
        ["customfields"] = v.Item.CustomFields.Count == 0 ? null : new JsonArray(v.Item.CustomFields.Select(c => c.Split(':', 2))
            .Select(p => (JsonNode?)new JsonObject { ["fieldId"] = int.Parse(p[0], CultureInfo.InvariantCulture), ["value"] = p[1] }).ToArray()),
        ["root_component"] = new JsonObject
        {
            ["id"] = v.Component.Id,
            ["description"] = v.Component.Description,
            ["valueType"] = v.Component.ValueType,
        },
    };
}
