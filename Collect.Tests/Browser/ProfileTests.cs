using System.Net;
using System.Net.Http.Headers;
using Collect.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Collect.Tests.Browser;

public sealed class ProfileTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_token_made_on_the_tokens_page_shows_its_secret_once_works_and_can_be_revoked()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);
        await Expect(page).ToHaveURLAsync(browser.Url("/"));
        await BrowserFixture.WaitForInteractiveAsync(page, "[data-test=dashboard]");

        // The user menu leads to the tokens page.
        await page.Locator("[data-test=user-menu] .mud-chip").ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "API tokens" }).ClickAsync();
        // Navigation inside the live circuit: the tokens page is interactive at once.
        await Expect(page).ToHaveURLAsync(browser.Url("/profile/tokens"));
        await Expect(page.Locator("[data-test=tokens-empty]").Or(page.Locator("[data-test=token-grid] tbody tr"))).Not.ToHaveCountAsync(0);

        await page.Locator("[data-test=token-create]").ClickAsync();
        await InputOf(page, "token-name").FillAsync("ansible-from-browser");
        await page.Locator("[data-test=token-save]").ClickAsync();
        var secretField = InputOf(page, "token-secret");
        await Expect(secretField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{80}$"));
        var secret = await secretField.InputValueAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        var row = page.Locator("[data-test=token-grid] tr", new() { HasText = "ansible-from-browser" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync(secret);
        using var api = new HttpClient { BaseAddress = browser.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/user")).StatusCode);

        // Revoking asks first, then removes the row, and the secret stops working.
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke ansible-from-browser" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/user")).StatusCode);
    }

    /// <summary>MudBlazor puts extra attributes on the input itself or on its wrapper, depending on the component.</summary>
    private static ILocator InputOf(IPage page, string testId) =>
        page.Locator($"input[data-test={testId}], [data-test={testId}] input").First;
}
