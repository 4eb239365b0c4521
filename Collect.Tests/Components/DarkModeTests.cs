using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using Collect.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Extensions;

namespace Collect.Tests.Components;

public sealed class DarkModeTests : ShellTestContext
{
    [Fact]
    public async Task Toggling_dark_mode_switches_the_theme_and_the_button()
    {
        await SignInAsAdminAsync();
        var layout = RenderLayout();
        Assert.False(IsDark(layout));
        Assert.True(ShowsIcon(Toggle(layout), Icons.Material.Filled.DarkMode));

        await Toggle(layout).ClickAsync(new());

        Assert.True(IsDark(layout));
        Assert.True(ShowsIcon(Toggle(layout), Icons.Material.Filled.LightMode));
    }

    [Fact]
    public async Task Toggling_dark_mode_saves_the_choice_for_that_user_only()
    {
        var customer = await CreateUserAsync("customer");
        await SignInAsAdminAsync();
        var layout = RenderLayout();

        await Toggle(layout).ClickAsync(new());

        Assert.True(await DarkmodeOfAsync(AdminUserName));
        Assert.Null(await DarkmodeOfAsync(customer.UserName!));
    }

    [Fact]
    public async Task Toggling_twice_saves_light_mode_as_an_explicit_choice()
    {
        await SignInAsAdminAsync();
        var layout = RenderLayout();

        await Toggle(layout).ClickAsync(new());
        await Toggle(layout).ClickAsync(new());

        Assert.False(IsDark(layout));
        Assert.False(await DarkmodeOfAsync(AdminUserName));
    }

    [Fact]
    public async Task The_saved_choice_comes_back_on_the_next_visit()
    {
        await SignInAsAdminAsync();
        await Toggle(RenderLayout()).ClickAsync(new());
        await DisposeComponentsAsync();

        var again = RenderLayout();

        Assert.True(IsDark(again));
        Assert.True(ShowsIcon(Toggle(again), Icons.Material.Filled.LightMode));
    }

    [Fact]
    public async Task Another_users_dark_mode_does_not_change_my_theme()
    {
        await CreateUserAsync("customer");
        await SignInAsAdminAsync();
        await Toggle(RenderLayout()).ClickAsync(new());
        await DisposeComponentsAsync();
        await SignInAsync("customer");

        var customers = RenderLayout();

        Assert.False(IsDark(customers));
        Assert.True(ShowsIcon(Toggle(customers), Icons.Material.Filled.DarkMode));
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

    private static IElement Toggle(IRenderedComponent<MainLayout> layout) => layout.Find("[data-test=theme-toggle]");

    private static bool IsDark(IRenderedComponent<MainLayout> layout) =>
        layout.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode);

    /// <summary>MudBlazor writes an icon's SVG markup into the button; its path data tells the icons apart.</summary>
    private static bool ShowsIcon(IElement button, string icon)
    {
        var path = Regex.Match(icon, "<path d=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(path);
        return button.QuerySelectorAll("path").Any(p => p.GetAttribute("d") == path);
    }

    private Task<bool?> DarkmodeOfAsync(string userName) =>
        WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Darkmode).SingleAsync());
}
