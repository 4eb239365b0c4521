using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Collect.Core.Systems;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Systems;

/// <summary>Group commit, heartbeat ageing and retention, on a Collect of their own.</summary>
public sealed class IntakeTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private async Task<(string Id, HttpClient Agent)> SystemAsync(string name)
    {
        var json = await (await factory.AdminApi().PostJsonAsync("/api/systems", new { name, type = "ns8" })).ReadJsonAsync();
        var data = json["data"]!;
        var agent = factory.CreateClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{(string)data["system_key"]!}:{(string)data["system_secret"]!}")));
        return ((string)data["id"]!, agent);
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Concurrent_uploads_share_commits_and_every_one_is_stored()
    {
        var intake = factory.Services.GetRequiredService<InventoryIntake>();
        var systems = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SystemAsync($"group-{i}")));
        var before = intake.Stats;

        var responses = await Task.WhenAll(systems.SelectMany(s => Enumerable.Range(0, 8).Select(n =>
            s.Agent.PostAsync("/api/systems/inventory", Body($"{{\"n\": {n}, \"facts\": {{}}}}")))));
        var after = intake.Stats;
        var ids = systems.Select(s => s.Id).ToList();
        // Uploads wait in the intake's inbox until the processor files them as records.
        var stored = await factory.WithDbAsync(async db =>
            await db.InventoryInbox.CountAsync(i => ids.Contains(i.SystemId)) + await db.InventoryRecords.CountAsync(r => ids.Contains(r.SystemId)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(64, stored);
        Assert.Equal(64, after.Uploads - before.Uploads);
        // 64 uploads in flight together do not take 64 transactions.
        Assert.True(after.Commits - before.Commits < 64, $"{after.Commits - before.Commits} commits for 64 uploads");
    }

    [Fact]
    public async Task An_upload_keeps_its_id_and_its_place_in_the_list_from_pending_to_processed()
    {
        var (id, agent) = await SystemAsync("filing");
        await agent.PostAsync("/api/systems/inventory", Body("{\"facts\": {\"n\": 1}}"));
        await agent.PostAsync("/api/systems/inventory", Body("{\"facts\": {\"n\": 2}}"));
        async Task<List<(long Id, string Status)>> ListAsync() =>
            (await (await factory.AdminApi().GetAsync($"/api/systems/{id}/inventory")).ReadJsonAsync())["data"]!["inventory_records"]!.AsArray()
                .Select(r => ((long)r!["id"]!, (string)r["processing_status"]!)).ToList();
        async Task<int?> NAsync(long record) =>
            (int?)(await (await factory.AdminApi().GetAsync($"/api/systems/{id}/inventory/{record}")).ReadJsonAsync())["data"]!["data"]!["facts"]!["n"];

        var pending = await ListAsync();
        var firstBefore = await NAsync(pending[1].Id);
        await factory.Services.GetRequiredService<InventoryProcessor>().RunAsync();
        var processed = await ListAsync();
        var firstAfter = await NAsync(processed[1].Id);

        Assert.Equal(["pending", "pending"], pending.Select(r => r.Status));
        Assert.Equal(["processed", "processed"], processed.Select(r => r.Status));
        Assert.Equal(pending.Select(r => r.Id), processed.Select(r => r.Id));
        Assert.True(pending[0].Id > pending[1].Id, "newest first");
        Assert.Equal(1, firstBefore);
        Assert.Equal(1, firstAfter);
    }

    [Fact]
    public async Task Heartbeat_status_goes_from_zombie_to_alive_to_dead_as_time_passes()
    {
        var (id, agent) = await SystemAsync("ageing");
        async Task<string?> StatusAsync() => (string?)(await (await factory.AdminApi().GetAsync($"/api/systems/{id}")).ReadJsonAsync())["data"]!["heartbeat_status"];
        async Task<List<string>> FilteredAsync(string status) =>
            (await (await factory.AdminApi().GetAsync($"/api/systems?heartbeat_status={status}&page_size=100")).ReadJsonAsync())["data"]!["systems"]!.AsArray()
                .Select(s => (string)s!["id"]!).ToList();

        var zombie = await StatusAsync();
        var beat = await agent.PostAsync("/api/systems/heartbeat", null);
        var alive = await StatusAsync();
        var aliveList = await FilteredAsync("alive");
        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        var dead = await StatusAsync();
        var deadList = await FilteredAsync("dead");

        Assert.Equal("zombie", zombie);
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Equal("alive", alive);
        Assert.Contains(id, aliveList);
        Assert.Equal("dead", dead);
        Assert.Contains(id, deadList);
    }

    [Fact]
    public async Task Retention_thins_old_records_keeps_the_latest_and_the_diffs_and_drops_unused_bodies()
    {
        var (id, agent) = await SystemAsync("thinning");
        // Thirty days of uploads, four a day, each different.
        var sent = new List<DateTimeOffset>();
        for (var day = 0; day < 30; day++)
        {
            for (var n = 0; n < 4; n++)
            {
                sent.Add(factory.Clock.GetUtcNow());
                await agent.PostAsync("/api/systems/inventory", Body($"{{\"facts\": {{\"day\": {day}, \"n\": {n}}}}}"));
                factory.Clock.Advance(TimeSpan.FromHours(6));
            }
        }
        await factory.Services.GetRequiredService<InventoryProcessor>().RunAsync();
        var diffsBefore = await factory.WithDbAsync(db => db.InventoryDiffs.CountAsync(d => d.SystemId == id));

        var outcome = await factory.Services.GetRequiredService<InventoryRetentionJob>().ThinAsync();
        var records = await factory.WithDbAsync(db => db.InventoryRecords.Where(r => r.SystemId == id).OrderBy(r => r.Id).ToListAsync());
        var diffsAfter = await factory.WithDbAsync(db => db.InventoryDiffs.CountAsync(d => d.SystemId == id));
        var orphans = await factory.WithDbAsync(db => db.InventoryBlobs.CountAsync(b => !db.InventoryRecords.Any(r => r.DataHash == b.Hash)));

        var cutoff = factory.Clock.GetUtcNow().AddDays(-7);
        // Everything of the last 7 days (4 a day) stays; before that, one record per calendar day.
        var expected = sent.Count(t => t >= cutoff) + sent.Where(t => t < cutoff).Select(t => t.UtcDateTime.Date).Distinct().Count();
        Assert.Equal(28, sent.Count(t => t >= cutoff));
        Assert.Equal(expected, records.Count);
        Assert.Equal(120 - expected, outcome.RecordsDeleted);
        Assert.Equal(28, records.Count(r => r.Timestamp >= cutoff));
        Assert.All(records.Where(r => r.Timestamp < cutoff).GroupBy(r => r.Timestamp.UtcDateTime.Date), day => Assert.Single(day));
        Assert.Equal(diffsBefore, diffsAfter);
        Assert.Equal(0, orphans);
        Assert.Equal(120 - expected, outcome.BlobsDeleted);
    }
}

/// <summary>When the database cannot take an upload, the agent hears 500 in the seed's shape.</summary>
public sealed class IntakeStorageFailureTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    [Fact]
    public async Task Storage_that_is_unavailable_answers_500_in_the_seed_shape()
    {
        var json = await (await factory.AdminApi().PostJsonAsync("/api/systems", new { name = "doomed", type = "ns8" })).ReadJsonAsync();
        var agent = factory.CreateClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{(string)json["data"]!["system_key"]!}:{(string)json["data"]!["system_secret"]!}")));
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TABLE \"InventoryInbox\""));

        var response = await agent.PostAsync("/api/systems/inventory", new StringContent("{\"facts\": {}}", Encoding.UTF8, "application/json"));
        var body = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(500, (int)body["code"]!);
        Assert.Equal("Failed to process inventory", (string?)body["message"]);
        Assert.NotNull(body["data"]!["error"]);
    }
}
