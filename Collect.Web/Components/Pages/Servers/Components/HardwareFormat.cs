using System.Globalization;
using Collect.Core.Hardware;
using Collect.Core.Servers;
using Collect.Web.Components.Shared.Branding;

namespace Collect.Web.Components.Pages.Servers.Components;

/// <summary>How hardware reads on screen: sizes (recorded in MB) as GB or TB, custom field values by name and text.</summary>
internal static class HardwareFormat
{
    /// <summary>Binary units, as the detection script measures: 16384 MB is 16 GB.</summary>
    public const long MbPerGb = 1024;

    public static string Size(long mb) => mb switch
    {
        < MbPerGb => $"{mb} MB",
        < MbPerGb * MbPerGb => $"{mb / (double)MbPerGb:0.#} GB",
        _ => $"{mb / (double)(MbPerGb * MbPerGb):0.##} TB",
    };

    public static bool IsSize(string valueType) => valueType is "mb" or "mib";

    /// <summary>An item's or summary's value in its component's unit.</summary>
    public static string Value(string? value, string valueType)
    {
        if (string.IsNullOrWhiteSpace(value)) return "";
        var amount = HardwareAmount.Of(value);
        return valueType switch
        {
            "mb" or "mib" when amount is { } mb => Size(mb),
            "MHz" when amount is not null => $"{value.Trim()} MHz",
            _ => value,
        };
    }

    /// <summary>The custom field values of an item as (field name, readable value); values of deleted fields are left out.</summary>
    public static IEnumerable<(string Name, string Text)> Fields(BrandContext brand, ServerInventoryItem item, IReadOnlyDictionary<string, InventoryCustomField> fields)
    {
        foreach (var entry in item.CustomFields)
        {
            var parts = entry.Split(':', 2);
            if (parts.Length != 2 || !fields.TryGetValue(parts[0], out var field)) continue;
            var text = field.Type switch
            {
                "dropdown" => field.Values().FirstOrDefault(v => v.Id == parts[1]).Value ?? parts[1],
                "checkbox" => parts[1] == "1" ? brand.T("hardware_checkbox_yes", "yes") : brand.T("hardware_checkbox_no", "no"),
                _ => parts[1],
            };
            if (text.Length > 0) yield return (field.Name, text);
        }
    }

    // The server list's hardware columns: blank when nothing is recorded.
    public static string Cpu(BrandContext brand, ServerView server) => server.Hardware?.GetValueOrDefault("cpu") is { } cpu
        ? cpu.Model == "multiple" ? string.Format(brand.T("servers_cpus_different", "{0} different CPUs"), cpu.Count) : cpu.Count > 1 ? $"{cpu.Count} × {cpu.Model}" : cpu.Model
        : "";

    public static string Memory(ServerView server) => Total(server, "memory");

    public static string Disk(ServerView server) => Total(server, "disk");

    private static string Total(ServerView server, string component) =>
        server.Hardware?.GetValueOrDefault(component) is { } line && long.TryParse(line.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb) && mb > 0
            ? Size(mb)
            : "";
}
