using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Api;

/// <summary>
/// Every endpoint of the API, called by the admin with malformed and hostile input (wrong JSON types for every field
/// name the API reads, bodies that are not objects, broken JSON, out-of-range and non-numeric ids, hostile query
/// strings), answers in its documented shape with a 4xx or a success, never a 500, and never locks the caller out.
/// </summary>
public sealed partial class MalformedInputTests : IClassFixture<CollectWebFactory>
{
    private readonly CollectWebFactory _factory;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public MalformedInputTests(CollectWebFactory factory, Xunit.Abstractions.ITestOutputHelper output)
    {
        _factory = factory;
        _output = output;
    }

    [Fact]
    public async Task No_malformed_request_to_any_endpoint_gets_a_server_error()
    {
        var systemId = await SeedAsync(_factory.AdminApi());
        // A second token of the admin: deleting the bootstrap token (id 1) must not end the run.
        var client = _factory.ApiClient(await _factory.CreateTokenAsync(1, "fuzz"));

        var (requests, failures) = await FuzzAsync(client, "admin", systemId, Bodies(FieldNames()));

        Assert.True(requests > 3000, $"Only {requests} requests were made: the endpoint list or the bodies are missing.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests failed:\n" + string.Join("\n", failures.Distinct().Take(60)) + _factory.ServerErrors.Describe());
    }

    [Fact]
    public async Task No_malformed_request_of_a_reseller_gets_a_server_error()
    {
        // A reseller with a subnet, a server and a system of its own; id 1 of most resources belongs to the admin.
        var admin = _factory.AdminApi();
        await SeedAsync(admin);
        var created = await admin.PostJsonAsync("/api/users", new { name = "fuzz-reseller", username = "fuzz-reseller", password = "Fuzz-Passw0rd!", role_id = BuiltInRoles.Reseller });
        var resellerId = (int)(await created.ReadJsonAsync())["result"]!["id"]!;
        var reseller = _factory.ApiClient(await _factory.CreateTokenAsync(resellerId, "fuzz"));
        await admin.PostJsonAsync("/api/subnets", new { subnet = "198.51.100.128", cidr = 25, type = "v4", userId = resellerId });
        await reseller.PostJsonAsync("/api/servers", new { hostname = "fuzz-r.example.net", servername = "fuzz-r" });
        var system = await (await reseller.PostJsonAsync("/api/systems", new { name = "fuzz-r", type = "ns8" })).ReadJsonAsync();
        var systemId = (string?)system["data"]?["id"] ?? "none";
        var (requests, failures) = await FuzzAsync(reseller, "reseller", systemId, Bodies(FieldNames(), nested: false));

        Assert.True(requests > 2000, $"Only {requests} requests were made: the endpoint list or the bodies are missing.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests failed:\n" + string.Join("\n", failures.Distinct().Take(60)) + _factory.ServerErrors.Describe());
    }

    /// <summary>Every endpoint with every body (and a hostile query on GETs); answers how many requests and which failed.</summary>
    private async Task<(int Requests, List<string> Failures)> FuzzAsync(HttpClient client, string who, string systemId, List<string?> bodies)
    {
        var failures = new List<string>();
        var requests = 0;
        var statuses = new SortedDictionary<int, int>();
        var endpoints = 0;

        // Deletions last, so that everything else meets the seeded rows.
        foreach (var (method, pattern) in Endpoints().OrderBy(e => e.Method == "DELETE").ThenBy(e => e.Pattern.RawText, StringComparer.Ordinal))
        {
            var template = "/" + pattern.RawText!.TrimStart('/');
            endpoints++;
            foreach (var (path, existing) in Paths(template, pattern, systemId))
            {
                // Every body against the existing row (or the collection); the others are refused before any body matters.
                var variants = method == "GET" ? [null] : existing ? bodies : new List<string?> { null, "{}" };
                foreach (var body in variants)
                {
                    foreach (var query in method == "GET" ? new[] { "", HostileQuery } : [""])
                    {
                        var request = new HttpRequestMessage(new HttpMethod(method), path + query);
                        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                        var response = await client.SendAsync(request);
                        requests++;
                        statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                        if ((int)response.StatusCode >= 500)
                            failures.Add($"{method} {path}{query} {Cut(body)} → {(int)response.StatusCode} {Cut(await response.Content.ReadAsStringAsync())}");
                    }
                }
            }
            // The caller can still act: no malformed request took its access away.
            var check = await client.GetAsync("/api/user");
            if (check.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"After {method} {template} the {who}'s token got {(int)check.StatusCode} on GET /api/user");
                break;
            }
        }

        _output.WriteLine($"{who}: {endpoints} endpoints, {requests} requests; answers: " + string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}")));
        return (requests, failures);
    }

    private const string HostileQuery = "?page=-1&page_size=0&per_page=abc&limit=-5&offset=99999999999999999999&sort=%3Bdrop&order=sideways" +
        "&from=not-a-date&to=2026-13-45&search=%00%27%22&status=%F0%9F%92%A5&type=x&severity=x&category=x&diff_type=x&filter=%7B&ip=999.1.1.1";

    /// <summary>One of each main resource, so that id 1 exists for them; answers the id of a system.</summary>
    private static async Task<string> SeedAsync(HttpClient admin)
    {
        await admin.PostJsonAsync("/api/servers", new { hostname = "fuzz-01.example.net", servername = "fuzz-01" });
        await admin.PostJsonAsync("/api/subnets", new { subnet = "198.51.100.0", cidr = 24, type = "v4", gw = "198.51.100.1", generateIps = true });
        await admin.PostJsonAsync("/api/subnets", new { subnet = "2001:db8:77::", cidr = 48, type = "v6" });
        await admin.PostJsonAsync("/api/ip/reserve", new { type = "singleIp", ip = "198.51.100.20" });
        await admin.PostJsonAsync("/api/servers/1/ipassignments", new { ip = "198.51.100.10" });
        await admin.PostJsonAsync("/api/config_types", new { name = "Licence", fields = new[] { new { name = "seats", type = "number" } } });
        await admin.PostJsonAsync("/api/config_relationship_types", new { name = "runs on" });
        await admin.PostJsonAsync("/api/config_items", new { name = "Licence A", config_type_id = 1 });
        var system = await (await admin.PostJsonAsync("/api/systems", new { name = "fuzz", type = "ns8" })).ReadJsonAsync();
        return (string?)system["data"]?["id"] ?? "none";
    }

    private IEnumerable<(string Method, RoutePattern Pattern)> Endpoints()
    {
        var sources = _factory.Services.GetRequiredService<EndpointDataSource>();
        foreach (var endpoint in sources.Endpoints.OfType<RouteEndpoint>())
        {
            var raw = endpoint.RoutePattern.RawText ?? "";
            if (!Regex.IsMatch(raw, "^/?(api|external_api)/")) continue;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                yield return (method, endpoint.RoutePattern);
        }
    }

    /// <summary>The path with its parameters filled: an existing id, a missing one, and ids that are not ids at all.</summary>
    private static IEnumerable<(string Path, bool Existing)> Paths(string template, RoutePattern pattern, string systemId)
    {
        if (pattern.Parameters.Count == 0)
        {
            yield return (template, true);
            yield break;
        }
        var existing = template.StartsWith("/api/systems/", StringComparison.Ordinal) ? systemId : "1";
        foreach (var value in new[] { existing, "999999", "-1", "99999999999999999999", "abc" })
        {
            var path = template;
            foreach (var parameter in pattern.Parameters)
                path = Regex.Replace(path, "\\{" + Regex.Escape(parameter.Name) + "[^}]*\\}", parameter.Name == "settingName" && value == "1" ? "default_datetime_format" : value);
            yield return (path, value == existing);
        }
    }

    /// <summary>Bodies that are not JSON objects, and objects giving every known field a value of the wrong kind.</summary>
    private static List<string?> Bodies(IReadOnlyList<string> fields, bool nested = true)
    {
        var bodies = new List<string?> { null, "", "null", "[]", "\"text\"", "12", "{", "{\"name\": }", "{}" };
        JsonNode?[] hostile =
        [
            null, "", new string('x', 1_000), -1, 0, JsonValue.Create(99999999999999999999999m), JsonValue.Create(1.5e300), true,
            new JsonArray(), new JsonObject(), new JsonArray("x", 1, null, new JsonObject()), "../../etc/passwd'; -- \u0000 ☃ <script>",
            "2001:db8::/0", "-2147483649",
        ];
        foreach (var value in hostile)
        {
            var body = new JsonObject();
            foreach (var field in fields) body[field] = value?.DeepClone();
            bodies.Add(body.ToJsonString());
        }
        if (!nested) return bodies;
        // One level down: objects and arrays of objects where a field expects them (settings lists, configuration,
        // wrappers), a slice of the fields at a time to stay under the body limit.
        var inner = new JsonObject();
        foreach (var field in fields) inner[field] = -1;
        foreach (var slice in fields.Chunk(60))
        {
            var objects = new JsonObject();
            var listed = new JsonObject();
            foreach (var field in slice)
            {
                objects[field] = inner.DeepClone();
                listed[field] = new JsonArray(inner.DeepClone(), "x");
            }
            bodies.Add(objects.ToJsonString());
            bodies.Add(listed.ToJsonString());
        }
        return bodies;
    }

    /// <summary>Every field name the API reads from a body, taken from the API's source.</summary>
    private static IReadOnlyList<string> FieldNames()
    {
        var root = RepositoryRoot.Path;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "Collect.Web", "Api"), "*.cs"))
        {
            var text = File.ReadAllText(file);
            foreach (Match match in FieldRead().Matches(text)) names.Add(match.Groups["name"].Value);
        }
        return names.ToList();
    }

    private static string Cut(string? text) => text is null ? "(no body)" : text.Length <= 160 ? text : text[..160] + "…";

    /// <summary>json.String("name"), input.Int("cidr"), body["gw"], TryGetPropertyValue("x", …) and the like.</summary>
    [GeneratedRegex("""(?:\.[A-Z][A-Za-z]*\(\s*|\[\s*|TryGetPropertyValue\(\s*)"(?<name>[a-z][a-zA-Z0-9_]*)"\s*[,)\]]""")]
    private static partial Regex FieldRead();
}
