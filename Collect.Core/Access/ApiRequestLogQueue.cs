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

    public void Enqueue(ApiRequestLog entry) => _channel.Writer.TryWrite(entry);

    /// <summary>Writes everything queued so far; answers how many rows were written.</summary>
    public async Task<int> FlushAsync(CancellationToken ct = default)
    {
        var batch = new List<ApiRequestLog>();
        while (batch.Count < 1000 && _channel.Reader.TryRead(out var entry)) batch.Add(entry);
        if (batch.Count == 0) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiRequestLogs.AddRange(batch);
        await db.SaveChangesAsync(ct);
        return batch.Count;
    }

    public ValueTask<bool> WaitAsync(CancellationToken ct) => _channel.Reader.WaitToReadAsync(ct);
}
