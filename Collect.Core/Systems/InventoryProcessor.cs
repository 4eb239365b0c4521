using System.Text.Json.Nodes;
using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collect.Core.Systems;

public sealed record ProcessingOutcome(int Processed, int WithChanges, int Failed, int Changes);

/// <summary>
/// Diffs pending inventory records, per system in arrival order, a batch per transaction: the same hash as the
/// previous record means no changes, otherwise the structural diff is stored. The record's outcome and the
/// system's facts are written in the same transaction as its diffs, so a restart loses nothing and repeats
/// nothing. A record that fails <see cref="MaxAttempts"/> times is marked failed and the system's later records
/// are diffed against the last good one.
/// </summary>
public sealed class InventoryProcessor(IDbContextFactory<CollectDbContext> dbFactory, TimeProvider clock, IOptionsMonitor<CollectOptions> options,
    SystemEvents events, ILogger<InventoryProcessor> logger)
{
    public const string RecurringId = "inventory:process";
    public const int MaxAttempts = 3;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Processes until nothing is pending. Runs once at a time in this process.</summary>
    public async Task<ProcessingOutcome> RunAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            // Several nodes on one PostgreSQL database: one processes at a time, and it works until nothing is pending,
            // so a node that finds the lock taken leaves its uploads to the one holding it.
            await using var nodeLock = await ProcessingLock.TryTakeAsync(dbFactory, ct);
            if (nodeLock is null) return new ProcessingOutcome(0, 0, 0, 0);
            var run = new RunState();
            var total = new ProcessingOutcome(0, 0, 0, 0);
            while (true)
            {
                var outcome = await RunBatchAsync(run, ct);
                total = new ProcessingOutcome(total.Processed + outcome.Processed, total.WithChanges + outcome.WithChanges, total.Failed + outcome.Failed, total.Changes + outcome.Changes);
                if (outcome.Processed + outcome.Failed == 0 && !run.Filed) return total;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What one run carries from batch to batch.</summary>
    private sealed class RunState
    {
        /// <summary>A record that fails gets one attempt per run; its system waits for the next run.</summary>
        public readonly HashSet<long> RetryLater = [];
        public readonly HashSet<string> Blocked = [];
        /// <summary>Each system's last processed body, parsed: the next record of the system is diffed against it without reading or parsing it again.</summary>
        public readonly Dictionary<string, (string Hash, JsonNode? Data)> Last = [];
        /// <summary>Whether the last batch moved uploads out of the inbox (then there may be more to do).</summary>
        public bool Filed;
    }

    private async Task<ProcessingOutcome> RunBatchAsync(RunState run, CancellationToken ct)
    {
        var settings = options.CurrentValue.Inventory;
        var differ = new InventoryDiffer(settings);
        var batchSize = Math.Clamp(settings.ProcessingBatchSize, 1, 5000);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (filed, bodies) = await FileInboxAsync(db, batchSize, ct);
        run.Filed = filed > 0;
        var skip = run.RetryLater.ToList();
        var waiting = run.Blocked.ToList();
        var batch = await db.InventoryRecords.AsNoTracking().Where(r => r.ProcessedAt == null && !r.Failed && !skip.Contains(r.Id) && !waiting.Contains(r.SystemId)).OrderBy(r => r.Id)
            .Take(batchSize).ToListAsync(ct);
        if (batch.Count == 0) return new ProcessingOutcome(0, 0, 0, 0);

        var now = clock.GetUtcNow();
        var systemIds = batch.Select(r => r.SystemId).Distinct().ToList();
        var systems = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        // The last good record of each system before this batch: records are processed in order per system, so it is
        // the system's highest processed record. Two queries for the whole batch.
        var lastIds = await db.InventoryRecords.AsNoTracking().Where(r => systemIds.Contains(r.SystemId) && r.ProcessedAt != null && !r.Failed)
            .GroupBy(r => r.SystemId).Select(g => g.Max(r => r.Id)).ToListAsync(ct);
        var lastRecords = await db.InventoryRecords.AsNoTracking().Where(r => lastIds.Contains(r.Id)).ToDictionaryAsync(r => r.SystemId, ct);
        var previous = systemIds.ToDictionary(id => id, id => lastRecords.GetValueOrDefault(id));
        // Bodies to read: this batch's, and the previous ones this run has not parsed already.
        var hashes = batch.Select(r => r.DataHash)
            .Concat(previous.Where(p => p.Value is not null && !(run.Last.TryGetValue(p.Key, out var last) && last.Hash == p.Value.DataHash)).Select(p => p.Value!.DataHash))
            .Where(h => !bodies.ContainsKey(h)).Distinct().ToList();
        foreach (var chunk in hashes.Chunk(200))
            foreach (var blob in await db.InventoryBlobs.AsNoTracking().Where(b => chunk.Contains(b.Hash)).Select(b => new { b.Hash, b.Data }).ToListAsync(ct))
                bodies[blob.Hash] = blob.Data;
        // The diffs are pure CPU and independent between systems: compute them on every core, each system's records in
        // order on one thread (a system's bodies are parsed and read by that thread only), then write in batch order.
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<long, RecordOutcome>();
        var newest = new System.Collections.Concurrent.ConcurrentDictionary<string, (string Hash, JsonNode? Data)>();
        var groups = batch.Where(r => !run.Blocked.Contains(r.SystemId)).GroupBy(r => r.SystemId).ToList();
        Parallel.ForEach(groups, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, group =>
        {
            var parsed = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (run.Last.TryGetValue(group.Key, out var carried)) parsed[carried.Hash] = carried.Data;
            JsonNode? Parse(string hash) => parsed.TryGetValue(hash, out var node) ? node : parsed[hash] = JsonNode.Parse(bodies[hash]);
            var before = previous[group.Key];
            foreach (var record in group)
            {
                try
                {
                    var same = before is not null && before.DataHash == record.DataHash;
                    var changes = before is null || same ? [] : differ.Diff(Parse(before.DataHash), Parse(record.DataHash));
                    outcomes[record.Id] = new RecordOutcome(before, changes, same ? null : InventoryFacts.Read(Parse(record.DataHash)), null);
                    before = record;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    outcomes[record.Id] = new RecordOutcome(before, [], null, ex);
                    break; // the system's later records wait until this one is through
                }
            }
            if (before is not null && parsed.TryGetValue(before.DataHash, out var data)) newest[group.Key] = (before.DataHash, data);
        });

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        using var insertDiff = new RawCommand(db,
            """INSERT INTO "InventoryDiffs" ("SystemId", "InventoryId", "PreviousInventoryId", "FieldPath", "PreviousValue", "CurrentValue", "DiffType", "Category", "Severity", "CreatedAt") VALUES (@s, @i, @p, @f, @pv, @cv, @t, @c, @sv, @at)""",
            "@s", "@i", "@p", "@f", "@pv", "@cv", "@t", "@c", "@sv", "@at");
        using var markProcessed = new RawCommand(db,
            """UPDATE "InventoryRecords" SET "ProcessedAt" = @now, "UpdatedAt" = @now, "HasChanges" = @has, "ChangeCount" = @count WHERE "Id" = @id""",
            "@now", "@has", "@count", "@id");
        using var markFailed = new RawCommand(db,
            """UPDATE "InventoryRecords" SET "Attempts" = @attempts, "Error" = @error, "Failed" = @failed, "UpdatedAt" = @now WHERE "Id" = @id""",
            "@attempts", "@error", "@failed", "@now", "@id");
        using var updateSystem = new RawCommand(db,
            """UPDATE "Systems" SET "Fqdn" = @fqdn, "Ipv4Address" = @v4, "Ipv6Address" = @v6, "Version" = @version, "LastSeen" = @seen, "UpdatedAt" = @now WHERE "Id" = @id""",
            "@fqdn", "@v4", "@v6", "@version", "@seen", "@now", "@id");

        int processed = 0, withChanges = 0, failed = 0, changeCount = 0;
        var touched = new HashSet<string>();
        foreach (var record in batch)
        {
            if (!outcomes.TryGetValue(record.Id, out var outcome)) continue; // an earlier record of this system must go first
            if (outcome.Error is { } ex)
            {
                record.Attempts++;
                record.Error = ColumnText.Cut($"{ex.GetType().Name}: {ex.Message}", 2000);
                record.Failed = record.Attempts >= MaxAttempts;
                await markFailed.ExecuteAsync(ct, record.Attempts, record.Error, record.Failed, now, record.Id);
                if (record.Failed)
                {
                    failed++;
                    logger.LogWarning("Inventory record {Id} of system {System} failed {Attempts} times and is set aside: {Error}", record.Id, record.SystemId, record.Attempts, record.Error);
                }
                else
                {
                    run.RetryLater.Add(record.Id);
                    run.Blocked.Add(record.SystemId);
                }
                continue;
            }
            foreach (var change in outcome.Changes)
                await insertDiff.ExecuteAsync(ct, record.SystemId, record.Id, outcome.Before!.Id, ColumnText.Cut(change.FieldPath, 1024), ColumnText.Cut(change.PreviousValue, 4000),
                    ColumnText.Cut(change.CurrentValue, 4000), change.DiffType, change.Category, change.Severity, record.Timestamp);
            await markProcessed.ExecuteAsync(ct, now, outcome.Changes.Count > 0, outcome.Changes.Count, record.Id);
            if (systems.TryGetValue(record.SystemId, out var system))
            {
                if (outcome.Facts is { } facts)
                {
                    system.Fqdn = facts.Fqdn ?? system.Fqdn;
                    system.Ipv4Address = facts.Ipv4 ?? system.Ipv4Address;
                    system.Ipv6Address = facts.Ipv6 ?? system.Ipv6Address;
                    system.Version = facts.Version ?? system.Version;
                }
                system.LastSeen = record.Timestamp;
                touched.Add(system.Id);
            }
            processed++;
            changeCount += outcome.Changes.Count;
            if (outcome.Changes.Count > 0) withChanges++;
        }
        foreach (var id in touched)
        {
            var system = systems[id];
            await updateSystem.ExecuteAsync(ct, system.Fqdn, system.Ipv4Address, system.Ipv6Address, system.Version, system.LastSeen, now, id);
        }
        await tx.CommitAsync(ct);

        // Keep each system's newest parsed body for its next record, for as many systems as two batches hold.
        if (run.Last.Count > 2 * batchSize) run.Last.Clear();
        foreach (var (systemId, last) in newest) run.Last[systemId] = last;
        foreach (var systemId in systemIds) events.Changed(systemId);
        return new ProcessingOutcome(processed, withChanges, failed, changeCount);
    }

    /// <summary>At most this many bytes of uploads are moved out of the inbox in one go.</summary>
    private const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Moves the oldest uploads from the intake's inbox into content-addressed blobs and pending records (same ids), in
    /// one transaction, and hands back their bodies so the batch does not read them again. Uploads of systems that no
    /// longer exist are dropped.
    /// </summary>
    private static async Task<(int Filed, Dictionary<string, byte[]> Bodies)> FileInboxAsync(CollectDbContext db, int limit, CancellationToken ct)
    {
        var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var heads = await db.InventoryInbox.AsNoTracking().OrderBy(i => i.Id).Select(i => new { i.Id, i.Size }).Take(limit).ToListAsync(ct);
        if (heads.Count == 0) return (0, bodies);
        long bytes = 0;
        var take = heads.TakeWhile((h, index) => (bytes += h.Size) <= MaxFileBytes || index == 0).ToList();
        var lastId = take[^1].Id;
        var items = await db.InventoryInbox.AsNoTracking().Where(i => i.Id <= lastId).OrderBy(i => i.Id).ToListAsync(ct);
        var systemIds = items.Select(i => i.SystemId).Distinct().ToList();
        var known = (await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        using var insertBlob = new RawCommand(db, """INSERT INTO "InventoryBlobs" ("Hash", "Data", "Size") VALUES (@h, @d, @s) ON CONFLICT DO NOTHING""", "@h", "@d", "@s");
        using var insertRecord = new RawCommand(db,
            """
            INSERT INTO "InventoryRecords" ("Id", "SystemId", "Timestamp", "DataHash", "DataSize", "HasChanges", "ChangeCount", "Attempts", "Failed", "CreatedAt", "UpdatedAt")
            VALUES (@id, @s, @t, @h, @n, @f, 0, 0, @f, @t, @t)
            """, "@id", "@s", "@t", "@h", "@n", "@f");
        foreach (var item in items.Where(i => known.Contains(i.SystemId)))
        {
            if (bodies.TryAdd(item.Hash, item.Body)) await insertBlob.ExecuteAsync(ct, item.Hash, item.Body, item.Size);
            await insertRecord.ExecuteAsync(ct, item.Id, item.SystemId, item.ReceivedAt, item.Hash, item.Size, false);
        }
        await db.InventoryInbox.Where(i => i.Id <= lastId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return (items.Count, bodies);
    }

    private sealed record RecordOutcome(InventoryRecord? Before, List<InventoryChange> Changes, InventoryFacts.Facts? Facts, Exception? Error);

}

/// <summary>
/// A PostgreSQL session advisory lock held for one processing run, on its own connection; on SQLite (one node) the
/// process's own gate is enough and no lock is taken.
/// </summary>
internal sealed class ProcessingLock : IAsyncDisposable
{
    private const long Key = 0x436f6c6c656374; // "Collect"
    private readonly CollectDbContext _db;

    private ProcessingLock(CollectDbContext db) => _db = db;

    /// <summary>The lock, a no-op stand-in on SQLite, or null when another node holds it.</summary>
    public static async Task<ProcessingLock?> TryTakeAsync(IDbContextFactory<CollectDbContext> factory, CancellationToken ct)
    {
        var db = await factory.CreateDbContextAsync(ct);
        if (!db.Database.IsNpgsql()) return new ProcessingLock(db);
        await db.Database.OpenConnectionAsync(ct);
        var taken = await db.Database.SqlQueryRaw<bool>($"SELECT pg_try_advisory_lock({Key}) AS \"Value\"").SingleAsync(ct);
        if (taken) return new ProcessingLock(db);
        await db.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_db.Database.IsNpgsql())
            await _db.Database.SqlQueryRaw<bool>($"SELECT pg_advisory_unlock({Key}) AS \"Value\"").SingleAsync();
        await _db.DisposeAsync();
    }
}
