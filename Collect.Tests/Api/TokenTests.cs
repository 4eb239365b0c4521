using System.Net;
using System.Text;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Api;

public sealed class TokenTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    [Fact]
    public async Task A_created_token_shows_its_secret_once_and_the_secret_works()
    {
        var admin = factory.AdminApi();

        var created = await (await admin.PostJsonAsync("/api/users/1/tokens", new { name = "billing", allowedHosts = Array.Empty<string>() })).ReadJsonAsync();
        var secret = (string)created["result"]!["token"]!;
        var id = (int)created["result"]!["id"]!;

        Assert.True(secret.Length >= 80, "a token carries at least 40 random bytes");
        var listed = await (await admin.GetAsync("/api/users/1/tokens")).ReadJsonAsync();
        var shown = await (await admin.GetAsync($"/api/users/1/tokens/{id}")).ReadJsonAsync();
        Assert.DoesNotContain(secret, listed.ToJsonString());
        Assert.DoesNotContain(secret, shown.ToJsonString());
        Assert.Null(shown["result"]!["token"]);
        Assert.Equal("billing", (string?)shown["result"]!["name"]);
        var me = await factory.ApiClient(secret).GetAsync("/api/user");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task The_database_never_holds_a_token_secret()
    {
        var created = await (await factory.AdminApi().PostJsonAsync("/api/users/1/tokens", new { name = "hash-check" })).ReadJsonAsync();
        var secret = (string)created["result"]!["token"]!;
        // Use it, so the access log and last_used are written too.
        await factory.ApiClient(secret).GetAsync("/api/user");
        await factory.Services.GetRequiredService<ApiRequestLogQueue>().FlushAsync();

        var stored = await factory.WithDbAsync(db => db.ApiTokens.SingleAsync(t => t.Name == "hash-check"));
        Assert.Equal(ApiTokenService.Hash(secret), stored.TokenHash);
        Assert.False(FileContains(factory.DatabasePath, secret), "the secret is in the database file");
        Assert.False(FileContains(factory.DatabasePath + "-wal", secret), "the secret is in the write-ahead log");
    }

    [Fact]
    public async Task A_token_with_allowed_hosts_works_only_from_those_addresses()
    {
        var admin = factory.AdminApi();
        var created = await (await admin.PostJsonAsync("/api/users/1/tokens",
            new { name = "restricted", allowedHosts = new[] { "10.1.2.3", "192.168.50.0/24" } })).ReadJsonAsync();
        var secret = (string)created["result"]!["token"]!;

        var fromListedIp = await factory.ApiClient(secret, remoteIp: "10.1.2.3").GetAsync("/api/user");
        var fromListedNetwork = await factory.ApiClient(secret, remoteIp: "192.168.50.77").GetAsync("/api/user");
        var fromElsewhere = await factory.ApiClient(secret, remoteIp: "10.9.9.9").GetAsync("/api/user");

        Assert.Equal(HttpStatusCode.OK, fromListedIp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromListedNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, fromElsewhere.StatusCode);
        Assert.Equal("Unauthenticated.", (string?)(await fromElsewhere.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        var admin = factory.AdminApi();
        var created = await (await admin.PostJsonAsync("/api/users/1/tokens", new { name = "short-lived" })).ReadJsonAsync();
        var secret = (string)created["result"]!["token"]!;
        var id = (int)created["result"]!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await factory.ApiClient(secret).GetAsync("/api/user")).StatusCode);

        var revoke = await admin.DeleteAsync($"/api/users/1/tokens/{id}");

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ApiClient(secret).GetAsync("/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/users/1/tokens/{id}")).StatusCode);
    }

    [Fact]
    public async Task Renaming_a_token_and_changing_its_hosts_takes_effect()
    {
        var admin = factory.AdminApi();
        var created = await (await admin.PostJsonAsync("/api/users/1/tokens", new { name = "old" })).ReadJsonAsync();
        var secret = (string)created["result"]!["token"]!;
        var id = (int)created["result"]!["id"]!;

        var updated = await (await admin.PutJsonAsync($"/api/users/1/tokens/{id}", new { name = "new", allowedHosts = new[] { "10.5.5.5" } })).ReadJsonAsync();

        Assert.Equal("new", (string?)updated["result"]!["name"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ApiClient(secret, remoteIp: "10.6.6.6").GetAsync("/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ApiClient(secret, remoteIp: "10.5.5.5").GetAsync("/api/user")).StatusCode);
    }

    [Theory]
    [InlineData("{\"name\": \"\"}", "name")]
    [InlineData("{\"allowedHosts\": []}", "name")]
    [InlineData("{\"name\": \"x\", \"allowedHosts\": [\"not-an-ip\"]}", "allowedHosts")]
    [InlineData("{\"name\": \"x\", \"allowedHosts\": [\"10.0.0.0/99\"]}", "allowedHosts")]
    public async Task Invalid_token_input_gets_422_naming_the_field_and_creates_nothing(string json, string field)
    {
        var before = await factory.WithDbAsync(db => db.ApiTokens.CountAsync());

        var response = await factory.AdminApi().PostAsync("/api/users/1/tokens", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.NotNull(body["errors"]?[field]);
        Assert.Equal((string?)body["errors"]![field]![0], (string?)body["message"]);
        Assert.Equal(before, await factory.WithDbAsync(db => db.ApiTokens.CountAsync()));
    }

    [Fact]
    public async Task Last_used_is_set_when_a_token_is_used()
    {
        var admin = factory.AdminApi();
        var created = await (await admin.PostJsonAsync("/api/users/1/tokens", new { name = "usage" })).ReadJsonAsync();
        var id = (int)created["result"]!["id"]!;
        Assert.Null(created["result"]!["last_used"]);

        await factory.ApiClient((string)created["result"]!["token"]!).GetAsync("/api/ping");
        await factory.ApiClient((string)created["result"]!["token"]!).GetAsync("/api/user");

        var shown = await (await admin.GetAsync($"/api/users/1/tokens/{id}")).ReadJsonAsync();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", (string?)shown["result"]!["last_used"]);
    }

    [Fact]
    public async Task A_user_cannot_see_or_create_tokens_of_another_user()
    {
        var user = await factory.CreateUserAsync("tokenuser", "User-Passw0rd!");
        var client = factory.ApiClient(await factory.CreateTokenAsync(user.Id));

        var list = await client.GetAsync("/api/users/1/tokens");
        var create = await client.PostJsonAsync("/api/users/1/tokens", new { name = "sneaky" });
        var adminTokenId = await factory.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == 1).Select(t => t.Id).FirstAsync());
        var revoke = await client.DeleteAsync($"/api/users/1/tokens/{adminTokenId}");
        var own = await client.GetAsync($"/api/users/{user.Id}/tokens");

        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Name == "sneaky")));
        Assert.True(await factory.WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.Id == adminTokenId)));
    }

    [Fact]
    public async Task A_disabled_users_token_is_refused()
    {
        var user = await factory.CreateUserAsync("soon-disabled", "User-Passw0rd!");
        var client = factory.ApiClient(await factory.CreateTokenAsync(user.Id));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/user")).StatusCode);

        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccountStatus, AccountStatuses.Disabled)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/user")).StatusCode);
    }

    [Fact]
    public async Task Token_lists_page_on_request()
    {
        var user = await factory.CreateUserAsync("pager", "User-Passw0rd!");
        for (var i = 0; i < 3; i++) await factory.CreateTokenAsync(user.Id, $"t{i}");

        var page = await (await factory.AdminApi().GetAsync($"/api/users/{user.Id}/tokens?page=2&per_page=2")).ReadJsonAsync();

        Assert.Equal(3, (int?)page["meta"]!["total"]);
        Assert.Equal(2, (int?)page["meta"]!["page"]);
        Assert.Equal(2, (int?)page["meta"]!["per_page"]);
        Assert.Equal("t2", (string?)page["result"]![0]!["name"]);
        Assert.Single(page["result"]!.AsArray());
    }

    [Fact]
    public async Task Creating_and_revoking_a_token_is_in_the_activity_log()
    {
        var admin = factory.AdminApi();
        var created = await (await admin.PostJsonAsync("/api/users/1/tokens", new { name = "audited" })).ReadJsonAsync();
        var id = (int)created["result"]!["id"]!;
        await admin.DeleteAsync($"/api/users/1/tokens/{id}");

        var entries = await factory.WithDbAsync(db => db.ActivityLogs
            .Where(a => a.RootType == "api_token" && a.RootId == id.ToString()).OrderBy(a => a.Id).ToListAsync());

        Assert.Collection(entries,
            e => Assert.Contains("created", e.Description),
            e => Assert.Contains("revoked", e.Description));
        Assert.All(entries, e =>
        {
            Assert.Equal(1, e.UserId);
            Assert.Equal("api", e.Source);
            Assert.Equal("127.0.0.1", e.Ip);
            Assert.StartsWith("/api/users/1/tokens", e.Endpoint);
        });
        Assert.DoesNotContain((string)created["result"]!["token"]!, entries[0].ModelChanges ?? "");
    }

    [Fact]
    public async Task The_access_log_keeps_the_request_with_the_secret_redacted()
    {
        var user = await factory.CreateUserAsync("logged", "User-Passw0rd!");
        var client = factory.ApiClient(await factory.CreateTokenAsync(user.Id), remoteIp: "10.7.7.7");

        var created = await (await client.PostJsonAsync($"/api/users/{user.Id}/tokens", new { name = "from-script" })).ReadJsonAsync();
        await factory.Services.GetRequiredService<ApiRequestLogQueue>().FlushAsync();

        var row = await factory.WithDbAsync(db => db.ApiRequestLogs.SingleAsync(l => l.UserId == user.Id && l.Method == "POST"));
        Assert.Equal($"/api/users/{user.Id}/tokens", row.Endpoint);
        Assert.Equal(200, row.Status);
        Assert.Equal("10.7.7.7", row.Ip);
        Assert.Contains("from-script", row.RequestBody);
        Assert.Contains("**************", row.ResponseBody);
        Assert.DoesNotContain((string)created["result"]!["token"]!, row.ResponseBody);
    }

    [Fact]
    public async Task A_response_too_long_for_the_access_log_is_recorded_by_size()
    {
        var user = await factory.CreateUserAsync("bigreader", "User-Passw0rd!");
        for (var i = 0; i < 200; i++) await factory.CreateTokenAsync(user.Id, $"token-with-a-rather-long-name-{i:D4}");
        var client = factory.ApiClient(await factory.CreateTokenAsync(user.Id));

        await client.GetAsync($"/api/users/{user.Id}/tokens");
        await factory.Services.GetRequiredService<ApiRequestLogQueue>().FlushAsync();

        var row = await factory.WithDbAsync(db => db.ApiRequestLogs.SingleAsync(l => l.UserId == user.Id && l.Method == "GET"));
        Assert.Matches(@"^\[\d+ bytes, too long to keep\]$", row.ResponseBody);
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
