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
            var total = new ProcessingOutcome(0, 0, 0, 0);
            // A record that fails gets one attempt per run; its system waits for the next run.
            var retryLater = new HashSet<long>();
            var blocked = new HashSet<string>();
            while (true)
            {
                var outcome = await RunBatchAsync(retryLater, blocked, ct);
                total = new ProcessingOutcome(total.Processed + outcome.Processed, total.WithChanges + outcome.WithChanges, total.Failed + outcome.Failed, total.Changes + outcome.Changes);
                if (outcome.Processed + outcome.Failed == 0) return total;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ProcessingOutcome> RunBatchAsync(HashSet<long> retryLater, HashSet<string> blocked, CancellationToken ct)
    {
        var settings = options.CurrentValue.Inventory;
        var differ = new InventoryDiffer(settings);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var skip = retryLater.ToList();
        var waiting = blocked.ToList();
        var batch = await db.InventoryRecords.Where(r => r.ProcessedAt == null && !r.Failed && !skip.Contains(r.Id) && !waiting.Contains(r.SystemId)).OrderBy(r => r.Id)
            .Take(Math.Clamp(settings.ProcessingBatchSize, 1, 5000)).ToListAsync(ct);
        if (batch.Count == 0) return new ProcessingOutcome(0, 0, 0, 0);

        var now = clock.GetUtcNow();
        var systemIds = batch.Select(r => r.SystemId).Distinct().ToList();
        var systems = await db.Systems.Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        // The last good record of each system before this batch: records are processed in order per system, so it is
        // the system's highest processed record. Two queries for the whole batch.
        var lastIds = await db.InventoryRecords.AsNoTracking().Where(r => systemIds.Contains(r.SystemId) && r.ProcessedAt != null && !r.Failed)
            .GroupBy(r => r.SystemId).Select(g => g.Max(r => r.Id)).ToListAsync(ct);
        var lastRecords = await db.InventoryRecords.AsNoTracking().Where(r => lastIds.Contains(r.Id)).ToDictionaryAsync(r => r.SystemId, ct);
        var previous = systemIds.ToDictionary(id => id, id => lastRecords.GetValueOrDefault(id));
        var hashes = batch.Select(r => r.DataHash).Concat(previous.Values.Where(p => p is not null).Select(p => p!.DataHash)).Distinct().ToList();
        var bodies = new Dictionary<string, byte[]>();
        foreach (var chunk in hashes.Chunk(200))
            foreach (var blob in await db.InventoryBlobs.AsNoTracking().Where(b => chunk.Contains(b.Hash)).ToListAsync(ct))
                bodies[blob.Hash] = blob.Data;
        var parsed = new Dictionary<string, JsonNode?>();
        JsonNode? Parse(string hash) => parsed.TryGetValue(hash, out var node) ? node : parsed[hash] = JsonNode.Parse(bodies[hash]);

        int processed = 0, withChanges = 0, failed = 0, changeCount = 0;
        foreach (var record in batch)
        {
            if (blocked.Contains(record.SystemId)) continue; // an earlier record of this system must go first
            try
            {
                var before = previous[record.SystemId];
                List<InventoryChange> changes = before is null || before.DataHash == record.DataHash ? [] : differ.Diff(Parse(before.DataHash), Parse(record.DataHash));
                foreach (var change in changes)
                    db.InventoryDiffs.Add(new InventoryDiff
                    {
                        SystemId = record.SystemId, InventoryId = record.Id, PreviousInventoryId = before!.Id, FieldPath = Cut(change.FieldPath, 1024)!,
                        PreviousValue = Cut(change.PreviousValue, 4000), CurrentValue = Cut(change.CurrentValue, 4000), DiffType = change.DiffType,
                        Category = change.Category, Severity = change.Severity, CreatedAt = record.Timestamp,
                    });
                record.ProcessedAt = now;
                record.UpdatedAt = now;
                record.HasChanges = changes.Count > 0;
                record.ChangeCount = changes.Count;
                if (systems.TryGetValue(record.SystemId, out var system) && (before is null || before.DataHash != record.DataHash))
                {
                    var facts = InventoryFacts.Read(Parse(record.DataHash));
                    system.Fqdn = facts.Fqdn ?? system.Fqdn;
                    system.Ipv4Address = facts.Ipv4 ?? system.Ipv4Address;
                    system.Ipv6Address = facts.Ipv6 ?? system.Ipv6Address;
                    system.Version = facts.Version ?? system.Version;
                }
                if (system is not null) system.LastSeen = record.Timestamp;
                previous[record.SystemId] = record;
                processed++;
                changeCount += changes.Count;
                if (changes.Count > 0) withChanges++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                record.Attempts++;
                record.Error = Cut($"{ex.GetType().Name}: {ex.Message}", 2000);
                record.UpdatedAt = now;
                if (record.Attempts >= MaxAttempts)
                {
                    record.Failed = true;
                    failed++;
                    logger.LogWarning("Inventory record {Id} of system {System} failed {Attempts} times and is set aside: {Error}", record.Id, record.SystemId, record.Attempts, record.Error);
                }
                else
                {
                    retryLater.Add(record.Id);
                    blocked.Add(record.SystemId);
                }
            }
        }
        await db.SaveChangesAsync(ct);
        foreach (var systemId in systemIds) events.Changed(systemId);
        return new ProcessingOutcome(processed, withChanges, failed, changeCount);
    }

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
