using System.Net;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Subnets;

public sealed class IpAssignmentTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();

    private async Task<int> IdOfAsync(HttpResponseMessage response)
    {
        var json = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        var result = json["result"]!;
        return (int)(result is System.Text.Json.Nodes.JsonArray list ? list[0]! : result)["id"]!;
    }

    [Fact]
    public async Task Two_requests_for_the_last_free_address_one_wins_and_the_other_gets_422()
    {
        // A /30 with network, gateway and broadcast reserved has exactly one free address.
        var subnet = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.70.0.0", cidr = 30, type = "v4", gw = "100.70.0.1", generateIps = true }));
        var one = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "race-1", servername = "race-1" }));
        var two = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "race-2", servername = "race-2" }));

        var responses = await Task.WhenAll(
            factory.AdminApi().PostJsonAsync($"/api/servers/{one}/ipassignments", new { subnetId = subnet }),
            factory.AdminApi().PostJsonAsync($"/api/servers/{two}/ipassignments", new { subnetId = subnet }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.UnprocessableEntity);
        var assigned = await factory.WithDbAsync(db => db.IpAddresses.Where(a => a.Key != null && a.ServerId != null && (a.ServerId == one || a.ServerId == two)).ToListAsync());
        Assert.Equal("100.70.0.2", Assert.Single(assigned).Address);
        var usage = (await (await Admin.GetAsync($"/api/subnets/{subnet}")).ReadJsonAsync())["result"]!["usageStatistics"]!;
        Assert.Equal(1, (int?)usage["used"]);
        Assert.Equal(0, (int?)usage["free"]);
    }

    [Fact]
    public async Task Assigning_and_unassigning_keeps_counters_primary_and_server_lookup_in_step()
    {
        var subnet = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.71.0.0", cidr = 24, type = "v4", gw = "100.71.0.1", generateIps = true }));
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "assign", servername = "assign" }));

        var first = await IdOfAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "100.71.0.10" }));
        await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "100.71.0.11", description = "backup" });
        var twice = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "100.71.0.10" });
        var reserved = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "100.71.0.1" });
        var list = (await (await Admin.GetAsync($"/api/servers/{server}/ipassignments")).ReadJsonAsync())["result"]!.AsArray();
        var usage = (await (await Admin.GetAsync($"/api/subnets/{subnet}")).ReadJsonAsync())["result"]!["usageStatistics"]!;
        var byIp = await Admin.GetAsync("/api/servers/getByIp/100.71.0.11");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reserved.StatusCode);
        Assert.Equal(["100.71.0.10", "100.71.0.11"], list.Select(a => (string)a!["ip"]!).ToList());
        Assert.Equal(1, (int?)list[0]!["primary_ip"]);
        Assert.Equal(2, (int?)usage["used"]);
        Assert.Equal(3, (int?)usage["reserved"]);
        Assert.Equal(HttpStatusCode.OK, byIp.StatusCode);

        await Admin.DeleteAsync($"/api/servers/{server}/ipassignments/{first}");
        var after = (await (await Admin.GetAsync($"/api/subnets/{subnet}")).ReadJsonAsync())["result"]!["usageStatistics"]!;
        var serverAfter = (await (await Admin.GetAsync($"/api/servers/{server}")).ReadJsonAsync())["result"]!;
        Assert.Equal(1, (int?)after["used"]);
        Assert.Equal("100.71.0.11", (string?)serverAfter["primaryip"]);
    }

    [Fact]
    public async Task Assignable_subnets_follow_the_tag_restrictions_and_leave_out_full_ones()
    {
        var web = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.73.0.0", cidr = 24, type = "v4", offer_if_server_has_tag = new[] { "web" } }));
        var noDb = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.73.1.0", cidr = 24, type = "v4", dont_offer_if_server_has_tag = new[] { "db" } }));
        var full = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.73.2.0", cidr = 32, type = "v4" }));
        var webServer = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "w", servername = "w", tags = new[] { "web" } }));
        var dbServer = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "d", servername = "d", tags = new[] { "db" } }));
        await Admin.PostJsonAsync($"/api/servers/{webServer}/ipassignments", new { ip = "100.73.2.0" });

        async Task<List<int>> OfferedAsync(int server) =>
            (await (await Admin.GetAsync($"/api/servers/{server}/ipassignments/getAssignableSubnets")).ReadJsonAsync())["result"]!.AsArray()
                .Select(s => (int)s!["id"]!).ToList();
        var forWeb = await OfferedAsync(webServer);
        var forDb = await OfferedAsync(dbServer);

        Assert.Contains(web, forWeb);
        Assert.Contains(noDb, forWeb);
        Assert.DoesNotContain(full, forWeb);
        Assert.DoesNotContain(web, forDb);
        Assert.DoesNotContain(noDb, forDb);
    }

    [Fact]
    public async Task An_address_outside_every_subnet_or_malformed_is_refused()
    {
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "nowhere", servername = "nowhere" }));

        var outside = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "203.0.113.250" });
        var malformed = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "300.0.0.1" });
        var neither = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { description = "?" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, outside.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, neither.StatusCode);
    }
}
