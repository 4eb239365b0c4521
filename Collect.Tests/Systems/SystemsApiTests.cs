using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Systems;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Systems;

/// <summary>Systems (seed 000), the agent's intake and heartbeat (seed 001), processing and reading (seed 003).</summary>
public sealed class SystemsApiTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    public static readonly string Sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ns8-inventory-sample.json"));

    private HttpClient Admin => factory.AdminApi();

    private async Task<(string Id, string Key, string Secret)> CreateSystemAsync(string name = "ns8-prod", HttpClient? client = null)
    {
        var response = await (client ?? Admin).PostJsonAsync("/api/systems", new { name, type = "ns8", custom_data = new { tier = "web" } });
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        var data = json["data"]!;
        return ((string)data["id"]!, (string)data["system_key"]!, (string)data["system_secret"]!);
    }

    private HttpClient Agent(string key, string secret)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")));
        return client;
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<ProcessingOutcome> ProcessAsync() => factory.Services.GetRequiredService<InventoryProcessor>().RunAsync();

    [Fact]
    public async Task Creating_a_system_answers_201_with_every_field_and_the_key_and_secret_only_then()
    {
        var response = await Admin.PostJsonAsync("/api/systems", new { name = "Production Server 01", type = "ns8", custom_data = new { datacenter = "EU-West-1" } });
        var json = await response.ReadJsonAsync();
        var data = json["data"]!;
        var again = (await (await Admin.GetAsync($"/api/systems/{(string)data["id"]!}")).ReadJsonAsync())["data"]!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(201, (int)json["code"]!);
        Assert.Equal("system created successfully", (string?)json["message"]);
        foreach (var field in new[] { "id", "name", "type", "status", "fqdn", "ipv4_address", "ipv6_address", "version", "last_seen", "custom_data", "secret_hint",
                     "created_at", "updated_at", "created_by", "heartbeat_status", "last_heartbeat", "heartbeat_minutes" })
            Assert.True(data.AsObject().ContainsKey(field), field);
        Assert.StartsWith("NETH-", (string)data["system_key"]!);
        Assert.Equal("NETH-" + (string)data["id"]!, (string)data["system_key"]!);
        Assert.EndsWith((string)data["secret_hint"]!, (string)data["system_secret"]!);
        Assert.Equal("zombie", (string?)data["heartbeat_status"]);
        Assert.Equal("online", (string?)data["status"]);
        Assert.Equal("admin", (string?)data["created_by"]!["user_name"]);
        Assert.Equal("EU-West-1", (string?)data["custom_data"]!["datacenter"]);
        Assert.Null(again["system_secret"]);
        Assert.Null(again["system_key"]);
    }

    [Theory]
    [InlineData("{\"type\": \"ns8\"}", "name")]
    [InlineData("{\"name\": \"x\"}", "type")]
    [InlineData("{\"name\": 5, \"type\": \"ns8\"}", "name")]
    [InlineData("{\"name\": \"x\", \"type\": \"ns8\", \"custom_data\": [1]}", "custom_data")]
    [InlineData("{\"name\": \"x\", \"type\": \"ns8\", \"status\": \"asleep\"}", "status")]
    [InlineData("[1, 2]", "body")]
    [InlineData("{\"name\": ", "body")]
    public async Task Bad_system_bodies_get_400_validation_errors_naming_the_key(string body, string key)
    {
        var response = await Admin.PostAsync("/api/systems", Body(body));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_error", (string?)json["data"]!["type"]);
        Assert.Contains(json["data"]!["errors"]!.AsArray(), e => (string?)e!["key"] == key);
    }

    [Fact]
    public async Task An_upload_is_readable_the_moment_202_returns_and_identical_bodies_are_stored_once()
    {
        var (id, key, secret) = await CreateSystemAsync("intake");
        var agent = Agent(key, secret);

        var response = await agent.PostAsync("/api/systems/inventory", Body(Sample));
        var json = await response.ReadJsonAsync();
        var latest = (await (await Admin.GetAsync($"/api/systems/{id}/inventory/latest")).ReadJsonAsync())["data"]!;
        await agent.PostAsync("/api/systems/inventory", Body(Sample));
        var hash = (string)latest["data_hash"]!;
        await ProcessAsync();
        var blobs = await factory.WithDbAsync(db => db.InventoryBlobs.CountAsync(b => b.Hash == hash));
        var records = await factory.WithDbAsync(db => db.InventoryRecords.CountAsync(r => r.SystemId == id));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(Sample), (int)json["data"]!["data_size"]!);
        Assert.Equal("queued", (string?)json["data"]!["queue_status"]);
        Assert.Equal(key, (string?)json["data"]!["system_key"]);
        Assert.Equal("659d2fbe-792f-4a0d-ae58-f278304d4f7f", (string?)latest["data"]!["uuid"]);
        Assert.Null(latest["processed_at"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Sample))), hash);
        Assert.Equal(1, blobs);
        Assert.Equal(2, records);
    }

    [Fact]
    public async Task Bad_credentials_a_deleted_system_and_a_regenerated_secret_get_401()
    {
        var (id, key, secret) = await CreateSystemAsync("creds");
        var wrong = await Agent(key, secret + "x").PostAsync("/api/systems/inventory", Body("{}"));
        var none = await factory.CreateClient().PostAsync("/api/systems/inventory", Body("{}"));
        var garbage = factory.CreateClient();
        garbage.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic !!!notbase64");
        var malformed = await garbage.PostAsync("/api/systems/inventory", Body("{}"));

        var regenerated = (await (await Admin.PostAsync($"/api/systems/{id}/regenerate-secret", null)).ReadJsonAsync())["data"]!;
        var old = await Agent(key, secret).PostAsync("/api/systems/heartbeat", null);
        var fresh = await Agent(key, (string)regenerated["system_secret"]!).PostAsync("/api/systems/heartbeat", null);
        await Admin.DeleteAsync($"/api/systems/{id}");
        var deleted = await Agent(key, (string)regenerated["system_secret"]!).PostAsync("/api/systems/inventory", Body("{}"));
        var gone = await Admin.GetAsync($"/api/systems/{id}");

        Assert.All(new[] { wrong, none, malformed, old, deleted }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(401, (int)(await wrong.ReadJsonAsync())["code"]!);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Oversize_bodies_get_413_with_the_sizes_and_bodies_that_are_not_objects_get_400()
    {
        var (id, key, secret) = await CreateSystemAsync("limits");
        var agent = Agent(key, secret);
        var big = new ByteArrayContent(new byte[10 * 1024 * 1024 + 1]);
        big.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var tooLarge = await agent.PostAsync("/api/systems/inventory", big);
        var chunked = await agent.PostAsync("/api/systems/inventory", new StreamContent(new MemoryStream(new byte[10 * 1024 * 1024 + 100])));
        var array = await agent.PostAsync("/api/systems/inventory", Body("[1,2,3]"));
        var broken = await agent.PostAsync("/api/systems/inventory", Body("{\"facts\": "));
        var trailing = await agent.PostAsync("/api/systems/inventory", Body("{} {}"));
        var empty = await agent.PostAsync("/api/systems/inventory", Body(""));
        var json = await tooLarge.ReadJsonAsync();
        var stored = await factory.WithDbAsync(async db =>
            await db.InventoryInbox.CountAsync(i => i.SystemId == id) + await db.InventoryRecords.CountAsync(r => r.SystemId == id));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(10485760, (long)json["data"]!["max_size_bytes"]!);
        Assert.Equal(10485761, (long)json["data"]!["received_bytes"]!);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.All(new[] { array, broken, trailing, empty }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("validation_error", (string?)(await array.ReadJsonAsync())["data"]!["type"]);
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task Processing_diffs_against_the_previous_record_naming_array_items_by_id_and_updates_the_facts()
    {
        var (id, key, secret) = await CreateSystemAsync("diffing");
        var agent = Agent(key, secret);
        var changed = JsonNode.Parse(Sample)!;
        changed["facts"]!["nodes"]!["1"]!["default_ipv4"] = "203.0.113.99";
        var modules = changed["facts"]!["modules"]!.AsArray();
        modules.Reverse();
        modules.First(m => (string?)m!["id"] == "mod2")!["version"] = "1.2.3";
        modules.Remove(modules.First(m => (string?)m!["id"] == "mod5"));
        modules.Add(new JsonObject { ["id"] = "crowdsec1", ["name"] = "crowdsec", ["node"] = "1", ["ui_name"] = "CS", ["version"] = "0.1.0" });
        changed["facts"]!["cluster"]!["subscription"] = "enterprise";
        changed["facts"]!["uptime_seconds"] = 12345;

        await agent.PostAsync("/api/systems/inventory", Body(Sample));
        await agent.PostAsync("/api/systems/inventory", Body(Sample));
        await agent.PostAsync("/api/systems/inventory", Body(changed.ToJsonString()));
        var outcome = await ProcessAsync();
        var records = (await (await Admin.GetAsync($"/api/systems/{id}/inventory")).ReadJsonAsync())["data"]!["inventory_records"]!.AsArray();
        var diffs = (await (await Admin.GetAsync($"/api/systems/{id}/inventory/diffs?page_size=100")).ReadJsonAsync())["data"]!["diffs"]!.AsArray();
        var system = (await (await Admin.GetAsync($"/api/systems/{id}")).ReadJsonAsync())["data"]!;
        var byPath = diffs.ToDictionary(d => (string)d!["field_path"]!, d => d!);

        Assert.True(outcome.Processed >= 3, $"{outcome.Processed} processed");
        Assert.Equal([true, false, false], records.Select(r => (bool)r!["has_changes"]!).ToList());
        Assert.All(records, r => Assert.NotNull(r!["processed_at"]));
        Assert.Equal(5, (int)records[0]!["change_count"]!);
        Assert.Equal(5, diffs.Count);
        Assert.Equal("update", (string?)byPath["facts.nodes.1.default_ipv4"]["diff_type"]);
        Assert.Equal("203.0.113.1", (string?)byPath["facts.nodes.1.default_ipv4"]["previous_value"]);
        Assert.Equal("network", (string?)byPath["facts.nodes.1.default_ipv4"]["category"]);
        Assert.Equal("high", (string?)byPath["facts.nodes.1.default_ipv4"]["severity"]);
        Assert.Equal("1.2.3", (string?)byPath["facts.modules[mod2].version"]["current_value"]);
        Assert.Equal("modules", (string?)byPath["facts.modules[mod2].version"]["category"]);
        Assert.Equal("delete", (string?)byPath["facts.modules[mod5]"]["diff_type"]);
        Assert.Equal("high", (string?)byPath["facts.modules[mod5]"]["severity"]);
        Assert.Equal("create", (string?)byPath["facts.modules[crowdsec1]"]["diff_type"]);
        Assert.Equal("critical", (string?)byPath["facts.cluster.subscription"]["severity"]);
        Assert.DoesNotContain(diffs, d => ((string)d!["field_path"]!).Contains("uptime"));
        Assert.Equal("node1.example.net", (string?)system["fqdn"]);
        Assert.Equal("203.0.113.99", (string?)system["ipv4_address"]);
        Assert.Equal("2001:db8::1", (string?)system["ipv6_address"]);
        Assert.Equal("3.17.0", (string?)system["version"]);
        Assert.NotNull(system["last_seen"]);
        Assert.Equal("alive", (string?)system["heartbeat_status"]);

        var critical = (await (await Admin.GetAsync($"/api/systems/{id}/inventory/diffs?severity=critical")).ReadJsonAsync())["data"]!["diffs"]!.AsArray();
        var searched = (await (await Admin.GetAsync($"/api/systems/{id}/inventory/diffs?search=crowdsec")).ReadJsonAsync())["data"]!["diffs"]!.AsArray();
        var badFilter = await Admin.GetAsync($"/api/systems/{id}/inventory/diffs?severity=apocalyptic");
        var timeline = (await (await Admin.GetAsync($"/api/systems/{id}/inventory/timeline")).ReadJsonAsync())["data"]!["timeline"]!.AsArray();
        Assert.Equal("facts.cluster.subscription", (string?)Assert.Single(critical)!["field_path"]);
        Assert.Single(searched);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        var day = Assert.Single(timeline)!;
        Assert.Equal(3, (int)day["records"]!);
        Assert.Equal(5, (int)day["changes"]!);
    }

    [Fact]
    public async Task A_record_that_keeps_failing_is_set_aside_after_three_tries_and_does_not_block_the_others()
    {
        var (broken, key, secret) = await CreateSystemAsync("broken");
        var (healthy, key2, secret2) = await CreateSystemAsync("healthy");
        await Agent(key, secret).PostAsync("/api/systems/inventory", Body(Sample));
        await Agent(key, secret).PostAsync("/api/systems/inventory", Body("{\"facts\": {\"nodes\": {}}, \"n\": 1}"));
        await Agent(key2, secret2).PostAsync("/api/systems/inventory", Body(Sample));
        // Corrupt the stored body of the second upload, as a damaged disk would.
        var corrupted = await factory.WithDbAsync(async db =>
        {
            var upload = await db.InventoryInbox.Where(i => i.SystemId == broken).OrderByDescending(i => i.Id).FirstAsync();
            await db.InventoryInbox.Where(i => i.Id == upload.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.Body, Encoding.UTF8.GetBytes("{not json")));
            return upload.Id;
        });
        await Agent(key, secret).PostAsync("/api/systems/inventory", Body("{\"facts\": {\"nodes\": {}}, \"n\": 2}"));

        // Each run is one attempt; the healthy system is done after the first.
        var first = await ProcessAsync();
        var healthyAfterFirst = (await (await Admin.GetAsync($"/api/systems/{healthy}/inventory")).ReadJsonAsync())["data"]!["inventory_records"]!.AsArray();
        await ProcessAsync();
        var outcome = await ProcessAsync();
        var healthyRecords = (await (await Admin.GetAsync($"/api/systems/{healthy}/inventory")).ReadJsonAsync())["data"]!["inventory_records"]!.AsArray();
        var brokenRecords = (await (await Admin.GetAsync($"/api/systems/{broken}/inventory")).ReadJsonAsync())["data"]!["inventory_records"]!.AsArray();

        Assert.Equal(0, first.Failed);
        Assert.Equal("processed", (string?)healthyAfterFirst[0]!["processing_status"]);
        Assert.Equal(1, outcome.Failed);
        Assert.Equal("failed", (string?)brokenRecords.First(r => (long)r!["id"]! == corrupted)!["processing_status"]);
        Assert.Equal("processed", (string?)healthyRecords[0]!["processing_status"]);
        // The record after the failed one was diffed against the last good one.
        Assert.Equal("processed", (string?)brokenRecords[0]!["processing_status"]);
        Assert.True((bool)brokenRecords[0]!["has_changes"]!);
        Assert.Contains("invalid", (string?)brokenRecords.First(r => (long)r!["id"]! == corrupted)!["processing_error"]);
    }

    [Fact]
    public async Task Work_accepted_before_a_restart_is_processed_after_it()
    {
        var (id, key, secret) = await CreateSystemAsync("restart");
        await Agent(key, secret).PostAsync("/api/systems/inventory", Body(Sample));
        var changed = Sample.Replace("node1.example.net", "node1.example.org");
        await Agent(key, secret).PostAsync("/api/systems/inventory", Body(changed));

        // A second process over the same database: nothing was processed by the first one.
        await using var restarted = new ReopenedCollectFactory(factory);
        var outcome = await restarted.Services.GetRequiredService<InventoryProcessor>().RunAsync();
        var records = await factory.WithDbAsync(db => db.InventoryRecords.Where(r => r.SystemId == id).ToListAsync());

        Assert.True(outcome.Processed >= 2);
        Assert.All(records, r => Assert.NotNull(r.ProcessedAt));
        Assert.Single(await factory.WithDbAsync(db => db.InventoryDiffs.Where(d => d.SystemId == id).ToListAsync()));
    }
}
