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
    }

    public HttpClient Client(string persona) => Factory.ApiClient(Tokens[persona]);

    /// <summary>Replaces {persona} and {role} placeholders in a path with their ids.</summary>
    public string Resolve(string path)
    {
        foreach (var (name, id) in Ids.Concat(Roles)) path = path.Replace("{" + name + "}", id.ToString());
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
