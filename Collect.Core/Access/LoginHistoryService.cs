using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

public sealed record LoginAttemptView(long Id, int? UserId, string UserName, string? Ip, string? UserAgent, string Outcome, DateTimeOffset CreatedAt);

/// <summary>Records every sign-in attempt and the sign-ins and sign-outs in the activity log.</summary>
public sealed class LoginHistoryService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, TimeProvider clock)
{
    public async Task RecordAsync(int? userId, string userName, string? ip, string? userAgent, string outcome, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        db.LoginAttempts.Add(new LoginAttempt
        {
            UserId = userId,
            UserName = Cut(userName, 256),
            Ip = ip,
            UserAgent = Cut(userAgent, 512),
            Outcome = outcome,
            CreatedAt = now,
        });
        if (outcome == LoginOutcomes.Success && userId is not null)
        {
            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastLoginAt, now).SetProperty(u => u.LastLoginIp, ip), ct);
            activity.Record(db, new Actor(userId.Value, userName, "", ip), "user", userId, $"{userName} signed in");
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task RecordLogoutAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        activity.Record(db, actor, "user", actor.UserId, $"{actor.UserName} signed out");
        await db.SaveChangesAsync(ct);
    }

    public async Task<ServiceResult<Page<LoginAttemptView>>> ListAsync(Actor actor, int userId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<Page<LoginAttemptView>>.NotFound();
        var query = db.LoginAttempts.AsNoTracking().Where(a => a.UserId == userId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip(page.Skip).Take(page.Size)
            .Select(a => new LoginAttemptView(a.Id, a.UserId, a.UserName, a.Ip, a.UserAgent, a.Outcome, a.CreatedAt))
            .ToListAsync(ct);
        return ServiceResult<Page<LoginAttemptView>>.Ok(new Page<LoginAttemptView>(items, total, page.Page, page.Size));
    }

    private static string Cut(string? value, int max) => value is null ? "" : value.Length <= max ? value : value[..max];
}
