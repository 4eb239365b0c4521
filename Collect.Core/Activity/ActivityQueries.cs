using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Activity;

/// <summary>Reading the activity log; callers check that the actor may see the object first.</summary>
public sealed class ActivityQueries(IDbContextFactory<CollectDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ActivityLog>> ForObjectAsync(string rootType, string rootId, int limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ActivityLogs.AsNoTracking().Where(a => a.RootType == rootType && a.RootId == rootId)
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(limit).ToListAsync(ct);
    }
}
