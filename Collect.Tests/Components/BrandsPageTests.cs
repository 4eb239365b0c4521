using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Branding;
using Collect.Web.Components.Pages.Brands;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Collect.Tests.Components;

public sealed class BrandsPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private BrandService BrandService => Services.GetRequiredService<BrandService>();

    [Fact]
    public async Task The_list_shows_every_brand_with_its_owner_and_the_default_badge_once()
    {
        var admin = await SignInAsAdminAsync();
        await BrandService.CreateAsync(admin, "alpha.example");
        await BrandService.CreateAsync(admin, "beta.example");

        var page = Render<Brands>();

        page.WaitForAssertion(() => Assert.Equal(["default", "alpha.example", "beta.example"], Domains(page)), Wait);
        Assert.Single(page.FindAll("[data-test=brand-default]"));
        Assert.All(page.FindAll("[data-test=brand-owner]"), owner => Assert.Equal(AdminUserName, owner.TextContent.Trim()));
        // The default brand has no delete button; the others do.
        Assert.Equal(2, page.FindAll("[data-test=brand-delete]").Count);
    }

    [Fact]
    public async Task Editing_a_colour_changes_the_live_preview_and_a_bad_colour_shows_the_services_error()
    {
        var admin = await SignInAsAdminAsync();
        var brand = (await BrandService.CreateAsync(admin, "alpha.example")).Value!;
        Render<MudPopoverProvider>();
        var page = Render<BrandEditor>(p => p.Add(e => e.Id, brand.Brand.Id));
        await OpenTabAsync(page, "Colours");

        await page.WaitForElement("input[data-test=color-light-primary]", Wait).InputAsync("#C2185B");
        await page.Find("input[data-test=color-dark-appbar]").InputAsync("#004D40");

        page.WaitForAssertion(() => Assert.Contains("background: #C2185B", Style(page, "[data-test=preview-light] [data-test=preview-button-primary]")), Wait);
        Assert.Contains("background: #004D40", Style(page, "[data-test=preview-dark] [data-test=preview-appbar]"));
        // The light scheme's primary colours the login preview (the brand's default mode is light).
        Assert.Contains("--brand-primary: #C2185B", Style(page, "[data-test=preview-login] [data-test=account-shell]"));
        Assert.DoesNotContain("#C2185B", Style(page, "[data-test=preview-dark] [data-test=preview-button-primary]"));

        await page.Find("input[data-test=color-light-secondary]").InputAsync("teal");
        await page.Find("[data-test=brand-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("color_scheme.light.secondary", page.Find("[data-test=brand-errors]").InnerHtml), Wait);
        var stored = (await BrandService.GetAsync(admin, brand.Brand.Id)).Value!;
        Assert.Equal("#0C47A0", (string?)stored.Settings["color_scheme"]!["light"]!["primary"]);

        await page.Find("input[data-test=color-light-secondary]").InputAsync("#00897B");
        await page.Find("[data-test=brand-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=brand-errors]")), Wait);
        stored = (await BrandService.GetAsync(admin, brand.Brand.Id)).Value!;
        Assert.Equal("#C2185B", (string?)stored.Settings["color_scheme"]!["light"]!["primary"]);
        Assert.Equal("#004D40", (string?)stored.Settings["color_scheme"]!["dark"]!["appbar"]);
    }

    [Fact]
    public async Task A_language_override_found_by_search_is_saved_and_shown_in_the_login_preview()
    {
        var admin = await SignInAsAdminAsync();
        var brand = (await BrandService.CreateAsync(admin, "alpha.example")).Value!;
        Render<MudPopoverProvider>();
        var page = Render<BrandEditor>(p => p.Add(e => e.Id, brand.Brand.Id));
        await OpenTabAsync(page, "Language");

        await page.WaitForElement("input[data-test=language-search]", Wait).InputAsync("login_sub");
        page.WaitForAssertion(() => Assert.Equal(["login_submit"], page.FindAll("[data-test=language-row]").Select(r => r.GetAttribute("data-key")!)), Wait);
        await page.Find("[data-test=language-row] input[data-test=language-override]").InputAsync("Enter Alpha");

        page.WaitForAssertion(() => Assert.Equal("Enter Alpha", page.Find("[data-test=preview-login-submit]").TextContent.Trim()), Wait);
        await page.Find("[data-test=brand-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=brand-errors]")), Wait);
        var stored = (await BrandService.GetAsync(admin, brand.Brand.Id)).Value!;
        Assert.Equal("Enter Alpha", stored.Language["login_submit"]);
        Assert.Equal("Sign in", stored.Language["login_title"]);
        Assert.Equal(JsonNode.Parse("""{"login_submit":"Enter Alpha"}"""), stored.Settings["languageOverrides"]!["en-us"], JsonNode.DeepEquals);
    }

    [Fact]
    public async Task An_uploaded_logo_shows_in_the_editor_and_its_preview_and_a_text_file_is_refused()
    {
        var admin = await SignInAsAdminAsync();
        var brand = (await BrandService.CreateAsync(admin, "alpha.example")).Value!;
        Render<MudPopoverProvider>();
        var page = Render<BrandEditor>(p => p.Add(e => e.Id, brand.Brand.Id));
        await OpenTabAsync(page, "Logos");

        Upload(page, "lightlogo", InputFileContent.CreateFromText("not an image", "fake.png"));
        page.WaitForAssertion(() => Assert.Contains("must be an image", page.Find("[data-test=logo-error-lightlogo]").TextContent), Wait);
        Upload(page, "lightlogo", InputFileContent.CreateFromBinary(Png, "logo.png"));

        page.WaitForAssertion(() => Assert.StartsWith($"/storage/brands/{brand.Brand.Id}/logos/lightlogo_",
            page.Find("[data-test=logo-current-lightlogo]").GetAttribute("src")), Wait);
        var src = page.Find("[data-test=logo-current-lightlogo]").GetAttribute("src");
        Assert.Equal(src, page.Find("[data-test=preview-login] img[data-test=login-logo]").GetAttribute("src"));
        // The top bar shows the dark logo by default and falls back to the light one.
        Assert.Equal(src, page.Find("[data-test=preview-light] [data-test=preview-navbar-logo]").GetAttribute("src"));
        Assert.Equal(src, (await BrandService.GetAsync(admin, brand.Brand.Id)).Value!.LogoPaths["lightlogo"]);

        await page.Find("[data-test=logo-delete-lightlogo]").ClickAsync(new());
        page.WaitForElement("[data-test=logo-none-lightlogo]", Wait);
        Assert.Empty((await BrandService.GetAsync(admin, brand.Brand.Id)).Value!.LogoPaths);
    }

    [Fact]
    public async Task A_reseller_sees_and_opens_only_its_own_brands()
    {
        var admin = await SignInAsAdminAsync();
        var adminsBrand = (await BrandService.CreateAsync(admin, "admin-brand.example")).Value!;
        await CreateUserAsync("reseller", BuiltInRoles.Reseller);
        var signedIn = await SignInAsync("reseller");
        // As the page sees it: the resolver adds the role's permissions to the signed-in user.
        var reseller = (await Services.GetRequiredService<AccessResolver>().ResolveAsync(signedIn.UserId, null, null, ActivitySources.Web))!;
        Assert.True(reseller.Can("system.brands.index"));
        await BrandService.CreateAsync(reseller, "reseller-brand.example");

        var page = Render<Brands>();

        page.WaitForAssertion(() => Assert.Equal(["reseller-brand.example"], Domains(page)), Wait);
        Assert.Equal("reseller", page.Find("[data-test=brand-owner]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-test=brand-default]"));

        var other = Render<BrandEditor>(p => p.Add(e => e.Id, adminsBrand.Brand.Id));
        other.WaitForElement("[data-test=brand-missing]", Wait);
    }

    /// <summary>A 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static void Upload(IRenderedComponent<BrandEditor> page, string slot, InputFileContent file) =>
        page.FindComponents<Microsoft.AspNetCore.Components.Forms.InputFile>()
            .Single(input => input.Find("input").GetAttribute("data-test") == $"logo-upload-{slot}")
            .UploadFiles(file);

    private static List<string> Domains(IRenderedComponent<Brands> page) =>
        page.FindAll("[data-test=brand-grid] [data-test=brand-link]").Select(a => a.TextContent.Trim()).ToList();

    private static string Style(IRenderedComponent<BrandEditor> page, string selector) => page.Find(selector).GetAttribute("style") ?? "";

    private static async Task OpenTabAsync(IRenderedComponent<BrandEditor> page, string title)
    {
        page.WaitForElement("[data-test=brand-tabs]", Wait);
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains(title)).ClickAsync(new());
    }
}
