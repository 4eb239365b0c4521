using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;

namespace Collect.Tests.Infrastructure;

/// <summary>
/// The persona matrix of the access model: the admin, resellers A and B, a user of each, and an alias user of A,
/// all made through the API as an operator would, each with its own API token.
/// </summary>
public sealed class Personas : IAsyncLifetime
{
    public const string Password = "Persona-Passw0rd!";
    public static readonly string[] All = ["admin", "resellerA", "resellerB", "userA", "userB", "aliasA"];

    public CollectWebFactory Factory { get; } = new();
    public Dictionary<string, int> Ids { get; } = new();
    public Dictionary<string, string> Tokens { get; } = new();
    /// <summary>Roles by name: roleA / roleB are the "User" roles the resellers got from the templates; aliasRoleA is A's alias role.</summary>
    public Dictionary<string, int> Roles { get; } = new();
    /// <summary>Servers, comments, files and connections by name: serverAdmin, serverA, serverB, commentA, fileA, connectionA.</summary>
    public Dictionary<string, int> Objects { get; } = new();

    public async Task InitializeAsync()
    {
        var admin = Factory.AdminApi();
        Ids["admin"] = 1;
        Tokens["admin"] = CollectWebFactory.AdminToken;
        foreach (var name in new[] { "resellerA", "resellerB" })
        {
            Ids[name] = await CreateAsync(admin, "/api/users", new { name, username = name, password = Password, role_id = BuiltInRoles.Reseller });
            Tokens[name] = await Factory.CreateTokenAsync(Ids[name]);
        }
        foreach (var (reseller, user, role) in new[] { ("resellerA", "userA", "roleA"), ("resellerB", "userB", "roleB") })
        {
            var client = Factory.ApiClient(Tokens[reseller]);
            var roles = await (await client.GetAsync("/api/roles")).ReadJsonAsync();
            Roles[role] = (int)roles["result"]!.AsArray().Single(r => (string?)r!["name"] == "User" && (int?)r["ownerUserId"] == Ids[reseller])!["id"]!;
            Ids[user] = await CreateAsync(client, "/api/users", new { name = user, username = user, password = Password, role_id = Roles[role] });
            Tokens[user] = await Factory.CreateTokenAsync(Ids[user]);
        }
        var resellerA = Factory.ApiClient(Tokens["resellerA"]);
        Roles["aliasRoleA"] = await CreateAsync(resellerA, "/api/aliasRoles", new { name = "Support desk", permissionsets = new[] { "View Own Account" } });
        Ids["aliasA"] = await CreateAsync(resellerA, "/api/aliasUsers",
            new { name = "aliasA", username = "aliasA", password = Password, role_id = Roles["aliasRoleA"] });
        Tokens["aliasA"] = await Factory.CreateTokenAsync(Ids["aliasA"]);

        // Subnets: one the admin keeps, one given to each reseller; servers take their addresses from them.
        Objects["subnetAdmin"] = await CreateAsync(admin, "/api/subnets", new { subnet = "10.0.0.0", cidr = 24, type = "v4" });
        Objects["subnetA"] = await CreateAsync(admin, "/api/subnets",
            new { subnet = "100.64.1.0", cidr = 24, type = "v4", gw = "100.64.1.1", userId = Ids["resellerA"], generateIps = true });
        Objects["subnetB"] = await CreateAsync(admin, "/api/subnets",
            new { subnet = "100.64.2.0", cidr = 24, type = "v4", gw = "100.64.2.1", userId = Ids["resellerB"], generateIps = true });
        // Servers: one the admin keeps, one for each reseller's user; a comment with a file on A's.
        Objects["serverAdmin"] = await CreateAsync(admin, "/api/servers", new { hostname = "admin.example.net", servername = "srv-admin", ipassignments = new[] { "10.0.0.1" } });
        Objects["serverA"] = await CreateAsync(admin, "/api/servers",
            new { hostname = "a.example.net", servername = "srv-a", user_id = Ids["userA"], tags = new[] { "tenant-a" }, ipassignments = new[] { "100.64.1.10" } });
        Objects["serverB"] = await CreateAsync(admin, "/api/servers",
            new { hostname = "b.example.net", servername = "srv-b", user_id = Ids["userB"], tags = new[] { "tenant-b" }, ipassignments = new[] { "100.64.2.10" } });
        var form = new MultipartFormDataContent
        {
            { new StringContent("<p>Rack 4, unit 12</p>"), "comment" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("serial: ABC123")), "attachments[]", "label.txt" },
        };
        var comment = await (await admin.PostAsync($"/api/servers/{Objects["serverA"]}/comments", form)).ReadJsonAsync();
        Objects["commentA"] = (int)comment["result"]!["id"]!;
        Objects["fileA"] = (int)comment["result"]!["attachments"]![0]!["id"]!;
        Objects["brandA"] = await CreateAsync(resellerA, "/api/system/brands", new { domain = "panel.reseller-a.example" });
        // Systems: one registered by reseller A's user, one by reseller B; string ids, kept apart from the int objects.
        SystemIds["systemA"] = await CreateSystemAsync(Factory.ApiClient(Tokens["userA"]), "sys-a");
        SystemIds["systemB"] = await CreateSystemAsync(Factory.ApiClient(Tokens["resellerB"]), "sys-b");
        Objects["connectionA"] = await CreateAsync(admin, $"/api/servers/{Objects["serverA"]}/connections", new
        {
            agentId = 1, types = new[] { "dhcp" }, connectionDetails = new { type = "dhcp", meta = new { pxe_mac = "AA-BB-CC-DD-EE-01" } },
        });
    }

    public Dictionary<string, string> SystemIds { get; } = [];

    private static async Task<string> CreateSystemAsync(HttpClient client, string name)
    {
        var response = await client.PostJsonAsync("/api/systems", new { name, type = "ns8" });
        var json = await response.ReadJsonAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Created) throw new InvalidOperationException($"Creating system {name} failed: {json.ToJsonString()}");
        return (string)json["data"]!["id"]!;
    }

    public HttpClient Client(string persona) => Factory.ApiClient(Tokens[persona]);

    /// <summary>Replaces {persona} and {role} placeholders in a path with their ids.</summary>
    public string Resolve(string path)
    {
        foreach (var (name, id) in Ids.Concat(Roles).Concat(Objects)) path = path.Replace("{" + name + "}", id.ToString());
        foreach (var (name, id) in SystemIds) path = path.Replace("{" + name + "}", id);
        return path;
    }

    private static async Task<int> CreateAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var json = await response.ReadJsonAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {json.ToJsonString()}");
        return (int)json["result"]!["id"]!;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
