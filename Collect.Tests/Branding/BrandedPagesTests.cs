using static Collect.Tests.Infrastructure.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Branding;

/// <summary>Pages as fetched with a Host header: the host's brand is in the prerendered HTML itself.</summary>
public sealed class BrandedPagesTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task The_login_html_of_each_host_carries_its_brands_title_text_logo_and_colours()
    {
        var alpha = await BrandAsync("html-alpha.example", new
        {
            page_title = "Alpha Hosting", login_page_text = "Alpha customers sign in here", color_scheme = new { light = new { primary = "#C2185B" } },
            languageOverrides = new Dictionary<string, object> { ["en-us"] = new { login_title = "Welcome to Alpha", login_submit = "Enter" } },
        });
        await BrandAsync("html-beta.example", new { page_title = "Beta Cloud", login_page_text = "The Beta cloud panel", color_scheme = new { light = new { primary = "#2E7D32" } } });
        var logo = await UploadAsync(alpha, "lightlogo");
        var favicon = await UploadAsync(alpha, "favicon");

        var a = await LoginHtmlAsync("html-alpha.example");
        var b = await LoginHtmlAsync("HTML-BETA.example:8443");
        var other = await LoginHtmlAsync("somewhere-else.example");

        Assert.Contains("<title>Welcome to Alpha · Alpha Hosting</title>", a);
        Assert.Contains("Alpha customers sign in here", a);
        Assert.Contains($"src=\"{logo}\"", a);
        Assert.Contains($"<link rel=\"icon\" href=\"{favicon}\" type=\"image/png\"", a);
        Assert.Contains("--brand-primary: #C2185B", a);
        Assert.Contains(">Enter</button>", a);
        Assert.DoesNotContain("Beta Cloud", a);

        Assert.Contains("<title>Sign in · Beta Cloud</title>", b);
        Assert.Contains("The Beta cloud panel", b);
        Assert.Contains("--brand-primary: #2E7D32", b);
        Assert.Contains("src=\"assets/logo.svg\"", b);
        Assert.DoesNotContain("Alpha", b);

        Assert.Contains("<title>Sign in · Collect</title>", other);
        Assert.Contains("Server Management", other);
        Assert.Contains("--brand-primary: #0C47A0", other);
    }

    [Fact]
    public async Task A_brand_change_shows_on_the_next_page_load()
    {
        var id = await BrandAsync("html-gamma.example", new { page_title = "Gamma Before" });
        Assert.Contains("· Gamma Before</title>", await LoginHtmlAsync("html-gamma.example"));

        await OkAsync(await factory.AdminApi().PutJsonAsync($"/api/system/brands/{id}", new { page_title = "Gamma After", loginpage_text_instead_logo = true, top_navbar_header_title = "GammaCo" }));
        var html = await LoginHtmlAsync("html-gamma.example");

        Assert.Contains("· Gamma After</title>", html);
        Assert.Contains("data-test=\"login-brand-text\">GammaCo</span>", html);
        Assert.DoesNotContain("data-test=\"login-logo\"", html);
    }

    [Fact]
    public async Task A_brands_language_overrides_show_on_its_servers_page_and_nowhere_else()
    {
        await BrandAsync("words.example", new
        {
            languageOverrides = new Dictionary<string, object>
            {
                ["en-us"] = new { nav_servers = "Machines", servers_new = "Order a machine", servers_name = "Machine name", nav_home = "Start" },
            },
        });
        var (client, _) = await factory.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);

        var branded = await PageHtmlAsync(client, "words.example", "/servers");
        var other = await PageHtmlAsync(client, "elsewhere.example", "/servers");

        Assert.Contains(">Machines</h4>", branded);
        Assert.Contains("Order a machine", branded);
        Assert.Contains("<th>Machine name</th>", branded);
        Assert.Contains(">Start</", branded);
        Assert.Contains(">Servers</h4>", other);
        Assert.Contains("New server", other);
        Assert.DoesNotContain("Order a machine", other);
    }

    [Fact]
    public async Task A_brands_wording_of_the_wrong_password_message_shows_on_its_login_page()
    {
        await BrandAsync("strict.example", new
        {
            languageOverrides = new Dictionary<string, object> { ["en-us"] = new { login_failed = "Those credentials do not open Strict Hosting." } },
        });
        await factory.CreateUserAsync("strict-customer", "Customer-Passw0rd!");

        var branded = await WrongPasswordHtmlAsync("strict.example", "strict-customer");
        var other = await WrongPasswordHtmlAsync("lenient.example", "strict-customer");

        Assert.Contains("data-test=\"login-error\">Those credentials do not open Strict Hosting.</div>", branded);
        Assert.Contains("data-test=\"login-error\">Invalid username or password.</div>", other);
    }

    /// <summary>Signs in with a wrong password on the host, like a browser, and returns the login page it is sent back to.</summary>
    private async Task<string> WrongPasswordHtmlAsync(string host, string userName)
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Host = host;
        var token = await CollectWebFactory.AntiforgeryTokenAsync(client, "/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = userName, ["password"] = "not-the-password", ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await PageHtmlAsync(client, host, response.Headers.Location!.OriginalString);
    }

    private static async Task<string> PageHtmlAsync(HttpClient client, string host, string path)
    {
        client.DefaultRequestHeaders.Host = host;
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private async Task<string> LoginHtmlAsync(string host)
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Host = host;
        var response = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private async Task<int> BrandAsync(string domain, object settings)
    {
        var admin = factory.AdminApi();
        var id = (int)(await OkAsync(await admin.PostJsonAsync("/api/system/brands", new { domain })))["id"]!;
        await OkAsync(await admin.PutJsonAsync($"/api/system/brands/{id}", settings));
        return id;
    }

    private async Task<string> UploadAsync(int id, string slot)
    {
        var content = new ByteArrayContent(Png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var stored = await OkAsync(await factory.AdminApi().PostAsync($"/api/system/brands/{id}/logos/store", new MultipartFormDataContent { { content, slot, "logo.png" } }));
        return (string)stored["logos"]![slot]!["publicPath"]!;
    }

}
