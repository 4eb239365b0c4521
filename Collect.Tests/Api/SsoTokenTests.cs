using System.Net;
using System.Text;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Api;

public sealed class SsoTokenTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private const string Password = "User-Passw0rd!";
    private const string InvalidLink = "This login link is invalid or has expired.";

    [Fact]
    public async Task A_login_link_signs_the_browser_in_and_lands_on_its_endpoint()
    {
        var user = await factory.CreateUserAsync("ssolander", Password);
        var link = await GenerateAsync(user.Id, new { endpoint = "/servers?tab=all", validForSeconds = 120 });
        var browser = Browser();

        var response = await browser.GetAsync($"/tokenLogin/{link.AuthToken}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/servers?tab=all", response.Headers.Location?.OriginalString);
        var me = await (await browser.GetAsync("/api/user")).ReadJsonAsync();
        Assert.Equal("ssolander", (string?)me["result"]!["username"]);
        var attempt = await factory.WithDbAsync(db => db.LoginAttempts.SingleAsync(a => a.UserId == user.Id));
        Assert.Equal(LoginOutcomes.Success, attempt.Outcome);
        Assert.Equal(CollectWebFactory.UserAgent, attempt.UserAgent);
    }

    [Fact]
    public async Task The_answer_has_a_96_character_token_and_validUntil_in_unix_seconds()
    {
        var user = await factory.CreateUserAsync("ssoshape", Password);
        var now = factory.Clock.GetUtcNow();

        var response = await factory.AdminApi().PostJsonAsync($"/api/users/{user.Id}/generateSsoToken", new { endpoint = "/servers", validForSeconds = 9 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("success", (string?)body["message"]);
        Assert.Matches("^[0-9a-f]{96}$", (string?)body["result"]!["authToken"]);
        Assert.Equal((long)Math.Ceiling((now.AddSeconds(9) - DateTimeOffset.UnixEpoch).TotalSeconds), (long?)body["result"]!["validUntil"]);
    }

    [Fact]
    public async Task Without_endpoint_or_lifetime_a_link_lands_on_the_dashboard_and_lasts_a_minute()
    {
        var user = await factory.CreateUserAsync("ssodefaults", Password);
        var now = factory.Clock.GetUtcNow();

        var response = await factory.AdminApi().PostAsync($"/api/users/{user.Id}/generateSsoToken", null);
        var body = await response.ReadJsonAsync();
        var login = await Browser().GetAsync($"/tokenLogin/{(string)body["result"]!["authToken"]!}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange((long)body["result"]!["validUntil"]! - now.ToUnixTimeSeconds(), 60, 61);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_link_works_once_and_is_then_refused()
    {
        var user = await factory.CreateUserAsync("ssoonce", Password);
        var link = await GenerateAsync(user.Id, new { endpoint = "/" });
        var first = Browser();
        var second = Browser();

        var used = await first.GetAsync($"/tokenLogin/{link.AuthToken}");
        var reused = await second.GetAsync($"/tokenLogin/{link.AuthToken}");

        Assert.Equal("/", used.Headers.Location?.OriginalString);
        AssertRefused(reused, InvalidLink);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/user")).StatusCode);
        Assert.NotNull(await factory.WithDbAsync(db => db.SsoTokens.Where(t => t.TokenHash == SsoTokenService.Hash(link.AuthToken))
            .Select(t => t.UsedAt).SingleAsync()));
    }

    [Fact]
    public async Task Of_many_simultaneous_uses_of_a_link_exactly_one_signs_in()
    {
        var user = await factory.CreateUserAsync("ssorace", Password);
        var link = await GenerateAsync(user.Id, new { });
        var sso = factory.Services.GetRequiredService<SsoTokenService>();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => sso.RedeemAsync(link.AuthToken, IPAddress.Loopback))));

        Assert.Single(outcomes, o => o.Outcome == SsoOutcome.SignIn);
        Assert.All(outcomes.Where(o => o.Outcome != SsoOutcome.SignIn), o => Assert.Equal(SsoOutcome.Invalid, o.Outcome));
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        var user = await factory.CreateUserAsync("ssoexpired", Password);
        var link = await GenerateAsync(user.Id, new { validForSeconds = 30 });

        factory.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(link.ValidUntil + 1));
        var browser = Browser();
        var response = await browser.GetAsync($"/tokenLogin/{link.AuthToken}");

        AssertRefused(response, InvalidLink);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/user")).StatusCode);
        Assert.Null(await factory.WithDbAsync(db => db.SsoTokens.Where(t => t.TokenHash == SsoTokenService.Hash(link.AuthToken))
            .Select(t => t.UsedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_link_still_works_in_its_last_second()
    {
        var user = await factory.CreateUserAsync("ssolastsecond", Password);
        var link = await GenerateAsync(user.Id, new { validForSeconds = 30 });

        factory.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(link.ValidUntil).AddMilliseconds(-1));
        var response = await Browser().GetAsync($"/tokenLogin/{link.AuthToken}");

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task An_unknown_link_is_refused(string authToken)
    {
        var response = await Browser().GetAsync($"/tokenLogin/{authToken}");

        AssertRefused(response, InvalidLink);
    }

    [Fact]
    public async Task A_link_for_an_account_disabled_after_it_was_made_is_refused()
    {
        var user = await factory.CreateUserAsync("ssodisabled", Password);
        var link = await GenerateAsync(user.Id, new { });
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccountStatus, AccountStatuses.Disabled)));
        factory.Services.GetRequiredService<AccessResolver>().Invalidate();

        var browser = Browser();
        var response = await browser.GetAsync($"/tokenLogin/{link.AuthToken}");

        AssertRefused(response, "This account is disabled.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/user")).StatusCode);
        var attempt = await factory.WithDbAsync(db => db.LoginAttempts.SingleAsync(a => a.UserId == user.Id));
        Assert.Equal(LoginOutcomes.Disabled, attempt.Outcome);
    }

    [Theory]
    [InlineData("{\"endpoint\": \"https://evil.example/phish\"}", "endpoint")]
    [InlineData("{\"endpoint\": \"//evil.example\"}", "endpoint")]
    [InlineData("{\"endpoint\": \"/\\\\evil.example\"}", "endpoint")]
    [InlineData("{\"endpoint\": \"servers\"}", "endpoint")]
    [InlineData("{\"validForSeconds\": 0}", "validForSeconds")]
    [InlineData("{\"validForSeconds\": 86401}", "validForSeconds")]
    [InlineData("{\"validForSeconds\": \"soon\"}", "validForSeconds")]
    public async Task Bad_link_settings_get_422_naming_the_field_and_create_nothing(string json, string field)
    {
        var before = await factory.WithDbAsync(db => db.SsoTokens.CountAsync());

        var response = await factory.AdminApi().PostAsync("/api/users/1/generateSsoToken", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.NotNull(body["errors"]?[field]);
        Assert.Equal((string?)body["errors"]![field]![0], (string?)body["message"]);
        Assert.Equal(before, await factory.WithDbAsync(db => db.SsoTokens.CountAsync()));
    }

    [Fact]
    public async Task The_database_holds_only_the_hash_of_a_link()
    {
        var user = await factory.CreateUserAsync("ssohash", Password);

        var link = await GenerateAsync(user.Id, new { endpoint = "/profile" });

        var stored = await factory.WithDbAsync(db => db.SsoTokens.SingleAsync(t => t.UserId == user.Id));
        Assert.Equal(SsoTokenService.Hash(link.AuthToken), stored.TokenHash);
        Assert.NotEqual(link.AuthToken, stored.TokenHash);
        Assert.Equal(1, stored.CreatedByUserId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(link.ValidUntil), stored.ExpiresAt);
        Assert.False(FileContains(factory.DatabasePath, link.AuthToken), "the secret is in the database file");
        Assert.False(FileContains(factory.DatabasePath + "-wal", link.AuthToken), "the secret is in the write-ahead log");
    }

    [Fact]
    public async Task A_reseller_gets_links_for_its_customers_but_not_above_its_level_or_outside_its_tree()
    {
        var reseller = await factory.CreateUserAsync("ssoreseller", Password, BuiltInRoles.Reseller);
        var customer = await factory.CreateUserAsync("ssocustomer", Password, BuiltInRoles.User, reseller.Id);
        var adminBelow = await factory.CreateUserAsync("ssoadminbelow", Password, BuiltInRoles.Admin, reseller.Id);
        var stranger = await factory.CreateUserAsync("ssostranger", Password);
        var client = factory.ApiClient(await factory.CreateTokenAsync(reseller.Id));

        var forCustomer = await client.PostJsonAsync($"/api/users/{customer.Id}/generateSsoToken", new { });
        var forAdminBelow = await client.PostJsonAsync($"/api/users/{adminBelow.Id}/generateSsoToken", new { });
        var forAdmin = await client.PostJsonAsync("/api/users/1/generateSsoToken", new { });
        var forStranger = await client.PostJsonAsync($"/api/users/{stranger.Id}/generateSsoToken", new { });

        Assert.Equal(HttpStatusCode.OK, forCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forAdminBelow.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forStranger.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.SsoTokens.AnyAsync(t => t.UserId == adminBelow.Id || t.UserId == 1 || t.UserId == stranger.Id)));
    }

    [Fact]
    public async Task A_plain_user_may_not_create_login_links()
    {
        var user = await factory.CreateUserAsync("ssoplain", Password);
        var client = factory.ApiClient(await factory.CreateTokenAsync(user.Id));

        var response = await client.PostJsonAsync($"/api/users/{user.Id}/generateSsoToken", new { });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("This action is unauthorized.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task Creating_a_link_is_in_the_activity_log_without_its_secret()
    {
        var user = await factory.CreateUserAsync("ssoaudit", Password);

        var link = await GenerateAsync(user.Id, new { endpoint = "/audited" });

        var entry = await factory.WithDbAsync(db => db.ActivityLogs
            .SingleAsync(a => a.RootType == "user" && a.RootId == user.Id.ToString() && a.Description.Contains("login link")));
        Assert.Equal(1, entry.UserId);
        Assert.Contains("/audited", entry.ModelChanges);
        Assert.DoesNotContain(link.AuthToken, entry.ModelChanges ?? "");
    }

    private sealed record Link(string AuthToken, long ValidUntil);

    private async Task<Link> GenerateAsync(int userId, object body)
    {
        var response = await factory.AdminApi().PostJsonAsync($"/api/users/{userId}/generateSsoToken", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.ReadJsonAsync())["result"]!;
        return new Link((string)result["authToken"]!, (long)result["validUntil"]!);
    }

    /// <summary>A browser that is not signed in; it keeps the cookies it is given.</summary>
    private HttpClient Browser()
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(CollectWebFactory.UserAgent);
        return client;
    }

    private static void AssertRefused(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location?.OriginalString ?? "";
        Assert.StartsWith("/account/login?error=", location);
        Assert.Contains(message, Uri.UnescapeDataString(location));
    }

    private static bool FileContains(string path, string text)
    {
        if (!File.Exists(path)) return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }
}
