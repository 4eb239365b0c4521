using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Servers;

public sealed class ServerTests(Personas personas) : IClassFixture<Personas>
{
    private CollectWebFactory Factory => personas.Factory;
    private HttpClient Admin => Factory.AdminApi();

    private async Task<int> CreateServerAsync(object body)
    {
        var response = await Admin.PostJsonAsync("/api/servers", body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return (int)json["result"]!["id"]!;
    }

    [Fact]
    public async Task A_server_shows_its_owner_chain_from_admin_to_end_user()
    {
        var id = await CreateServerAsync(new { hostname = "chain.example.net", servername = "chain", user_id = personas.Ids["userA"] });

        var server = (await (await Admin.GetAsync($"/api/servers/{id}")).ReadJsonAsync())["result"]!;

        var chain = server["ownerChain"]!.AsArray().Select(o => ((int)o!["userId"]!, (string)o["type"]!)).ToList();
        Assert.Equal([(1, "admin"), (personas.Ids["resellerA"], "reseller"), (personas.Ids["userA"], "enduser")], chain);
        Assert.Equal("userA", (string?)server["owner_realname"]);
        Assert.Equal("dedicated", (string?)server["typeOfServer"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", (string?)server["assignmentDate"]);
        foreach (var field in new[] { "reinstallationRunning", "diskwipeRunning", "rescueBootRunning", "hardwarecollectRunning", "passwordResetRunning", "isSuspended" })
            Assert.Equal(0, (int?)server[field]);
    }

    [Fact]
    public async Task Reassigning_keeps_the_dates_of_owners_who_stay_and_dates_newcomers_now()
    {
        var id = await CreateServerAsync(new { hostname = "move.example.net", servername = "move", user_id = personas.Ids["resellerA"] });
        var before = (await (await Admin.GetAsync($"/api/servers/{id}")).ReadJsonAsync())["result"]!["ownerChain"]!.AsArray();
        Factory.Clock.Advance(TimeSpan.FromDays(3));

        await Admin.PutJsonAsync($"/api/servers/{id}", new { user_id = personas.Ids["userA"] });
        var after = (await (await Admin.GetAsync($"/api/servers/{id}")).ReadJsonAsync())["result"]!["ownerChain"]!.AsArray();
        await Admin.PutJsonAsync($"/api/servers/{id}", new { user_id = personas.Ids["userB"] });
        var moved = (await (await Admin.GetAsync($"/api/servers/{id}")).ReadJsonAsync())["result"]!;

        Assert.Equal((string?)before[1]!["assignmentDate"], (string?)after[1]!["assignmentDate"]);
        Assert.NotEqual((string?)after[1]!["assignmentDate"], (string?)after[2]!["assignmentDate"]);
        Assert.Equal([1, personas.Ids["resellerB"], personas.Ids["userB"]], moved["ownerChain"]!.AsArray().Select(o => (int)o!["userId"]!).ToList());
        Assert.Equal(HttpStatusCode.NotFound, (await personas.Client("resellerA").GetAsync($"/api/servers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await personas.Client("resellerB").GetAsync($"/api/servers/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_suspended_owner_still_sees_the_server_but_cannot_act_on_it()
    {
        var id = await CreateServerAsync(new { hostname = "susp.example.net", servername = "susp", user_id = personas.Ids["userA"] });

        var suspend = await personas.Client("resellerA").PutJsonAsync($"/api/servers/{id}",
            new { suspendUserIds = new[] { personas.Ids["userA"] }, suspendPowerAction = "setPowerOff", suspendNetworkPortAction = "disable" });
        var seen = (await (await personas.Client("userA").GetAsync($"/api/servers/{id}")).ReadJsonAsync())["result"]!;
        var act = await personas.Client("userA").PutJsonAsync($"/api/servers/{id}", new { description = "let me" });
        var comment = await personas.Client("userA").PostJsonAsync($"/api/servers/{id}/comments", new { comment = "hello" });

        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        Assert.Equal(1, (int?)seen["isSuspended"]);
        Assert.Equal("setPowerOff", (string?)seen["suspendPowerAction"]);
        Assert.Equal("disable", (string?)seen["suspendNetworkPortAction"]);
        Assert.Equal(HttpStatusCode.Forbidden, act.StatusCode);
        Assert.Equal("This server is suspended.", (string?)(await act.ReadJsonAsync())["message"]);
        Assert.Equal(HttpStatusCode.Forbidden, comment.StatusCode);
        // A suspension set from above cannot be lifted by the owner below it.
        await Admin.PutJsonAsync($"/api/servers/{id}", new { suspendUserIds = new[] { personas.Ids["resellerA"], personas.Ids["userA"] } });
        await personas.Client("resellerA").PutJsonAsync($"/api/servers/{id}", new { suspendUserIds = Array.Empty<int>() });
        var stillSuspended = await Factory.WithDbAsync(db => db.Servers.Where(s => s.Id == id).Select(s => s.SuspendedUserIds).SingleAsync());
        Assert.Contains(personas.Ids["resellerA"].ToString(), stillSuspended);
        await Admin.PutJsonAsync($"/api/servers/{id}", new { suspendUserIds = new[] { personas.Ids["userA"] } });
        // The reseller above is not suspended and still acts; it cannot suspend itself or the admin.
        Assert.Equal(HttpStatusCode.OK, (await personas.Client("resellerA").PutJsonAsync($"/api/servers/{id}", new { description = "ok" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await personas.Client("resellerA").PutJsonAsync($"/api/servers/{id}", new { suspendUserIds = new[] { 1 } })).StatusCode);
    }

    [Fact]
    public async Task Renaming_a_tag_changes_it_on_every_server_and_merges_duplicates()
    {
        var one = await CreateServerAsync(new { hostname = "t1", servername = "t1", tags = new[] { "old-rack" } });
        var two = await CreateServerAsync(new { hostname = "t2", servername = "t2", tags = new[] { "old-rack", "new-rack" } });

        var response = await Admin.PostJsonAsync("/api/tags/rename", new { tag = "old-rack", newTag = "new-rack" });

        Assert.Equal(2, (int?)(await response.ReadJsonAsync())["result"]!["renamed"]);
        foreach (var id in new[] { one, two })
        {
            var tags = (await (await Admin.GetAsync($"/api/servers/{id}")).ReadJsonAsync())["result"]!["tags"]!.AsArray().Select(t => (string)t!).ToList();
            Assert.Equal(["new-rack"], tags);
        }
        var byTags = (await (await Admin.PostJsonAsync("/api/servers/getByTags", new { tags = new[] { "new-rack" } })).ReadJsonAsync())["result"]!.AsArray();
        Assert.Contains(byTags, s => (int)s!["id"]! == one);
        var deleted = await Admin.DeleteAsync("/api/tags/delete?tag=new-rack");
        Assert.Equal(2, (int?)(await deleted.ReadJsonAsync())["result"]!["removed"]);
    }

    [Fact]
    public async Task Get_by_tags_returns_servers_holding_all_the_tags()
    {
        var both = await CreateServerAsync(new { hostname = "g1", servername = "g1", tags = new[] { "Clients", "Damaged" } });
        var one = await CreateServerAsync(new { hostname = "g2", servername = "g2", tags = new[] { "Clients" } });

        var result = (await (await Admin.PostJsonAsync("/api/servers/getByTags", new { tags = new[] { "Clients", "Damaged" } })).ReadJsonAsync())["result"]!.AsArray();

        Assert.Contains(result, s => (int)s!["id"]! == both);
        Assert.DoesNotContain(result, s => (int)s!["id"]! == one);
    }

    [Theory]
    [InlineData("{\"servername\": \"x\"}", "hostname")]
    [InlineData("{\"hostname\": \"x\"}", "servername")]
    [InlineData("{\"hostname\": \"x\", \"servername\": \"x\", \"servertype\": \"mainframe\"}", "servertype")]
    [InlineData("{\"hostname\": \"x\", \"servername\": \"x\", \"tags\": \"not-a-list\"}", "tags")]
    [InlineData("{\"hostname\": \"x\", \"servername\": \"x\", \"user_id\": 999999}", "user_id")]
    [InlineData("{\"hostname\": \"x\", \"servername\": \"x\", \"ipassignments\": [\"300.1.1.1\"]}", "ipassignments")]
    [InlineData("{\"hostname\": \"x\", \"servername\": \"x\", \"config\": {\"pxe_mac\": \"zz:zz\"}}", "config.pxe_mac")]
    public async Task Invalid_server_input_gets_422_naming_the_field_and_creates_nothing(string json, string field)
    {
        var before = await Factory.WithDbAsync(db => db.Servers.CountAsync());

        var response = await Admin.PostAsync("/api/servers", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]?[field]);
        Assert.Equal(before, await Factory.WithDbAsync(db => db.Servers.CountAsync()));
    }

    [Fact]
    public async Task A_hostname_over_255_characters_is_refused()
    {
        var response = await Admin.PostJsonAsync("/api/servers", new { hostname = new string('h', 256), servername = "long" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("The hostname must not be greater than 255 characters.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task Config_creates_the_servers_connections_with_the_password_masked_and_the_mac_normalised()
    {
        var id = await CreateServerAsync(new
        {
            hostname = "cfg", servername = "cfg",
            config = new { agentId = 1, ipmi_ip = "10.10.10.99", ipmi_user = "ADMIN", ipmi_password = "s3cret-ipmi", pxe_mac = "AA-BB-CC-DD-EE-FF", enable_pxe = true, enable_ipmi_powermanagement = true },
        });

        var response = await Admin.GetAsync($"/api/servers/{id}/connections");
        var text = await response.Content.ReadAsStringAsync();
        var connections = (await response.ReadJsonAsync())["result"]!.AsArray();

        Assert.DoesNotContain("s3cret-ipmi", text);
        var ipmi = connections.Single(c => (string?)c!["related_data"]!["type"] == "ipmi")!;
        Assert.Equal("**************", (string?)ipmi["related_data"]!["meta"]!["password"]);
        Assert.Equal(["power_management"], ipmi["types"]!.AsArray().Select(t => (string)t!).ToList());
        var dhcp = connections.Single(c => (string?)c!["related_data"]!["type"] == "dhcp")!;
        Assert.Equal("aa:bb:cc:dd:ee:ff", (string?)dhcp["related_data"]!["meta"]!["pxe_mac"]);
        Assert.Contains(connections, c => (string?)c!["related_data"]!["type"] == "pxe");

        // Sending the mask back keeps the stored password; the stored value is the real one.
        var ipmiId = (int)ipmi["id"]!;
        await Admin.PutJsonAsync($"/api/servers/{id}/connections/{ipmiId}", new { connectionDetails = new { type = "ipmi", meta = new { ip = "10.10.10.98", password = "**************" } } });
        var stored = await Factory.WithDbAsync(db => db.ServerConnections.SingleAsync(c => c.Id == ipmiId));
        Assert.Contains("s3cret-ipmi", stored.Meta);
        Assert.Contains("10.10.10.98", stored.Meta);
    }

    [Theory]
    [InlineData("{\"agentId\": 1, \"connectionDetails\": {\"type\": \"ipmi\", \"meta\": {\"ip\": \"nope\"}}}", "connectionDetails.meta.ip")]
    [InlineData("{\"agentId\": 1, \"connectionDetails\": {\"type\": \"dhcp\", \"meta\": {\"pxe_mac\": \"00:11:22:33:44\"}}}", "connectionDetails.meta.pxe_mac")]
    [InlineData("{\"agentId\": 1, \"connectionDetails\": {\"type\": \"snmp_switch\", \"meta\": {\"switchId\": 0, \"portId\": 1}}}", "connectionDetails.meta.switchId")]
    [InlineData("{\"agentId\": 1, \"connectionDetails\": {\"type\": \"teleport\"}}", "connectionDetails.type")]
    [InlineData("{\"connectionDetails\": {\"type\": \"pxe\"}}", "agentId")]
    public async Task Invalid_connections_get_422_naming_the_field(string json, string field)
    {
        var response = await Admin.PostAsync($"/api/servers/{personas.Objects["serverAdmin"]}/connections", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]?[field]);
    }

    [Theory]
    [InlineData("<p>ok</p><script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=\"alert(1)\">", "onerror")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a>", "javascript:")]
    [InlineData("<p style=\"background:url(javascript:alert(1))\">x</p>", "javascript:")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe><p>x</p>", "<iframe")]
    public async Task Comment_html_is_sanitised_before_it_is_stored(string html, string forbidden)
    {
        var response = await Admin.PostJsonAsync($"/api/servers/{personas.Objects["serverAdmin"]}/comments", new { comment = html });
        var id = (int)(await response.ReadJsonAsync())["result"]!["id"]!;

        var stored = await Factory.WithDbAsync(db => db.ServerComments.SingleAsync(c => c.Id == id));
        Assert.DoesNotContain(forbidden, stored.Comment, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Safe_formatting_and_links_survive_sanitising()
    {
        var html = "<p><strong>Disk</strong> replaced, see <a href=\"https://tickets.example/42\">ticket</a></p>";

        var response = await Admin.PostJsonAsync($"/api/servers/{personas.Objects["serverAdmin"]}/comments", new { comment = html });

        Assert.Equal(html, (string?)(await response.ReadJsonAsync())["result"]!["comment"]);
    }

    [Fact]
    public async Task Sticky_comments_come_first()
    {
        var server = await CreateServerAsync(new { hostname = "c", servername = "c" });
        await Admin.PostJsonAsync($"/api/servers/{server}/comments", new { comment = "pinned", sticky = true });
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await Admin.PostJsonAsync($"/api/servers/{server}/comments", new { comment = "newer" });

        var comments = (await (await Admin.GetAsync($"/api/servers/{server}/comments")).ReadJsonAsync())["result"]!.AsArray();

        Assert.Equal(["pinned", "newer"], comments.Select(c => (string)c!["comment"]!).ToList());
        Assert.Equal(1, (int?)comments[0]!["sticky"]);
    }

    [Fact]
    public async Task An_attachment_over_50_megabytes_gets_413_and_nothing_is_kept()
    {
        var server = personas.Objects["serverAdmin"];
        var before = await Factory.WithDbAsync(db => db.ServerComments.CountAsync(c => c.ServerId == server));
        var big = new ByteArrayContent(new byte[50_120 * 1024 + 1]);
        var form = new MultipartFormDataContent { { new StringContent("too big"), "comment" }, { big, "attachments[]", "dump.bin" } };

        var response = await Admin.PostAsync($"/api/servers/{server}/comments", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("50120 kilobytes", (string?)(await response.ReadJsonAsync())["message"]);
        Assert.Equal(before, await Factory.WithDbAsync(db => db.ServerComments.CountAsync(c => c.ServerId == server)));
    }

    [Fact]
    public async Task An_attachment_downloads_with_its_name_and_bytes_and_is_denied_in_the_seeds_words_elsewhere()
    {
        var download = await Admin.GetAsync($"/api/files/{personas.Objects["fileA"]}/download");
        var denied = await personas.Client("resellerB").GetAsync($"/api/files/{personas.Objects["fileA"]}/download");
        var missing = await Admin.GetAsync("/api/files/999999/download");

        Assert.Equal("serial: ABC123", await download.Content.ReadAsStringAsync());
        Assert.Equal("label.txt", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        foreach (var response in new[] { denied, missing })
        {
            var body = await response.ReadJsonAsync();
            Assert.Equal("Exception", (string?)body["message"]);
            Assert.Equal("Access to this file denied or file not found.", (string?)body["result"]);
        }
    }

    [Fact]
    public async Task Field_permissions_leave_out_server_fields_a_role_may_not_see()
    {
        var roleId = (int)(await (await Admin.PostJsonAsync("/api/roles", new
        {
            name = "Server viewer", permissionlist = new[] { "servers.index", "servers.show", "servers.apiOutput.param.id", "servers.apiOutput.param.servername" },
        })).ReadJsonAsync())["result"]!["id"]!;
        var viewer = (int)(await (await Admin.PostJsonAsync("/api/users",
            new { name = "Viewer", username = "server-viewer", password = Personas.Password, role_id = roleId })).ReadJsonAsync())["result"]!["id"]!;
        var server = await CreateServerAsync(new { hostname = "hidden.example.net", servername = "visible-name", user_id = viewer, description = "secret plans" });

        var shown = (await (await Factory.ApiClient(await Factory.CreateTokenAsync(viewer)).GetAsync($"/api/servers/{server}")).ReadJsonAsync())["result"]!.AsObject();

        Assert.Equal(["id", "servername"], shown.Select(p => p.Key).Order().ToList());
    }

    [Fact]
    public async Task Server_changes_are_in_its_activity_log()
    {
        var id = await CreateServerAsync(new { hostname = "log", servername = "log" });
        await Admin.PutJsonAsync($"/api/servers/{id}", new { description = "changed" });

        var log = (await (await Admin.GetAsync($"/api/servers/{id}/activitylog")).ReadJsonAsync())["result"]!.AsArray();

        Assert.Equal(["Server log changed", "Server log created"], log.Select(e => (string)e!["description"]!).ToList());
        Assert.Equal("changed", (string?)log[0]!["modelchanges"]!["new"]!["Description"]);
    }

    [Fact]
    public async Task The_services_refuse_actions_without_permission_even_when_no_endpoint_checks()
    {
        var resolver = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AccessResolver>(Factory.Services);
        var servers = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Collect.Core.Servers.ServerService>(Factory.Services);
        var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<UserService>(Factory.Services);
        var customer = (await resolver.ResolveAsync(personas.Ids["userA"], null, null, ActivitySources.Web))!;

        var create = await servers.CreateAsync(customer, new Collect.Core.Servers.ServerInput { Hostname = "x", Servername = "x", Provided = new HashSet<string> { "hostname", "servername" } });
        var delete = await servers.DeleteAsync(customer, personas.Objects["serverA"]);
        var user = await users.CreateAsync(customer, new UserInput { Name = "n", Username = "n", Password = Personas.Password });

        Assert.Equal(ResultStatus.Forbidden, create.Status);
        Assert.Equal(ResultStatus.Forbidden, delete.Status);
        Assert.Equal(ResultStatus.Forbidden, user.Status);
    }

    [Fact]
    public async Task The_dashboard_counts_the_servers_each_tenant_sees()
    {
        var dashboard = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Collect.Core.Dashboard.DashboardService>(Factory.Services);
        var resolver = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AccessResolver>(Factory.Services);
        var resellerB = (await resolver.ResolveAsync(personas.Ids["resellerB"], null, null, ActivitySources.Web))!;
        var expected = await Factory.WithDbAsync(db => db.Servers.CountAsync(s => s.OwnerTreePath.StartsWith(resellerB.TreePath!)));

        var tiles = (await dashboard.GetAsync(resellerB)).Tiles;

        Assert.Equal(expected.ToString(), tiles.Single(t => t.Title == "Servers").Value);
        Assert.True(expected >= 1);
    }

    [Fact]
    public async Task The_server_list_page_arrives_with_its_first_rows_already_in_the_html()
    {
        var (browser, _) = await Factory.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);

        var html = await browser.GetStringAsync("/servers");

        Assert.Contains("data-test=\"server-grid-prerendered\"", html);
        Assert.Contains("srv-admin", html);
    }

    [Fact]
    public async Task Server_lists_page_sort_and_filter_on_the_server()
    {
        for (var i = 0; i < 3; i++) await CreateServerAsync(new { hostname = $"zz-{i}.example.net", servername = $"zz-{i}", tags = new[] { "paging" } });

        var page = await (await Admin.GetAsync("/api/servers?tag=paging&sort=servername&order=desc&page=1&per_page=2")).ReadJsonAsync();

        Assert.Equal(3, (int?)page["meta"]!["total"]);
        Assert.Equal(["zz-2", "zz-1"], page["result"]!.AsArray().Select(s => (string)s!["servername"]!).ToList());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Admin.GetAsync("/api/servers?sort=password")).StatusCode);
    }
}
