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
    /// <summary>
    /// A system's records, newest first. Uploads still in the intake's inbox are shown as pending records: their ids
    /// are above every filed record's, so they lead the list.
    /// </summary>
    public async Task<ServiceResult<Page<InventoryRecord>>> RecordsAsync(Actor actor, string systemId, DateTimeOffset? from, DateTimeOffset? to, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await VisibleAsync(db, actor, systemId, ct)) return ServiceResult<Page<InventoryRecord>>.NotFound();
        var records = db.InventoryRecords.AsNoTracking().Where(r => r.SystemId == systemId);
        var inbox = db.InventoryInbox.AsNoTracking().Where(i => i.SystemId == systemId);
        if (from is { } f)
        {
            records = records.Where(r => r.Timestamp >= f);
            inbox = inbox.Where(i => i.ReceivedAt >= f);
        }
        if (to is { } t)
        {
            records = records.Where(r => r.Timestamp <= t);
            inbox = inbox.Where(i => i.ReceivedAt <= t);
        }
        var pending = await PendingAsync(inbox, ct);
        var total = pending.Count + await records.CountAsync(ct);
        var rows = pending.Skip(page.Skip).Take(page.Size).ToList();
        if (rows.Count < page.Size)
            rows.AddRange(await records.OrderByDescending(r => r.Id).Skip(Math.Max(0, page.Skip - pending.Count)).Take(page.Size - rows.Count).ToListAsync(ct));
        return ServiceResult<Page<InventoryRecord>>.Ok(new Page<InventoryRecord>(rows, total, page.Page, page.Size));
    }

    /// <summary>One record with its body; the latest when <paramref name="recordId"/> is null.</summary>
    public async Task<ServiceResult<InventoryRecordView>> RecordAsync(Actor actor, string systemId, long? recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await VisibleAsync(db, actor, systemId, ct)) return ServiceResult<InventoryRecordView>.NotFound();
        var inbox = db.InventoryInbox.AsNoTracking().Where(i => i.SystemId == systemId);
        var upload = recordId is { } wanted ? await inbox.FirstOrDefaultAsync(i => i.Id == wanted, ct) : await inbox.OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        if (upload is not null) return ServiceResult<InventoryRecordView>.Ok(new InventoryRecordView(AsRecord(upload), upload.Body));
        var records = db.InventoryRecords.AsNoTracking().Where(r => r.SystemId == systemId);
        var record = recordId is { } id ? await records.FirstOrDefaultAsync(r => r.Id == id, ct) : await records.OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (record is null) return ServiceResult<InventoryRecordView>.NotFound();
        var data = await db.InventoryBlobs.AsNoTracking().Where(b => b.Hash == record.DataHash).Select(b => b.Data).FirstOrDefaultAsync(ct);
        return ServiceResult<InventoryRecordView>.Ok(new InventoryRecordView(record, data));
    }

    /// <summary>Uploads not filed yet, newest first, as pending records (without their bodies).</summary>
    private static async Task<List<InventoryRecord>> PendingAsync(IQueryable<InventoryInboxItem> inbox, CancellationToken ct) =>
        (await inbox.OrderByDescending(i => i.Id).Select(i => new { i.Id, i.SystemId, i.ReceivedAt, i.Hash, i.Size }).ToListAsync(ct))
        .Select(i => AsRecord(new InventoryInboxItem { Id = i.Id, SystemId = i.SystemId, ReceivedAt = i.ReceivedAt, Hash = i.Hash, Size = i.Size })).ToList();

    private static InventoryRecord AsRecord(InventoryInboxItem upload) => new()
    {
        Id = upload.Id, SystemId = upload.SystemId, Timestamp = upload.ReceivedAt, DataHash = upload.Hash, DataSize = upload.Size,
        CreatedAt = upload.ReceivedAt, UpdatedAt = upload.ReceivedAt,
    };

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
        records.AddRange(await db.InventoryInbox.AsNoTracking().Where(i => i.SystemId == systemId && i.ReceivedAt >= from && i.ReceivedAt <= to)
            .Select(i => new { Timestamp = i.ReceivedAt, ChangeCount = 0, HasChanges = false }).ToListAsync(ct));
        var days = records.GroupBy(r => DateOnly.FromDateTime(r.Timestamp.UtcDateTime))
            .Select(g => new TimelineDay(g.Key, g.Count(), g.Sum(r => r.ChangeCount), g.Count(r => r.HasChanges))).OrderBy(d => d.Date).ToList();
        return ServiceResult<IReadOnlyList<TimelineDay>>.Ok(days);
    }

    private static Task<bool> VisibleAsync(CollectDbContext db, Actor actor, string systemId, CancellationToken ct) =>
        actor.Can("systems.inventory") ? db.Systems.VisibleTo(actor).AnyAsync(s => s.Id == systemId, ct) : Task.FromResult(false);
}
