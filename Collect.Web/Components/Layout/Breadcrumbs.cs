using Collect.Web.Components.Shared;
using MudBlazor;

namespace Collect.Web.Components.Layout;

/// <summary>Breadcrumbs from the URL: Home, then the feature area, then the page.</summary>
public static class Breadcrumbs
{
    public static List<BreadcrumbItem> For(string path)
    {
        var clean = path.Split('?', '#')[0].TrimEnd('/');
        var crumbs = new List<BreadcrumbItem> { new("Home", "/", clean.Length == 0, Icons.Material.Filled.Home) };
        if (clean.Length == 0) return crumbs;

        if (FeatureAreas.ProfilePages.TryGetValue(clean.ToLowerInvariant(), out var title))
        {
            if (!clean.Equals("/profile", StringComparison.OrdinalIgnoreCase)) crumbs.Add(new BreadcrumbItem("Profile", "/profile"));
            crumbs.Add(new BreadcrumbItem(title, clean, disabled: true));
            return crumbs;
        }
        var area = FeatureAreas.All.Where(a => a.Href != "/" && IsUnder(clean, a.Href))
            .OrderByDescending(a => a.Href.Length).FirstOrDefault();
        if (area is not null) crumbs.Add(new BreadcrumbItem(area.Title, area.Href, disabled: clean.Equals(area.Href, StringComparison.OrdinalIgnoreCase)));
        return crumbs;
    }

    /// <summary>Whole path segments only: /area/servers-archive is not under /area/servers.</summary>
    private static bool IsUnder(string path, string prefix) =>
        path.Equals(prefix, StringComparison.OrdinalIgnoreCase) ||
        path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);
}
