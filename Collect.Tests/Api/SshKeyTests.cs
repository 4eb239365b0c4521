using System.Net;
using System.Text;
using Collect.Tests.Core;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Api;

public sealed class SshKeyTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private const string Password = "User-Passw0rd!";

    [Fact]
    public async Task An_added_key_is_answered_with_its_fingerprint_type_and_bits()
    {
        var user = await factory.CreateUserAsync("keyshape", Password);

        var response = await factory.AdminApi().PostJsonAsync($"/api/users/{user.Id}/sshkeys",
            new { name = "Ansible", pubkey = SshTestKeys.Rsa3072Seed, description = "Ansible SSH Key" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var key = body["result"]!;
        Assert.Equal("success", (string?)body["message"]);
        Assert.Equal("Ansible", (string?)key["name"]);
        Assert.Equal(SshTestKeys.Rsa3072Seed, (string?)key["pubkey"]);
        Assert.Equal(user.Id, (int?)key["userid"]);
        Assert.Equal("Ansible SSH Key", (string?)key["description"]);
        Assert.Equal(SshTestKeys.Rsa3072SeedFingerprint, (string?)key["fingerprint"]);
        Assert.Equal("ssh-rsa", (string?)key["type"]);
        Assert.Equal(3072, (int?)key["bits"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", (string?)key["created_at"]);
    }

    [Fact]
    public async Task A_key_can_be_added_listed_shown_changed_and_removed()
    {
        var user = await factory.CreateUserAsync("keycrud", Password);
        var client = factory.ApiClient(await factory.CreateTokenAsync(user.Id));
        var url = $"/api/users/{user.Id}/sshkeys";

        var created = await (await client.PostJsonAsync(url, new { name = "laptop", pubkey = SshTestKeys.Ed25519 })).ReadJsonAsync();
        var id = (int)created["result"]!["id"]!;
        var listed = await (await client.GetAsync(url)).ReadJsonAsync();
        var renamed = await (await client.PutJsonAsync($"{url}/{id}", new { name = "work laptop", description = "the grey one" })).ReadJsonAsync();
        var rekeyed = await (await client.PutJsonAsync($"{url}/{id}", new { pubkey = SshTestKeys.Ecdsa384 })).ReadJsonAsync();
        var shown = await (await client.GetAsync($"{url}/{id}")).ReadJsonAsync();
        var deleted = await client.DeleteAsync($"{url}/{id}");

        Assert.Equal(id, (int?)Assert.Single(listed["result"]!.AsArray())!["id"]);
        Assert.Equal("work laptop", (string?)renamed["result"]!["name"]);
        Assert.Equal(SshTestKeys.Ed25519Fingerprint, (string?)renamed["result"]!["fingerprint"]);
        Assert.Equal("work laptop", (string?)shown["result"]!["name"]);
        Assert.Equal("the grey one", (string?)shown["result"]!["description"]);
        Assert.Equal(SshTestKeys.Ecdsa384Fingerprint, (string?)rekeyed["result"]!["fingerprint"]);
        Assert.Equal("ecdsa-sha2-nistp384", (string?)shown["result"]!["type"]);
        Assert.Equal(384, (int?)shown["result"]!["bits"]);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{url}/{id}")).StatusCode);
        Assert.Empty((await (await client.GetAsync(url)).ReadJsonAsync())["result"]!.AsArray());
    }

    [Theory]
    [InlineData("ssh-ed25519 not*base64!", "base64")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIER25n+R0AT20DuC/FQv2IdV9c+Owmsv40IRZleeNZVF", "its data holds a \"ssh-ed25519\" key")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIER25n+R0AT20DuC/FQv2IdV9c+Owmsv40IRZlee", "truncated")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "not supported")]
    [InlineData("short-rsa", "only 512 bits")]
    [InlineData("", "required")]
    public async Task A_malformed_key_gets_422_naming_the_problem_and_nothing_is_stored(string pubkey, string problem)
    {
        if (pubkey == "short-rsa") pubkey = SshTestKeys.Rsa512();
        var before = await factory.WithDbAsync(db => db.SshKeys.CountAsync());

        var response = await factory.AdminApi().PostJsonAsync("/api/users/1/sshkeys", new { name = "bad", pubkey });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var error = (string?)body["errors"]?["pubkey"]?[0];
        Assert.Contains(problem, error);
        Assert.Equal(error, (string?)body["message"]);
        Assert.Equal(before, await factory.WithDbAsync(db => db.SshKeys.CountAsync()));
    }

    [Theory]
    [InlineData("{\"pubkey\": \"" + SshTestKeys.Ed25519 + "\"}", "name")]
    [InlineData("{\"name\": \"no key\"}", "pubkey")]
    [InlineData("{\"name\": [1], \"pubkey\": \"" + SshTestKeys.Ed25519 + "\"}", "name")]
    public async Task A_key_without_its_required_fields_gets_422_naming_the_field(string json, string field)
    {
        var response = await factory.AdminApi().PostAsync("/api/users/1/sshkeys", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]?[field]);
    }

    [Fact]
    public async Task The_same_key_twice_on_one_account_is_refused_but_another_account_may_hold_it()
    {
        var first = await factory.CreateUserAsync("dupe1", Password);
        var second = await factory.CreateUserAsync("dupe2", Password);
        var admin = factory.AdminApi();
        await admin.PostJsonAsync($"/api/users/{first.Id}/sshkeys", new { name = "original", pubkey = SshTestKeys.Ecdsa256 });

        // The comment differs, the key does not.
        var again = await admin.PostJsonAsync($"/api/users/{first.Id}/sshkeys",
            new { name = "copy", pubkey = SshTestKeys.Ecdsa256.Replace("test@ecdsa256", "other comment") });
        var elsewhere = await admin.PostJsonAsync($"/api/users/{second.Id}/sshkeys", new { name = "shared", pubkey = SshTestKeys.Ecdsa256 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("already on the account as \"original\"", (string?)(await again.ReadJsonAsync())["errors"]!["pubkey"]![0]);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(1, await factory.WithDbAsync(db => db.SshKeys.CountAsync(k => k.UserId == first.Id)));
    }

    [Fact]
    public async Task Changing_a_key_into_another_key_of_the_same_account_is_refused()
    {
        var user = await factory.CreateUserAsync("dupeput", Password);
        var url = $"/api/users/{user.Id}/sshkeys";
        var admin = factory.AdminApi();
        await admin.PostJsonAsync(url, new { name = "a", pubkey = SshTestKeys.Ed25519 });
        var b = (int)(await (await admin.PostJsonAsync(url, new { name = "b", pubkey = SshTestKeys.Ed25519Second })).ReadJsonAsync())["result"]!["id"]!;

        var clash = await admin.PutJsonAsync($"{url}/{b}", new { pubkey = SshTestKeys.Ed25519 });
        var same = await admin.PutJsonAsync($"{url}/{b}", new { pubkey = SshTestKeys.Ed25519Second });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, clash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(SshTestKeys.Ed25519SecondFingerprint,
            await factory.WithDbAsync(db => db.SshKeys.Where(k => k.Id == b).Select(k => k.Fingerprint).SingleAsync()));
    }

    [Fact]
    public async Task Another_user_cannot_see_change_or_remove_my_keys()
    {
        var owner = await factory.CreateUserAsync("keyowner", Password);
        var other = await factory.CreateUserAsync("keysnoop", Password);
        var created = await (await factory.ApiClient(await factory.CreateTokenAsync(owner.Id))
            .PostJsonAsync($"/api/users/{owner.Id}/sshkeys", new { name = "mine", pubkey = SshTestKeys.Rsa2048 })).ReadJsonAsync();
        var id = (int)created["result"]!["id"]!;
        var snoop = factory.ApiClient(await factory.CreateTokenAsync(other.Id));

        var list = await snoop.GetAsync($"/api/users/{owner.Id}/sshkeys");
        var show = await snoop.GetAsync($"/api/users/{owner.Id}/sshkeys/{id}");
        var change = await snoop.PutJsonAsync($"/api/users/{owner.Id}/sshkeys/{id}", new { name = "stolen" });
        var remove = await snoop.DeleteAsync($"/api/users/{owner.Id}/sshkeys/{id}");
        var add = await snoop.PostJsonAsync($"/api/users/{owner.Id}/sshkeys", new { name = "planted", pubkey = SshTestKeys.Ed25519Second });
        // The key's id under the snoop's own account does not reach it either.
        var viaOwnAccount = await snoop.DeleteAsync($"/api/users/{other.Id}/sshkeys/{id}");

        Assert.All(new[] { list, show, change, remove, add, viaOwnAccount }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("Not found.", (string?)(await remove.ReadJsonAsync())["message"]);
        var stored = await factory.WithDbAsync(db => db.SshKeys.Where(k => k.UserId == owner.Id).ToListAsync());
        Assert.Equal("mine", Assert.Single(stored).Name);
    }

    [Fact]
    public async Task Adding_changing_and_removing_a_key_is_in_the_activity_log()
    {
        var user = await factory.CreateUserAsync("keyaudit", Password);
        var admin = factory.AdminApi();
        var url = $"/api/users/{user.Id}/sshkeys";
        var id = (int)(await (await admin.PostJsonAsync(url, new { name = "audited", pubkey = SshTestKeys.Rsa4096 })).ReadJsonAsync())["result"]!["id"]!;
        await admin.PutJsonAsync($"{url}/{id}", new { name = "renamed" });
        await admin.DeleteAsync($"{url}/{id}");

        var entries = await factory.WithDbAsync(db => db.ActivityLogs
            .Where(a => a.RootType == "ssh_key" && a.RootId == id.ToString()).OrderBy(a => a.Id).ToListAsync());

        Assert.Collection(entries,
            e => Assert.Contains("added", e.Description),
            e => Assert.Contains("changed", e.Description),
            e => Assert.Contains("removed", e.Description));
        Assert.All(entries, e => Assert.Equal(1, e.UserId));
        Assert.Contains(SshTestKeys.Rsa4096Fingerprint, entries[0].ModelChanges);
        Assert.Contains("renamed", entries[1].ModelChanges);
    }

    [Fact]
    public async Task Key_lists_page_on_request()
    {
        var user = await factory.CreateUserAsync("keypager", Password);
        var admin = factory.AdminApi();
        foreach (var (name, key) in new[] { ("k0", SshTestKeys.Ed25519), ("k1", SshTestKeys.Ecdsa521), ("k2", SshTestKeys.Rsa1024) })
            await admin.PostJsonAsync($"/api/users/{user.Id}/sshkeys", new { name, pubkey = key });

        var page = await (await admin.GetAsync($"/api/users/{user.Id}/sshkeys?page=2&per_page=2")).ReadJsonAsync();

        Assert.Equal(3, (int?)page["meta"]!["total"]);
        Assert.Equal("k2", (string?)Assert.Single(page["result"]!.AsArray())!["name"]);
    }
}
