using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Settings;
using Collect.Web.Auth;
using Microsoft.Extensions.Options;

namespace Collect.Web.Api;

/// <summary>
/// Keeps each signed-in user's API requests for the access log: endpoint, method, status, address,
/// user agent, and both bodies cut to a size with secrets redacted. Rows are queued, not written inline.
/// </summary>
internal sealed class ApiAccessLogMiddleware(RequestDelegate next, ApiRequestLogQueue queue, IOptions<CollectOptions> options, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api") || context.User.UserId() is not { } userId)
        {
            await next(context);
            return;
        }
        var max = options.Value.Api.AccessLogBodyChars;
        var started = Stopwatch.GetTimestamp();
        var requestBody = await PeekRequestAsync(context.Request, max);

        var originalBody = context.Response.Body;
        var capture = new HeadCaptureStream(originalBody, max * 4);
        context.Response.Body = capture;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = originalBody;
            queue.Enqueue(new ApiRequestLog
            {
                UserId = userId,
                TokenId = int.TryParse(context.User.FindFirst(CollectClaims.TokenId)?.Value, out var tokenId) ? tokenId : null,
                Method = context.Request.Method,
                Endpoint = Cut(context.Request.Path + context.Request.QueryString, 2048)!,
                Status = context.Response.StatusCode,
                Ip = ClientAddress.TextOf(context),
                UserAgent = Cut(context.Request.Headers.UserAgent.ToString(), 512),
                RequestBody = Redact(requestBody, max),
                // A body cut short is not JSON any more: record its size instead of paying for a failed parse.
                ResponseBody = capture.Total > capture.Kept ? $"[{capture.Total} bytes, too long to keep]" : Redact(capture.Head(), max),
                DurationMs = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                CreatedAt = clock.GetUtcNow(),
            });
        }
    }

    private static async Task<string?> PeekRequestAsync(HttpRequest request, int max)
    {
        if (request.ContentLength is 0 || request.ContentLength > 64 * 1024) return null;
        if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true) return null;
        request.EnableBuffering();
        var buffer = new char[max * 4];
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        var read = await reader.ReadBlockAsync(buffer);
        request.Body.Position = 0;
        return new string(buffer, 0, read);
    }

    /// <summary>JSON bodies lose every secret-looking value; other bodies are kept only as their length.</summary>
    internal static string? Redact(string? body, int max)
    {
        if (string.IsNullOrEmpty(body)) return null;
        try
        {
            var node = ActivityRecorder.Redact(JsonNode.Parse(body));
            return Cut(node?.ToJsonString(), max);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return $"[{body.Length} characters, not JSON]";
        }
    }

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max] + "…";

    /// <summary>Passes writes through and keeps the first bytes for the log.</summary>
    private sealed class HeadCaptureStream(Stream inner, int keep) : Stream
    {
        private readonly MemoryStream _head = new();
        public string Head() => Encoding.UTF8.GetString(_head.GetBuffer(), 0, (int)_head.Length);
        public long Total { get; private set; }
        public long Kept => _head.Length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> data)
        {
            Total += data.Length;
            var room = keep - (int)_head.Length;
            if (room > 0) _head.Write(data[..Math.Min(room, data.Length)]);
        }
    }
}

/// <summary>Writes queued access-log rows in batches.</summary>
internal sealed class ApiRequestLogWriter(ApiRequestLogQueue queue, ILogger<ApiRequestLogWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.WaitAsync(stoppingToken))
                await FlushSafelyAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushSafelyAsync(CancellationToken.None);
    }

    private async Task FlushSafelyAsync(CancellationToken ct)
    {
        try
        {
            await queue.FlushAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not write API access-log rows");
        }
    }
}
