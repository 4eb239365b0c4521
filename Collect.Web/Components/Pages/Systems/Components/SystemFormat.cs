using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Systems;
using Collect.Web.Components.Shared.Branding;
using MudBlazor;

namespace Collect.Web.Components.Pages.Systems.Components;

/// <summary>How the systems pages show statuses, severities, ages, sizes and inventory bodies.</summary>
internal static class SystemFormat
{
    /// <summary>Inventories are up to 10 MiB; past this many characters the viewer shows the start and says so.</summary>
    public const int MaxShownChars = 2_000_000;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Color HeartbeatColor(string status) => status switch
    {
        HeartbeatStatuses.Alive => Color.Success,
        HeartbeatStatuses.Dead => Color.Error,
        _ => Color.Default,
    };

    public static string HeartbeatIcon(string status) => status switch
    {
        HeartbeatStatuses.Alive => Icons.Material.Filled.Favorite,
        HeartbeatStatuses.Dead => Icons.Material.Filled.HeartBroken,
        _ => Icons.Material.Filled.HelpOutline,
    };

    public static string HeartbeatText(BrandContext brand, string status, int? minutes) =>
        $"{HeartbeatLabel(brand, status)} · {(minutes is { } m ? Ago(brand, m) : brand.T("systems_never", "never"))}";

    public static string Ago(BrandContext brand, int minutes) => minutes switch
    {
        < 1 => brand.T("systems_just_now", "just now"),
        < 60 => string.Format(brand.T("systems_minutes_ago", "{0} min ago"), minutes),
        < 48 * 60 => string.Format(brand.T("systems_hours_ago", "{0} h ago"), minutes / 60),
        _ => string.Format(brand.T("systems_days_ago", "{0} d ago"), minutes / (60 * 24)),
    };

    // Statuses, severities and change types are codes (filters and the API use them); these are their words. Unknown codes show as they are.
    public static string StatusLabel(BrandContext brand, string status) => status switch
    {
        "online" => brand.T("systems_status_online", "online"),
        "offline" => brand.T("systems_status_offline", "offline"),
        "maintenance" => brand.T("systems_status_maintenance", "maintenance"),
        _ => status,
    };

    public static string HeartbeatLabel(BrandContext brand, string status) => status switch
    {
        HeartbeatStatuses.Alive => brand.T("systems_heartbeat_alive", "alive"),
        HeartbeatStatuses.Dead => brand.T("systems_heartbeat_dead", "dead"),
        HeartbeatStatuses.Zombie => brand.T("systems_heartbeat_zombie", "zombie"),
        _ => status,
    };

    public static string SeverityLabel(BrandContext brand, string severity) => severity switch
    {
        "critical" => brand.T("systems_severity_critical", "critical"),
        "high" => brand.T("systems_severity_high", "high"),
        "medium" => brand.T("systems_severity_medium", "medium"),
        "low" => brand.T("systems_severity_low", "low"),
        _ => severity,
    };

    public static string DiffTypeLabel(BrandContext brand, string diffType) => diffType switch
    {
        "create" => brand.T("systems_diff_create", "create"),
        "update" => brand.T("systems_diff_update", "update"),
        "delete" => brand.T("systems_diff_delete", "delete"),
        _ => diffType,
    };

    public static string ProcessingLabel(BrandContext brand, string status) => status switch
    {
        "processed" => brand.T("systems_processing_processed", "processed"),
        "failed" => brand.T("systems_processing_failed", "failed"),
        "pending" => brand.T("systems_processing_pending", "pending"),
        _ => status,
    };

    public static Color StatusColor(string status) => status switch
    {
        "online" => Color.Success,
        "maintenance" => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>critical red, high orange (the theme's warning), medium amber, low grey.</summary>
    public static Color SeverityColor(string severity) => severity switch
    {
        "critical" => Color.Error,
        "high" => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>The palette has no amber, so medium gets it inline.</summary>
    public static string? SeverityStyle(string severity) => severity == "medium" ? "background-color: #ffc107; color: rgba(0, 0, 0, 0.87)" : null;

    public static string SeverityRowStyle(string severity) => severity switch
    {
        "critical" => "border-left: 4px solid var(--mud-palette-error)",
        "high" => "border-left: 4px solid var(--mud-palette-warning)",
        "medium" => "border-left: 4px solid #ffc107",
        _ => "border-left: 4px solid var(--mud-palette-lines-default)",
    };

    public static string DiffTypeIcon(string diffType) => diffType switch
    {
        "create" => Icons.Material.Filled.AddCircleOutline,
        "delete" => Icons.Material.Filled.RemoveCircleOutline,
        _ => Icons.Material.Filled.Edit,
    };

    public static string ProcessingStatus(InventoryRecord record) => record.Failed ? "failed" : record.ProcessedAt is null ? "pending" : "processed";

    public static Color ProcessingColor(string status) => status switch
    {
        "processed" => Color.Success,
        "failed" => Color.Error,
        _ => Color.Info,
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };

    public static string Clip(string? text, int max = 160) => text is null ? "" : text.Length <= max ? text : text[..max] + "…";

    /// <summary>An inventory body indented for reading; a body that is not JSON (it always should be) is shown as it is.</summary>
    public static string Pretty(byte[]? data)
    {
        if (data is null) return "";
        try
        {
            return JsonNode.Parse(data)?.ToJsonString(Indented) ?? "null";
        }
        catch (JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(data);
        }
    }

    /// <summary>The custom_data object's entries; the column always holds an object, but a broken one shows as empty.</summary>
    public static IReadOnlyList<(string Key, string Value)> CustomData(ManagedSystem system)
    {
        try
        {
            return JsonNode.Parse(system.CustomData) is JsonObject o
                ? o.Select(p => (p.Key, p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : p.Value?.ToJsonString() ?? "null")).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
