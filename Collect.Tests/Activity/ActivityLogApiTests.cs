using static Collect.Tests.Infrastructure.Json;
using System.Net;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Activity;

/// <summary>The activity logs of seed 002, each within the caller's scope.</summary>
public sealed class ActivityLogApiTests(Personas personas) : IClassFixture<Personas>
{
    [Fact]
    public async Task A_change_appears_in_the_seeds_shape_with_its_fields_before_and_after()
    {
        var admin = personas.Client("admin");
        await OkAsync(await admin.PutJsonAsync($"/api/servers/{personas.Objects["serverA"]}", new { description = "activity check" }));

        var log = (await OkAsync(await admin.GetAsync("/api/activitylog/user?limit=5&what=srv-a"))).AsArray();

        var entry = log.First(e => ((string?)e!["description"])!.Contains("changed"))!;
        Assert.Equal("1", (string?)entry["userId"]);
        Assert.Equal("activity check", (string?)entry["modelchanges"]!["Description"]!["changes"]);
        Assert.Equal($"/servers/{personas.Objects["serverA"]}", (string?)entry["meta"]!["href"]);
        Assert.Equal("api", (string?)entry["requestSource"]);
        foreach (var field in new[] { "id", "rootId", "rootType", "userIp", "visibleFor", "loglevel", "created_at", "endpoint", "method", "userDetails" })
            Assert.True(entry.AsObject().ContainsKey(field), $"missing {field}");
    }

    [Theory]
    [InlineData("resellerB", "resellerA")]
    [InlineData("userB", "admin")]
    [InlineData("userA", "userB")]
    public async Task The_user_log_never_shows_what_people_outside_the_callers_scope_did(string caller, string outsider)
    {
        var log = (await OkAsync(await personas.Client(caller).GetAsync("/api/activitylog/user?limit=1000"))).AsArray();

        Assert.DoesNotContain(log, e => (string?)e!["userId"] == personas.Ids[outsider].ToString());
    }

    [Fact]
    public async Task Limit_is_checked_and_honoured()
    {
        var admin = personas.Client("admin");

        var two = (await OkAsync(await admin.GetAsync("/api/activitylog/user?limit=2"))).AsArray();
        var bad = await admin.GetAsync("/api/activitylog/user?limit=0");

        Assert.Equal(2, two.Count);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }

    [Fact]
    public async Task An_agents_log_shows_what_happened_to_that_system()
    {
        var admin = personas.Client("admin");
        var system = personas.SystemIds["systemA"];

        var log = (await OkAsync(await admin.GetAsync($"/api/activitylog/agents/{system}?limit=10"))).AsArray();
        var unknown = await admin.GetAsync("/api/activitylog/agents/00000000-0000-0000-0000-000000000000");

        Assert.NotEmpty(log);
        Assert.All(log, e => Assert.Equal(system, (string?)e!["rootId"]));
        Assert.Equal("sys-a", (string?)log[0]!["agentName"]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
