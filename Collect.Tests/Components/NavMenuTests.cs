using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Web.Components.Layout;
using Collect.Web.Components.Shared;

namespace Collect.Tests.Components;

public sealed class NavMenuTests : ShellTestContext
{
    private static readonly string[] AdminOnlyAreas = ["Backups", "Settings", "Background jobs"];

    [Fact]
    public async Task Admin_sees_every_feature_area_in_the_drawer_in_order()
    {
        await SignInAsAdminAsync();

        var nav = Render<NavMenu>();

        Assert.Equal(FeatureAreas.All.Select(a => a.Title), LinkTitles(nav));
        Assert.Equal(FeatureAreas.All.Select(a => a.Href), Links(nav).Select(a => a.GetAttribute("href")));
    }

    [Theory]
    [InlineData(RoleLevels.Reseller)]
    [InlineData(RoleLevels.User)]
    public void Non_admins_do_not_see_admin_only_areas(string roleType)
    {
        SignInWithRoleType("someone", roleType);

        var nav = Render<NavMenu>();

        var titles = LinkTitles(nav);
        Assert.Equal(FeatureAreas.All.Where(a => !a.AdminOnly).Select(a => a.Title), titles);
        Assert.All(AdminOnlyAreas, area => Assert.DoesNotContain(area, titles));
    }

    [Fact]
    public void Visitors_who_are_not_signed_in_get_an_empty_drawer()
    {
        var nav = Render<NavMenu>();

        Assert.Empty(LinkTitles(nav));
    }

    private static IReadOnlyList<IElement> Links(IRenderedComponent<NavMenu> nav) => nav.FindAll("a[data-test^='nav-']");

    private static List<string> LinkTitles(IRenderedComponent<NavMenu> nav) => Links(nav).Select(link => link.TextContent.Trim()).ToList();
}
