using static Collect.Tests.Infrastructure.Json;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Collect.Tests.Browser;

/// <summary>
/// Two brands on two host names that both reach the loopback server (chromium resolves *.localhost to loopback):
/// each login page shows its own title, text, logo and colours, and so does the app after signing in.
/// </summary>
public sealed class BrandingTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private sealed record BrandCase(string Host, string Title, string LoginText, string PrimaryRgb, string Logo, object Settings);

    private static readonly BrandCase Alpha = new("alpha.localhost", "Alpha Hosting", "Alpha customers sign in here", "rgb(194, 24, 91)",
        Svg("#C2185B", "ALPHA"), new
        {
            page_title = "Alpha Hosting", top_navbar_header_title = "Alpha", login_page_text = "Alpha customers sign in here",
            color_scheme = new { light = new { primary = "#C2185B", appbar = "#880E4F", background = "#FCE4EC" } },
            loginpage_logo_max_height = 48,
        });

    private static readonly BrandCase Beta = new("beta.localhost", "Beta Cloud", "The Beta cloud panel", "rgb(255, 179, 0)",
        Svg("#FFB300", "BETA"), new
        {
            page_title = "Beta Cloud", top_navbar_header_title = "Beta", login_page_text = "The Beta cloud panel", default_theme_mode = "dark",
            color_scheme = new { dark = new { primary = "#FFB300", background = "#0B1B2B", surface = "#13293D" } },
            loginpage_logo_above_form = true, loginpage_show_text_within_form = true, loginpage_logo_always_dark = true,
        });

    [Fact]
    public async Task Two_hosts_show_two_login_pages_with_their_own_title_text_logo_and_colours()
    {
        using var api = new HttpClient { BaseAddress = browser.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", CollectWebFactory.AdminToken);
        var logos = new Dictionary<string, string>();
        foreach (var brand in new[] { Alpha, Beta })
            logos[brand.Host] = await CreateBrandAsync(api, brand, brand == Beta ? "darklogo" : "lightlogo");

        foreach (var brand in new[] { Alpha, Beta })
        {
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();

            await page.GotoAsync(HostUrl(brand.Host, "/account/login"));

            await Expect(page).ToHaveTitleAsync($"Sign in · {brand.Title}");
            await Expect(page.Locator("[data-test=login-page-text]")).ToHaveTextAsync(brand.LoginText);
            await Expect(page.Locator("img[data-test=login-logo]")).ToHaveAttributeAsync("src", logos[brand.Host]);
            await Expect(page.Locator("[data-test=login-submit]")).ToHaveCSSAsync("background-color", brand.PrimaryRgb);
            Assert.True(await page.Locator("img[data-test=login-logo]").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "The logo loads.");
            await Expect(page.Locator("link[rel=icon]")).ToHaveAttributeAsync("href", "assets/favicon.svg");
            await ScreenshotAsync(page, $"brand-{brand.Host.Split('.')[0]}-login");
        }
        // Beta places its logo above the card and its text within; Alpha the other way round.
        await using (var context = await browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(HostUrl(Beta.Host, "/account/login"));
            await Expect(page.Locator(".account-column > [data-test=login-brand]")).ToHaveCountAsync(1);
            await Expect(page.Locator(".account-card [data-test=login-page-text]")).ToHaveCountAsync(1);
        }

        // After signing in on Alpha's host, the live app keeps Alpha's brand: tab title, top bar logo and theme colour.
        await using (var context = await browser.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            await page.GotoAsync(HostUrl(Alpha.Host, "/account/login"));
            await page.Locator("#username").FillAsync(CollectWebFactory.AdminUserName);
            await page.Locator("#password").FillAsync(CollectWebFactory.AdminPassword);
            await page.Locator("[data-test=login-submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync(HostUrl(Alpha.Host, "/"));
            await BrowserFixture.WaitForInteractiveAsync(page, "[data-test=nav]");

            await Expect(page).ToHaveTitleAsync($"Dashboard · {Alpha.Title}");
            await Expect(page.Locator("img[data-test=navbar-logo]")).ToHaveAttributeAsync("src", logos[Alpha.Host]);
            await Expect(page.Locator(".mud-appbar")).ToHaveCSSAsync("background-color", "rgb(136, 14, 79)");
            Assert.StartsWith("rgba(194,24,91,", (await page.EvaluateAsync<string>(
                "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-primary')")).Replace(" ", ""));
            // Navigating inside the circuit keeps the brand too.
            await page.Locator("[data-test='nav-Brands']").ClickAsync();
            await Expect(page).ToHaveTitleAsync($"Brands · {Alpha.Title}");
            await Expect(page.Locator("[data-test=brand-grid]")).ToContainTextAsync(Beta.Host);
            await ScreenshotAsync(page, "brand-alpha-brands");
            Assert.Empty(errors);
        }
    }

    [Fact]
    public async Task The_brand_editor_previews_colour_changes_live()
    {
        using var api = new HttpClient { BaseAddress = browser.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", CollectWebFactory.AdminToken);
        var created = await api.PostJsonAsync("/api/system/brands", new { domain = "gamma.localhost" });
        var id = (int)(await created.ReadJsonAsync())["result"]!["id"]!;
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);
        await Expect(page).ToHaveURLAsync(browser.Url("/"));

        await page.GotoAsync($"/brands/{id}");
        await BrowserFixture.WaitForInteractiveAsync(page, "[data-test=brand-tabs]");
        await page.Locator(".mud-tab", new() { HasText = "Colours" }).ClickAsync();
        await page.Locator("input[data-test=color-light-primary]").FillAsync("#6A1B9A");

        await Expect(page.Locator("[data-test=preview-light] [data-test=preview-button-primary]")).ToHaveCSSAsync("background-color", "rgb(106, 27, 154)");
        await Expect(page.Locator("[data-test=preview-login] [data-test=account-shell] button")).ToHaveCSSAsync("background-color", "rgb(106, 27, 154)");
        await ScreenshotAsync(page, "brand-editor");
    }

    /// <summary>Creates the brand with its settings and logo; returns the logo's public path.</summary>
    private static async Task<string> CreateBrandAsync(HttpClient api, BrandCase brand, string slot)
    {
        var created = await api.PostJsonAsync("/api/system/brands", new { domain = brand.Host });
        var id = (int)(await OkAsync(created))["id"]!;
        await OkAsync(await api.PutJsonAsync($"/api/system/brands/{id}", brand.Settings));
        var logo = new ByteArrayContent(Encoding.UTF8.GetBytes(brand.Logo));
        logo.Headers.ContentType = new MediaTypeHeaderValue("image/svg+xml");
        var stored = await OkAsync(await api.PostAsync($"/api/system/brands/{id}/logos/store", new MultipartFormDataContent { { logo, slot, "logo.svg" } }));
        return (string)stored["logos"]![slot]!["publicPath"]!;
    }


    private static string Svg(string color, string text) =>
        $"""<svg xmlns="http://www.w3.org/2000/svg" width="180" height="48" viewBox="0 0 180 48"><rect width="48" height="48" rx="10" fill="{color}"/><text x="58" y="33" font-family="sans-serif" font-size="26" font-weight="bold" fill="{color}">{text}</text></svg>""";

    private string HostUrl(string host, string path) => new UriBuilder(browser.BaseAddress) { Host = host, Path = path }.Uri.ToString();

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"Screenshot: {screenshot}");
    }
}
