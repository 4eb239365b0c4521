using System.Net;
using System.Text;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Subnets;

public sealed class SubnetApiTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    [Fact]
    public async Task A_v6_slash_32_answers_its_exact_usage_in_the_seed_shape()
    {
        var created = await (await factory.AdminApi().PostJsonAsync("/api/subnets",
            new { subnet = "2a0c:9a40::", cidr = 32, type = "v6", gw = "2a0c:9a40::1", generateIps = true, dns_resolvers = new[] { "2a0c:9a40::53", "2a0c:9a40::54" } })).ReadJsonAsync();

        var subnet = created["result"]!;
        Assert.Equal("79228162514264337593543950336", subnet["usageStatistics"]!["totalIps"]!.ToJsonString());
        Assert.Equal(2, (int?)subnet["usageStatistics"]!["reserved"]);
        Assert.Equal("", (string?)subnet["netmask"]);
        Assert.Equal("v6", (string?)subnet["subnetAttributes"]!["type"]);
        Assert.Equal(1, (int?)subnet["ownerChain"]![0]!["userId"]);
        var free = await (await factory.AdminApi().GetAsync($"/api/subnets/{(int)subnet["id"]!}/listFreeIps?per_page=2")).ReadJsonAsync();
        Assert.Equal(["2a0c:9a40::2", "2a0c:9a40::3"], free["result"]!.AsArray().Select(f => (string)f!["ip"]!).ToList());
    }

    [Fact]
    public async Task With_details_lists_stored_addresses_with_comments_and_child_subnets()
    {
        var admin = factory.AdminApi();
        var parent = (int)(await (await admin.PostJsonAsync("/api/subnets", new { subnet = "100.72.0.0", cidr = 16, type = "v4", gw = "100.72.0.1", generateIps = true })).ReadJsonAsync())["result"]!["id"]!;
        await admin.PostJsonAsync("/api/subnets", new { subnet = "100.72.9.0", cidr = 24, type = "v4" });
        var commented = await admin.PostJsonAsync("/api/ip/comment", new { adminIp = "100.72.0.20", type = "singleIp", comment = "switch mgmt" });

        var details = (await (await admin.GetAsync($"/api/subnets/{parent}/withDetails")).ReadJsonAsync())["result"]!;

        Assert.Equal(HttpStatusCode.OK, commented.StatusCode);
        var ips = details["ips"]!.AsArray();
        Assert.Equal(["100.72.0.0", "100.72.0.1", "100.72.0.20", "100.72.255.255"], ips.Select(i => (string)i!["ip"]!).ToList());
        Assert.Equal("switch mgmt", (string?)ips[2]!["description"]);
        Assert.Equal("100.72.9.0", (string?)Assert.Single(details["childSubnets"]!.AsArray())!["subnet"]);
        Assert.Equal(1, (int?)details["subnetAttributes"]!["amountOfDirectChilds"]);
    }

    [Theory]
    [InlineData("{\"subnet\": \"10.0.0.1\", \"cidr\": 24, \"type\": \"v4\"}", "subnet")]
    [InlineData("{\"subnet\": \"10.0.0.0\", \"type\": \"v4\"}", "cidr")]
    [InlineData("{\"subnet\": \"10.0.0.0\", \"cidr\": 24, \"type\": \"v5\"}", "type")]
    [InlineData("{\"subnet\": \"10.0.0.0\", \"cidr\": \"big\", \"type\": \"v4\"}", "cidr")]
    [InlineData("{\"subnet\": \"10.0.0.0\", \"cidr\": 24, \"type\": \"v4\", \"trunk_vlans\": [5000]}", "trunk_vlans")]
    public async Task Bad_subnet_input_gets_422_naming_the_field(string json, string field)
    {
        var response = await factory.AdminApi().PostAsync("/api/subnets", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]?[field]);
    }
}
