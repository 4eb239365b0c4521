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

    /// <summary>nav_servers for "Servers": the area's title in snake case, with the language file's few exceptions.</summary>
    public static string NavKey(FeatureArea area) => NavKeys.TryGetValue(area.Title, out var key) ? key : "nav_" + Snake(area.Title);

    public static string NavGroupKey(string group) => "nav_group_" + Snake(group);

    private static string Snake(string title) => title.Trim().ToLowerInvariant().Replace(' ', '_');
}
