using static Collect.Tests.Infrastructure.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Branding;

/// <summary>Brands: two domains answering two panels, logo uploads checked by content, validation and scope.</summary>
public sealed class BrandsApiTests(BrandsApiTests.ProviderFactory factory) : IClassFixture<BrandsApiTests.ProviderFactory>
{
    /// <summary>Collect run by a provider whose own panel lives on panel.provider.example, and its billing on billing.provider.example.</summary>
    public sealed class ProviderFactory : CollectWebFactory
    {
        public const string ProviderHost = "panel.provider.example";
        public const string BillingHost = "billing.provider.example";

        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Collect:Branding:ReservedDomains:0"] = ProviderHost;
            settings["Collect:Branding:ReservedDomains:1"] = BillingHost;
            return settings;
        }
    }

    private HttpClient Admin => factory.AdminApi();

    /// <summary>A 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");


    private HttpClient Visitor(string host)
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Host = host;
        return client;
    }

    private async Task<int> BrandAsync(string domain, object settings)
    {
        var id = (int)(await OkAsync(await Admin.PostJsonAsync("/api/system/brands", new { domain })))["id"]!;
        await OkAsync(await Admin.PutJsonAsync($"/api/system/brands/{id}", settings));
        return id;
    }

    private static MultipartFormDataContent Upload(string field, byte[] bytes, string fileName)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { content, field, fileName } };
    }

    [Fact]
    public async Task Two_domains_answer_two_panels_and_any_other_host_the_default()
    {
        var alpha = await BrandAsync("alpha.example", new
        {
            page_title = "Alpha Hosting", login_page_text = "Alpha customers", color_scheme = new { light = new { primary = "#112233" } },
            default_theme_mode = "dark", theme_cards_elevation = 0, languageOverrides = new Dictionary<string, object> { ["en-us"] = new { login_title = "Welcome to Alpha" } },
        });
        await BrandAsync("beta.example", new { page_title = "Beta Cloud", color_scheme = new { light = new { primary = "#445566" } } });
        await OkAsync(await Admin.PostAsync($"/api/system/brands/{alpha}/logos/store", Upload("lightlogo", Png, "alpha.png")));

        var a = await OkAsync(await Visitor("alpha.example").GetAsync("/api/system/ui/settings"));
        var b = await OkAsync(await Visitor("BETA.example:8443").GetAsync("/api/system/ui/settings"));
        var other = await OkAsync(await Visitor("unknown.example").GetAsync("/api/system/ui/settings"));
        var texts = await OkAsync(await Visitor("alpha.example").GetAsync("/api/system/ui/uiLanguage"));
        var defaultTexts = await OkAsync(await Visitor("unknown.example").GetAsync("/api/system/ui/uiLanguage"));

        Assert.Equal("Alpha Hosting", (string?)a["page_title"]);
        Assert.Equal("#112233", (string?)a["color_scheme"]!["light"]!["primary"]);
        Assert.Equal("#536DFE", (string?)a["color_scheme"]!["dark"]!["primary"]);
        Assert.Equal("dark", (string?)a["default_theme_mode"]);
        Assert.Equal(0, (int)a["theme_cards_elevation"]!);
        Assert.StartsWith($"/storage/brands/{alpha}/logos/lightlogo_", (string?)a["logos"]!["lightlogo"]!["publicPath"]);
        Assert.Null(a["user_id"]);
        Assert.Equal("Beta Cloud", (string?)b["page_title"]);
        Assert.Equal("#445566", (string?)b["color_scheme"]!["light"]!["primary"]);
        Assert.Null(b["logos"]!["lightlogo"]);
        Assert.Equal("Collect", (string?)other["page_title"]);
        Assert.Equal("Welcome to Alpha", (string?)texts["en-us"]!["login_title"]);
        Assert.Equal("Sign in", (string?)defaultTexts["en-us"]!["login_title"]);

        var logo = await Visitor("alpha.example").GetAsync((string)a["logos"]!["lightlogo"]!["publicPath"]!);
        Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
        Assert.Equal("image/png", logo.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", logo.Headers.CacheControl!.ToString());
        Assert.Equal(Png, await logo.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Logos_must_be_images_by_content_and_at_most_512_KB()
    {
        var id = (int)(await OkAsync(await Admin.PostJsonAsync("/api/system/brands", new { domain = "logos.example" })))["id"]!;

        var text = await Admin.PostAsync($"/api/system/brands/{id}/logos/store", Upload("lightlogo", Encoding.UTF8.GetBytes("just text, named .png"), "fake.png"));
        var big = await Admin.PostAsync($"/api/system/brands/{id}/logos/store", Upload("favicon", [.. Png, .. new byte[600 * 1024]], "big.png"));
        var script = await Admin.PostAsync($"/api/system/brands/{id}/logos/store",
            Upload("darklogo", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "x.svg"));
        var unknown = await Admin.PostAsync($"/api/system/brands/{id}/logos/store", Upload("banner", Png, "b.png"));
        var svg = await Admin.PostAsync($"/api/system/brands/{id}/logos/store",
            Upload("darklogo", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"), "ok.svg"));
        var brand = await OkAsync(await Admin.GetAsync($"/api/system/brands/{id}"));
        var removed = await OkAsync(await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/system/brands/{id}/logos/delete")
        {
            Content = new StringContent("{\"darklogo\": true}", Encoding.UTF8, "application/json"),
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, text.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, script.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.EndsWith(".svg", (string?)brand["logos"]!["darklogo"]!["publicPath"]);
        Assert.Null(brand["logos"]!["lightlogo"]);
        Assert.Null(removed["logos"]!["darklogo"]);
    }

    [Theory]
    [InlineData("{\"theme_cards_elevation\": 26}", "theme_cards_elevation")]
    [InlineData("{\"theme_cards_elevation\": -1}", "theme_cards_elevation")]
    [InlineData("{\"default_theme_mode\": \"sepia\"}", "default_theme_mode")]
    [InlineData("{\"color_scheme\": {\"light\": {\"primary\": \"blue\"}}}", "color_scheme.light.primary")]
    [InlineData("{\"color_scheme\": {\"light\": {\"sparkle\": \"#FFFFFF\"}}}", "color_scheme.light.sparkle")]
    [InlineData("{\"languageOverrides\": {\"en-us\": {\"no_such_key\": \"x\"}}}", "languageOverrides.en-us.no_such_key")]
    [InlineData("{\"languageOverrides\": {\"xx-yy\": {}}}", "languageOverrides")]
    [InlineData("{\"theme_flat_buttons\": \"yes\"}", "theme_flat_buttons")]
    [InlineData("{\"domain\": \"not a domain\"}", "domain")]
    public async Task Bad_brand_settings_are_refused_and_change_nothing(string body, string field)
    {
        var id = (int)(await OkAsync(await Admin.PostJsonAsync("/api/system/brands", new { domain = $"v{Guid.NewGuid():N}.example" })))["id"]!;
        await OkAsync(await Admin.PutJsonAsync($"/api/system/brands/{id}", new { page_title = "Before" }));

        var response = await Admin.PutAsync($"/api/system/brands/{id}", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.ReadJsonAsync();
        var after = await OkAsync(await Admin.GetAsync($"/api/system/brands/{id}"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(json["errors"]![field] is not null, json.ToJsonString());
        Assert.Equal("Before", (string?)after["page_title"]);
        Assert.Equal(3, (int)after["theme_cards_elevation"]!);
    }

    [Fact]
    public async Task A_domain_belongs_to_one_brand_and_the_default_brand_stays()
    {
        await OkAsync(await Admin.PostJsonAsync("/api/system/brands", new { domain = "taken.example" }));
        var again = await Admin.PostJsonAsync("/api/system/brands", new { domain = "Taken.Example." });
        var list = (await OkAsync(await Admin.GetAsync("/api/system/brands"))).AsArray();
        var defaultId = (int)list.First(b => (int)b!["isDefault"]! == 1)!["id"]!;
        var deleteDefault = await Admin.DeleteAsync($"/api/system/brands/{defaultId}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, deleteDefault.StatusCode);
        Assert.Equal("English", (string?)list[0]!["availableLanguages"]![0]!["languageName"]);
        Assert.Equal("#0C47A0", (string?)list[0]!["defaultColorScheme"]!["light"]!["primary"]);
    }

    [Fact]
    public async Task A_reseller_cannot_claim_the_providers_own_host_or_the_default_brands_domain()
    {
        var defaultId = (int)(await OkAsync(await Admin.GetAsync("/api/system/brands"))).AsArray().First(b => (int)b!["isDefault"]! == 1)!["id"]!;
        await OkAsync(await Admin.PutJsonAsync($"/api/system/brands/{defaultId}", new { domain = "www.provider.example" }));
        var reseller = await ResellerAsync("claiming-reseller");
        var own = (int)(await OkAsync(await reseller.PostJsonAsync("/api/system/brands", new { domain = "panel.reseller.example" })))["id"]!;

        var providerHost = await reseller.PostJsonAsync("/api/system/brands", new { domain = "Panel.Provider.Example." });
        var defaultDomain = await reseller.PostJsonAsync("/api/system/brands", new { domain = "www.provider.example" });
        var renamed = await reseller.PutJsonAsync($"/api/system/brands/{own}", new { domain = ProviderFactory.ProviderHost, page_title = "Mine now" });

        foreach (var refused in new[] { providerHost, defaultDomain, renamed })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("reserved for the provider", (string?)(await refused.ReadJsonAsync())["errors"]!["domain"]![0]);
        }
        var kept = await OkAsync(await reseller.GetAsync($"/api/system/brands/{own}"));
        Assert.Equal("panel.reseller.example", (string?)kept["domain"]);
        Assert.Equal("Collect", (string?)kept["page_title"]);
        var visitor = await OkAsync(await Visitor(ProviderFactory.ProviderHost).GetAsync("/api/system/ui/settings"));
        Assert.Equal(defaultId, (int)visitor["id"]!);
    }

    [Fact]
    public async Task The_admin_may_bind_a_brand_to_any_free_domain_the_provider_reserved_included()
    {
        var free = await OkAsync(await Admin.PostJsonAsync("/api/system/brands", new { domain = "admin-free.example" }));
        var renamed = await OkAsync(await Admin.PutJsonAsync($"/api/system/brands/{(int)free["id"]!}", new { domain = "Billing.Provider.Example" }));

        Assert.Equal(ProviderFactory.BillingHost, (string?)renamed["domain"]);
        var visitor = await OkAsync(await Visitor(ProviderFactory.BillingHost).GetAsync("/api/system/ui/settings"));
        Assert.Equal((int)free["id"]!, (int)visitor["id"]!);
    }

    /// <summary>A reseller with its own API token, as the admin would set one up.</summary>
    private async Task<HttpClient> ResellerAsync(string userName)
    {
        var user = await factory.CreateUserAsync(userName, "Reseller-Passw0rd!", BuiltInRoles.Reseller);
        return factory.ApiClient(await factory.CreateTokenAsync(user.Id));
    }

    [Fact]
    public async Task A_partial_colour_change_keeps_the_other_saved_colours()
    {
        var id = (int)(await OkAsync(await Admin.PostJsonAsync("/api/system/brands", new { domain = "colours.example" })))["id"]!;
        await OkAsync(await Admin.PutJsonAsync($"/api/system/brands/{id}", new { color_scheme = new { light = new { secondary = "#123456" }, dark = new { primary = "#654321" } } }));

        var after = await OkAsync(await Admin.PutJsonAsync($"/api/system/brands/{id}", new { color_scheme = new { light = new { primary = "#111111" } } }));

        Assert.Equal("#111111", (string?)after["color_scheme"]!["light"]!["primary"]);
        Assert.Equal("#123456", (string?)after["color_scheme"]!["light"]!["secondary"]);
        Assert.Equal("#654321", (string?)after["color_scheme"]!["dark"]!["primary"]);
    }
}
