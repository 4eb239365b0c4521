using static Collect.Tests.Infrastructure.Json;
using System.Net;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Subnets;

/// <summary>dynamicIpAssignments on a Collect of its own, so that only these subnets can be drawn from.</summary>
public sealed class DynamicAssignmentTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();


    private async Task<int> IdOfAsync(HttpResponseMessage response) => (int)(await OkAsync(response))["id"]!;

    [Fact]
    public async Task Dynamic_assignments_take_from_subnets_by_priority_skip_excluded_ones_and_carve_whole_subnets()
    {
        var low = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.75.0.0", cidr = 29, type = "v4", priority = 2, generateIps = true }));
        var high = await IdOfAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.75.1.0", cidr = 30, type = "v4", priority = 1, generateIps = true }));
        await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.75.2.0", cidr = 24, type = "v4", priority = 0, exclude_from_dynamic_ip_assignments = true });
        await Admin.PostJsonAsync("/api/subnets", new { subnet = "2001:db8:600::", cidr = 48, type = "v6", offer_if_server_has_tag = new[] { "dyn" } });
        var server = await IdOfAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "dyn", servername = "dyn", tags = new[] { "dyn" } }));

        var tooMany = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments/dynamicIpAssignments", new { ipv4Addresses = new[] { new { amount = 500 } } });
        var afterRefusal = (await OkAsync(await Admin.GetAsync($"/api/servers/{server}/ipassignments"))).AsArray();
        var given = (await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments/dynamicIpAssignments",
            new { ipv4Addresses = new[] { new { amount = 3 } }, ipv6Addresses = new[] { 1 }, ipv6Subnets = new[] { new { prefix = 64 } } }))).AsArray();
        var replaced = (await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments/dynamicIpAssignments",
            new { ipv4Addresses = new[] { 1 }, deleteExistingIpAssignments = true }))).AsArray();
        var final = (await OkAsync(await Admin.GetAsync($"/api/servers/{server}/ipassignments"))).AsArray();
        var lowUsage = (await OkAsync(await Admin.GetAsync($"/api/subnets/{low}")))["usageStatistics"]!;
        var highUsage = (await OkAsync(await Admin.GetAsync($"/api/subnets/{high}")))["usageStatistics"]!;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Empty(afterRefusal);
        // Priority 1 first (two free addresses in a /30), then priority 2; the excluded /24 is never used. The /64 was
        // carved out of the /48 first, so the IPv6 address comes from the space after it.
        Assert.Equal(["100.75.1.1", "100.75.1.2", "100.75.0.1", "2001:db8:600:1::", "2001:db8:600::/64"],
            given.Select(a => (string)a!["ip"]!).ToList());
        // The new address is chosen while the old ones are still held, then the old ones go.
        Assert.Equal("100.75.0.2", (string?)Assert.Single(replaced)!["ip"]);
        Assert.Equal("100.75.0.2", (string?)Assert.Single(final)!["ip"]);
        Assert.Equal(1, (int)lowUsage["used"]!);
        Assert.Equal(0, (int)highUsage["used"]!);
    }

}
