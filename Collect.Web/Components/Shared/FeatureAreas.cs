namespace Collect.Web.Components.Shared;

/// <summary>One entry of the navigation drawer.</summary>
public sealed record FeatureArea(string Title, string Href, string Icon, string Group, bool AdminOnly = false, bool Available = true, string? Summary = null);

/// <summary>Every feature area of Collect, in drawer order. Areas not built yet say so on their page.</summary>
public static class FeatureAreas
{
    public static readonly IReadOnlyList<FeatureArea> All =
    [
        new("Dashboard", "/", MudBlazor.Icons.Material.Filled.Dashboard, "Overview"),
        new("Servers", "/servers", MudBlazor.Icons.Material.Filled.Dns, "Infrastructure",
            Summary: "Dedicated servers: ownership, tags, comments, connections, power and search."),
        new("IP management", "/subnets", MudBlazor.Icons.Material.Filled.Lan, "Infrastructure",
            Summary: "Subnets and addresses, IPv4 and IPv6, assignments, reservations and RDNS."),
        new("Systems", "/systems", MudBlazor.Icons.Material.Filled.Memory, "Infrastructure",
            Summary: "Machines whose agents post their inventory, with heartbeats and change history."),
        new("Hardware", "/hardware", MudBlazor.Icons.Material.Filled.DeveloperBoard, "Infrastructure", AdminOnly: true,
            Summary: "Hardware components and custom fields collected from each machine."),
        new("Provisioning", "/pxe", MudBlazor.Icons.Material.Filled.InstallDesktop, "Infrastructure", AdminOnly: true,
            Summary: "PXE profiles, disk layouts and scripts for network OS installs."),
        new("Config items", "/configitems", MudBlazor.Icons.Material.Filled.AccountTree, "Infrastructure", Available: true,
            Summary: "The configuration-item database and its relationships."),
        new("Users", "/users", MudBlazor.Icons.Material.Filled.People, "Customers", Available: true,
            Summary: "Customers, resellers, sub-users, roles and permissions."),
        new("Roles", "/roles", MudBlazor.Icons.Material.Filled.AdminPanelSettings, "Customers",
            Summary: "Roles built from permission sets and single permissions."),
        new("Alias users", "/alias-users", MudBlazor.Icons.Material.Filled.SupervisedUserCircle, "Customers",
            Summary: "Extra logins that work inside an account with an alias role."),
        new("Brands", "/brands", MudBlazor.Icons.Material.Filled.Palette, "Customers",
            Summary: "Resellers' own domains, colours, logos and texts."),
        new("Activity", "/activity", MudBlazor.Icons.Material.Filled.History, "Administration", Available: true,
            Summary: "Who changed what, when and from where."),
        new("Backups", "/system/backups", MudBlazor.Icons.Material.Filled.Backup, "Administration", AdminOnly: true, Available: true,
            Summary: "Scheduled archives of Collect's own data to local, SFTP and FTP storages."),
        new("Settings", "/settings", MudBlazor.Icons.Material.Filled.Settings, "Administration", AdminOnly: true, Available: true,
            Summary: "Global system settings."),
        new("Background jobs", "/jobs", MudBlazor.Icons.Material.Filled.WorkHistory, "Administration", AdminOnly: true),
        new("API reference", "/scalar", MudBlazor.Icons.Material.Filled.Api, "Administration"),
    ];

    public static FeatureArea? BySlug(string slug) => All.FirstOrDefault(a => a.Href == "/area/" + slug);

    /// <summary>Pages that are not areas of their own but still get a breadcrumb.</summary>
    public static readonly IReadOnlyDictionary<string, string> ProfilePages = new Dictionary<string, string>
    {
        ["/profile"] = "Profile",
        ["/profile/security"] = "Two-factor authentication",
        ["/profile/tokens"] = "API tokens",
    };

    /// <summary>
    /// Links that leave the Blazor app (the jobs dashboard, the API reference) need a full page load: Blazor leaves
    /// links with a target other than _self to the browser.
    /// </summary>
    public static bool IsExternal(FeatureArea area) => area.Href is "/jobs" or "/scalar";
}
