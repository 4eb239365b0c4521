using static Collect.Tests.Infrastructure.Json;
using System.Net.Http.Json;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Subnets;

/// <summary>
/// Finding free space stays right while it is sped up: the next free address after every kind of release, and the
/// subnet that holds an address when a parent has many children.
/// </summary>
public sealed class FreeSpaceTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();

    private async Task<int> IdAsync(string url, object body) => (int)(await OkAsync(await Admin.PostJsonAsync(url, body)))["id"]!;

    private async Task<string> AssignNextAsync(int server, int subnet)
    {
        var result = One(await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { subnetId = subnet })));
        return (string)result["ip"]!;
    }

    private static System.Text.Json.Nodes.JsonNode One(System.Text.Json.Nodes.JsonNode result) => result is System.Text.Json.Nodes.JsonArray list ? list[0]! : result;

    private Task<HttpResponseMessage> DeleteWithBodyAsync(string url, object body) =>
        Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url) { Content = JsonContent.Create(body) });

    [Fact]
    public async Task The_next_free_address_comes_back_to_every_address_that_is_released()
    {
        var subnet = await IdAsync("/api/subnets", new { subnet = "100.120.0.0", cidr = 24, type = "v4", gw = "100.120.0.1", generateIps = true });
        var server = await IdAsync("/api/servers", new { hostname = "free-1", servername = "free-1" });
        var taken = new List<string>();
        for (var i = 0; i < 6; i++) taken.Add(await AssignNextAsync(server, subnet));
        Assert.Equal(["100.120.0.2", "100.120.0.3", "100.120.0.4", "100.120.0.5", "100.120.0.6", "100.120.0.7"], taken);

        // Unassigning hands the address out again before anything higher.
        await OkAsync(await DeleteWithBodyAsync($"/api/servers/{server}/ipassignments/0", new { ip = "100.120.0.4" }));
        Assert.Equal("100.120.0.4", await AssignNextAsync(server, subnet));

        // So does unreserving, and deleting a reserved entry.
        await OkAsync(await Admin.PostJsonAsync("/api/ip/reserve", new { adminIp = "100.120.0.8", type = "singleIp" }));
        Assert.Equal("100.120.0.9", await AssignNextAsync(server, subnet));
        await OkAsync(await Admin.PostJsonAsync("/api/ip/unreserve", new { adminIp = "100.120.0.8", type = "singleIp" }));
        Assert.Equal("100.120.0.8", await AssignNextAsync(server, subnet));
        await OkAsync(await DeleteWithBodyAsync("/api/ip/delete", new { adminIp = "100.120.0.1", type = "singleIp" }));
        Assert.Equal("100.120.0.1", await AssignNextAsync(server, subnet));

        // And deleting the server gives everything back.
        await OkAsync(await Admin.DeleteAsync($"/api/servers/{server}"));
        var other = await IdAsync("/api/servers", new { hostname = "free-2", servername = "free-2" });
        Assert.Equal("100.120.0.1", await AssignNextAsync(other, subnet));
    }

    [Fact]
    public async Task Deleting_a_child_subnet_makes_its_space_the_parents_next_free_again()
    {
        var parent = await IdAsync("/api/subnets", new { subnet = "100.121.0.0", cidr = 24, type = "v4" });
        var child = await IdAsync("/api/subnets", new { subnet = "100.121.0.0", cidr = 28, type = "v4" });
        var server = await IdAsync("/api/servers", new { hostname = "free-3", servername = "free-3" });
        Assert.Equal("100.121.0.16", await AssignNextAsync(server, parent));

        await OkAsync(await Admin.DeleteAsync($"/api/subnets/{child}"));

        Assert.Equal("100.121.0.0", await AssignNextAsync(server, parent));
        var free = await OkAsync(await Admin.GetAsync($"/api/subnets/{parent}/listFreeIps?per_page=2"));
        Assert.Equal(["100.121.0.1", "100.121.0.2"], free.AsArray().Select(f => (string)f!["ip"]!).ToList());
    }

    [Fact]
    public async Task An_address_between_many_children_belongs_to_the_parent_and_one_inside_a_child_to_the_child()
    {
        var parent = await IdAsync("/api/subnets", new { subnet = "2001:db8:7700::", cidr = 48, type = "v6" });
        await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split", new { mode = "subnet", toPrefix = 64, toAmount = 300, gateway_method = "first" }));
        var server = await IdAsync("/api/servers", new { hostname = "free-4", servername = "free-4" });

        // Past the 300 children lies the parent's own free space; inside the last child, the child's.
        var inParent = One(await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "2001:db8:7700:ffff::5" })));
        var inChild = One(await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip = "2001:db8:7700:12b::5" })));

        Assert.Equal(parent, (int)inParent["subnetinformation"]!["id"]!);
        Assert.Equal("2001:db8:7700:12b::", (string)inChild["subnetinformation"]!["subnet"]!);
        var childUsage = await OkAsync(await Admin.GetAsync($"/api/subnets/{(int)inChild["subnetinformation"]!["id"]!}"));
        Assert.Equal(1, (int)childUsage["usageStatistics"]!["used"]!);
    }
}
