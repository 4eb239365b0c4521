using System.Text.Json;
using System.Text.Json.Nodes;

namespace Collect.Core.Hardware;

/// <summary>
/// Reads what wwwroot-assets/hwdetect.sh posts: for each component name (cpu, memory, disk, nic, system, bios,
/// mainboard, storage_controller, raid_controller, or any other component defined in Collect), a list of parts with
/// model, value (or size_mb / mhz), serial, and extras that fill the component's custom fields (cores, threads,
/// mhz_turbo, type for the disk type).
/// </summary>
public static class HardwareReportReader
{
    public const int MaxItems = 500;

    private static readonly Dictionary<string, string> FieldOfExtra = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cores"] = "Cores", ["threads"] = "Threads", ["mhz_turbo"] = "MHz Turbo", ["mhz"] = "MHz Normal", ["type"] = "Disk Type",
    };

    public static List<ServerInventoryItem> Read(JsonObject report, IReadOnlyDictionary<string, InventoryComponent> components, IReadOnlyList<InventoryCustomField> fields)
    {
        var items = new List<ServerInventoryItem>();
        foreach (var (name, node) in report)
        {
            if (!components.TryGetValue(name, out var component)) continue;
            var parts = node switch { JsonArray a => a.ToList(), JsonObject o => [o], _ => [] };
            foreach (var part in parts.OfType<JsonObject>())
            {
                if (items.Count >= MaxItems) throw new InvalidOperationException($"The report lists more than {MaxItems} parts.");
                var model = Text(part["model"]);
                var value = Text(part["value"]) ?? Text(part["size_mb"]) ?? Text(part["mhz"]);
                if (model is null && value is null) continue;
                var item = new ServerInventoryItem
                {
                    ComponentId = component.Id, Model = model ?? "", Value = value, Amount = HardwareAmount.Of(value), Serial = Text(part["serial"]), Source = HardwareSources.Collected,
                    Description = Text(part["description"]),
                };
                foreach (var fieldId in component.CustomFieldIds)
                {
                    var field = fields.FirstOrDefault(f => f.Id.ToString() == fieldId);
                    if (field is null) continue;
                    var extra = FieldOfExtra.FirstOrDefault(e => e.Value == field.Name).Key;
                    var raw = extra is null ? null : Text(part[extra]);
                    if (raw is null) continue;
                    if (field.Type == "dropdown")
                    {
                        var choice = field.Values().FirstOrDefault(v => string.Equals(v.Value, raw, StringComparison.OrdinalIgnoreCase));
                        if (choice.Id is not null) item.CustomFields.Add($"{field.Id}:{choice.Id}");
                    }
                    else item.CustomFields.Add($"{field.Id}:{raw}");
                }
                items.Add(item);
            }
        }
        return items;
    }

    private static string? Text(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        var text = v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Trim(),
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text.Length > 255 ? text[..255] : text;
    }
}
