using Collect.Web.Components.Shared;
using Collect.Web.Components.Shared.Branding;
using MudBlazor;

namespace Collect.Web.Components.Layout;

/// <summary>Breadcrumbs from the URL: Home, then the feature area, then the page, in the brand's words (the drawer's keys).</summary>
public static class Breadcrumbs
{
    public static List<BreadcrumbItem> For(string path, BrandContext brand)
    {
        var clean = path.Split('?', '#')[0].TrimEnd('/');
        var crumbs = new List<BreadcrumbItem> { new(brand.T("nav_home", "Home"), "/", clean.Length == 0, Icons.Material.Filled.Home) };
        if (clean.Length == 0) return crumbs;

        var lower = clean.ToLowerInvariant();
        if (FeatureAreas.ProfilePages.TryGetValue(lower, out var title))
        {
            if (lower != "/profile") crumbs.Add(new BreadcrumbItem(brand.T(BrandTexts.ProfileKey("/profile"), FeatureAreas.ProfilePages["/profile"]), "/profile"));
            crumbs.Add(new BreadcrumbItem(brand.T(BrandTexts.ProfileKey(lower), title), clean, disabled: true));
            return crumbs;
        }
        var area = FeatureAreas.All.Where(a => a.Href != "/" && IsUnder(clean, a.Href))
            .OrderByDescending(a => a.Href.Length).FirstOrDefault();
        if (area is not null)
            crumbs.Add(new BreadcrumbItem(brand.T(BrandTexts.NavKey(area), area.Title), area.Href, disabled: clean.Equals(area.Href, StringComparison.OrdinalIgnoreCase)));
        return crumbs;
    }

    /// <summary>Whole path segments only: /area/servers-archive is not under /area/servers.</summary>
    private static bool IsUnder(string path, string prefix) =>
        path.Equals(prefix, StringComparison.OrdinalIgnoreCase) ||
        path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);
}
