using System.Net;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Access;

/// <summary>Role escalation, built-in role protection, field permissions, disabled accounts and impersonation.</summary>
public sealed class AccessRulesTests(Personas personas) : IClassFixture<Personas>
{
    private CollectWebFactory Factory => personas.Factory;

    [Fact]
    public async Task A_reseller_cannot_create_a_role_granting_a_permission_it_does_not_hold()
    {
        var response = await personas.Client("resellerA").PostJsonAsync("/api/roles",
            new { name = "Sneaky", permissionlist = new[] { "system.globalSystemSettings.update" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("system.globalSystemSettings.update", (string?)(await response.ReadJsonAsync())["message"]);
        Assert.False(await Factory.WithDbAsync(db => db.Roles.AnyAsync(r => r.Name == "Sneaky")));
    }

    [Fact]
    public async Task A_reseller_cannot_widen_its_own_users_role_beyond_what_it_holds()
    {
        var response = await personas.Client("resellerA").PutJsonAsync($"/api/roles/{personas.Roles["roleA"]}",
            new { permissionsets = new[] { "Manage System Backups" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("You cannot grant the permission system.backups", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task A_reseller_cannot_hand_out_the_admin_role_or_another_resellers_role()
    {
        var client = personas.Client("resellerA");

        var admin = await client.PostJsonAsync("/api/users", new { name = "x1", username = "x1", password = Personas.Password, role_id = BuiltInRoles.Admin });
        var foreign = await client.PostJsonAsync("/api/users", new { name = "x2", username = "x2", password = Personas.Password, role_id = personas.Roles["roleB"] });
        var promote = await client.PutJsonAsync($"/api/users/{personas.Ids["userA"]}", new { role_id = BuiltInRoles.Admin });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, admin.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, promote.StatusCode);
        Assert.NotNull((await foreign.ReadJsonAsync())["errors"]?["role_id"]);
        Assert.False(await Factory.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "x1" || u.UserName == "x2")));
        Assert.Equal(personas.Roles["roleA"], await Factory.WithDbAsync(db => db.Users.Where(u => u.Id == personas.Ids["userA"]).Select(u => u.RoleId).SingleAsync()));
    }

    [Fact]
    public async Task Nobody_changes_their_own_role()
    {
        var response = await personas.Client("resellerA").PutJsonAsync($"/api/users/{personas.Ids["resellerA"]}", new { role_id = personas.Roles["roleA"] });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("You cannot change your own role.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Theory]
    [InlineData(BuiltInRoles.Admin)]
    [InlineData(BuiltInRoles.Reseller)]
    [InlineData(BuiltInRoles.UserTemplate)]
    public async Task Built_in_roles_cannot_be_deleted_and_say_why(int roleId)
    {
        var response = await Factory.AdminApi().DeleteAsync($"/api/roles/{roleId}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("built in", (string?)(await response.ReadJsonAsync())["message"]);
        Assert.True(await Factory.WithDbAsync(db => db.Roles.AnyAsync(r => r.Id == roleId)));
    }

    [Fact]
    public async Task Template_roles_cannot_be_assigned_to_users()
    {
        var response = await Factory.AdminApi().PostJsonAsync("/api/users",
            new { name = "t", username = "templated", password = Personas.Password, role_id = BuiltInRoles.SubresellerTemplate });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("cannot be assigned", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task The_built_in_roles_and_templates_are_listed_as_the_seed_shows()
    {
        var roles = (await (await Factory.AdminApi().GetAsync("/api/roles")).ReadJsonAsync())["result"]!.AsArray();

        var byId = roles.ToDictionary(r => (int)r!["id"]!, r => r!);
        Assert.Equal("reseller_template", (string?)byId[BuiltInRoles.SubresellerTemplate]["type"]);
        Assert.Equal("user_template", (string?)byId[BuiltInRoles.UserTemplate]["type"]);
        Assert.Equal(1, (int?)byId[BuiltInRoles.UserTemplate]["notAssignable"]);
        Assert.Equal(1, (int?)byId[BuiltInRoles.Admin]["notDeleteable"]);
        Assert.Contains(byId[BuiltInRoles.Admin]["assignedUsers"]!.AsArray(), u => (int?)u!["userId"] == 1);
    }

    [Fact]
    public async Task Output_fields_without_permission_are_left_out_and_writes_to_them_are_refused_naming_the_field()
    {
        var admin = Factory.AdminApi();
        var roleId = (int)(await (await admin.PostJsonAsync("/api/roles", new
        {
            name = "Help desk",
            level = "reseller",
            permissionlist = new[]
            {
                "users.index", "users.show", "users.update", "users.apiOutput.param.id", "users.apiOutput.param.username",
                "users.update.param.description",
            },
        })).ReadJsonAsync())["result"]!["id"]!;
        var helpdeskId = (int)(await (await admin.PostJsonAsync("/api/users",
            new { name = "Help desk", username = "helpdesk", password = Personas.Password, role_id = roleId })).ReadJsonAsync())["result"]!["id"]!;
        var target = await admin.PostJsonAsync("/api/users", new
        {
            name = "Customer", username = "customer-of-helpdesk", password = Personas.Password, email = "c@example.net", root_owner = helpdeskId,
        });
        var targetId = (int)(await target.ReadJsonAsync())["result"]!["id"]!;
        var client = Factory.ApiClient(await Factory.CreateTokenAsync(helpdeskId));

        var shown = (await (await client.GetAsync($"/api/users/{targetId}")).ReadJsonAsync())["result"]!.AsObject();
        var email = await client.PutJsonAsync($"/api/users/{targetId}", new { email = "other@example.net" });
        var description = await client.PutJsonAsync($"/api/users/{targetId}", new { description = "VIP" });

        Assert.Equal(["id", "username"], shown.Select(p => p.Key).Order().ToList());
        Assert.Equal(HttpStatusCode.Forbidden, email.StatusCode);
        Assert.Equal("You are not allowed to change the field email.", (string?)(await email.ReadJsonAsync())["message"]);
        Assert.Equal(HttpStatusCode.OK, description.StatusCode);
        var stored = await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == targetId));
        Assert.Equal("c@example.net", stored.Email);
        Assert.Equal("VIP", stored.Description);
    }

    [Fact]
    public async Task Disabling_a_reseller_locks_out_its_users_and_enabling_it_lets_them_back()
    {
        var admin = Factory.AdminApi();
        var resellerId = (int)(await (await admin.PostJsonAsync("/api/users",
            new { name = "R", username = "to-disable", password = Personas.Password, role_id = BuiltInRoles.Reseller })).ReadJsonAsync())["result"]!["id"]!;
        var resellerClient = Factory.ApiClient(await Factory.CreateTokenAsync(resellerId));
        var roles = (await (await resellerClient.GetAsync("/api/roles")).ReadJsonAsync())["result"]!.AsArray();
        var userRole = (int)roles.Single(r => (string?)r!["name"] == "User" && (int?)r["ownerUserId"] == resellerId)!["id"]!;
        var userId = (int)(await (await resellerClient.PostJsonAsync("/api/users",
            new { name = "U", username = "below-disabled", password = Personas.Password, role_id = userRole })).ReadJsonAsync())["result"]!["id"]!;
        var userClient = Factory.ApiClient(await Factory.CreateTokenAsync(userId));
        Assert.Equal(HttpStatusCode.OK, (await userClient.GetAsync("/api/user")).StatusCode);
        var (browser, _) = await Factory.PostLoginAsync("below-disabled", Personas.Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        await admin.PutJsonAsync($"/api/users/{resellerId}", new { accountstatus = "disabled" });

        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await resellerClient.GetAsync("/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await userClient.GetAsync("/api/user")).StatusCode);
        var (_, login) = await Factory.PostLoginAsync("below-disabled", Personas.Password);
        Assert.Contains("disabled", Uri.UnescapeDataString(login.Headers.Location!.OriginalString));
        var shown = (await (await admin.GetAsync($"/api/users/{userId}")).ReadJsonAsync())["result"]!;
        Assert.True((bool)shown["isParentAccountSuspended"]!);

        await admin.PutJsonAsync($"/api/users/{resellerId}", new { accountstatus = "enabled" });
        Assert.Equal(HttpStatusCode.OK, (await userClient.GetAsync("/api/user")).StatusCode);
    }

    [Fact]
    public async Task A_users_allowed_hosts_restrict_sign_in_and_tokens()
    {
        var admin = Factory.AdminApi();
        var id = (int)(await (await admin.PostJsonAsync("/api/users",
            new { name = "Pinned", username = "pinned", password = Personas.Password, allowedHosts = new[] { "10.44.0.0/16" } })).ReadJsonAsync())["result"]!["id"]!;
        var token = await Factory.CreateTokenAsync(id);

        var (_, fromElsewhere) = await Factory.PostLoginAsync("pinned", Personas.Password, remoteIp: "10.45.0.1");
        var (_, fromAllowed) = await Factory.PostLoginAsync("pinned", Personas.Password, remoteIp: "10.44.1.2");

        Assert.Contains("not allowed", Uri.UnescapeDataString(fromElsewhere.Headers.Location!.OriginalString));
        Assert.Equal("/", fromAllowed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.ApiClient(token, remoteIp: "10.45.0.1").GetAsync("/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Factory.ApiClient(token, remoteIp: "10.44.9.9").GetAsync("/api/user")).StatusCode);
    }

    [Theory]
    [InlineData("{\"name\": \"\", \"username\": \"a\", \"password\": \"Persona-Passw0rd!\"}", "name")]
    [InlineData("{\"name\": \"a\", \"username\": \"b\"}", "password")]
    [InlineData("{\"name\": \"a\", \"username\": \"c\", \"password\": \"Persona-Passw0rd!\", \"timezone\": \"Mars/Olympus\"}", "timezone")]
    [InlineData("{\"name\": \"a\", \"username\": \"d\", \"password\": \"Persona-Passw0rd!\", \"accountstatus\": \"paused\"}", "accountstatus")]
    [InlineData("{\"name\": \"a\", \"username\": \"e\", \"password\": \"Persona-Passw0rd!\", \"email\": \"nope\"}", "email")]
    [InlineData("{\"name\": \"a\", \"username\": \"f\", \"password\": \"Persona-Passw0rd!\", \"allowedHosts\": [\"x\"]}", "allowedHosts")]
    [InlineData("{\"name\": \"a\", \"username\": \"g\", \"password\": \"short\"}", "password")]
    [InlineData("{\"name\": \"a\", \"username\": \"h\", \"password\": \"Persona-Passw0rd!\", \"role_id\": \"abc\"}", "role_id")]
    [InlineData("{\"name\": \"a\", \"username\": \"adminx\", \"password\": \"Persona-Passw0rd!\", \"root_owner\": 99999}", "root_owner")]
    [InlineData("{\"name\": \"a\", \"username\": \"admin\", \"password\": \"Persona-Passw0rd!\"}", "username")]
    public async Task Invalid_user_input_gets_422_naming_the_field_and_creates_nothing(string json, string field)
    {
        var before = await Factory.WithDbAsync(db => db.Users.CountAsync());

        var response = await Factory.AdminApi().PostAsync("/api/users", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]?[field]);
        Assert.Equal(before, await Factory.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Impersonation_acts_as_the_target_records_both_identities_and_stops()
    {
        var admin = Factory.AdminApi();
        var id = (int)(await (await admin.PostJsonAsync("/api/users",
            new { name = "Target", username = "impersonated", password = Personas.Password })).ReadJsonAsync())["result"]!["id"]!;
        var token = await Factory.CreateTokenAsync(1, "impersonation");
        var client = Factory.ApiClient(token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/impersonate/{id}/start")).StatusCode);
        var asTarget = await (await client.GetAsync("/api/user")).ReadJsonAsync();
        await client.PostJsonAsync($"/api/users/{id}/tokens", new { name = "made-while-impersonating" });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/impersonate/{id}/stop")).StatusCode);
        var back = await (await client.GetAsync("/api/user")).ReadJsonAsync();

        Assert.Equal("impersonated", (string?)asTarget["result"]!["username"]);
        Assert.Equal("admin", (string?)back["result"]!["username"]);
        var entry = await Factory.WithDbAsync(db => db.ActivityLogs.SingleAsync(a => a.RootType == "api_token" && a.Description.Contains("made-while-impersonating")));
        Assert.Equal(id, entry.UserId);
        Assert.Equal(1, entry.ImpersonatorId);
    }

    [Fact]
    public async Task Impersonation_through_the_browser_cookie_switches_identity_and_back()
    {
        await Factory.AdminApi().PostJsonAsync("/api/users", new { name = "Cookie target", username = "cookie-target", password = Personas.Password });
        var id = await Factory.WithDbAsync(db => db.Users.Where(u => u.UserName == "cookie-target").Select(u => u.Id).SingleAsync());
        var (browser, _) = await Factory.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);

        await browser.GetAsync($"/api/impersonate/{id}/start");
        var during = await (await browser.GetAsync("/api/user")).ReadJsonAsync();
        await browser.GetAsync($"/api/impersonate/{id}/stop");
        var after = await (await browser.GetAsync("/api/user")).ReadJsonAsync();

        Assert.Equal("cookie-target", (string?)during["result"]!["username"]);
        Assert.Equal("admin", (string?)after["result"]!["username"]);
    }

    [Fact]
    public async Task Another_site_cannot_make_a_signed_in_browser_start_an_impersonation()
    {
        var id = (int)(await (await Factory.AdminApi().PostJsonAsync("/api/users",
            new { name = "Victim", username = "csrf-target", password = Personas.Password })).ReadJsonAsync())["result"]!["id"]!;
        var (browser, _) = await Factory.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/impersonate/{id}/start");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("admin", (string?)(await (await browser.GetAsync("/api/user")).ReadJsonAsync())["result"]!["username"]);
    }

    [Fact]
    public async Task An_account_with_alias_users_can_be_deleted_and_its_aliases_go_with_it()
    {
        var admin = Factory.AdminApi();
        var ownerId = (int)(await (await admin.PostJsonAsync("/api/users",
            new { name = "Owner", username = "alias-owner", password = Personas.Password })).ReadJsonAsync())["result"]!["id"]!;
        var owner = Factory.ApiClient(await Factory.CreateTokenAsync(ownerId));
        var roleId = (int)(await (await owner.PostJsonAsync("/api/aliasRoles", new { name = "Helper", permissionsets = new[] { "View Own Account" } })).ReadJsonAsync())["result"]!["id"]!;
        await owner.PostJsonAsync("/api/aliasUsers", new { name = "Helper", username = "alias-of-owner", password = Personas.Password, role_id = roleId });

        var response = await admin.DeleteAsync($"/api/users/{ownerId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await Factory.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "alias-of-owner" || u.Id == ownerId)));
    }

    [Fact]
    public async Task A_failed_move_leaves_the_tenant_tree_as_it_was()
    {
        var admin = Factory.AdminApi();
        var id = (int)(await (await admin.PostJsonAsync("/api/users", new { name = "Mover", username = "mover", password = Personas.Password, role_id = 2 })).ReadJsonAsync())["result"]!["id"]!;
        var before = await Factory.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.TreePath).SingleAsync());

        var response = await admin.PutJsonAsync($"/api/users/{id}", new { root_owner = personas.Ids["resellerA"], username = "admin" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(before, await Factory.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.TreePath).SingleAsync()));
    }

    [Fact]
    public async Task An_alias_user_cannot_take_over_the_account_it_works_for()
    {
        var owner = personas.Client("resellerA");
        var roleId = (int)(await (await owner.PostJsonAsync("/api/aliasRoles", new { name = "Deputy", permissionsets = new[] { "View Users", "Manage Users", "Impersonate Users", "View Own Account" } })).ReadJsonAsync())["result"]!["id"]!;
        var aliasId = (int)(await (await owner.PostJsonAsync("/api/aliasUsers", new { name = "Deputy", username = "deputy-a", password = Personas.Password, role_id = roleId })).ReadJsonAsync())["result"]!["id"]!;
        var deputy = Factory.ApiClient(await Factory.CreateTokenAsync(aliasId));

        var password = await deputy.PutJsonAsync($"/api/users/{personas.Ids["resellerA"]}", new { password = "Taken-0ver-Passw0rd" });
        var impersonate = await deputy.GetAsync($"/api/impersonate/{personas.Ids["userA"]}/start");

        Assert.Equal(HttpStatusCode.Forbidden, password.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, impersonate.StatusCode);
    }

    [Fact]
    public async Task An_impersonation_ends_when_the_target_leaves_the_impersonators_subtree()
    {
        var admin = Factory.AdminApi();
        var roles = (await (await personas.Client("resellerA").GetAsync("/api/roles")).ReadJsonAsync())["result"]!.AsArray();
        var target = (int)(await (await personas.Client("resellerA").PostJsonAsync("/api/users",
            new { name = "Moving", username = "moving-target", password = Personas.Password, role_id = personas.Roles["roleA"] })).ReadJsonAsync())["result"]!["id"]!;
        var token = await Factory.CreateTokenAsync(personas.Ids["resellerA"], "impersonating");
        var reseller = Factory.ApiClient(token);
        Assert.Equal(HttpStatusCode.OK, (await reseller.GetAsync($"/api/impersonate/{target}/start")).StatusCode);
        Assert.Equal("moving-target", (string?)(await (await reseller.GetAsync("/api/user")).ReadJsonAsync())["result"]!["username"]);

        await admin.PutJsonAsync($"/api/users/{target}", new { root_owner = personas.Ids["resellerB"], role_id = personas.Roles["roleB"] });

        // The token is the reseller's own again, not the moved account's.
        Assert.NotEmpty(roles);
        Assert.Equal("resellerA", (string?)(await (await reseller.GetAsync("/api/user")).ReadJsonAsync())["result"]!["username"]);
        Assert.Equal(HttpStatusCode.NotFound, (await reseller.GetAsync($"/api/users/{target}")).StatusCode);
    }

    [Fact]
    public async Task A_json_body_naming_a_property_twice_gets_422()
    {
        var response = await Factory.AdminApi().PostAsync("/api/users", new StringContent("{\"name\": \"a\", \"name\": \"b\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("more than once", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task Deleting_a_user_with_sub_users_is_refused_with_the_reason()
    {
        var response = await Factory.AdminApi().DeleteAsync($"/api/users/{personas.Ids["resellerB"]}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("sub-user", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task The_permission_catalog_covers_every_resource_of_the_api_reference()
    {
        var sets = (await (await Factory.AdminApi().GetAsync("/api/permissions")).ReadJsonAsync())["result"]!.AsArray();
        var endpoints = sets.SelectMany(s => s!["permissions"]!["apiEndpoint"]!.AsArray().Select(p => (string)p!)).ToHashSet();
        var resources = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "api-paths.txt"))
            .Select(l => l.Split(' ', 2)[1].Split('/', StringSplitOptions.RemoveEmptyEntries)[1])
            .Where(r => r != "ping")
            .ToHashSet();

        Assert.All(resources, r => Assert.Contains(endpoints, p => p.StartsWith(r + ".", StringComparison.Ordinal)));
        Assert.All(sets, s => Assert.Contains((string?)s!["permission_level"], new[] { "admin", "reseller", "user" }));
    }
}
