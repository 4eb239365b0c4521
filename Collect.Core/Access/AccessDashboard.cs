using Collect.Core.Dashboard;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

/// <summary>Dashboard figures about accounts: users in scope, tokens, sign-ins of the last day and week.</summary>
internal sealed class AccessDashboard(IDbContextFactory<CollectDbContext> dbFactory, TimeProvider clock) : IDashboardContributor
{
    public async Task<IReadOnlyList<DashboardTile>> GetTilesAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().AddDays(-1);
        var users = db.Users.VisibleTo(actor);
        var userCount = await users.CountAsync(ct);
        var tokens = await db.ApiTokens.CountAsync(t => users.Any(u => u.Id == t.UserId), ct);
        var attempts = db.LoginAttempts.Where(a => a.CreatedAt >= since && users.Any(u => u.Id == a.UserId));
        var ok = await attempts.CountAsync(a => a.Outcome == LoginOutcomes.Success, ct);
        var failed = await attempts.CountAsync(a => a.Outcome != LoginOutcomes.Success, ct);
        return
        [
            new("Users", "Users", userCount.ToString(), null, null, 50),
            new("Users", "API tokens", tokens.ToString(), null, "/profile/tokens", 51),
            new("Users", "Sign-ins (24 h)", ok.ToString(), $"{failed} failed", null, 52),
        ];
    }

    public async Task<IReadOnlyList<DashboardChart>> GetChartsAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var start = new DateTimeOffset(today.AddDays(-6), TimeSpan.Zero);
        var users = db.Users.VisibleTo(actor);
        var rows = await db.LoginAttempts.AsNoTracking()
            .Where(a => a.CreatedAt >= start && users.Any(u => u.Id == a.UserId))
            .Select(a => new { a.CreatedAt, a.Outcome })
            .ToListAsync(ct);
        var labels = Enumerable.Range(0, 7).Select(i => today.AddDays(i - 6)).ToList();
        double[] Count(Func<string, bool> outcome) =>
            labels.Select(day => (double)rows.Count(r => r.CreatedAt.UtcDateTime.Date == day && outcome(r.Outcome))).ToArray();
        return
        [
            new DashboardChart("Sign-ins, last 7 days", labels.Select(d => d.ToString("dd MMM")).ToList(),
            [
                ("Successful", Count(o => o == LoginOutcomes.Success)),
                ("Refused", Count(o => o != LoginOutcomes.Success)),
            ]),
        ];
    }
}
