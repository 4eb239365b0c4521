using System.Globalization;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Settings;

/// <summary>A global setting changed from its default (seed 002's globalSystemSettings). Unchanged settings have no row.</summary>
public sealed class SystemSetting : IAuditable
{
    public int Id { get; set; }
    public string Setting { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SystemSettingConfiguration : IEntityTypeConfiguration<SystemSetting>
{
    public void Configure(EntityTypeBuilder<SystemSetting> b)
    {
        b.Property(s => s.Setting).HasMaxLength(128);
        b.Property(s => s.Value).HasMaxLength(255);
        b.HasIndex(s => s.Setting).IsUnique();
    }
}

public static class SettingKinds
{
    /// <summary>"on" or "off".</summary>
    public const string OnOff = "onoff";
    /// <summary>One of the definition's options.</summary>
    public const string Choice = "choice";
    /// <summary>An IANA time zone id.</summary>
    public const string Timezone = "timezone";
}

/// <summary>
/// What a setting is: its area (for grouping), kind, default, allowed values and what it does. <see cref="KeptForCompatibility"/>
/// marks a seed setting whose feature Collect does not have: it can be read and written through the API, and nothing acts on it.
/// </summary>
public sealed record SettingDefinition(string Name, string Area, string Kind, string Default, string Description, IReadOnlyList<string>? Options = null,
    bool KeptForCompatibility = false);

/// <summary>The names of the settings that Collect's features read.</summary>
public static class SettingNames
{
    public const string DefaultDatetimeFormat = "default_datetime_format";
    public const string DefaultTimezone = "default_timezone";
    public const string DeleteRdnsWithIp = "delete_rdns_entry_when_delete_ip";
    public const string ShowServerId = "show_server_id_on_server_detail_page";
    public const string HidePasswords = "ui_password_hide_passwords_generally_by_default";
    public const string OpenAddedServer = "precheck_addserver_redirect_to_server";
    public const string OpenAddedUser = "precheck_adduser_redirect_to_user";
    public const string HideDisabledProfiles = "ui_pxemanager_hide_disabled_pxeprofiles";
    public const string HideDisabledDiskLayouts = "ui_pxemanager_hide_disabled_disklayouts";
    public const string HideDisabledScripts = "ui_pxemanager_hide_disabled_scripts";
}

/// <summary>Every setting's value in force when it was read: one query, then asked as often as needed.</summary>
public sealed class SettingValues(IReadOnlyDictionary<string, string> stored)
{
    /// <summary>The stored value, or the default; an unknown name is a programming error.</summary>
    public string this[string name] => stored.TryGetValue(name, out var value) ? value
        : (SystemSettingsService.Find(name) ?? throw new ArgumentException($"Unknown setting {name}", nameof(name))).Default;

    public bool IsOn(string name) => this[name] == "on";
}

/// <summary>
/// Moment.js-style date formats (seed 002: "DD.MM.YYYY HH:mm:ss") as .NET custom format strings. Letters that are not
/// moment tokens, and separators, are escaped, so that no culture turns "/" or ":" into something else.
/// </summary>
public static class MomentFormat
{
    // Longest first, so that "YYYY" is not read as two "YY".
    private static readonly (string Moment, string DotNet)[] Tokens =
    [
        ("YYYY", "yyyy"), ("YY", "yy"), ("MMMM", "MMMM"), ("MMM", "MMM"), ("MM", "MM"), ("M", "M"), ("DD", "dd"), ("D", "d"),
        ("dddd", "dddd"), ("ddd", "ddd"), ("HH", "HH"), ("H", "H"), ("hh", "hh"), ("h", "h"), ("mm", "mm"), ("m", "m"),
        ("ss", "ss"), ("s", "s"), ("A", "tt"),
    ];

    private static readonly string[] TimeTokens = ["HH", "H", "hh", "h", "mm", "m", "ss", "s", "A"];

    /// <summary>The .NET format for a moment format; null when it names no part of a date or time at all.</summary>
    public static string? ToDotNet(string? moment)
    {
        if (string.IsNullOrWhiteSpace(moment)) return null;
        var result = new System.Text.StringBuilder();
        var any = false;
        for (var i = 0; i < moment.Length;)
        {
            var token = Tokens.FirstOrDefault(t => string.CompareOrdinal(moment, i, t.Moment, 0, t.Moment.Length) == 0);
            if (token.Moment is not null)
            {
                result.Append(token.DotNet);
                i += token.Moment.Length;
                any = true;
            }
            else
            {
                // A single character in a custom format string is escaped with a backslash.
                result.Append('\\').Append(moment[i]);
                i++;
            }
        }
        return any ? result.ToString() : null;
    }

    /// <summary>The date part of a moment format: everything before its first hour, minute or second, e.g. "DD.MM.YYYY".</summary>
    public static string DatePart(string moment)
    {
        var cut = moment.Length;
        for (var i = 0; i < moment.Length; i++)
        {
            var token = Tokens.FirstOrDefault(t => string.CompareOrdinal(moment, i, t.Moment, 0, t.Moment.Length) == 0);
            if (token.Moment is null) continue;
            if (TimeTokens.Contains(token.Moment)) { cut = i; break; }
            i += token.Moment.Length - 1;
        }
        var date = moment[..cut].TrimEnd(' ', ',', '-', '/', '.', ':', 'T');
        return date.Length > 0 ? date : moment;
    }
}

/// <summary>A setting's current value, with its definition; <see cref="Id"/> and the dates are null while it has its default.</summary>
public sealed record SettingView(SettingDefinition Definition, string Value, int? Id, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public bool IsDefault => Id is null || Value == Definition.Default;
}

/// <summary>One of the nine date formats of seed 002 (moment.js style), with the current time written in it.</summary>
public sealed record DateTimeFormatExample(string Format, string Example);

/// <summary>Global system settings: typed, with defaults and descriptions; reading, changing, and the date formats and time zones to choose from.</summary>
public sealed class SystemSettingsService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> DateTimeFormats =
    [
        "DD.MM.YYYY HH:mm:ss", "DD/MM/YYYY HH:mm:ss", "DD-MM-YYYY HH:mm:ss",
        "MM.DD.YYYY HH:mm:ss", "MM/DD/YYYY HH:mm:ss", "MM-DD-YYYY HH:mm:ss",
        "YYYY.MM.DD HH:mm:ss", "YYYY/MM/DD HH:mm:ss", "YYYY-MM-DD HH:mm:ss",
    ];

    public static class Areas
    {
        public const string General = "general";
        public const string Ip = "ip";
        public const string Servers = "servers";
        public const string Suspension = "suspension";
        public const string Prechecks = "prechecks";
        public const string Pxe = "pxe";
        public const string Passwords = "passwords";
        public const string Graphs = "graphs";
        public static readonly string[] All = [General, Ip, Servers, Suspension, Prechecks, Pxe, Passwords, Graphs];
    }

    private const string On = "on", Off = "off";

    public static readonly IReadOnlyList<SettingDefinition> Definitions =
    [
        new(SettingNames.DefaultDatetimeFormat, Areas.General, SettingKinds.Choice, "DD.MM.YYYY HH:mm:ss", "How dates and times are written for users who have not chosen a format.", DateTimeFormats),
        new(SettingNames.DefaultTimezone, Areas.General, SettingKinds.Timezone, "Etc/UTC", "The time zone for users who have not chosen one."),
        new(SettingNames.DeleteRdnsWithIp, Areas.Ip, SettingKinds.OnOff, Off, "Remove an address's reverse DNS entry when the address is removed from a server."),
        new(SettingNames.ShowServerId, Areas.Servers, SettingKinds.OnOff, Off, "Show the server's id on its page."),
        new("server_console_show_dialog", Areas.Servers, SettingKinds.OnOff, On, "Ask before opening a server's console.", KeptForCompatibility: true),
        new("password_hide_ipmipass", Areas.Servers, SettingKinds.Choice, "show", "Whether a server's IPMI password is shown or hidden on its page. Collect never shows a stored IPMI password: it is always masked.", ["show", "hide"], KeptForCompatibility: true),
        new("ui_connection_assignments_dont_show_already_assigned_items", Areas.Servers, SettingKinds.OnOff, Off, "Leave out items that are already assigned when assigning connections.", KeptForCompatibility: true),
        new("ui_users_allow_power_actions_during_pxe_boot", Areas.Servers, SettingKinds.OnOff, Off, "Let users use the power buttons while their server is being installed over the network.", KeptForCompatibility: true),
        new("ui_admins_allow_power_actions_during_pxe_boot", Areas.Servers, SettingKinds.OnOff, Off, "Let admins use the power buttons while a server is being installed over the network.", KeptForCompatibility: true),
        new("suspension_default_network_action", Areas.Suspension, SettingKinds.OnOff, Off, "Preselect switching off the network ports when suspending a server.", KeptForCompatibility: true),
        new("suspension_default_power_action", Areas.Suspension, SettingKinds.OnOff, Off, "Preselect powering off when suspending a server.", KeptForCompatibility: true),
        new("suspension_affect_all_network_ports", Areas.Suspension, SettingKinds.OnOff, Off, "A suspension acts on all of a server's network ports, not only the main one.", KeptForCompatibility: true),
        new("suspension_actions_in_background", Areas.Suspension, SettingKinds.OnOff, Off, "Carry out suspension actions in the background instead of waiting for them.", KeptForCompatibility: true),
        new(SettingNames.OpenAddedServer, Areas.Prechecks, SettingKinds.OnOff, Off, "Preselect opening the new server after adding it."),
        new(SettingNames.OpenAddedUser, Areas.Prechecks, SettingKinds.OnOff, Off, "Preselect opening the new user after adding it."),
        new("precheck_deleteserver_delete_vm_on_node", Areas.Prechecks, SettingKinds.OnOff, Off, "Preselect deleting the virtual machine on its node when deleting a server.", KeptForCompatibility: true),
        new("precheck_networkgraph_show_summary", Areas.Prechecks, SettingKinds.OnOff, Off, "Preselect the summary under network graphs.", KeptForCompatibility: true),
        new(SettingNames.HideDisabledProfiles, Areas.Pxe, SettingKinds.OnOff, Off, "Hide disabled PXE profiles in the PXE manager."),
        new(SettingNames.HideDisabledDiskLayouts, Areas.Pxe, SettingKinds.OnOff, Off, "Hide disabled disk layouts in the PXE manager."),
        new(SettingNames.HideDisabledScripts, Areas.Pxe, SettingKinds.OnOff, Off, "Hide disabled scripts in the PXE manager."),
        new(SettingNames.HidePasswords, Areas.Passwords, SettingKinds.OnOff, Off, "Keep passwords behind their reveal button, even right after Collect generates one (the reinstall wizard's root password)."),
        new("networkgraphs_show_total_p95th_line", Areas.Graphs, SettingKinds.OnOff, Off, "Draw the 95th percentile of the total traffic on network graphs.", KeptForCompatibility: true),
    ];

    private static readonly Dictionary<string, SettingDefinition> ByName = Definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static SettingDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    public async Task<ServiceResult<IReadOnlyList<SettingView>>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Can("system.globalSystemSettings.index")) return ServiceResult<IReadOnlyList<SettingView>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceResult<IReadOnlyList<SettingView>>.Ok(await ViewsAsync(db, ct));
    }

    public async Task<ServiceResult<SettingView>> GetAsync(Actor actor, string name, CancellationToken ct = default)
    {
        if (!actor.Can("system.globalSystemSettings.show")) return ServiceResult<SettingView>.Forbidden();
        if (Find(name) is null) return ServiceResult<SettingView>.NotFound();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceResult<SettingView>.Ok((await ViewsAsync(db, ct)).Single(v => v.Definition.Name == name));
    }

    /// <summary>The value in force for Collect's own use (no permission check): the stored value or the default.</summary>
    public async Task<string> ValueAsync(string name, CancellationToken ct = default)
    {
        var definition = Find(name) ?? throw new ArgumentException($"Unknown setting {name}", nameof(name));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SystemSettings.AsNoTracking().Where(s => s.Setting == name).Select(s => s.Value).FirstOrDefaultAsync(ct) ?? definition.Default;
    }

    /// <summary>Every setting's value in force, in one query, for a caller that reads several or reads one often.</summary>
    public async Task<SettingValues> ValuesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ValuesAsync(db, ct);
    }

    /// <summary>Every setting's value in force, read in the caller's context (and transaction).</summary>
    public static async Task<SettingValues> ValuesAsync(CollectDbContext db, CancellationToken ct) =>
        new(await db.SystemSettings.AsNoTracking().ToDictionaryAsync(s => s.Setting, s => s.Value, StringComparer.Ordinal, ct));

    /// <summary>Whether an on/off setting is on, read in the caller's context (and transaction).</summary>
    public static async Task<bool> IsOnAsync(CollectDbContext db, string name, CancellationToken ct)
    {
        var definition = Find(name) ?? throw new ArgumentException($"Unknown setting {name}", nameof(name));
        var value = await db.SystemSettings.AsNoTracking().Where(s => s.Setting == name).Select(s => s.Value).FirstOrDefaultAsync(ct) ?? definition.Default;
        return value == On;
    }

    /// <summary>Changes several settings at once; one unknown name or wrong value and nothing changes.</summary>
    public async Task<ServiceResult<IReadOnlyList<SettingView>>> UpdateAsync(Actor actor, IReadOnlyDictionary<string, string?> values, CancellationToken ct = default)
    {
        if (!actor.Can("system.globalSystemSettings.update")) return ServiceResult<IReadOnlyList<SettingView>>.Forbidden();
        if (values.Count == 0) return ServiceResult<IReadOnlyList<SettingView>>.Invalid("settings", "Name at least one setting to change.");
        var errors = new Dictionary<string, string[]>();
        var clean = new Dictionary<string, string>();
        foreach (var (name, raw) in values)
        {
            if (Find(name) is not { } definition) errors.TryAdd(name, [$"There is no setting named {name}."]);
            else if (Check(definition, raw) is { Error: { } error }) errors.TryAdd(name, [error]);
            else clean[name] = Check(definition, raw).Value!;
        }
        if (errors.Count > 0) return ServiceResult<IReadOnlyList<SettingView>>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = clean.Keys.ToList();
        var rows = await db.SystemSettings.Where(s => names.Contains(s.Setting)).ToDictionaryAsync(s => s.Setting, ct);
        var original = new Dictionary<string, string>();
        var changed = new Dictionary<string, string>();
        foreach (var (name, value) in clean)
        {
            var before = rows.TryGetValue(name, out var row) ? row.Value : Find(name)!.Default;
            if (before == value) continue;
            original[name] = before;
            changed[name] = value;
            if (row is null) db.SystemSettings.Add(new SystemSetting { Setting = name, Value = value });
            else row.Value = value;
        }
        if (changed.Count > 0)
        {
            activity.Record(db, actor, "globalSystemSettings", null, $"Changed system settings: {string.Join(", ", changed.Keys)}", original, changed);
            await db.SaveChangesAsync(ct);
        }
        return ServiceResult<IReadOnlyList<SettingView>>.Ok(await ViewsAsync(db, ct));
    }

    /// <summary>The nine formats with the current time (UTC) written in each.</summary>
    public IReadOnlyList<DateTimeFormatExample> DateTimeFormatExamples()
    {
        var now = clock.GetUtcNow();
        return DateTimeFormats.Select(f => new DateTimeFormatExample(f, Format(now, f))).ToList();
    }

    /// <summary>Writes a time in one of the moment.js-style formats of <see cref="DateTimeFormats"/>.</summary>
    public static string Format(DateTimeOffset time, string format) =>
        time.ToString(MomentFormat.ToDotNet(format) ?? MomentFormat.ToDotNet(Find(SettingNames.DefaultDatetimeFormat)!.Default), CultureInfo.InvariantCulture);

    /// <summary>The IANA time zone ids of this machine (each resolves with <see cref="TimeZoneInfo.FindSystemTimeZoneById"/>), sorted.</summary>
    public static IReadOnlyList<string> TimeZones() => Zones.Value;

    private static readonly Lazy<IReadOnlyList<string>> Zones = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("Etc/UTC").Append("UTC").Distinct()
            .Where(id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)).Order(StringComparer.Ordinal).ToList());

    private static (string? Value, string? Error) Check(SettingDefinition definition, string? raw)
    {
        if (raw is null) return (null, $"The {definition.Name} must not be empty.");
        var value = raw.Trim();
        return definition.Kind switch
        {
            SettingKinds.OnOff => value is On or Off ? (value, null) : (null, $"The {definition.Name} must be on or off."),
            SettingKinds.Choice => definition.Options!.Contains(value) ? (value, null) : (null, $"The {definition.Name} must be one of: {string.Join(", ", definition.Options!)}."),
            SettingKinds.Timezone => TimeZoneInfo.TryFindSystemTimeZoneById(value, out _) && value.Length <= 64 ? (value, null) : (null, $"The {definition.Name} must be a valid time zone, such as Europe/Berlin."),
            _ => (null, $"The {definition.Name} cannot be changed."),
        };
    }

    private static async Task<IReadOnlyList<SettingView>> ViewsAsync(CollectDbContext db, CancellationToken ct)
    {
        var rows = await db.SystemSettings.AsNoTracking().ToDictionaryAsync(s => s.Setting, ct);
        return Definitions.Select(d => rows.TryGetValue(d.Name, out var row)
            ? new SettingView(d, row.Value, row.Id, row.CreatedAt, row.UpdatedAt)
            : new SettingView(d, d.Default, null, null, null)).ToList();
    }
}
