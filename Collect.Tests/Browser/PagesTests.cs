using Collect.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Collect.Tests.Browser;

/// <summary>The feature pages open in a real browser, render their data live and leave a screenshot for review.</summary>
public sealed class PagesTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("/users", "admin")]
    [InlineData("/roles", "Default User Role Template For Resellers")]
    [InlineData("/servers", "web-01.example.net")]
    [InlineData("/alias-users", "Alias users")]
    public async Task The_page_shows_its_data_to_the_admin(string path, string expectedText)
    {
        using var api = new HttpClient { BaseAddress = browser.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", CollectWebFactory.AdminToken);
        await api.PostJsonAsync("/api/servers", new { hostname = "web-01.example.net", servername = "web-01", tags = new[] { "web" } });
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await BrowserFixture.SignInAsync(page, CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);
        await page.WaitForURLAsync(browser.Url("/"));

        await page.GotoAsync(path);

        await Expect(page.Locator(".mud-main-content")).ToContainTextAsync(expectedText);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", path.Trim('/') + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"Screenshot: {screenshot}");
        Assert.Empty(errors);
    }
}
