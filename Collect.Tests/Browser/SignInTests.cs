using System.Text.RegularExpressions;
using Collect.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Collect.Tests.Browser;

public sealed class SignInTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_signs_in_and_sees_the_interactive_dashboard()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var failedRequests = RecordFailedRequests(page);

        await BrowserFixture.SignInAsync(page, CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);

        await Expect(page).ToHaveURLAsync(browser.Url("/"));
        await Expect(page.Locator("[data-test=nav]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=user-menu]")).ToContainTextAsync(CollectWebFactory.AdminUserName);
        await Expect(page.Locator("[data-test=dashboard]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=dashboard-tile]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-test=dashboard] .mud-chart svg").First).ToBeVisibleAsync();

        await BrowserFixture.WaitForInteractiveAsync(page, "[data-test=dashboard]");
        // A click only does something on a live circuit: the menu button folds the drawer away and back.
        var drawer = page.Locator("aside.mud-drawer");
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" });
        await toggle.ClickAsync();
        await Expect(drawer).ToHaveClassAsync(new Regex(@"\bmud-drawer--closed\b"));
        await toggle.ClickAsync();
        await Expect(drawer).ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));

        await toggle.BlurAsync();
        await page.Mouse.MoveAsync(700, 850);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"Dashboard screenshot: {screenshot}");

        Assert.Empty(failedRequests);

        // Links out of the Blazor app load the page for real: the jobs dashboard opens for the admin.
        await page.Locator("[data-test='nav-Background jobs']").ClickAsync();
        await Expect(page).ToHaveURLAsync(browser.Url("/jobs"));
        await Expect(page).ToHaveTitleAsync(new Regex("Collect jobs"));
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_on_the_login_page()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await BrowserFixture.SignInAsync(page, CollectWebFactory.AdminUserName, "not-the-password");

        await Expect(page.Locator("[data-test=login-error]")).ToHaveTextAsync("Invalid username or password.");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?"));
        await Expect(page.Locator("#username")).ToHaveValueAsync(CollectWebFactory.AdminUserName);
        await Expect(page.Locator("[data-test=dashboard]")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("/_framework/blazor.web.js", "text/javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js", "text/javascript")]
    [InlineData("/app.css", "text/css")]
    public async Task The_loopback_server_serves_the_static_web_assets(string path, string contentType)
    {
        await using var context = await browser.NewContextAsync();

        var response = await context.APIRequest.GetAsync(path);

        Assert.Equal(200, response.Status);
        Assert.StartsWith(contentType, response.Headers["content-type"]);
    }

    /// <summary>Responses of 400 or more and requests that got no response, e.g. a static asset the server does not serve.</summary>
    private static List<string> RecordFailedRequests(IPage page)
    {
        var failures = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) lock (failures) failures.Add($"{response.Status} {response.Url}");
        };
        page.RequestFailed += (_, request) =>
        {
            lock (failures) failures.Add($"{request.Failure} {request.Url}");
        };
        return failures;
    }
}
