using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Collect.Web.Api;

/// <summary>
/// Keeps every /api answer in the documented error shape: bad requests become 4xx with a message,
/// anything unexpected a 500 with a correlation id in the log and no stack trace on the wire.
/// </summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var (status, body) = Describe(ex);
            await WriteAsync(context, status, body);
        }
        catch (ArgumentException ex) when (!context.Response.HasStarted && ex.Message.Contains("same key", StringComparison.OrdinalIgnoreCase))
        {
            // System.Text.Json.Nodes refuses objects naming a property twice.
            await WriteAsync(context, 422, new ErrorBody("The request body names a property more than once.",
                new Dictionary<string, string[]> { ["body"] = ["The request body names a property more than once."] }));
        }
        catch (InvalidDataException ex) when (!context.Response.HasStarted)
        {
            // Multipart bodies past the form limits, or malformed multipart framing.
            var tooLarge = ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase);
            await WriteAsync(context, tooLarge ? 413 : 422, new ErrorBody(tooLarge ? ApiErrors.MessageFor(413) : "The form data is malformed."));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Unhandled error in {Method} {Path}, correlation id {CorrelationId}",
                context.Request.Method, context.Request.Path, context.TraceIdentifier);
            context.Response.Clear();
            context.Response.Headers["X-Correlation-Id"] = context.TraceIdentifier;
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new { message = "Server error", result = (object?)null }, JsonOptions);
        }
    }

    internal static (int Status, ErrorBody Body) Describe(BadHttpRequestException ex)
    {
        switch (ex.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return (413, new ErrorBody(ApiErrors.MessageFor(413)));
            case StatusCodes.Status415UnsupportedMediaType:
                return (415, new ErrorBody(ApiErrors.MessageFor(415)));
        }
        if (FindJsonError(ex) is { } json)
        {
            var where = json.Path is null or "$" ? "" : $" at {json.Path}";
            var message = $"The request body is not valid JSON{where}: {FirstSentence(json.Message)}";
            return (422, new ErrorBody(message, new Dictionary<string, string[]> { ["body"] = [message] }));
        }
        if (ex.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
            return (422, new ErrorBody("The request body is required.", new Dictionary<string, string[]> { ["body"] = ["The request body is required."] }));
        var parameter = ParameterName(ex.Message);
        var text = parameter is null ? "The request is malformed." : $"The {parameter} parameter is not valid.";
        return (422, new ErrorBody(text, new Dictionary<string, string[]> { [parameter ?? "request"] = [text] }));
    }

    private static JsonException? FindJsonError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is JsonException json) return json;
        return null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    /// <summary>Minimal APIs name the parameter in quotes, e.g. Failed to bind parameter "int page" from "x".</summary>
    private static string? ParameterName(string message)
    {
        var start = message.IndexOf('"');
        if (start < 0) return null;
        var end = message.IndexOf('"', start + 1);
        if (end < 0) return null;
        var declared = message[(start + 1)..end];
        var space = declared.LastIndexOf(' ');
        return space >= 0 ? declared[(space + 1)..] : declared;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static Task WriteAsync(HttpContext context, int status, ErrorBody body)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, JsonOptions);
    }
}

/// <summary>
/// Refuses /api bodies over the endpoint's limit (1 MiB unless the endpoint says otherwise) before reading them,
/// and stops a body that grows past it while being read.
/// </summary>
internal sealed class ApiBodyLimitMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<Collect.Core.Settings.CollectOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        // Endpoint metadata may raise the limit (uploads, agent intake) or lift it (null).
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        long? limit = metadata is null ? options.Value.Api.MaxJsonBodyBytes : metadata.MaxRequestBodySize;
        if (context.Request.ContentLength > limit)
        {
            await ApiErrorMiddleware.WriteAsync(context, 413, new ErrorBody(
                $"The request body is too large: at most {limit} bytes are accepted."));
            return;
        }
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength is null && limit is not null)
            context.Request.Body = new LimitedReadStream(context.Request.Body, limit.Value);
        await next(context);
    }
}

/// <summary>Throws a 413 bad request once more than <c>limit</c> bytes have been read.</summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private long _read;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > limit) throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        return n;
    }
}
