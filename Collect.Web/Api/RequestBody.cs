using System.Text.Json;
using System.Text.Json.Nodes;

namespace Collect.Web.Api;

/// <summary>Bodies of verbs that may or may not carry one (DELETE with the seed's fields in its body).</summary>
internal static class RequestBody
{
    /// <summary>
    /// The JSON object in the body, or an empty object when there is no body. Malformed JSON, a body that is not an
    /// object, or a body that is not JSON become the usual 422/415 answers through <see cref="ApiErrorMiddleware"/>.
    /// </summary>
    public static async Task<JsonObject> OptionalObjectAsync(HttpContext http, CancellationToken ct)
    {
        var request = http.Request;
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any())) return [];
        if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
            throw new BadHttpRequestException("Unsupported media type", StatusCodes.Status415UnsupportedMediaType);
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException("Failed to read the request body as JSON.", StatusCodes.Status400BadRequest, ex);
        }
        return node switch
        {
            null => [],
            JsonObject o => o,
            _ => throw new BadHttpRequestException("The request body must be a JSON object.", StatusCodes.Status400BadRequest,
                new JsonException("The JSON value must be an object.")),
        };
    }
}
