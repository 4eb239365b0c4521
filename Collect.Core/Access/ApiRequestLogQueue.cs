using System.Threading.Channels;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

/// <summary>
/// Access-log rows wait here and are written in batches, so logging an API call never adds a
/// transaction to the call itself. A full queue drops the oldest rows rather than slowing requests.
/// </summary>
public sealed class ApiRequestLogQueue(IDbContextFactory<CollectDbContext> dbFactory)
{
    private readonly Channel<ApiRequestLog> _channel = Channel.CreateBounded<ApiRequestLog>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    // One flush at a time, so a caller's flush returns only after rows taken by another flush are committed.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public void Enqueue(ApiRequestLog entry) => _channel.Writer.TryWrite(entry);

    /// <summary>Writes everything queued so far; answers how many rows were written.</summary>
    public async Task<int> FlushAsync(CancellationToken ct = default)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var written = 0;
            while (true)
            {
                var batch = new List<ApiRequestLog>();
                while (batch.Count < 1000 && _channel.Reader.TryRead(out var entry)) batch.Add(entry);
                if (batch.Count == 0) return written;
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                db.ApiRequestLogs.AddRange(batch);
                await db.SaveChangesAsync(ct);
                written += batch.Count;
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public ValueTask<bool> WaitAsync(CancellationToken ct) => _channel.Reader.WaitToReadAsync(ct);
}
