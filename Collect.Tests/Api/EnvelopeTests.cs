using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Api;

public sealed class EnvelopeTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    [Fact]
    public async Task Ping_answers_pong_without_authentication()
    {
        var response = await factory.Anonymous().GetAsync("/api/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("pong", (string?)body["result"]);
        Assert.Equal("success", (string?)body["message"]);
    }

    [Fact]
    public async Task Requests_without_credentials_get_401_unauthenticated()
    {
        var response = await factory.Anonymous().GetAsync("/api/user");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthenticated.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task An_unknown_token_gets_401_unauthenticated()
    {
        var response = await factory.ApiClient("not-a-real-token").GetAsync("/api/user");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthenticated.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Theory]
    [InlineData("/api/does-not-exist")]
    [InlineData("/api/users/abc/tokens")]
    [InlineData("/api/users/99999999999999/tokens")]
    public async Task Unknown_api_routes_get_404_in_the_error_shape(string path)
    {
        var response = await factory.AdminApi().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not found.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task A_wrong_method_gets_405_in_the_error_shape()
    {
        var response = await factory.AdminApi().DeleteAsync("/api/ping");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("Method not allowed.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task Malformed_json_gets_422_naming_the_problem_and_creates_nothing()
    {
        var before = await TokenCountAsync();
        var content = new StringContent("{\"name\": \"x\", \"allowedHosts\": [}", Encoding.UTF8, "application/json");

        var response = await factory.AdminApi().PostAsync("/api/users/1/tokens", content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.StartsWith("The request body is not valid JSON at $.allowedHosts", (string?)body["message"]);
        Assert.NotNull(body["errors"]?["body"]);
        Assert.Equal(before, await TokenCountAsync());
    }

    [Fact]
    public async Task A_json_value_of_the_wrong_type_gets_422()
    {
        var content = new StringContent("{\"name\": 5}", Encoding.UTF8, "application/json");

        var response = await factory.AdminApi().PostAsync("/api/users/1/tokens", content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("$.name", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task An_empty_body_gets_422_saying_it_is_required()
    {
        var content = new StringContent("", Encoding.UTF8, "application/json");

        var response = await factory.AdminApi().PostAsync("/api/users/1/tokens", content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("The request body is required.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var content = new StringContent("name=x", Encoding.UTF8, "text/plain");

        var response = await factory.AdminApi().PostAsync("/api/users/1/tokens", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task A_json_body_over_one_mebibyte_gets_413_and_creates_nothing()
    {
        var before = await TokenCountAsync();
        var json = "{\"name\": \"" + new string('a', 1024 * 1024 + 10) + "\"}";

        var response = await factory.AdminApi().PostAsync("/api/users/1/tokens", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", (string?)(await response.ReadJsonAsync())["message"]);
        Assert.Equal(before, await TokenCountAsync());
    }

    [Fact]
    public async Task A_chunked_json_body_over_one_mebibyte_gets_413()
    {
        var json = Encoding.UTF8.GetBytes("{\"name\": \"" + new string('a', 1024 * 1024 + 10) + "\"}");
        var content = new StreamContent(new NonSeekableStream(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await factory.AdminApi().PostAsync("/api/users/1/tokens", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("per_page=abc", "per_page")]
    [InlineData("page=0", "page")]
    [InlineData("per_page=100000", "per_page")]
    public async Task Bad_paging_parameters_get_422_naming_the_parameter(string query, string field)
    {
        var response = await factory.AdminApi().GetAsync($"/api/users/1/tokens?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Contains(field, (string?)body["message"]);
        Assert.NotNull(body["errors"]?[field]);
    }

    [Fact]
    public async Task The_version_endpoint_answers_the_running_version()
    {
        var body = await (await factory.AdminApi().GetAsync("/api/system/version")).ReadJsonAsync();

        Assert.Matches(@"^\d+\.\d+\.\d+", (string?)body["result"]?["app_version"]);
        Assert.Equal(0, (int?)body["result"]?["updateAvailable"]);
        Assert.Equal("success", (string?)body["message"]);
    }

    [Fact]
    public async Task Current_user_answers_the_caller_in_the_seed_shape()
    {
        var response = await factory.ApiClient(CollectWebFactory.AdminToken, remoteIp: "10.20.30.40").GetAsync("/api/user");

        var user = (await response.ReadJsonAsync())["result"]!;
        Assert.Equal(1, (int?)user["id"]);
        Assert.Equal(CollectWebFactory.AdminUserName, (string?)user["username"]);
        Assert.Equal("10.20.30.40", (string?)user["currentIp"]);
        Assert.Equal("DD.MM.YYYY HH:mm:ss", (string?)user["datetimeFormat"]);
        foreach (var field in new[] { "name", "timezone", "darkmode", "sshkeys", "prefs", "language", "isSharedAccess", "sharedUserId", "realOrSharedUserId", "permissions" })
            Assert.True(user.AsObject().ContainsKey(field), $"missing {field}");
    }

    [Fact]
    public async Task Every_api_endpoint_in_the_openapi_document_is_tagged_and_summarised()
    {
        var document = await (await factory.Anonymous().GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/"))
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!)))
            .ToList();
        Assert.Contains(operations, o => o.Path == "/api/users/{user}/tokens" && o.Method == "post");
        var list = operations.Single(o => o.Path == "/api/users/{user}/tokens" && o.Method == "get").Operation;
        Assert.Contains(list["parameters"]!.AsArray(), p => (string?)p!["name"] == "per_page");
        foreach (var (path, method, operation) in operations)
        {
            Assert.True(operation["tags"] is JsonArray { Count: > 0 }, $"{method} {path} has no tag");
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{method} {path} has no summary");
        }
    }

    [Fact]
    public async Task The_api_reference_is_served_at_scalar()
    {
        var response = await factory.CreateClient().GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_reports_that_the_database_answers()
    {
        var response = await factory.Anonymous().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private Task<int> TokenCountAsync() => factory.WithDbAsync(db => db.ApiTokens.CountAsync());

    /// <summary>A body without a length, as a chunked upload sends it.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
