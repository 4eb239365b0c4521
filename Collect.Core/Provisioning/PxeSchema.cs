using System.Text.Json;
using System.Text.Json.Nodes;

namespace Collect.Core.Provisioning;

public enum PxeFieldKind { Text, LongText, Bool, Int, Enum, Strings, Url }

/// <summary>One field of a PXE library entry as the seed names it, with its rule and default.</summary>
public sealed record PxeField(string Name, PxeFieldKind Kind, bool Required = false, int? Min = null, int? Max = null, string[]? Values = null, JsonNode? Default = null);

/// <summary>
/// Every field of seed 002's PXE profiles, disk layouts and scripts, beyond name, tags and isDisabled, with the
/// seed's rules: enums, keep_dhcp_minutes 1–6000, partition sizes of at least 100, URLs.
/// </summary>
public static class PxeSchema
{
    public static readonly string[] PxeTypes = ["preseed", "kickstart", "autoinstall", "rescue", "custom"];
    public static readonly string[] CompletedEvents = ["firstBootAfterScriptExecution", "firstBoot", "installerFinished"];
    public static readonly string[] CachingPolicies = ["smartCaching", "keepAsLongAsPossible", "dailyCleanup", "noCaching"];
    public static readonly string[] NetworkModes = ["default", "static", "dhcp"];
    public static readonly string[] HwRaidHandling = ["always_offer", "dont_offer_if_hw_raid", "only_offer_if_hw_raid"];

    private static readonly PxeField[] OfferRules =
    [
        new("offer_if_has_tag", PxeFieldKind.Strings), new("dont_offer_if_has_tag", PxeFieldKind.Strings),
        new("offer_if_user_has_role", PxeFieldKind.Strings), new("dont_offer_if_user_has_role", PxeFieldKind.Strings),
        new("allow_for_vps", PxeFieldKind.Bool, Default: true), new("allow_for_dedicated", PxeFieldKind.Bool, Default: true),
    ];

    public static readonly IReadOnlyList<PxeField> Profile =
    [
        new("pxeType", PxeFieldKind.Enum, Required: true, Values: PxeTypes),
        new("pxeConfig", PxeFieldKind.LongText, Required: true),
        new("defaultDiskLayout", PxeFieldKind.LongText), new("packages", PxeFieldKind.LongText), new("language", PxeFieldKind.Text, Default: "en_US"),
        new("autoInstallTemplate", PxeFieldKind.LongText), new("timezone", PxeFieldKind.Text, Default: "Etc/UTC"), new("mirrorUrl", PxeFieldKind.Url),
        new("additionalDriversUrl", PxeFieldKind.Url), new("cacheDirectory", PxeFieldKind.Text, Required: true),
        new("networkConfigMode", PxeFieldKind.Enum, Values: NetworkModes, Default: "default"), new("httpdirectory", PxeFieldKind.Text),
        new("version", PxeFieldKind.Text), new("customFirstBoot", PxeFieldKind.LongText), new("customPostScript", PxeFieldKind.LongText),
        new("allow_ssh_keys", PxeFieldKind.Bool, Default: true), new("allow_set_hostname", PxeFieldKind.Bool, Default: true),
        new("set_root_password", PxeFieldKind.Bool, Default: true), new("updateServerHardwareInventory", PxeFieldKind.Bool, Default: false),
        new("mark_installation_completed_event", PxeFieldKind.Enum, Values: CompletedEvents, Default: "firstBootAfterScriptExecution"),
        new("default_disklayout_template", PxeFieldKind.Int, Min: 1), new("fallback_to_default_disklayout_if_unset", PxeFieldKind.Bool, Default: true),
        new("enforced_default_disklayout_template", PxeFieldKind.Bool, Default: false), new("default_run_scripts", PxeFieldKind.Strings),
        new("enforced_default_run_scripts", PxeFieldKind.Bool, Default: false), new("default_run_scripts_hide_others", PxeFieldKind.Bool, Default: false),
        new("configure_all_ipvfour_ask_user", PxeFieldKind.Bool), new("configure_all_ipvfour_enforce", PxeFieldKind.Bool, Default: true),
        new("configure_ipvfour_even_if_outside_of_gateway", PxeFieldKind.Bool, Default: true), new("configure_all_ipvsix_ask_user", PxeFieldKind.Bool),
        new("configure_all_ipvsix_enforce", PxeFieldKind.Bool, Default: true),
        .. OfferRules,
        new("windows_activation_key", PxeFieldKind.Text), new("windows_use_empty_activation_key", PxeFieldKind.Bool),
        new("windows_key_location_userdata", PxeFieldKind.Bool), new("windows_key_location_specialize", PxeFieldKind.Bool),
        new("windows_bypass_system_requirements_check", PxeFieldKind.Bool), new("windows_skip_oobe", PxeFieldKind.Bool),
        new("pxe_enable_comboot", PxeFieldKind.Bool), new("ipxe_bios_file", PxeFieldKind.Text), new("ipxe_efi_file", PxeFieldKind.Text),
        new("licensekey", PxeFieldKind.Text), new("keep_dhcp_minutes", PxeFieldKind.Int, Min: 1, Max: 6000, Default: 60),
        new("pxe_file_caching_policy", PxeFieldKind.Enum, Values: CachingPolicies, Default: "smartCaching"),
        new("isRescue", PxeFieldKind.Bool, Default: false), new("groupname", PxeFieldKind.Text), new("grouplogo", PxeFieldKind.Text),
    ];

    public static readonly IReadOnlyList<PxeField> DiskLayout =
    [
        new("disklayout", PxeFieldKind.LongText), new("min_disks", PxeFieldKind.Int, Min: 1, Max: 64), new("isAutoRaid", PxeFieldKind.Bool, Default: false),
        new("hw_raid_handling", PxeFieldKind.Enum, Values: HwRaidHandling, Default: "always_offer"),
        new("partition_size_boot", PxeFieldKind.Int, Min: 100, Max: 1_000_000), new("partition_size_efi", PxeFieldKind.Int, Min: 100, Max: 1_000_000),
        .. OfferRules,
    ];

    public static readonly IReadOnlyList<PxeField> Script = [new("script", PxeFieldKind.LongText, Required: true), .. OfferRules];

    public static IReadOnlyList<PxeField> For(string kind) => kind switch
    {
        PxeKinds.Profile => Profile,
        PxeKinds.DiskLayout => DiskLayout,
        _ => Script,
    };

    /// <summary>
    /// Applies the given fields to a settings object (all fields when creating, only those given when updating);
    /// returns errors by field, leaving <paramref name="settings"/> unchanged when there are any.
    /// </summary>
    public static Dictionary<string, string[]> Apply(string kind, JsonObject body, JsonObject settings, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        var result = (JsonObject)settings.DeepClone();
        foreach (var field in For(kind))
        {
            var given = body.TryGetPropertyValue(field.Name, out var node);
            if (!given)
            {
                if (creating) result[field.Name] = field.Required ? null : field.Default?.DeepClone();
                if (creating && field.Required) errors[field.Name] = [$"The {field.Name} field is required."];
                continue;
            }
            if (node is null)
            {
                if (field.Required) errors[field.Name] = [$"The {field.Name} field is required."];
                else result[field.Name] = field.Kind == PxeFieldKind.Strings ? new JsonArray() : null;
                continue;
            }
            var (value, error) = Check(field, node);
            if (error is null && field.Required && value is JsonValue text && text.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(text.GetValue<string>()))
                error = $"The {field.Name} field is required.";
            if (error is not null) errors[field.Name] = [error];
            else result[field.Name] = value;
        }
        if (errors.Count == 0)
        {
            settings.Clear();
            foreach (var (key, value) in result.ToList())
            {
                result.Remove(key);
                settings[key] = value;
            }
        }
        return errors;
    }

    private static (JsonNode? Value, string? Error) Check(PxeField field, JsonNode node)
    {
        var name = field.Name;
        switch (field.Kind)
        {
            case PxeFieldKind.Bool:
                if (node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return (b.GetValue<bool>(), null);
                if (node is JsonValue n && n.TryGetValue<int>(out var i) && i is 0 or 1) return (i == 1, null);
                return (null, $"The {name} field must be true or false.");
            case PxeFieldKind.Int:
                if (node is not JsonValue v || !v.TryGetValue<int>(out var number))
                    return (null, $"The {name} must be an integer.");
                if (field.Min is { } min && number < min) return (null, $"The {name} must be at least {min}.");
                if (field.Max is { } max && number > max) return (null, $"The {name} must not be greater than {max}.");
                return (number, null);
            case PxeFieldKind.Strings:
                if (node is not JsonArray array) return (null, $"The {name} must be an array.");
                var items = new JsonArray();
                foreach (var item in array)
                {
                    if (item is null) continue; // the seed's own examples send [null] for "none"
                    if (item is not JsonValue s || s.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number)) return (null, $"Each {name} entry must be a string.");
                    var text = s.ToString().Trim();
                    if (text.Length is 0 or > 255) return (null, $"Each {name} entry must have 1 to 255 characters.");
                    items.Add(text);
                }
                return (items, null);
            default:
                if (node is not JsonValue str || str.GetValueKind() != JsonValueKind.String) return (null, $"The {name} must be a string.");
                var value = str.GetValue<string>();
                var limit = field.Kind == PxeFieldKind.LongText ? 200_000 : 255;
                if (value.Length > limit) return (null, $"The {name} must not be greater than {limit} characters.");
                if (field.Kind == PxeFieldKind.Enum && !field.Values!.Contains(value))
                    return (null, $"The {name} must be one of: {string.Join(", ", field.Values!)}.");
                if (field.Kind == PxeFieldKind.Url && value.Length > 0 &&
                    (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "ftp")))
                    return (null, $"The {name} must be a valid URL.");
                return (value, null);
        }
    }
}
