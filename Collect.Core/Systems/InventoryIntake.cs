using System.Security.Cryptography;
using System.Threading.Channels;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Collect.Core.Systems;

public sealed record IntakeReceipt(long RecordId, DateTimeOffset Timestamp, long Size, string Hash);

/// <summary>Asks for inventory processing soon; the web host backs it with a coalesced Hangfire job.</summary>
public interface IInventoryProcessingTrigger
{
    void Kick();
}

/// <summary>
/// Stores uploaded inventories with group commit: requests that arrive while a commit is running wait together and
/// go into the next transaction, so one fsync serves many uploads. A caller's task completes only after the commit
/// that holds its upload, so the record is readable the moment the agent is told 202. Uploads land in the unindexed
/// inbox; the processor stores each body once (content-addressed) and files the record.
/// </summary>
public sealed class InventoryIntake : IAsyncDisposable
{
    /// <summary>At most this many uploads share one transaction.</summary>
    public const int MaxBatch = 256;

    private sealed record Pending(string SystemId, byte[] Body, string Hash, DateTimeOffset Timestamp, TaskCompletionSource<IntakeReceipt> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDbContextFactory<CollectDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly IInventoryProcessingTrigger _trigger;
    private readonly SystemEvents _events;
    private readonly ILogger<InventoryIntake> _logger;
    private readonly Task _writer;
    private long _commits;
    private long _stored;
    /// <summary>When the intake last wrote each system's heartbeat (only the writer loop touches it).</summary>
    private readonly Dictionary<string, DateTimeOffset> _heartbeats = new(StringComparer.Ordinal);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMinutes(1);

    /// <summary>Transactions committed and uploads stored since start: uploads per commit shows the grouping at work.</summary>
    public (long Commits, long Uploads) Stats => (Interlocked.Read(ref _commits), Interlocked.Read(ref _stored));

    public InventoryIntake(IDbContextFactory<CollectDbContext> dbFactory, TimeProvider clock, IInventoryProcessingTrigger trigger, SystemEvents events, ILogger<InventoryIntake> logger)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _trigger = trigger;
        _events = events;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues a body for the next group commit and completes when it is durably stored.</summary>
    public Task<IntakeReceipt> SubmitAsync(string systemId, byte[] body, CancellationToken ct = default)
    {
        var pending = new Pending(systemId, body, Convert.ToHexStringLower(SHA256.HashData(body)), _clock.GetUtcNow(),
            new TaskCompletionSource<IntakeReceipt>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new InvalidOperationException("The inventory intake is shutting down.");
        // The caller may give up waiting, but the record is committed (or not) with its batch either way.
        return pending.Done.Task.WaitAsync(ct);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                var ids = await CommitAsync(batch);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _stored, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(new IntakeReceipt(ids[i], batch[i].Timestamp, batch[i].Body.LongLength, batch[i].Hash));
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Storing a batch of {Count} inventories failed", batch.Count);
                foreach (var item in batch) item.Done.TrySetException(new InventoryStorageException("Inventory storage is unavailable.", ex));
                continue;
            }
            _trigger.Kick();
            foreach (var systemId in batch.Select(b => b.SystemId).Distinct()) _events.Changed(systemId);
        }
    }

    private async Task<List<long>> CommitAsync(List<Pending> batch)
    {
        // One appended row an upload, written with a prepared statement: this transaction is the intake's whole cost.
        // The processor moves the rows into content-addressed blobs and indexed records.
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        // One statement for the whole batch: on PostgreSQL each statement is a round trip. Ids are drawn in the order of
        // the VALUES rows, so the batch's ids in ascending order belong to its uploads in order.
        var values = string.Join(", ", batch.Select((_, i) => $"(@s{i}, @t{i}, @h{i}, @n{i}, @b{i})"));
        using var insert = new RawCommand(db,
            $"""INSERT INTO "InventoryInbox" ("SystemId", "ReceivedAt", "Hash", "Size", "Body") VALUES {values} RETURNING "Id" """,
            batch.SelectMany((_, i) => new[] { $"@s{i}", $"@t{i}", $"@h{i}", $"@n{i}", $"@b{i}" }).ToArray());
        var ids = await insert.ReadLongsAsync(default, batch.SelectMany(item => new object?[] { item.SystemId, item.Timestamp, item.Hash, item.Body.LongLength, item.Body }).ToArray());
        if (ids.Count != batch.Count) throw new InvalidOperationException($"The inbox answered {ids.Count} ids for {batch.Count} uploads.");
        ids.Sort();
        // An inventory is also a sign of life. Heartbeats count in minutes, so a system's is written at most once a minute.
        var now = _clock.GetUtcNow();
        using var heartbeat = new RawCommand(db, """UPDATE "Systems" SET "LastHeartbeat" = @t WHERE "Id" = @id""", "@t", "@id");
        var written = new List<string>();
        foreach (var systemId in batch.Select(b => b.SystemId).Distinct())
        {
            if (_heartbeats.TryGetValue(systemId, out var last) && now - last < HeartbeatInterval && now >= last) continue;
            await heartbeat.ExecuteAsync(default, now, systemId);
            written.Add(systemId);
        }
        await tx.CommitAsync();
        if (_heartbeats.Count > 100_000) _heartbeats.Clear();
        foreach (var systemId in written) _heartbeats[systemId] = now;
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}

/// <summary>The database could not take the inventory; the agent is answered 500 in the seed's shape and retries.</summary>
public sealed class InventoryStorageException(string message, Exception inner) : Exception(message, inner);

/// <summary>Used where no job server drives processing (tools, tests that run the processor themselves).</summary>
public sealed class NoProcessingTrigger : IInventoryProcessingTrigger
{
    public void Kick() { }
}
