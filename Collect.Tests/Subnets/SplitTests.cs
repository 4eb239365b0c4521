using static Collect.Tests.Infrastructure.Json;
using System.Net;
using System.Text.Json.Nodes;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Subnets;

/// <summary>Splitting subnets into children (previewed first) or listed addresses, and pushing settings down.</summary>
public sealed class SplitTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();


    private async Task<int> SubnetAsync(object body) => (int)(await OkAsync(await Admin.PostJsonAsync("/api/subnets", body)))["id"]!;

    private async Task<JsonNode> UsageAsync(int id) => (await OkAsync(await Admin.GetAsync($"/api/subnets/{id}")))["usageStatistics"]!;

    [Fact]
    public async Task A_preview_plans_the_children_without_creating_them_and_the_split_creates_exactly_those()
    {
        var parent = await SubnetAsync(new { subnet = "2001:db8:100::", cidr = 48, type = "v6", dns_resolvers = new[] { "2001:4860:4860::8888", "2001:4860:4860::8844" } });
        var body = new { mode = "subnet", toPrefix = 64, toAmount = 3, gateway_method = "first", preview = true };

        var preview = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split", body));
        var childrenAfterPreview = (await OkAsync(await Admin.GetAsync($"/api/subnets?parent_id={parent}"))).AsArray();
        var split = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split", body with { preview = false }));
        var children = (await OkAsync(await Admin.GetAsync($"/api/subnets?parent_id={parent}"))).AsArray();
        var usage = await UsageAsync(parent);

        Assert.Equal(3, (int)preview["wouldCreate"]!);
        Assert.Equal(65536, (long)preview["fits"]!);
        Assert.Equal(["2001:db8:100::", "2001:db8:100:1::", "2001:db8:100:2::"], preview["children"]!.AsArray().Select(c => (string)c!["subnet"]!).ToList());
        Assert.Equal("2001:db8:100::1", (string?)preview["children"]![0]!["gw"]);
        Assert.Empty(childrenAfterPreview);
        Assert.Equal(3, (int)split["created"]!);
        Assert.Equal(preview["children"]!.ToJsonString(), split["children"]!.ToJsonString());
        Assert.Equal(3, children.Count);
        Assert.All(children, c => Assert.Equal(64, (int)c!["cidr"]!));
        // Children take the parent's settings.
        Assert.All(children, c => Assert.Equal(2, c!["dns_resolvers"]!.AsArray().Count));
        // The parent's counters now hold three /64s as used, without a scan.
        Assert.Equal(UInt128.Parse("55340232221128654848"), UInt128.Parse(usage["used"]!.ToJsonString()));
        Assert.Equal(3, (int)(await OkAsync(await Admin.GetAsync($"/api/subnets/{parent}")))["subnetAttributes"]!["amountOfDirectChilds"]!);
    }

    [Fact]
    public async Task Children_go_around_existing_children_and_gateways_follow_the_method()
    {
        var parent = await SubnetAsync(new { subnet = "2001:db8:200::", cidr = 60, type = "v6" });
        await SubnetAsync(new { subnet = "2001:db8:200:1::", cidr = 64, type = "v6" });

        var last = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split",
            new { mode = "subnet", toPrefix = 64, toAmount = 2, gateway_method = "last", preview = true }));
        var custom = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split",
            new { mode = "subnet", toPrefix = 64, toAmount = 2, gateway_method = "custom", gateway_custom = "::fe", generateIps = true }));
        var first = (await OkAsync(await Admin.GetAsync($"/api/subnets?parent_id={parent}"))).AsArray().First(c => (string)c!["subnet"]! == "2001:db8:200::")!;

        Assert.Equal(15, (int)last["fits"]!);
        Assert.Equal(["2001:db8:200::", "2001:db8:200:2::"], last["children"]!.AsArray().Select(c => (string)c!["subnet"]!).ToList());
        Assert.Equal("2001:db8:200:0:ffff:ffff:ffff:ffff", (string?)last["children"]![0]!["gw"]);
        Assert.Equal("2001:db8:200:2::fe", (string?)custom["children"]![1]!["gw"]);
        // generateIps reserved the network address and the gateway of each child.
        Assert.Equal(2, (int)(await UsageAsync((int)first["id"]!))["reserved"]!);
    }

    [Fact]
    public async Task An_address_kept_by_the_parent_moves_into_the_child_that_now_holds_it_and_reservations_count_on_each_child()
    {
        var parent = await SubnetAsync(new { subnet = "2001:db8:300::", cidr = 56, type = "v6" });
        await OkAsync(await Admin.PostJsonAsync("/api/ip/comment", new { adminIp = "2001:db8:300:1::5", type = "singleIp", comment = "old router" }));

        var split = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split",
            new { mode = "subnet", toPrefix = 64, toAmount = 256, gateway_method = "first", generateIps = true }));
        var children = (await OkAsync(await Admin.GetAsync($"/api/subnets?parent_id={parent}&page_size=500"))).AsArray();
        var holder = children.Single(c => (string)c!["subnet"]! == "2001:db8:300:1::")!;
        var details = await OkAsync(await Admin.GetAsync($"/api/subnets/{(int)holder["id"]!}/withDetails"));

        Assert.Equal(256, (int)split["created"]!);
        Assert.Equal(256, children.Count);
        Assert.Contains("old router", details.ToJsonString());
        Assert.DoesNotContain("old router", (await OkAsync(await Admin.GetAsync($"/api/subnets/{parent}/withDetails"))).ToJsonString());
        // Each child reserved its network address and gateway, counted on the child.
        Assert.All(children, c => Assert.Equal(2, (int)c!["usageStatistics"]!["reserved"]!));
        var stamps = await factory.WithDbAsync(db => db.Subnets.Where(s => s.ParentId == parent).Select(s => s.CreatedAt).Distinct().ToListAsync());
        Assert.Equal([factory.Clock.GetUtcNow()], stamps);
    }

    [Theory]
    [InlineData("{\"mode\": \"halves\"}", "mode")]
    [InlineData("{\"mode\": \"subnet\", \"gateway_method\": \"first\"}", "toPrefix")]
    [InlineData("{\"mode\": \"subnet\", \"toPrefix\": 40, \"gateway_method\": \"first\"}", "toPrefix")]
    [InlineData("{\"mode\": \"subnet\", \"toPrefix\": 129, \"gateway_method\": \"first\"}", "toPrefix")]
    [InlineData("{\"mode\": \"subnet\", \"toPrefix\": 64, \"gateway_method\": \"middle\"}", "gateway_method")]
    [InlineData("{\"mode\": \"subnet\", \"toPrefix\": 64, \"gateway_method\": \"custom\", \"gateway_custom\": \"::1:0:0:0:0\"}", "gateway_custom")]
    [InlineData("{\"mode\": \"subnet\", \"toPrefix\": 64, \"gateway_method\": \"first\"}", "toAmount")]
    [InlineData("{\"mode\": \"subnet\", \"toPrefix\": 64, \"toAmount\": 70000, \"gateway_method\": \"first\"}", "toAmount")]
    [InlineData("{\"mode\": \"singleIps\"}", "toAmount")]
    [InlineData("{\"mode\": \"singleIps\", \"listOfIps\": [\"2001:db9::1\"]}", "listOfIps")]
    [InlineData("{\"mode\": \"singleIps\", \"listOfIps\": [\"10.0.0.1\"]}", "listOfIps")]
    public async Task Bad_splits_are_refused_naming_the_field_and_change_nothing(string body, string field)
    {
        var parent = await SubnetAsync(new { subnet = "2001:db8:300::", cidr = 44, type = "v6" });

        var response = await Admin.PostAsync($"/api/subnets/{parent}/split", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(json["errors"]![field] is not null, json.ToJsonString());
        Assert.Empty((await OkAsync(await Admin.GetAsync($"/api/subnets?parent_id={parent}"))).AsArray());
        await Admin.DeleteAsync($"/api/subnets/{parent}");
    }

    [Fact]
    public async Task Single_ips_mode_lists_addresses_that_stay_free_until_assigned()
    {
        var parent = await SubnetAsync(new { subnet = "2001:db8:400::", cidr = 64, type = "v6", generateIps = true });

        var byAmount = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split", new { mode = "singleIps", toAmount = 3 }));
        var byList = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split", new { mode = "singleIps", listOfIps = new[] { "2001:db8:400::abcd" } }));
        var details = await OkAsync(await Admin.GetAsync($"/api/subnets/{parent}/withDetails"));
        var usage = await UsageAsync(parent);

        Assert.Equal(["2001:db8:400::1", "2001:db8:400::2", "2001:db8:400::3"], byAmount["children"]!.AsArray().Select(c => (string)c!["subnet"]!).ToList());
        Assert.Equal(1, (int)byList["created"]!);
        Assert.Equal(["2001:db8:400::", "2001:db8:400::1", "2001:db8:400::2", "2001:db8:400::3", "2001:db8:400::abcd"],
            details["ips"]!.AsArray().Select(i => (string)i!["ip"]!).ToList());
        // Listed addresses are free: only the network address is reserved.
        Assert.Equal(1, (int)usage["reserved"]!);
        Assert.Equal(0, (int)usage["used"]!);
    }

    [Fact]
    public async Task Ipv4_splits_keep_their_broadcast_and_a_full_parent_says_so()
    {
        var parent = await SubnetAsync(new { subnet = "100.80.0.0", cidr = 24, type = "v4" });

        var quarters = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/split", new { mode = "subnet", toPrefix = 26, gateway_method = "last" }));
        var more = await Admin.PostJsonAsync($"/api/subnets/{parent}/split", new { mode = "subnet", toPrefix = 26, gateway_method = "first" });

        Assert.Equal(4, (int)quarters["created"]!);
        Assert.Equal("100.80.0.62", (string?)quarters["children"]![0]!["gw"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, more.StatusCode);
        Assert.Equal(0, (int)(await UsageAsync(parent))["free"]!);
    }

    [Fact]
    public async Task Child_mass_actions_push_the_chosen_settings_to_every_subnet_below()
    {
        var parent = await SubnetAsync(new { subnet = "100.81.0.0", cidr = 16, type = "v4" });
        var child = await SubnetAsync(new { subnet = "100.81.1.0", cidr = 24, type = "v4", dns_resolvers = new[] { "9.9.9.9", "149.112.112.112" } });
        var grandchild = await SubnetAsync(new { subnet = "100.81.1.0", cidr = 26, type = "v4" });
        await Admin.PutJsonAsync($"/api/subnets/{parent}", new
        {
            offer_if_server_has_tag = new[] { "edge" }, dns_resolvers = new[] { "1.1.1.1", "1.0.0.1" }, exclude_from_dynamic_ip_assignments = true,
        });

        var pushed = await OkAsync(await Admin.PostJsonAsync($"/api/subnets/{parent}/childsMassActions",
            new { updateRestrictions = true, updateDynamicIpAssignmentsSetting = true, updateResolvers = false }));
        var nothing = await Admin.PostJsonAsync($"/api/subnets/{parent}/childsMassActions", new { updateRdns = false });
        var c = await OkAsync(await Admin.GetAsync($"/api/subnets/{child}"));
        var g = await OkAsync(await Admin.GetAsync($"/api/subnets/{grandchild}"));

        Assert.Equal(2, (int)pushed["updatedSubnets"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nothing.StatusCode);
        Assert.All(new[] { c, g }, s => Assert.Equal("edge", (string?)s["offer_if_server_has_tag"]![0]));
        Assert.All(new[] { c, g }, s => Assert.Equal(true, (bool?)s["exclude_from_dynamic_ip_assignments"]));
        // Resolvers were not chosen and stay as they were.
        Assert.Equal("9.9.9.9", (string?)c["dns_resolvers"]![0]);
    }
}
