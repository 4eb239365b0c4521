namespace Collect.Web.Components.Shared.Branding;

/// <summary>Language keys of texts whose defaults live in code, such as the drawer's titles.</summary>
public static class BrandTexts
{
    private static readonly Dictionary<string, string> NavKeys = new(StringComparer.Ordinal)
    {
        ["IP management"] = "nav_ip_management",
        ["Background jobs"] = "nav_jobs",
        ["API reference"] = "nav_api",
    };

    /// <summary>The profile pages' breadcrumbs use the user menu's keys, so one override renames both.</summary>
    private static readonly Dictionary<string, string> ProfileKeys = new(StringComparer.Ordinal)
    {
        ["/profile"] = "menu_profile",
        ["/profile/security"] = "menu_security",
        ["/profile/tokens"] = "menu_tokens",
    };

    /// <summary>nav_servers for "Servers": the area's title in snake case, with the language file's few exceptions.</summary>
    public static string NavKey(FeatureArea area) => NavKeys.TryGetValue(area.Title, out var key) ? key : "nav_" + Snake(area.Title);

    public static string NavGroupKey(string group) => "nav_group_" + Snake(group);

    /// <summary>area_config_items_summary: the one-line description an area's placeholder page shows.</summary>
    public static string SummaryKey(FeatureArea area) => "area_" + NavKey(area)["nav_".Length..] + "_summary";

    /// <summary>The key of a profile page's title by its lower-case path (see FeatureAreas.ProfilePages).</summary>
    public static string ProfileKey(string path) => ProfileKeys[path];

    /// <summary>
    /// The sign-in endpoint redirects to the login pages with its English message in the query; they show the brand's
    /// text for the messages it sends, and anything else as it came.
    /// </summary>
    public static string SignInError(BrandContext brand, string message) => message switch
    {
        "Enter your username and password." => brand.T("login_missing", "Enter your username and password."),
        "Invalid username or password." => brand.T("login_failed", "Invalid username or password."),
        "This account is disabled." => brand.T("login_disabled", "This account is disabled."),
        "Sign-in is not allowed from this address." => brand.T("login_host_not_allowed", "Sign-in is not allowed from this address."),
        "Too many failed attempts: this account is locked for a few minutes." =>
            brand.T("login_locked", "Too many failed attempts: this account is locked for a few minutes."),
        "Enter the code from your authenticator app." => brand.T("login_2fa_missing", "Enter the code from your authenticator app."),
        "That code is not valid. Try the current one." => brand.T("login_2fa_invalid", "That code is not valid. Try the current one."),
        "That recovery code is not valid." => brand.T("login_2fa_recovery_invalid", "That recovery code is not valid."),
        _ => message,
    };

    private static string Snake(string title) => title.Trim().ToLowerInvariant().Replace(' ', '_');
}
