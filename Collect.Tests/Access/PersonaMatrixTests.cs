using System.Net;
using System.Text;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Access;

/// <summary>
/// For each endpoint of the access model, which personas succeed and which are refused. Objects outside a persona's
/// scope answer 404; endpoints a persona holds no permission for answer 403. Later issues add their rows.
/// </summary>
public sealed class PersonaMatrixTests(Personas personas) : IClassFixture<Personas>
{
    //                                                   admin resA resB userA userB aliasA
    public static readonly TheoryData<string, string, string?, int[]> Matrix = new()
    {
        { "GET", "/api/user", null, [200, 200, 200, 200, 200, 200] },
        { "GET", "/api/permissions", null, [200, 200, 200, 200, 200, 200] },
        { "GET", "/api/permissions?userId={userA}", null, [200, 200, 404, 200, 404, 200] },
        { "GET", "/api/users", null, [200, 200, 200, 403, 403, 403] },
        { "GET", "/api/users/{userA}", null, [200, 200, 404, 403, 403, 403] },
        { "GET", "/api/users/{resellerB}", null, [200, 404, 200, 403, 403, 403] },
        { "GET", "/api/users/{admin}", null, [200, 404, 404, 403, 403, 403] },
        { "PUT", "/api/users/{userA}", "{\"description\": \"matrix\"}", [200, 200, 404, 403, 403, 403] },
        { "PUT", "/api/users/{userB}", "{\"description\": \"matrix\"}", [200, 404, 200, 403, 403, 403] },
        { "DELETE", "/api/users/{userB}", null, [-1, 404, -1, 403, 403, 403] },
        { "DELETE", "/api/users/{resellerB}", null, [-1, 404, 422, 403, 403, 403] },
        { "GET", "/api/users/{userA}/loginhistory", null, [200, 200, 404, 403, 403, 403] },
        { "GET", "/api/users/{userA}/accesslog", null, [200, 200, 404, 403, 403, 403] },
        { "GET", "/api/users/{userA}/tokens", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/users/{userB}/tokens", null, [200, 404, 200, 404, 200, 403] },
        { "POST", "/api/users/{userB}/tokens", "{\"name\": \"intruder\"}", [-1, 404, -1, 404, -1, 403] },
        { "GET", "/api/roles", null, [200, 200, 200, 403, 403, 403] },
        { "GET", "/api/roles/{roleA}", null, [200, 200, 404, 403, 403, 403] },
        { "PUT", "/api/roles/{roleB}", "{\"name\": \"User\"}", [200, 404, 200, 403, 403, 403] },
        { "DELETE", "/api/roles/{roleB}", null, [-1, 404, 422, 403, 403, 403] },
        { "GET", "/api/aliasRoles/{aliasRoleA}", null, [200, 200, 404, 404, 404, 403] },
        { "GET", "/api/aliasUsers", null, [200, 200, 200, 200, 200, 403] },
        { "PUT", "/api/aliasUsers/{aliasA}", "{\"name\": \"aliasA\"}", [200, 200, 404, 404, 404, 403] },
        { "GET", "/api/impersonate/{userB}/start", null, [-1, 404, -1, 403, 403, 403] },
        { "GET", "/api/impersonate/{admin}/start", null, [422, 404, 404, 403, 403, 403] },
        { "GET", "/api/user/{userB}/twofactor/disable", null, [200, 404, 200, 404, 200, 403] },
        { "POST", "/api/user/testLoginDetails", "{\"identify\": \"userA\", \"password\": \"x\"}", [200, 200, 200, 403, 403, 403] },
        { "GET", "/api/system/version", null, [200, 200, 200, 200, 200, 403] },

        { "GET", "/api/users/{userA}/sshkeys", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/users/{userB}/sshkeys", null, [200, 404, 200, 404, 200, 403] },
        { "POST", "/api/users/{userB}/sshkeys", "{\"name\": \"x\", \"pubkey\": \"ssh-ed25519 AAAA\"}", [-1, 404, -1, 404, -1, 403] },
        { "POST", "/api/users/{userB}/generateSsoToken", "{}", [-1, 404, -1, 403, 403, 403] },
        { "POST", "/api/users/{admin}/generateSsoToken", "{}", [-1, 404, 404, 403, 403, 403] },

        // Servers (issue 4)
        { "GET", "/api/servers", null, [200, 200, 200, 200, 200, 403] },
        { "GET", "/api/servers/{serverA}", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/servers/{serverB}", null, [200, 404, 200, 404, 200, 403] },
        { "GET", "/api/servers/{serverAdmin}", null, [200, 404, 404, 404, 404, 403] },
        { "PUT", "/api/servers/{serverA}", "{\"description\": \"matrix\"}", [200, 200, 404, 200, 404, 403] },
        { "PUT", "/api/servers/{serverA}", "{\"hostname\": \"renamed.example.net\"}", [-1, 403, 404, 403, 404, 403] },
        { "PUT", "/api/servers/{serverB}", "{\"tags\": [\"tenant-b\", \"x\"]}", [200, 404, 200, 404, 403, 403] },
        { "DELETE", "/api/servers/{serverB}", null, [-1, 403, 403, 403, 403, 403] },
        { "POST", "/api/servers", "{\"hostname\": \"n\", \"servername\": \"n\"}", [-1, 403, 403, 403, 403, 403] },
        { "GET", "/api/servers/getByIp/100.64.1.10", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/servers/{serverA}/activitylog", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/servers/{serverA}/comments", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/servers/{serverA}/comments/{commentA}", null, [200, 200, 404, 200, 404, 403] },
        { "POST", "/api/servers/{serverB}/comments", "{\"comment\": \"intruder\"}", [-1, 404, -1, 404, -1, 403] },
        { "DELETE", "/api/servers/{serverA}/comments/{commentA}", null, [-1, -1, 404, -1, 404, 403] },
        { "GET", "/api/files/{fileA}/download", null, [200, 200, 404, 200, 404, 403] },
        { "DELETE", "/api/files/{fileA}", null, [-1, -1, 404, -1, 404, 403] },
        { "GET", "/api/servers/{serverA}/connections", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/servers/{serverA}/connections/{connectionA}", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/servers/tags", null, [200, 200, 200, 200, 200, 403] },
        { "POST", "/api/servers/getByTags", "{\"tags\": [\"tenant-a\"]}", [200, 200, 200, 200, 200, 403] },
        { "POST", "/api/search/quicksearch", "{\"text\": \"srv\"}", [200, 200, 200, 200, 200, 403] },
        // Subnets (issue 5)
        { "GET", "/api/subnets", null, [200, 200, 200, 403, 403, 403] },
        { "GET", "/api/subnets/{subnetA}", null, [200, 200, 404, 403, 403, 403] },
        { "GET", "/api/subnets/{subnetB}", null, [200, 404, 200, 403, 403, 403] },
        { "GET", "/api/subnets/{subnetA}/listFreeIps?per_page=5", null, [200, 200, 404, 403, 403, 403] },
        { "GET", "/api/subnets/{subnetA}/withDetails", null, [200, 200, 404, 403, 403, 403] },
        { "POST", "/api/ip/comment", "{\"adminIp\": \"100.64.1.77\", \"type\": \"singleIp\", \"comment\": \"x\"}", [200, 200, 422, 403, 403, 403] },
        { "PUT", "/api/subnets/{subnetA}", "{\"description\": \"x\"}", [200, 403, 403, 403, 403, 403] },
        { "DELETE", "/api/subnets/{subnetB}", null, [-1, 403, 403, 403, 403, 403] },
        { "POST", "/api/subnets", "{\"subnet\": \"100.65.0.0\", \"cidr\": 24, \"type\": \"v4\"}", [-1, 403, 403, 403, 403, 403] },
        { "GET", "/api/servers/{serverA}/ipassignments", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/servers/{serverA}/ipassignments/getAssignableSubnets", null, [200, 200, 404, 200, 404, 403] },
        { "POST", "/api/servers/{serverB}/ipassignments", "{\"ip\": \"100.64.2.20\"}", [-1, 404, -1, 403, 403, 403] },
        { "POST", "/api/servers/{serverA}/ipassignments", "{\"ip\": \"100.64.2.21\"}", [-1, 422, 404, 403, 403, 403] },
        { "POST", "/api/ip/reserve", "{\"adminIp\": \"100.64.2.50\", \"type\": \"singleIp\"}", [-1, 422, -1, 403, 403, 403] },
        { "POST", "/api/subnets/{subnetA}/split", "{\"mode\": \"subnet\", \"toPrefix\": 26, \"gateway_method\": \"first\", \"preview\": true}", [200, 403, 403, 403, 403, 403] },
        { "POST", "/api/subnets/{subnetB}/childsMassActions", "{\"updateRestrictions\": true}", [200, 403, 403, 403, 403, 403] },
        { "POST", "/api/ip/massaction", "{\"mode\": \"reserve\", \"ips\": [\"100.64.2.51\"], \"type\": \"singleIp\"}", [-1, 422, -1, 403, 403, 403] },
        { "DELETE", "/api/ip/delete", "{\"adminIp\": \"100.64.2.52\", \"type\": \"singleIp\"}", [200, 422, 200, 403, 403, 403] },
        { "POST", "/api/ip/unreserve", "{\"adminIp\": \"100.64.2.0/24\", \"type\": \"subnet\"}", [200, 422, 200, 403, 403, 403] },
        { "POST", "/api/ip/comment", "{\"adminIp\": \"100.64.2.0/24\", \"type\": \"subnet\", \"comment\": \"x\"}", [200, 422, 200, 403, 403, 403] },
        { "POST", "/api/servers/{serverB}/ipassignments/getAssignableIpsOfSubnet?per_page=3", "{\"subnets_id\": {subnetB}}", [200, 404, 200, 404, 422, 403] },
        { "POST", "/api/servers/{serverB}/ipassignments/dynamicIpAssignments", "{\"ipv4Addresses\": [{\"amount\": 1}]}", [-1, 404, -1, 403, 403, 403] },
        { "POST", "/api/servers/{serverA}/ipassignments/rdns", "{\"ip\": \"100.64.1.10\"}", [200, 200, 404, 403, 403, 403] },
        { "PUT", "/api/servers/{serverA}/ipassignments/0", "{\"ip\": \"100.64.1.10\", \"description\": \"uplink\"}", [200, 200, 404, 403, 403, 403] },
        { "DELETE", "/api/servers/{serverA}/ipassignments/0", "{\"ip\": \"100.64.1.10\"}", [-1, -1, 404, 403, 403, 403] },
        { "GET", "/api/systems", null, [200, 200, 200, 200, 200, 403] },
        { "GET", "/api/systems/{systemA}", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/systems/{systemB}", null, [200, 404, 200, 404, 404, 403] },
        { "PUT", "/api/systems/{systemA}", "{\"status\": \"maintenance\"}", [200, 200, 404, 200, 404, 403] },
        { "DELETE", "/api/systems/{systemB}", null, [-1, 404, -1, 404, 404, 403] },
        { "POST", "/api/systems/{systemB}/regenerate-secret", null, [-1, 404, -1, 404, 404, 403] },
        { "GET", "/api/systems/{systemA}/inventory", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/systems/{systemB}/inventory/latest", null, [404, 404, 404, 404, 404, 403] },
        { "GET", "/api/systems/{systemA}/inventory/diffs", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/systems/{systemB}/inventory/timeline", null, [200, 404, 200, 404, 404, 403] },
        { "GET", "/api/inventorycomponents", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/inventorycomponents/customfields", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/servers/{serverA}/inventory", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/servers/{serverA}/inventory/getInventoryCommand", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/servers/{serverA}/hwsummary", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/servers/{serverB}/hwsummary/withDetails", null, [200, 404, 200, 404, 200, 403] },
        { "POST", "/api/servers/inventory/callback/0123456789abcdef0123456789abcdef", "{\"cpu\": []}", [404, 404, 404, 404, 404, 404] },
        { "GET", "/api/scripts/hwdetect", null, [200, 200, 200, 200, 200, 200] },
        { "GET", "/api/pxe/profiles", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/pxe/disklayouts", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/pxe/scripts", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/pxe/tags", null, [200, 403, 403, 403, 403, 403] },
        { "POST", "/api/pxe/scripts", "{\"tags\": [\"preseed\"], \"name\": \"x\", \"script\": \"true\"}", [-1, 403, 403, 403, 403, 403] },
        { "POST", "/api/os/list", "{\"type\": \"pxe\"}", [200, 200, 200, 200, 200, 403] },
        { "GET", "/api/servers/{serverA}/provisioning/getProfiles", null, [200, 200, 404, 200, 404, 403] },
        { "GET", "/api/servers/{serverA}/provisioning/getInstallStatus", null, [200, 200, 404, 200, 404, 403] },
        { "POST", "/api/servers/{serverB}/provisioning/startReinstallation", "{\"profileId\": 999999, \"rootpassword\": \"secretpassword\"}", [422, 404, 422, 404, 422, 403] },
        { "GET", "/api/servers/{serverB}/provisioning/stopReinstallation", null, [422, 404, 422, 404, 422, 403] },
        { "GET", "/api/provisioning/ipxe?mac=00:11:22:33:44:55", null, [200, 200, 200, 200, 200, 200] },
        { "GET", "/api/system/brands", null, [200, 200, 200, 403, 403, 403] },
        { "GET", "/api/system/brands/{brandA}", null, [200, 200, 404, 403, 403, 403] },
        { "PUT", "/api/system/brands/{brandA}", "{\"page_title\": \"Reseller A\"}", [200, 200, 404, 403, 403, 403] },
        { "DELETE", "/api/system/brands/{brandA}", null, [-1, -1, 404, 403, 403, 403] },
        { "DELETE", "/api/system/brands/{brandA}/logos/delete", "{\"favicon\": true}", [200, 200, 404, 403, 403, 403] },
        { "GET", "/api/system/ui/settings", null, [200, 200, 200, 200, 200, 200] },
        { "GET", "/api/system/settingsAfterLogin", null, [200, 200, 200, 200, 200, 403] },
        { "POST", "/api/tags/rename", "{\"tag\": \"none\", \"newTag\": \"x\"}", [200, 403, 403, 403, 403, 403] },
        // System backups (issue 10): admins only
        { "GET", "/api/system/backups/storages", null, [200, 403, 403, 403, 403, 403] },
        { "POST", "/api/system/backups/storages", "{\"name\": \"x\", \"provider\": \"local\", \"configuration\": {\"folder\": \"relative\"}, \"retention\": 1, \"enabled\": true}", [422, 403, 403, 403, 403, 403] },
        { "GET", "/api/system/backups/storages/999999", null, [404, 403, 403, 403, 403, 403] },
        { "PUT", "/api/system/backups/storages/999999", "{\"retention\": 2}", [404, 403, 403, 403, 403, 403] },
        { "DELETE", "/api/system/backups/storages/999999", null, [404, 403, 403, 403, 403, 403] },
        { "POST", "/api/system/backups/create", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/system/backups/history", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/system/backups/history/999999", null, [404, 403, 403, 403, 403, 403] },
        { "GET", "/api/system/backups/history/999999/download", null, [404, 403, 403, 403, 403, 403] },
        // Config items (issue 11): everyone but the alias works with items in its scope; types are the admin's to change.
        // Objects of other tenants answer 404 (ConfigItemsTenancyTests covers items that exist).
        { "GET", "/api/config_items", null, [200, 200, 200, 200, 200, 403] },
        { "POST", "/api/config_items", "{\"name\": \"matrix\"}", [422, 422, 422, 422, 422, 403] },
        { "GET", "/api/config_items/999999", null, [404, 404, 404, 404, 404, 403] },
        { "PUT", "/api/config_items/999999", "{\"name\": \"matrix\"}", [404, 404, 404, 404, 404, 403] },
        { "DELETE", "/api/config_items/999999", null, [404, 404, 404, 404, 404, 403] },
        { "POST", "/api/config_items/999999/watch", null, [404, 404, 404, 404, 404, 403] },
        { "DELETE", "/api/config_items/999999/watch", null, [404, 404, 404, 404, 404, 403] },
        { "GET", "/api/config_types", null, [200, 200, 200, 200, 200, 403] },
        { "POST", "/api/config_types", "{\"name\": \"\"}", [422, 403, 403, 403, 403, 403] },
        { "GET", "/api/config_types/999999", null, [404, 404, 404, 404, 404, 403] },
        { "PUT", "/api/config_types/999999", "{\"name\": \"x\"}", [404, 403, 403, 403, 403, 403] },
        { "DELETE", "/api/config_types/999999", null, [404, 403, 403, 403, 403, 403] },
        { "GET", "/api/config_relationship_types", null, [200, 200, 200, 200, 200, 403] },
        { "POST", "/api/config_relationship_types", "{\"name\": \"\"}", [422, 403, 403, 403, 403, 403] },
        { "GET", "/api/config_relationship_types/999999", null, [404, 404, 404, 404, 404, 403] },
        { "PUT", "/api/config_relationship_types/999999", "{\"name\": \"x\"}", [404, 403, 403, 403, 403, 403] },
        { "DELETE", "/api/config_relationship_types/999999", null, [404, 403, 403, 403, 403, 403] },
        { "POST", "/external_api/v1/config_items.json", "{\"config_item\": {\"name\": \"x\", \"config_type_id\": 999999}}", [400, 400, 400, 400, 400, 403] },
        { "GET", "/external_api/v1/config_items/999999.json", null, [404, 404, 404, 404, 404, 403] },
        // Activity, tasks and settings (issue 11)
        { "GET", "/api/activitylog/user?limit=5", null, [200, 200, 200, 200, 200, 403] },
        { "GET", "/api/activitylog/system?limit=5", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/activitylog/agents/{systemA}?limit=5", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/tasks/999999", null, [404, 404, 404, 404, 404, 403] },
        { "GET", "/api/system/globalSystemSettings", null, [200, 403, 403, 403, 403, 403] },
        { "PUT", "/api/system/globalSystemSettings", "{\"settings\": [{\"delete_rdns_entry_when_delete_ip\": \"maybe\"}]}", [422, 403, 403, 403, 403, 403] },
        { "GET", "/api/system/globalSystemSettings/default_datetime_format", null, [200, 403, 403, 403, 403, 403] },
        { "GET", "/api/system/globalSystemSettings/no_such_setting", null, [404, 403, 403, 403, 403, 403] },
        { "GET", "/api/system/listTimezones", null, [200, 200, 200, 200, 200, 403] },
        { "GET", "/api/system/listTimeDateFormats", null, [200, 200, 200, 200, 200, 403] },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_persona_gets_what_its_scope_and_permissions_allow(string method, string path, string? body, int[] expected)
    {
        var failures = new List<string>();
        for (var i = 0; i < Personas.All.Length; i++)
        {
            if (expected[i] < 0) continue; // a success that would change what other rows rely on
            var request = new HttpRequestMessage(new HttpMethod(method), personas.Resolve(path));
            if (body is not null) request.Content = new StringContent(personas.Resolve(body), Encoding.UTF8, "application/json");
            var response = await personas.Client(Personas.All[i]).SendAsync(request);
            if ((int)response.StatusCode != expected[i])
                failures.Add($"{Personas.All[i]}: expected {expected[i]}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(failures.Count == 0, $"{method} {path}\n" + string.Join("\n", failures) + personas.Factory.ServerErrors.Describe());
    }

    [Fact]
    public async Task A_reseller_lists_only_its_own_subtree_of_users_and_roles()
    {
        var users = await (await personas.Client("resellerB").GetAsync("/api/users")).ReadJsonAsync();
        var roles = await (await personas.Client("resellerB").GetAsync("/api/roles")).ReadJsonAsync();

        var userIds = users["result"]!.AsArray().Select(u => (int)u!["id"]!).ToList();
        Assert.Equal([personas.Ids["resellerB"], personas.Ids["userB"]], userIds.Order().ToList());
        var owners = roles["result"]!.AsArray().Select(r => (int?)r!["ownerUserId"]).ToList();
        Assert.DoesNotContain(personas.Ids["resellerA"], owners.Select(o => o ?? 0));
    }

    [Theory]
    [InlineData("resellerB")]
    [InlineData("userB")]
    public async Task Another_tenants_servers_never_show_up_in_lists_tags_or_search(string persona)
    {
        var client = personas.Client(persona);

        var list = (await client.GetStringAsync("/api/servers"));
        var byTag = (await (await client.PostJsonAsync("/api/servers/getByTags", new { tags = new[] { "tenant-a" } })).ReadJsonAsync())["result"]!.AsArray();
        var tags = await client.GetStringAsync("/api/servers/tags");
        var search = (await (await client.PostJsonAsync("/api/search/quicksearch", new { text = "srv" })).ReadJsonAsync())["result"]!.AsArray();

        Assert.DoesNotContain("srv-a", list);
        Assert.Contains("srv-b", list);
        Assert.Empty(byTag);
        Assert.DoesNotContain("tenant-a", tags);
        Assert.DoesNotContain(search, h => (string?)h!["match"] == "srv-a" || (string?)h["match"] == "srv-admin");
        Assert.Contains(search, h => (string?)h!["match"] == "srv-b" && (string?)h["group"] == "Servers");
    }

    [Fact]
    public async Task A_resellers_alias_users_are_invisible_to_another_reseller()
    {
        var mine = await (await personas.Client("resellerA").GetAsync("/api/aliasUsers")).ReadJsonAsync();
        var theirs = await (await personas.Client("resellerB").GetAsync("/api/aliasUsers")).ReadJsonAsync();

        Assert.Contains(mine["result"]!.AsArray(), a => (int)a!["id"]! == personas.Ids["aliasA"]);
        Assert.DoesNotContain(theirs["result"]!.AsArray(), a => (int)a!["id"]! == personas.Ids["aliasA"]);
    }

    [Fact]
    public async Task An_alias_user_works_in_its_parents_scope_with_its_alias_roles_permissions()
    {
        var me = await (await personas.Client("aliasA").GetAsync("/api/user")).ReadJsonAsync();

        Assert.True((bool)me["result"]!["isSharedAccess"]!);
        Assert.Equal(personas.Ids["resellerA"], (int?)me["result"]!["sharedUserId"]);
        Assert.Equal(personas.Ids["resellerA"], (int?)me["result"]!["realOrSharedUserId"]);
        var permissions = me["result"]!["permissions"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains("user.show", permissions);
        Assert.DoesNotContain("users.index", permissions);
    }

    [Fact]
    public async Task Checking_login_details_only_finds_users_in_scope()
    {
        var body = new { identify = "userA", password = Personas.Password };

        var inScope = await (await personas.Client("resellerA").PostJsonAsync("/api/user/testLoginDetails", body)).ReadJsonAsync();
        var outOfScope = await (await personas.Client("resellerB").PostJsonAsync("/api/user/testLoginDetails", body)).ReadJsonAsync();

        Assert.Equal("success", (string?)inScope["result"]!["result"]);
        Assert.Equal(personas.Ids["userA"], (int?)inScope["result"]!["userId"]);
        Assert.False((bool)inScope["result"]!["twoFactorAuthEnabled"]!);
        Assert.Equal("failed", (string?)outOfScope["result"]!["result"]);
        Assert.Null(outOfScope["result"]!["userId"]);
    }
}
