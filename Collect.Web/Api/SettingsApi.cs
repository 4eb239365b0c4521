using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Settings;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>Global system settings (seed 002), and the time zones and date formats users choose from.</summary>
internal static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var system = app.MapGroup("/api/system").WithTags("System settings").RequireAuthorization();
        system.MapGet("/globalSystemSettings", ListAsync).RequirePermission("system.globalSystemSettings.index")
            .WithSummary("Every global setting with its value, default, type, area and description");
        system.MapPut("/globalSystemSettings", UpdateAsync).RequirePermission("system.globalSystemSettings.update")
            .WithSummary("Change settings: {\"settings\": [{\"name\": \"value\"}]} (or an object); one bad name or value and nothing changes");
        system.MapGet("/globalSystemSettings/{settingName}", GetAsync).RequirePermission("system.globalSystemSettings.show")
            .WithSummary("One setting's value");
        system.MapGet("/listTimezones", () => TypedResults.Ok(new Envelope<IReadOnlyList<string>>(SystemSettingsService.TimeZones())))
            .RequirePermission("system.listTimezones").WithSummary("The time zones users and settings may name");
        system.MapGet("/listTimeDateFormats", (SystemSettingsService settings) => TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(
                settings.DateTimeFormatExamples().Select(f => new JsonObject { ["format"] = f.Format, ["example"] = f.Example }).ToList())))
            .RequirePermission("system.listTimeDateFormats").WithSummary("The nine date and time formats, each with the current time (UTC) written in it");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, SystemSettingsService settings, CancellationToken ct) =>
        ApiErrors.From(await settings.ListAsync(HttpActor.Current(http), ct), list => list.Select(Json).ToList());

    private static async Task<IResult> GetAsync(string settingName, HttpContext http, SystemSettingsService settings, CancellationToken ct) =>
        ApiErrors.From(await settings.GetAsync(HttpActor.Current(http), settingName, ct), v => v.Value);

    private static async Task<IResult> UpdateAsync(JsonObject body, HttpContext http, SystemSettingsService settings, CancellationToken ct)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        var node = body["settings"];
        var objects = node switch
        {
            JsonObject o => [o],
            JsonArray a when a.All(x => x is JsonObject) => a.Select(x => (JsonObject)x!).ToList(),
            _ => null,
        };
        if (objects is null)
            return ApiErrors.Invalid("settings", "The settings field is required: an array of {\"name\": \"value\"} objects, or one such object.");
        foreach (var (name, value) in objects.SelectMany(o => o))
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String) values[name] = v.GetValue<string>();
            else errors.TryAdd(name, [$"The {name} must be a string."]);
        }
        if (errors.Count > 0) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await settings.UpdateAsync(HttpActor.Current(http), values, ct), list => list.Select(Json).ToList());
    }

    private static JsonObject Json(SettingView v) => new()
    {
        ["id"] = v.Id,
        ["setting"] = v.Definition.Name,
        ["value"] = v.Value,
        ["default"] = v.Definition.Default,
        ["type"] = v.Definition.Kind,
        ["options"] = v.Definition.Options is null ? null : new JsonArray(v.Definition.Options.Select(o => (JsonNode?)o).ToArray()),
        ["area"] = v.Definition.Area,
        ["description"] = v.Definition.Description,
        // False for the seed's settings that no feature of this version reads (kept so that scripts can still set them).
        ["inUse"] = !v.Definition.KeptForCompatibility,
        ["created_at"] = v.CreatedAt is { } c ? UsersApi.Timestamp(c) : null,
        ["updated_at"] = v.UpdatedAt is { } u ? UsersApi.Timestamp(u) : null,
    };
}
