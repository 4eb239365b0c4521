using Collect.Core.Access;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Systems;

public sealed record InventoryRecordView(InventoryRecord Record, byte[]? Data);

public sealed record DiffQuery(string? Severity = null, string? Category = null, string? DiffType = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    string? Search = null, long? InventoryId = null);

public sealed record TimelineDay(DateOnly Date, int Records, int Changes, int WithChanges);

/// <summary>Reading a system's inventory history (seed 003): records, the latest one, diffs with filters, and a per-day timeline.</summary>
public sealed class SystemInventoryService(IDbContextFactory<CollectDbContext> dbFactory)
{
    public async Task<ServiceResult<Page<InventoryRecord>>> RecordsAsync(Actor actor, string systemId, DateTimeOffset? from, DateTimeOffset? to, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await VisibleAsync(db, actor, systemId, ct)) return ServiceResult<Page<InventoryRecord>>.NotFound();
        var records = db.InventoryRecords.AsNoTracking().Where(r => r.SystemId == systemId);
        if (from is { } f) records = records.Where(r => r.Timestamp >= f);
        if (to is { } t) records = records.Where(r => r.Timestamp <= t);
        var total = await records.CountAsync(ct);
        var rows = await records.OrderByDescending(r => r.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return ServiceResult<Page<InventoryRecord>>.Ok(new Page<InventoryRecord>(rows, total, page.Page, page.Size));
    }

    /// <summary>One record with its body; the latest when <paramref name="recordId"/> is null.</summary>
    public async Task<ServiceResult<InventoryRecordView>> RecordAsync(Actor actor, string systemId, long? recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await VisibleAsync(db, actor, systemId, ct)) return ServiceResult<InventoryRecordView>.NotFound();
        var records = db.InventoryRecords.AsNoTracking().Where(r => r.SystemId == systemId);
        var record = recordId is { } id ? await records.FirstOrDefaultAsync(r => r.Id == id, ct) : await records.OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (record is null) return ServiceResult<InventoryRecordView>.NotFound();
        var data = await db.InventoryBlobs.AsNoTracking().Where(b => b.Hash == record.DataHash).Select(b => b.Data).FirstOrDefaultAsync(ct);
        return ServiceResult<InventoryRecordView>.Ok(new InventoryRecordView(record, data));
    }

    public async Task<ServiceResult<Page<InventoryDiff>>> DiffsAsync(Actor actor, string systemId, DiffQuery query, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await VisibleAsync(db, actor, systemId, ct)) return ServiceResult<Page<InventoryDiff>>.NotFound();
        var diffs = db.InventoryDiffs.AsNoTracking().Where(d => d.SystemId == systemId);
        if (!string.IsNullOrWhiteSpace(query.Severity)) diffs = diffs.Where(d => d.Severity == query.Severity);
        if (!string.IsNullOrWhiteSpace(query.Category)) diffs = diffs.Where(d => d.Category == query.Category);
        if (!string.IsNullOrWhiteSpace(query.DiffType)) diffs = diffs.Where(d => d.DiffType == query.DiffType);
        if (query.From is { } f) diffs = diffs.Where(d => d.CreatedAt >= f);
        if (query.To is { } t) diffs = diffs.Where(d => d.CreatedAt <= t);
        if (query.InventoryId is { } inventory) diffs = diffs.Where(d => d.InventoryId == inventory);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            var lower = term.ToLower();
            diffs = diffs.Where(d => d.FieldPath.ToLower().Contains(lower) || (d.PreviousValue != null && d.PreviousValue.ToLower().Contains(lower)) ||
                                     (d.CurrentValue != null && d.CurrentValue.ToLower().Contains(lower)));
        }
        var total = await diffs.CountAsync(ct);
        var rows = await diffs.OrderByDescending(d => d.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return ServiceResult<Page<InventoryDiff>>.Ok(new Page<InventoryDiff>(rows, total, page.Page, page.Size));
    }

    /// <summary>Per-day counts of records and changes between two dates (the last 30 days by default).</summary>
    public async Task<ServiceResult<IReadOnlyList<TimelineDay>>> TimelineAsync(Actor actor, string systemId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await VisibleAsync(db, actor, systemId, ct)) return ServiceResult<IReadOnlyList<TimelineDay>>.NotFound();
        // Timestamps are stored as ticks on SQLite; the range is bounded, so the grouping is done here.
        var records = await db.InventoryRecords.AsNoTracking().Where(r => r.SystemId == systemId && r.Timestamp >= from && r.Timestamp <= to)
            .Select(r => new { r.Timestamp, r.ChangeCount, r.HasChanges }).ToListAsync(ct);
        var days = records.GroupBy(r => DateOnly.FromDateTime(r.Timestamp.UtcDateTime))
            .Select(g => new TimelineDay(g.Key, g.Count(), g.Sum(r => r.ChangeCount), g.Count(r => r.HasChanges))).OrderBy(d => d.Date).ToList();
        return ServiceResult<IReadOnlyList<TimelineDay>>.Ok(days);
    }

    private static Task<bool> VisibleAsync(CollectDbContext db, Actor actor, string systemId, CancellationToken ct) =>
        actor.Can("systems.inventory") ? db.Systems.VisibleTo(actor).AnyAsync(s => s.Id == systemId, ct) : Task.FromResult(false);
}
