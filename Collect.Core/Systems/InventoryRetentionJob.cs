using System.Globalization;
using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collect.Core.Systems;

public sealed record ThinningOutcome(int RecordsDeleted, int BlobsDeleted);

/// <summary>
/// Thins old inventory records: all of the last days are kept, then one a day for a month, one a week for a year and
/// one a month before that. A system's latest record is always kept; diffs are kept (they only lose the link to a
/// thinned record). Bodies no record points at any more are deleted.
/// </summary>
public sealed class InventoryRetentionJob(IDbContextFactory<CollectDbContext> dbFactory, TimeProvider clock, IOptionsMonitor<CollectOptions> options,
    ILogger<InventoryRetentionJob> logger)
{
    public const string RecurringId = "inventory:retention";

    public async Task<ThinningOutcome> ThinAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var keepAll = now.AddDays(-Math.Max(1, options.CurrentValue.Inventory.KeepAllDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var systemIds = await db.InventoryRecords.Where(r => r.Timestamp < keepAll && r.ProcessedAt != null).Select(r => r.SystemId).Distinct().ToListAsync(ct);
        var deleted = 0;
        foreach (var systemId in systemIds)
        {
            var latest = await db.InventoryRecords.Where(r => r.SystemId == systemId).MaxAsync(r => r.Id, ct);
            var old = await db.InventoryRecords.AsNoTracking().Where(r => r.SystemId == systemId && r.Timestamp < keepAll && r.ProcessedAt != null)
                .OrderBy(r => r.Id).Select(r => new { r.Id, r.Timestamp }).ToListAsync(ct);
            var kept = new HashSet<string>();
            var doomed = new List<long>();
            foreach (var record in old)
            {
                if (record.Id == latest) continue;
                var age = now - record.Timestamp;
                var day = record.Timestamp.UtcDateTime;
                var bucket = age.TotalDays <= 30 ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : age.TotalDays <= 365 ? $"{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day)}"
                    : day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                if (!kept.Add(bucket)) doomed.Add(record.Id);
            }
            foreach (var chunk in doomed.Chunk(500))
            {
                await db.InventoryDiffs.Where(d => d.InventoryId != null && chunk.Contains(d.InventoryId.Value)).ExecuteUpdateAsync(u => u.SetProperty(d => d.InventoryId, (long?)null), ct);
                deleted += await db.InventoryRecords.Where(r => chunk.Contains(r.Id)).ExecuteDeleteAsync(ct);
            }
        }
        var blobs = await db.InventoryBlobs.Where(b => !db.InventoryRecords.Any(r => r.DataHash == b.Hash)).ExecuteDeleteAsync(ct);
        logger.LogInformation("Inventory retention deleted {Records} records and {Blobs} stored bodies", deleted, blobs);
        return new ThinningOutcome(deleted, blobs);
    }
}
