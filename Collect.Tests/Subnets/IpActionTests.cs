using static Collect.Tests.Infrastructure.Json;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Subnets;

/// <summary>The /api/ip actions on single addresses and whole subnets, and what they do to the counters.</summary>
public sealed class IpActionTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();


    private async Task<int> SubnetAsync(object body) => (int)(await OkAsync(await Admin.PostJsonAsync("/api/subnets", body)))["id"]!;

    private async Task<JsonNode> SubnetJsonAsync(int id) => await OkAsync(await Admin.GetAsync($"/api/subnets/{id}"));

    private Task<HttpResponseMessage> DeleteWithBodyAsync(string url, object body) =>
        Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url) { Content = new StringContent(JsonSerializer(body), Encoding.UTF8, "application/json") });

    private static string JsonSerializer(object body) => System.Text.Json.JsonSerializer.Serialize(body);

    [Fact]
    public async Task Mass_reserve_unreserve_and_delete_move_the_counters_and_refuse_assigned_addresses()
    {
        var subnet = await SubnetAsync(new { subnet = "100.90.0.0", cidr = 24, type = "v4" });
        var server = (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "ipact", servername = "ipact", ipassignments = new[] { "100.90.0.9" } })))["id"]!;

        var reserved = await OkAsync(await Admin.PostJsonAsync("/api/ip/massaction", new { mode = "reserve", ips = new[] { "100.90.0.10", "100.90.0.11", "100.90.0.12" }, type = "singleIp" }));
        var afterReserve = (await SubnetJsonAsync(subnet))["usageStatistics"]!;
        var unreserved = await OkAsync(await Admin.PostJsonAsync("/api/ip/unreserve", new { adminIp = "100.90.0.10", type = "singleIp" }));
        await Admin.PostJsonAsync("/api/ip/comment", new { adminIp = "100.90.0.11", type = "singleIp", comment = "old router" });
        var deleted = await OkAsync(await DeleteWithBodyAsync("/api/ip/delete", new { adminIp = "100.90.0.11", type = "singleIp" }));
        var assignedDelete = await DeleteWithBodyAsync("/api/ip/delete", new { adminIp = "100.90.0.9", type = "singleIp" });
        var assignedReserve = await Admin.PostJsonAsync("/api/ip/reserve", new { adminIp = "100.90.0.9", type = "singleIp" });
        var after = (await SubnetJsonAsync(subnet))["usageStatistics"]!;
        var stored = (await OkAsync(await Admin.GetAsync($"/api/subnets/{subnet}/withDetails")))["ips"]!.AsArray().Select(i => (string)i!["ip"]!).ToList();

        Assert.Equal(3, (int)reserved["changed"]!);
        Assert.Equal(3, (int)afterReserve["reserved"]!);
        Assert.Equal(1, (int)unreserved["changed"]!);
        Assert.Equal(1, (int)deleted["changed"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, assignedDelete.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, assignedReserve.StatusCode);
        Assert.Equal(1, (int)after["reserved"]!);
        Assert.Equal(1, (int)after["used"]!);
        Assert.Equal(254, (int)after["free"]!);
        Assert.Equal(["100.90.0.9", "100.90.0.12"], stored);
        Assert.Equal(server, (int?)(await OkAsync(await Admin.GetAsync("/api/servers/getByIp/100.90.0.9")))["id"]);
    }

    [Fact]
    public async Task A_reserved_subnet_is_neither_offered_nor_assignable_and_can_be_commented_and_deleted_by_name()
    {
        var parent = await SubnetAsync(new { subnet = "100.91.0.0", cidr = 16, type = "v4" });
        var child = await SubnetAsync(new { subnet = "100.91.4.0", cidr = 24, type = "v4" });
        var server = (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "resv", servername = "resv" })))["id"]!;

        await OkAsync(await Admin.PostJsonAsync("/api/ip/reserve", new { adminIp = "100.91.4.0/24", type = "subnet" }));
        var offered = (await OkAsync(await Admin.GetAsync($"/api/servers/{server}/ipassignments/getAssignableSubnets"))).AsArray().Select(s => (int)s!["id"]!).ToList();
        var assign = await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ips = new[] { "100.91.4.7" } });
        var commented = await Admin.PostJsonAsync("/api/ip/comment", new { adminIp = "100.91.4.0/24", type = "subnet", comment = "held for customer X" });
        var json = await SubnetJsonAsync(child);
        var unknown = await Admin.PostJsonAsync("/api/ip/reserve", new { adminIp = "100.91.5.0/24", type = "subnet" });
        var noType = await Admin.PostJsonAsync("/api/ip/reserve", new { adminIp = "100.91.4.0/24" });
        var gone = await OkAsync(await DeleteWithBodyAsync("/api/ip/delete", new { adminIp = "100.91.4.0/24", type = "subnet" }));

        Assert.Contains(parent, offered);
        Assert.DoesNotContain(child, offered);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, assign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, commented.StatusCode);
        Assert.Equal(1, (int)json["reserved"]!);
        Assert.Equal(0, (int)json["usageStatistics"]!["free"]!);
        Assert.Equal("held for customer X", (string?)json["description"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noType.StatusCode);
        Assert.Equal(1, (int)gone["changed"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/subnets/{child}")).StatusCode);
    }

    [Theory]
    [InlineData("{\"mode\": \"explode\", \"ips\": [\"100.92.0.1\"], \"type\": \"singleIp\"}", "mode")]
    [InlineData("{\"mode\": \"reserve\", \"type\": \"singleIp\"}", "ips")]
    [InlineData("{\"mode\": \"reserve\", \"ips\": [\"100.92.0.1\", \"bogus\"], \"type\": \"singleIp\"}", "ips")]
    [InlineData("{\"mode\": \"reserve\", \"ips\": [\"100.92.0.1\", \"203.0.113.1\"], \"type\": \"singleIp\"}", "ips")]
    [InlineData("{\"mode\": \"reserve\", \"ips\": [\"100.92.0.1\"], \"type\": \"range\"}", "type")]
    public async Task A_bad_mass_action_changes_nothing(string body, string field)
    {
        var subnet = await SubnetAsync(new { subnet = "100.92.0.0", cidr = 24, type = "v4" });

        var response = await Admin.PostAsync("/api/ip/massaction", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(json["errors"]![field] is not null, json.ToJsonString());
        Assert.Equal(0, (int)(await SubnetJsonAsync(subnet))["usageStatistics"]!["reserved"]!);
        await Admin.DeleteAsync($"/api/subnets/{subnet}");
    }

    [Fact]
    public async Task A_delete_body_that_is_not_json_gets_a_clear_4xx()
    {
        var malformed = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/ip/delete") { Content = new StringContent("{\"adminIp\": ", Encoding.UTF8, "application/json") });
        var notObject = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/ip/delete") { Content = new StringContent("[1]", Encoding.UTF8, "application/json") });
        var text = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/ip/delete") { Content = new StringContent("adminIp=1.2.3.4", Encoding.UTF8, "text/plain") });
        var empty = await Admin.DeleteAsync("/api/ip/delete");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notObject.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.NotNull((await empty.ReadJsonAsync())["errors"]!["adminIp"]);
    }
}
