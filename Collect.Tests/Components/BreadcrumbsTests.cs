using System.Text.Json.Nodes;
using Bunit;
using Collect.Core.Branding;
using Collect.Web.Components.Layout;
using Collect.Web.Components.Shared.Branding;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Components;

public sealed class BreadcrumbsTests : ShellTestContext
{
    [Theory]
    [InlineData("/profile/tokens", new[] { "Home", "Profile", "API tokens" })]
    [InlineData("/profile", new[] { "Home", "Profile" })]
    [InlineData("/servers", new[] { "Home", "Servers" })]
    [InlineData("/servers/5?tab=comments", new[] { "Home", "Servers" })]
    [InlineData("/subnets", new[] { "Home", "IP management" })]
    [InlineData("/subnets/12", new[] { "Home", "IP management" })]
    [InlineData("/", new[] { "Home" })]
    [InlineData("/servers-archive", new[] { "Home" })]
    [InlineData("/Profile/Tokens", new[] { "Home", "Profile", "API tokens" })]
    public async Task The_breadcrumbs_follow_the_page_the_user_navigates_to(string path, string[] expected)
    {
        await SignInAsAdminAsync();
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        Services.GetRequiredService<NavigationManager>().NavigateTo(path);

        layout.WaitForAssertion(() => Assert.Equal(expected, Crumbs(layout)));
    }

    [Fact]
    public async Task Earlier_crumbs_link_back_and_the_current_page_is_marked_as_current()
    {
        await SignInAsAdminAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/profile/tokens");

        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        var items = layout.FindAll(".mud-breadcrumb-item");
        Assert.Equal(["/", "/profile"], items.SkipLast(1).Select(i => i.QuerySelector("a")?.GetAttribute("href")));
        Assert.All(items.SkipLast(1), i => Assert.DoesNotContain("mud-disabled", i.ClassList));
        Assert.Contains("mud-disabled", items[^1].ClassList);
        Assert.Equal("page", items[^1].QuerySelector("a")?.GetAttribute("aria-current"));
    }

    [Theory]
    [InlineData("/servers/5", new[] { "Start", "Machines" })]
    [InlineData("/profile/tokens", new[] { "Start", "My account", "API tokens" })]
    public async Task The_breadcrumbs_use_the_brands_words_for_the_drawer_and_menu_entries(string path, string[] expected)
    {
        await SignInAsAdminAsync();
        var brand = BrandContext.Of(new BrandView(new Brand { Domain = "words.example" }, new JsonObject(),
            new Dictionary<string, string> { ["nav_home"] = "Start", ["nav_servers"] = "Machines", ["menu_profile"] = "My account" }, new Dictionary<string, string>()));
        Services.GetRequiredService<NavigationManager>().NavigateTo(path);

        var layout = Render<CascadingValue<BrandContext>>(p => p
            .Add(c => c.Value, brand)
            .AddChildContent<MainLayout>(l => l.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page")))));

        Assert.Equal(expected, layout.FindAll(".mud-breadcrumb-item").Select(i => i.TextContent.Trim()).ToList());
    }

    private static List<string> Crumbs(IRenderedComponent<MainLayout> layout) =>
        layout.FindAll(".mud-breadcrumb-item").Select(i => i.TextContent.Trim()).ToList();
}
