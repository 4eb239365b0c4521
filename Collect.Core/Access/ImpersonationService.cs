using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

public sealed record ImpersonationTarget(int UserId, string UserName);

/// <summary>Acting as another account in one's own subtree; both identities go into the activity log.</summary>
public sealed class ImpersonationService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public async Task<ServiceResult<ImpersonationTarget>> StartAsync(Actor actor, int targetId, CancellationToken ct = default)
    {
        if (actor.IsAlias) return ServiceResult<ImpersonationTarget>.Forbidden("Alias users cannot impersonate.");
        if (actor.ImpersonatorId is not null)
            return ServiceResult<ImpersonationTarget>.Invalid("impersonateUserId", "Stop the current impersonation first.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.Users.AsNoTracking().VisibleTo(actor).Include(u => u.Role).FirstOrDefaultAsync(u => u.Id == targetId, ct);
        if (target is null) return ServiceResult<ImpersonationTarget>.NotFound();
        if (target.Id == actor.UserId || target.Id == actor.ScopeUserId)
            return ServiceResult<ImpersonationTarget>.Invalid("impersonateUserId", "You cannot impersonate yourself.");
        if (target.Role!.Level == RoleLevels.Admin)
            return ServiceResult<ImpersonationTarget>.Forbidden("Admin accounts cannot be impersonated.");
        if (!target.IsEnabled) return ServiceResult<ImpersonationTarget>.Invalid("impersonateUserId", "This account is disabled.");
        activity.Record(db, actor, "user", target.Id, $"{actor.UserName} started acting as {target.UserName}");
        await db.SaveChangesAsync(ct);
        return ServiceResult<ImpersonationTarget>.Ok(new ImpersonationTarget(target.Id, target.UserName ?? ""));
    }

    /// <summary>Ends the impersonation the actor is in; answers the real user to return to.</summary>
    public async Task<ServiceResult<ImpersonationTarget>> StopAsync(Actor actor, int targetId, CancellationToken ct = default)
    {
        if (actor.ImpersonatorId is not { } realId || targetId != actor.UserId) return ServiceResult<ImpersonationTarget>.NotFound();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var real = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == realId, ct);
        if (real is null) return ServiceResult<ImpersonationTarget>.NotFound();
        activity.Record(db, actor, "user", actor.UserId, $"{real.UserName} stopped acting as {actor.UserName}");
        await db.SaveChangesAsync(ct);
        return ServiceResult<ImpersonationTarget>.Ok(new ImpersonationTarget(real.Id, real.UserName ?? ""));
    }
}
