using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Collect.Tests.Infrastructure;

public static class Json
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("Empty body");
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The "result" of a successful answer; a failed one fails the test with its body.</summary>
    public static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var json = await response.ReadJsonAsync();
        Xunit.Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["result"]!;
    }
}
