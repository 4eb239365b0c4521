using System.Text.Json.Serialization;
using Collect.Core.Access;

namespace Collect.Web.Api;

/// <summary>The management API's success shape: <c>{"result": …, "message": "success"}</c>.</summary>
public sealed record Envelope<T>(
    [property: JsonPropertyName("result")] T Result,
    [property: JsonPropertyName("message")] string Message = "success");

/// <summary>A paged list: the page in <c>result</c>, counts in <c>meta</c>.</summary>
public sealed record PagedEnvelope<T>(
    [property: JsonPropertyName("result")] IReadOnlyList<T> Result,
    [property: JsonPropertyName("meta")] PageMeta Meta,
    [property: JsonPropertyName("message")] string Message = "success");

public sealed record PageMeta(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("per_page")] int PerPage);

/// <summary>Every API error: a message, and for validation failures the errors per field.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>The error bodies of DESIGN §6, and mapping service outcomes onto them.</summary>
public static class ApiErrors
{
    public const string Unauthenticated = "Unauthenticated.";
    public const string Unauthorized = "This action is unauthorized.";
    public const string NotFoundMessage = "Not found.";

    public static NotFound<ErrorBody> NotFound() => TypedResults.NotFound(new ErrorBody(NotFoundMessage));

    public static UnprocessableEntity<ErrorBody> Invalid(IReadOnlyDictionary<string, string[]>? errors)
    {
        var first = errors?.Values.SelectMany(v => v).FirstOrDefault() ?? "The given data was invalid.";
        return TypedResults.UnprocessableEntity(new ErrorBody(first, errors));
    }

    public static UnprocessableEntity<ErrorBody> Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static JsonHttpResult<ErrorBody> Forbidden(string? message = null) =>
        TypedResults.Json(new ErrorBody(message ?? Unauthorized), statusCode: StatusCodes.Status403Forbidden);

    /// <summary>A service outcome as an answer: the object in the envelope, or 404 / 422 / 403 in the error shape.</summary>
    public static Results<Ok<Envelope<TOut>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> From<T, TOut>(
        ServiceResult<T> result, Func<T, TOut> map) =>
        result.Status switch
        {
            ResultStatus.Ok => TypedResults.Ok(new Envelope<TOut>(map(result.Value!))),
            ResultStatus.Invalid => Invalid(result.Errors),
            ResultStatus.Forbidden => Forbidden(result.Errors?.Values.SelectMany(v => v).FirstOrDefault()),
            _ => NotFound(),
        };

    /// <summary>A deletion's outcome: <c>{"result": null}</c> on success.</summary>
    public static Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> Deleted(ServiceResult<bool> result) =>
        result.Status switch
        {
            ResultStatus.Ok => TypedResults.Ok(new Envelope<object?>(null)),
            ResultStatus.Invalid => Invalid(result.Errors),
            ResultStatus.Forbidden => Forbidden(result.Errors?.Values.SelectMany(v => v).FirstOrDefault()),
            _ => NotFound(),
        };

    public static string MessageFor(int status) => status switch
    {
        400 => "Bad request.",
        401 => Unauthenticated,
        403 => Unauthorized,
        404 => NotFoundMessage,
        405 => "Method not allowed.",
        406 => "Not acceptable.",
        409 => "Conflict.",
        413 => "The request body is too large.",
        415 => "Unsupported media type: send the body as application/json.",
        422 => "The given data was invalid.",
        429 => "Too many requests.",
        _ => status >= 500 ? "Server error" : "Request failed.",
    };
}

/// <summary><c>page</c> and <c>per_page</c> as lists accept them: without either, the whole list.</summary>
public readonly record struct ListQuery(int? Page, int? PerPage, string? BadField = null)
{
    /// <summary>Reads the paging parameters by their API names, so errors name them as the caller wrote them.</summary>
    public static ListQuery From(HttpRequest request)
    {
        int? page = null, perPage = null;
        if (request.Query.TryGetValue("page", out var p))
        {
            if (!int.TryParse(p, out var value)) return new ListQuery(null, null, "page");
            page = value;
        }
        if (request.Query.TryGetValue("per_page", out var pp))
        {
            if (!int.TryParse(pp, out var value)) return new ListQuery(null, null, "per_page");
            perPage = value;
        }
        return new ListQuery(page, perPage);
    }

    public bool IsPaged => Page is not null || PerPage is not null;

    public PageRequest ToRequest() => IsPaged ? new PageRequest(Page ?? 1, PerPage ?? 50) : new PageRequest(1, int.MaxValue);

    public Dictionary<string, string[]>? Validate()
    {
        if (BadField is not null) return new() { [BadField] = [$"The {BadField} must be an integer."] };
        if (Page is < 1) return new() { ["page"] = ["The page must be at least 1."] };
        if (PerPage is < 1 or > PageRequest.MaxPerPage) return new() { ["per_page"] = [$"The per_page must be between 1 and {PageRequest.MaxPerPage}."] };
        return null;
    }
}
