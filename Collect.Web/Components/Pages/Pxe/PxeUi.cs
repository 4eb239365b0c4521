using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Provisioning;
using Collect.Web.Components.Shared.Branding;

namespace Collect.Web.Components.Pages.Pxe;

/// <summary>One tab of the PXE manager: a library kind with its route segment, permissions and words.</summary>
public sealed record PxeKindInfo(string Kind, string Segment, string Title, string Singular, string PermissionPrefix, string NameField)
{
    public bool CanList(Actor actor) => actor.Can($"{PermissionPrefix}.index");
    public bool CanShow(Actor actor) => actor.Can($"{PermissionPrefix}.show");
    public bool CanCreate(Actor actor) => actor.Can($"{PermissionPrefix}.store");
    public bool CanUpdate(Actor actor) => actor.Can($"{PermissionPrefix}.update");
    public bool CanDelete(Actor actor) => actor.Can($"{PermissionPrefix}.destroy");
    public bool CanDuplicate(Actor actor) => actor.Can($"{PermissionPrefix}.duplicate");
}

/// <summary>
/// How the PXE manager presents <see cref="PxeSchema"/>: kinds, field groups and labels, and the conversion between
/// the settings JSON and editor values. Fields the schema gains later still show up, under "Advanced", by their name.
/// Its words go through the brand's language under keys built here (pxe_kind_profiles, pxe_field_osname, pxe_value_preseed…);
/// <see cref="Texts"/> lists them for the language file.
/// </summary>
internal static class PxeUi
{
    public static readonly PxeKindInfo Profiles = new(PxeKinds.Profile, "profiles", "Profiles", "profile", "pxe.profiles", "osName");
    public static readonly PxeKindInfo DiskLayouts = new(PxeKinds.DiskLayout, "disklayouts", "Disk layouts", "disk layout", "pxe.disklayouts", "name");
    public static readonly PxeKindInfo Scripts = new(PxeKinds.Script, "scripts", "Scripts", "script", "pxe.scripts", "name");
    public static readonly IReadOnlyList<PxeKindInfo> Kinds = [Profiles, DiskLayouts, Scripts];

    public static PxeKindInfo? BySegment(string? segment) => Kinds.FirstOrDefault(k => k.Segment == segment);

    /// <summary>"Profiles", "Disk layouts", "Scripts" in the brand's words.</summary>
    public static string Title(BrandContext brand, PxeKindInfo kind) => brand.T(KindKey(kind), kind.Title);

    /// <summary>"profile", "disk layout", "script" in the brand's words, for sentences about one entry.</summary>
    public static string Singular(BrandContext brand, PxeKindInfo kind) => brand.T(KindKey(kind) + "_one", kind.Singular);

    private static string KindKey(PxeKindInfo kind) => "pxe_kind_" + kind.Segment;

    public const string Basics = "Basics";
    public const string Templates = "Templates";
    public const string Installation = "Installation options";
    public const string OfferRules = "Offer rules";
    public const string Windows = "Windows";
    public const string Advanced = "Advanced";
    public static readonly string[] Groups = [Basics, Templates, Installation, OfferRules, Windows, Advanced];

    /// <summary>A group's tab title; the group itself stays the English constant the editor and its tests key on.</summary>
    public static string GroupTitle(BrandContext brand, string group) => brand.T(GroupKey(group), group);

    private static string GroupKey(string group) => "pxe_group_" + group.ToLowerInvariant().Replace(' ', '_');

    private static readonly string[] OfferRuleFields =
        ["offer_if_has_tag", "dont_offer_if_has_tag", "offer_if_user_has_role", "dont_offer_if_user_has_role", "allow_for_vps", "allow_for_dedicated"];

    private static readonly Dictionary<string, string> ProfileGroups = new()
    {
        ["pxeType"] = Basics, ["version"] = Basics, ["groupname"] = Basics, ["grouplogo"] = Basics, ["isRescue"] = Basics,
        ["language"] = Basics, ["timezone"] = Basics, ["mirrorUrl"] = Basics, ["additionalDriversUrl"] = Basics, ["cacheDirectory"] = Basics,
        ["httpdirectory"] = Basics, ["networkConfigMode"] = Basics, ["packages"] = Basics,
        ["pxeConfig"] = Templates, ["autoInstallTemplate"] = Templates, ["defaultDiskLayout"] = Templates, ["customPostScript"] = Templates,
        ["customFirstBoot"] = Templates,
        ["allow_ssh_keys"] = Installation, ["allow_set_hostname"] = Installation, ["set_root_password"] = Installation,
        ["updateServerHardwareInventory"] = Installation, ["mark_installation_completed_event"] = Installation,
        ["default_disklayout_template"] = Installation, ["fallback_to_default_disklayout_if_unset"] = Installation,
        ["enforced_default_disklayout_template"] = Installation, ["default_run_scripts"] = Installation, ["enforced_default_run_scripts"] = Installation,
        ["default_run_scripts_hide_others"] = Installation, ["configure_all_ipvfour_ask_user"] = Installation,
        ["configure_all_ipvfour_enforce"] = Installation, ["configure_ipvfour_even_if_outside_of_gateway"] = Installation,
        ["configure_all_ipvsix_ask_user"] = Installation, ["configure_all_ipvsix_enforce"] = Installation,
        ["windows_activation_key"] = Windows, ["windows_use_empty_activation_key"] = Windows, ["windows_key_location_userdata"] = Windows,
        ["windows_key_location_specialize"] = Windows, ["windows_bypass_system_requirements_check"] = Windows, ["windows_skip_oobe"] = Windows,
        ["licensekey"] = Windows,
    };

    private static readonly Dictionary<string, string> LayoutGroups = new()
    {
        ["min_disks"] = Basics, ["isAutoRaid"] = Basics, ["hw_raid_handling"] = Basics, ["partition_size_boot"] = Basics, ["partition_size_efi"] = Basics,
        ["disklayout"] = Templates,
    };

    public static string GroupOf(string kind, PxeField field)
    {
        if (OfferRuleFields.Contains(field.Name)) return OfferRules;
        if (field.Kind == PxeFieldKind.LongText && kind != PxeKinds.Profile) return Templates;
        var groups = kind == PxeKinds.Profile ? ProfileGroups : LayoutGroups;
        return groups.GetValueOrDefault(field.Name, Advanced);
    }

    private static readonly Dictionary<string, (string Label, string? Help)> Words = new()
    {
        ["osName"] = ("Name", "As operators and customers see it in the reinstall wizard."),
        ["name"] = ("Name", null),
        ["tags"] = ("Tags", "Profiles, disk layouts and scripts that share a tag are offered together."),
        ["isDisabled"] = ("Disabled", "Disabled entries are not offered for installations."),
        ["pxeType"] = ("Installer type", "Which kind of answer file the installer reads."),
        ["pxeConfig"] = ("iPXE script", "What the machine runs when it boots from the network."),
        ["defaultDiskLayout"] = ("Fallback disk layout", "Used when no disk layout is chosen and the profile has no default layout."),
        ["packages"] = ("Extra packages", "Available to templates as {{ packages }}."),
        ["language"] = ("Language", "A locale such as en_US."),
        ["autoInstallTemplate"] = ("Answer file", "The preseed, kickstart or autoinstall user-data the installer fetches."),
        ["timezone"] = ("Time zone", "Such as Etc/UTC or Europe/Berlin."),
        ["mirrorUrl"] = ("Mirror URL", "Where the installer downloads packages from."),
        ["additionalDriversUrl"] = ("Additional drivers URL", null),
        ["cacheDirectory"] = ("Cache directory", "The directory the installer files are kept under."),
        ["networkConfigMode"] = ("Network configuration", null),
        ["httpdirectory"] = ("HTTP directory", null),
        ["version"] = ("Version", null),
        ["customFirstBoot"] = ("First-boot script", "Runs once when the installed system starts for the first time."),
        ["customPostScript"] = ("Post-install script", "Runs at the end of the installation, before the chosen scripts."),
        ["allow_ssh_keys"] = ("Accept SSH keys", null),
        ["allow_set_hostname"] = ("Let the user set the hostname", null),
        ["set_root_password"] = ("Ask for a root password", null),
        ["updateServerHardwareInventory"] = ("Update the hardware inventory after installing", null),
        ["mark_installation_completed_event"] = ("The installation counts as completed at", null),
        ["default_disklayout_template"] = ("Default disk layout", "Preselected in the wizard."),
        ["fallback_to_default_disklayout_if_unset"] = ("Use the default layout when none is chosen", null),
        ["enforced_default_disklayout_template"] = ("Always use the default layout", null),
        ["default_run_scripts"] = ("Default scripts", "Checked in the wizard."),
        ["enforced_default_run_scripts"] = ("Always run the default scripts", null),
        ["default_run_scripts_hide_others"] = ("Offer only the default scripts", null),
        ["configure_all_ipvfour_ask_user"] = ("Ask whether to configure all IPv4 addresses", null),
        ["configure_all_ipvfour_enforce"] = ("Configure all IPv4 addresses", "Otherwise only the primary address."),
        ["configure_ipvfour_even_if_outside_of_gateway"] = ("Configure IPv4 addresses outside the gateway's subnet", null),
        ["configure_all_ipvsix_ask_user"] = ("Ask whether to configure all IPv6 addresses", null),
        ["configure_all_ipvsix_enforce"] = ("Configure all IPv6 addresses", "Otherwise only the primary address."),
        ["offer_if_has_tag"] = ("Offer only to servers with one of these tags", "Empty: every server."),
        ["dont_offer_if_has_tag"] = ("Never offer to servers with these tags", null),
        ["offer_if_user_has_role"] = ("Offer only to users with one of these roles", "Empty: every role. Administrators are always offered everything."),
        ["dont_offer_if_user_has_role"] = ("Never offer to users with these roles", null),
        ["allow_for_vps"] = ("Offer for VPS", null),
        ["allow_for_dedicated"] = ("Offer for dedicated servers", null),
        ["windows_activation_key"] = ("Windows activation key", null),
        ["windows_use_empty_activation_key"] = ("Use an empty activation key", null),
        ["windows_key_location_userdata"] = ("Put the key in the user data", null),
        ["windows_key_location_specialize"] = ("Put the key in the specialize pass", null),
        ["windows_bypass_system_requirements_check"] = ("Bypass the system requirements check", null),
        ["windows_skip_oobe"] = ("Skip the out-of-box experience", null),
        ["pxe_enable_comboot"] = ("Enable COMBOOT", null),
        ["ipxe_bios_file"] = ("iPXE file for BIOS", null),
        ["ipxe_efi_file"] = ("iPXE file for UEFI", null),
        ["licensekey"] = ("License key", null),
        ["keep_dhcp_minutes"] = ("Keep the DHCP entry (minutes)", null),
        ["pxe_file_caching_policy"] = ("File caching", null),
        ["isRescue"] = ("Rescue system", "Marked as a rescue system in the wizard."),
        ["groupname"] = ("Group", "Profiles with the same group are listed together in the wizard."),
        ["grouplogo"] = ("Group logo", "A path such as /oslogos/debian.svg."),
        ["disklayout"] = ("Disk layout", "The partitioning part of the answer file; templates see it as {{ disk_layout }}."),
        ["min_disks"] = ("Minimum disks", "Offered only to servers whose hardware inventory has this many disks."),
        ["isAutoRaid"] = ("Automatic RAID", null),
        ["hw_raid_handling"] = ("Hardware RAID", null),
        ["partition_size_boot"] = ("/boot size (MB)", null),
        ["partition_size_efi"] = ("EFI partition size (MB)", null),
        ["script"] = ("Script", "Runs after the installation; templates see it in {{ scripts }}."),
    };

    public static string Label(BrandContext brand, string field) => Words.TryGetValue(field, out var w) ? brand.T(FieldKey(field), w.Label) : field;

    public static string? Help(BrandContext brand, string field) =>
        Words.TryGetValue(field, out var w) && w.Help is not null ? brand.T(FieldKey(field) + "_help", w.Help) : null;

    private static string FieldKey(string field) => "pxe_field_" + field.ToLowerInvariant();

    private static readonly Dictionary<string, string> ValueWords = new()
    {
        ["preseed"] = "Preseed (Debian)", ["kickstart"] = "Kickstart (RHEL family)", ["autoinstall"] = "Autoinstall (Ubuntu)", ["rescue"] = "Rescue system",
        ["custom"] = "Custom",
        ["firstBootAfterScriptExecution"] = "First boot, after the scripts ran", ["firstBoot"] = "First boot", ["installerFinished"] = "The installer finished",
        ["smartCaching"] = "Smart caching", ["keepAsLongAsPossible"] = "Keep as long as possible", ["dailyCleanup"] = "Daily clean-up", ["noCaching"] = "No caching",
        ["default"] = "Default", ["static"] = "Static", ["dhcp"] = "DHCP",
        ["always_offer"] = "Always offer", ["dont_offer_if_hw_raid"] = "Not with a hardware RAID controller", ["only_offer_if_hw_raid"] = "Only with a hardware RAID controller",
    };

    public static string ValueLabel(BrandContext brand, string value) => ValueWords.TryGetValue(value, out var text) ? brand.T(ValueKey(value), text) : value;

    private static string ValueKey(string value) => "pxe_value_" + value.ToLowerInvariant();

    /// <summary>Every text above by its language key, as the shipped language file must have them.</summary>
    internal static IEnumerable<(string Key, string Text)> Texts()
    {
        foreach (var kind in Kinds) { yield return (KindKey(kind), kind.Title); yield return (KindKey(kind) + "_one", kind.Singular); }
        foreach (var group in Groups) yield return (GroupKey(group), group);
        foreach (var (field, (label, help)) in Words)
        {
            yield return (FieldKey(field), label);
            if (help is not null) yield return (FieldKey(field) + "_help", help);
        }
        foreach (var (value, text) in ValueWords) yield return (ValueKey(value), text);
    }

    /// <summary>The range a number field accepts, for its helper text.</summary>
    public static string? Range(BrandContext brand, PxeField field) => (field.Min, field.Max) switch
    {
        ({ } min, { } max) => string.Format(brand.T("pxe_range", "{0} to {1}"), min, max),
        ({ } min, null) => string.Format(brand.T("pxe_range_min", "At least {0}"), min),
        (null, { } max) => string.Format(brand.T("pxe_range_max", "At most {0}"), max),
        _ => null,
    };

    /// <summary>An editor value from the stored settings: bool, int?, List&lt;string&gt; or string?, by the field's kind.</summary>
    public static object? Read(PxeField field, JsonNode? node)
    {
        switch (field.Kind)
        {
            case PxeFieldKind.Bool:
                if (node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return b.GetValue<bool>();
                if (node is JsonValue n && n.TryGetValue<int>(out var i)) return i == 1;
                return field.Default is JsonValue d && d.GetValueKind() == JsonValueKind.True;
            case PxeFieldKind.Int:
                return node is JsonValue v && v.TryGetValue<int>(out var number) ? number : null;
            case PxeFieldKind.Strings:
                return node is JsonArray a ? a.Where(x => x is not null).Select(x => x!.ToString()).ToList() : new List<string>();
            default:
                return node is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : node?.ToString();
        }
    }

    /// <summary>The JSON Core takes for an editor value; empty text is sent as null so Core's "required" applies.</summary>
    public static JsonNode? Write(PxeField field, object? value) => field.Kind switch
    {
        PxeFieldKind.Bool => JsonValue.Create(value is true),
        PxeFieldKind.Int => value is int i ? JsonValue.Create(i) : null,
        PxeFieldKind.Strings => new JsonArray(((value as IEnumerable<string>) ?? []).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        _ => value is string { Length: > 0 } text ? JsonValue.Create(text) : null,
    };

    /// <summary>The first message of each error, for a summary above a form.</summary>
    public static IEnumerable<string> Messages(IReadOnlyDictionary<string, string[]>? errors) =>
        errors?.Values.Select(e => e.FirstOrDefault()).OfType<string>() ?? [];

    public static string Message(IReadOnlyDictionary<string, string[]>? errors, string fallback) => Messages(errors).FirstOrDefault() ?? fallback;

    public static string? Text(JsonObject settings, string field) => settings[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool Flag(JsonObject settings, string field, bool fallback = false) =>
        settings[field] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : settings[field] is JsonValue n && n.TryGetValue<int>(out var i) ? i == 1 : fallback;
}
