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
    [InlineData("/settings", "Kept for API compatibility")]
    [InlineData("/activity", "Server web-01 created")]
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
        await Expect(page).ToHaveURLAsync(browser.Url("/"));

        await page.GotoAsync(path);

        await Expect(page.Locator(".mud-main-content")).ToContainTextAsync(expectedText);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", path.Trim('/') + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"Screenshot: {screenshot}");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_subnet_tree_and_a_subnet_page_render_live()
    {
        using var api = new HttpClient { BaseAddress = browser.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", CollectWebFactory.AdminToken);
        var block = await api.PostJsonAsync("/api/subnets", new { subnet = "203.0.113.0", cidr = 24, type = "v4", gw = "203.0.113.1", generateIps = true, description = "Rack 7 uplink" });
        var id = (int)(await block.ReadJsonAsync())["result"]!["id"]!;
        await api.PostJsonAsync("/api/subnets", new { subnet = "203.0.113.64", cidr = 26, type = "v4", gw = "203.0.113.65", generateIps = true });
        await api.PostJsonAsync("/api/subnets", new { subnet = "2001:db8:4000::", cidr = 36, type = "v6", description = "Customer IPv6" });
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await BrowserFixture.SignInAsync(page, CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);
        await Expect(page).ToHaveURLAsync(browser.Url("/"));

        await page.GotoAsync("/subnets");
        await BrowserFixture.WaitForInteractiveAsync(page, "[data-test=subnet-tree]");
        await Expect(page.Locator("[data-test=subnet-tree]")).ToContainTextAsync("2^92");
        await page.Locator("[data-test=subnet-expand]").First.ClickAsync();
        await Expect(page.Locator("[data-test=subnet-link][data-depth='1']")).ToHaveTextAsync("203.0.113.64/26");
        await ScreenshotAsync(page, "subnets");

        await page.GotoAsync($"/subnets/{id}");
        await Expect(page.Locator("[data-test=address-ip]").First).ToHaveTextAsync("203.0.113.0");
        await ScreenshotAsync(page, "subnet-detail");

        await page.Locator("[data-test=subnet-split]").ClickAsync();
        // No /25 is free (reservations at both ends, a /26 inside); /28s fit around them.
        await page.Locator("[data-test=split-preview-button]").ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("No free /25");
        await page.Locator("input[data-test=split-prefix]").FillAsync("28");
        await page.Locator("input[data-test=split-prefix]").BlurAsync();
        await page.Locator("[data-test=split-preview-button]").ClickAsync();
        await Expect(page.Locator("[data-test=split-sample-row]").First).ToContainTextAsync("203.0.113.16/28");
        await ScreenshotAsync(page, "subnet-split");
        await page.Keyboard.PressAsync("Escape");

        var server = await api.PostJsonAsync("/api/servers", new { hostname = "db-01.example.net", servername = "db-01" });
        var serverId = (int)(await server.ReadJsonAsync())["result"]!["id"]!;
        await page.GotoAsync($"/servers/{serverId}");
        await BrowserFixture.WaitForInteractiveAsync(page, "[data-test=server-tabs]");
        await page.GetByRole(AriaRole.Tab, new() { Name = "IP addresses" }).ClickAsync();
        await page.Locator("[data-test=ip-assign]").ClickAsync();
        await page.Locator("input[data-test=assign-mode-pick]").ClickAsync();
        await page.Locator("[data-test=assign-ip]").Nth(2).ClickAsync();
        await ScreenshotAsync(page, "server-assign");
        await page.Locator("[data-test=assign-save]").ClickAsync();
        await Expect(page.Locator("[data-test=ip-address]")).ToHaveTextAsync("203.0.113.4");
        await ScreenshotAsync(page, "server-ips");
        Assert.Empty(errors);
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"Screenshot: {screenshot}");
    }
}
