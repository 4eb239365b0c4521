using static Collect.Tests.Infrastructure.Json;
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
    public async Task Assignable_subnets_come_in_pages_and_a_search_narrows_them()
    {
        await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.79.0.0", cidr = 24, type = "v4", description = "Rack 4 uplink", priority = 1 });
        await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.79.1.0", cidr = 24, type = "v4", description = "Rack 5", priority = 1 });
        await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.79.2.0", cidr = 24, type = "v4", description = "rack 4 spare", priority = 1 });
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "pager", servername = "pager" }));
        var url = $"/api/servers/{server}/ipassignments/getAssignableSubnets";

        var all = (await (await Admin.GetAsync(url)).ReadJsonAsync())["result"]!.AsArray();
        var first = await (await Admin.GetAsync(url + "?page=1&per_page=2")).ReadJsonAsync();
        var byNetwork = (await (await Admin.GetAsync(url + "?search=100.79.1")).ReadJsonAsync())["result"]!.AsArray();
        var byDescription = (await (await Admin.GetAsync(url + "?search=RACK%204&per_page=10")).ReadJsonAsync())["result"]!.AsArray();
        var badPage = await Admin.GetAsync(url + "?per_page=x");

        Assert.True(all.Count >= 3);
        Assert.Equal(2, first["result"]!.AsArray().Count);
        Assert.Equal(all.Count, (int)first["meta"]!["total"]!);
        Assert.Equal(all.Take(2).Select(s => (int)s!["id"]!), first["result"]!.AsArray().Select(s => (int)s!["id"]!));
        Assert.Equal(["100.79.1.0"], byNetwork.Select(s => (string)s!["subnet"]!));
        Assert.Equal(["100.79.0.0", "100.79.2.0"], byDescription.Select(s => (string)s!["subnet"]!));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPage.StatusCode);
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


    [Fact]
    public async Task Several_addresses_go_in_one_call_all_or_none_and_are_named_by_ip_for_changes()
    {
        var subnet = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.74.0.0", cidr = 24, type = "v4" }));
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "many.example.net", servername = "many" }));

        var partlyTaken = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { subnets_id = subnet, ips = new[] { "100.74.0.20", "100.74.1.1" } });
        var afterRefusal = (await OkAsync(await Admin.GetAsync($"/api/subnets/{subnet}")))["usageStatistics"]!;
        var both = (await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments",
            new { subnets_id = subnet, ips = new[] { "100.74.0.20", "100.74.0.21" }, description = "web", performVlanActions = "none" }))).AsArray();
        var described = await OkAsync(await Admin.PutJsonAsync($"/api/servers/{server}/ipassignments/anything",
            new { ip = "100.74.0.21", primary_ip = true, ptrRecord = "www.example.net." }));
        var badPtr = await Admin.PutJsonAsync($"/api/servers/{server}/ipassignments/0", new { ip = "100.74.0.21", ptrRecord = "not a host name" });
        var ptr = await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments/rdns", new { ip = "100.74.0.21" }));
        var template = await OkAsync(await Admin.PutJsonAsync($"/api/servers/{server}/ipassignments/0", new { ip = "100.74.0.20", setPtrTemplate = true }));
        var serverJson = await OkAsync(await Admin.GetAsync($"/api/servers/{server}"));
        var removed = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/servers/{server}/ipassignments/x")
        {
            Content = new StringContent("{\"ips\": [\"100.74.0.20\", \"100.74.0.21\"]}", System.Text.Encoding.UTF8, "application/json"),
        });
        var usage = (await OkAsync(await Admin.GetAsync($"/api/subnets/{subnet}")))["usageStatistics"]!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, partlyTaken.StatusCode);
        Assert.Equal(0, (int)afterRefusal["used"]!);
        Assert.Equal(["100.74.0.20", "100.74.0.21"], both.Select(a => (string)a!["ip"]!).ToList());
        Assert.All(both, a => Assert.Equal("web", (string?)a!["description"]));
        Assert.Equal(1, (int)described["primary_ip"]!);
        Assert.Equal("www.example.net", (string?)described["ptrRecord"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPtr.StatusCode);
        Assert.Equal("www.example.net", (string?)ptr["ptrRecord"]);
        Assert.Equal("many.example.net", (string?)template["ptrRecord"]);
        Assert.Equal("100.74.0.21", (string?)serverJson["primaryip"]);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(0, (int)usage["used"]!);
    }

    [Fact]
    public async Task An_ipv6_child_subnet_is_given_whole_to_a_server_and_back()
    {
        var parent = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "2001:db8:500::", cidr = 48, type = "v6" }));
        var child = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "2001:db8:500:7::", cidr = 64, type = "v6" }));
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "v6", servername = "v6", ipassignments = new[] { "2001:db8:500::10" } }));
        var other = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "v6b", servername = "v6b" }));

        var given = (await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ips = new[] { "2001:db8:500:7::/64" } }))).AsArray();
        var list = (await OkAsync(await Admin.GetAsync($"/api/servers/{server}/ipassignments"))).AsArray();
        var inside = await Admin.PostJsonAsync($"/api/servers/{other}/ipassignments", new { ip = "2001:db8:500:7::5" });
        var again = await Admin.PostJsonAsync($"/api/servers/{other}/ipassignments", new { ips = new[] { "2001:db8:500:7::/64" } });
        var childUsage = (await OkAsync(await Admin.GetAsync($"/api/subnets/{child}")))["usageStatistics"]!;
        var back = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/servers/{server}/ipassignments/0")
        {
            Content = new StringContent("{\"ip\": \"2001:db8:500:7::/64\"}", System.Text.Encoding.UTF8, "application/json"),
        });
        var afterBack = (await OkAsync(await Admin.GetAsync($"/api/subnets/{child}")))["usageStatistics"]!;

        Assert.Equal(1, (int)given[0]!["ipAttributes"]!["isSubnet"]!);
        Assert.Equal(["2001:db8:500::10", "2001:db8:500:7::/64"], list.Select(a => (string)a!["ip"]!).ToList());
        Assert.Equal(parent, (int?)list[1]!["subnetinformation"]!["rootSubnetId"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, inside.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal(0, (int)childUsage["free"]!);
        Assert.Equal(100.0, (double)childUsage["usedPercentage"]!);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(UInt128.Parse("18446744073709551616"), UInt128.Parse(afterBack["free"]!.ToJsonString()));
    }

    [Fact]
    public async Task Deleting_a_server_gives_its_addresses_and_subnets_back()
    {
        var subnet = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.76.0.0", cidr = 24, type = "v4" }));
        await Admin.PostJsonAsync("/api/subnets", new { subnet = "2001:db8:700::", cidr = 48, type = "v6" });
        var child = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "2001:db8:700:1::", cidr = 64, type = "v6" }));
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers",
            new { hostname = "gone", servername = "gone", ipassignments = new[] { "100.76.0.5", "100.76.0.6" } }));
        await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ips = new[] { "2001:db8:700:1::/64" } });
        var before = (await OkAsync(await Admin.GetAsync($"/api/subnets/{subnet}")))["usageStatistics"]!;

        await OkAsync(await Admin.DeleteAsync($"/api/servers/{server}"));
        var after = (await OkAsync(await Admin.GetAsync($"/api/subnets/{subnet}")))["usageStatistics"]!;
        var childAfter = (await OkAsync(await Admin.GetAsync($"/api/subnets/{child}")))["usageStatistics"]!;
        var rows = await factory.WithDbAsync(db => db.IpAddresses.CountAsync(a => a.SubnetId == subnet));

        Assert.Equal(2, (int)before["used"]!);
        Assert.Equal(0, (int)after["used"]!);
        Assert.Equal(256, (int)after["free"]!);
        Assert.Equal("18446744073709551616", childAfter["free"]!.ToJsonString());
        Assert.Equal(0, rows);
    }

    [Fact]
    public async Task A_server_created_with_an_address_outside_every_subnet_is_not_created()
    {
        var response = await Admin.PostJsonAsync("/api/servers", new { hostname = "orphan", servername = "orphan-ip", ipassignments = new[] { "198.18.200.1" } });
        var json = await response.ReadJsonAsync();
        var search = (await OkAsync(await Admin.GetAsync("/api/servers?search=orphan-ip"))).AsArray();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(json["errors"]!["ipassignments"]);
        Assert.Empty(search);
    }

    [Fact]
    public async Task Assignable_ips_of_a_subnet_are_its_free_addresses_and_only_for_offered_subnets()
    {
        var offered = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.77.0.0", cidr = 29, type = "v4", gw = "100.77.0.1", generateIps = true }));
        var restricted = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.77.1.0", cidr = 29, type = "v4", offer_if_server_has_tag = new[] { "gpu" } }));
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "pick", servername = "pick" }));

        var free = (await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments/getAssignableIpsOfSubnet", new { subnets_id = offered }))).AsArray();
        var refused = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments/getAssignableIpsOfSubnet", new { subnets_id = restricted });
        var missing = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments/getAssignableIpsOfSubnet", new { });

        Assert.Equal(["100.77.0.2", "100.77.0.3", "100.77.0.4", "100.77.0.5", "100.77.0.6"], free.Select(f => (string)f!["ip"]!).ToList());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
    }
}
