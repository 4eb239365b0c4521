using Hangfire;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Collect.Core.Systems;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.ScaleOut;

/// <summary>Two Collect nodes on one PostgreSQL database (DESIGN §3): sessions, intake and processing work across them.</summary>
public sealed class TwoNodeTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_user_signed_in_through_one_node_is_signed_in_on_the_other()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var a = new PostgresCollectFactory(database);
        var (_, login) = await a.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        await using var b = new PostgresCollectFactory(database);

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        request.Headers.Add("Cookie", cookie);
        var response = await b.Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CollectWebFactory.AdminUserName, (string?)(await response.ReadJsonAsync())["result"]!["username"]);
    }

    [Fact]
    public async Task Two_nodes_started_at_once_on_a_database_that_does_not_exist_yet_set_it_up_once()
    {
        var database = postgres.ConnectionString("fresh_" + Guid.NewGuid().ToString("N")[..12]);
        await using var a = new PostgresCollectFactory(database, runJobs: true);
        await using var b = new PostgresCollectFactory(database, runJobs: true);

        // Both hosts build, migrate, seed and prepare Hangfire's schema at the same moment.
        await Task.WhenAll(Task.Run(() => a.Services), Task.Run(() => b.Services));

        Assert.Equal(HttpStatusCode.OK, (await a.AdminApi().GetAsync("/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.AdminApi().GetAsync("/api/user")).StatusCode);
        Assert.Equal(1, await a.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(1, await a.WithDbAsync(db => db.Brands.CountAsync()));
        Assert.Equal(1, await a.WithDbAsync(db => db.ApiTokens.CountAsync()));
    }

    [Fact]
    public async Task Inventories_posted_to_both_nodes_are_processed_exactly_once_and_read_through_either()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var a = new PostgresCollectFactory(database);
        var created = await (await a.AdminApi().PostJsonAsync("/api/systems", new { name = "shared", type = "ns8" })).ReadJsonAsync();
        var id = (string)created["data"]!["id"]!;
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{(string)created["data"]!["system_key"]!}:{(string)created["data"]!["system_secret"]!}"));
        await using var b = new PostgresCollectFactory(database);
        HttpClient Agent(CollectWebFactory node)
        {
            var client = node.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
            return client;
        }

        // Twenty uploads, alternating nodes, each changing one value; then both nodes process at the same time.
        for (var n = 0; n < 20; n++)
        {
            var response = await Agent(n % 2 == 0 ? a : b).PostAsync("/api/systems/inventory",
                new StringContent($"{{\"facts\": {{\"counter_of_changes\": {n}}}}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var outcomes = await Task.WhenAll(
            a.Services.GetRequiredService<InventoryProcessor>().RunAsync(),
            b.Services.GetRequiredService<InventoryProcessor>().RunAsync());
        // Whatever one node left because the other held the lock, a later run (the recurring job) takes.
        var later = await a.Services.GetRequiredService<InventoryProcessor>().RunAsync();
        var records = (await (await b.AdminApi().GetAsync($"/api/systems/{id}/inventory?page_size=50")).ReadJsonAsync())["data"]!["inventory_records"]!.AsArray();
        var diffs = await b.WithDbAsync(db => db.InventoryDiffs.Where(d => d.SystemId == id).ToListAsync());

        Assert.Equal(20, outcomes.Sum(o => o.Processed) + later.Processed);
        Assert.Equal(20, records.Count);
        Assert.All(records, r => Assert.Equal("processed", (string?)r!["processing_status"]));
        // One change per upload after the first, each stored once.
        Assert.Equal(19, diffs.Count);
        Assert.Equal(19, diffs.Select(d => d.InventoryId).Distinct().Count());
    }
}

/// <summary>A recurring job run by two nodes' Hangfire servers on one PostgreSQL queue.</summary>
public sealed class RecurringJobTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_recurring_job_runs_once_per_period_not_once_per_node()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var a = new PostgresCollectFactory(database, runJobs: true);
        a.Services.GetRequiredService<Hangfire.IRecurringJobManager>(); // node A creates the schema first
        await using var b = new PostgresCollectFactory(database, runJobs: true);
        b.Services.GetRequiredService<Hangfire.IRecurringJobManager>();
        TickJob.Runs.Clear();

        // Due every second; both nodes' schedulers look for due jobs every second, and each run records the occurrence
        // it was scheduled for. Wait for three occurrences, at most a minute and a half.
        a.Services.GetRequiredService<Hangfire.IRecurringJobManager>().AddOrUpdate<TickJob>("test:tick", job => job.Run(null!), "* * * * * *");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (TickJob.Runs.Select(r => r.Occurrence).Distinct().Count() < 3 && DateTime.UtcNow < deadline) await Task.Delay(200);
        a.Services.GetRequiredService<Hangfire.IRecurringJobManager>().RemoveIfExists("test:tick");
        var runs = TickJob.Runs.ToList();

        Assert.True(runs.Select(r => r.Occurrence).Distinct().Count() >= 3, $"{runs.Count} runs in 90 s");
        // Never the same occurrence twice: not once per node.
        Assert.Equal(runs.Count, runs.Select(r => r.Occurrence).Distinct().Count());
    }
}

/// <summary>Counts its runs by the occurrence Hangfire scheduled them for.</summary>
public sealed class TickJob
{
    public static readonly System.Collections.Concurrent.ConcurrentBag<(long Occurrence, string Server)> Runs = [];

    public void Run(Hangfire.Server.PerformContext context) =>
        Runs.Add((context.GetJobParameter<long>("Time"), context.ServerId));
}
