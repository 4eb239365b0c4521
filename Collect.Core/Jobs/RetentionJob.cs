using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collect.Core.Jobs;

public sealed record RetentionOutcome(int LoginAttemptsDeleted, int ApiRequestLogsDeleted, int LoginLinksDeleted = 0);

/// <summary>Prunes login history and API request logs older than the configured number of days.</summary>
public sealed class RetentionJob(
    IDbContextFactory<CollectDbContext> dbFactory,
    IOptionsMonitor<CollectOptions> options,
    TimeProvider clock,
    ILogger<RetentionJob> logger)
{
    public const string RecurringId = "retention:prune-logs";

    public async Task<RetentionOutcome> PruneLogsAsync(CancellationToken ct = default)
    {
        var retention = options.CurrentValue.Retention;
        var now = clock.GetUtcNow();
        var loginCutoff = now.AddDays(-Math.Max(1, retention.LoginHistoryDays));
        var requestCutoff = now.AddDays(-Math.Max(1, retention.ApiRequestLogDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var logins = await db.LoginAttempts.Where(a => a.CreatedAt < loginCutoff).ExecuteDeleteAsync(ct);
        var requests = await db.ApiRequestLogs.Where(l => l.CreatedAt < requestCutoff).ExecuteDeleteAsync(ct);
        // One-time login links are useless once expired; a day's grace keeps recent ones for support questions.
        var linkCutoff = now.AddDays(-1);
        var links = await db.SsoTokens.Where(t => t.ExpiresAt < linkCutoff).ExecuteDeleteAsync(ct);
        logger.LogInformation("Retention pruned {Logins} login attempts, {Requests} API request logs and {Links} expired login links", logins, requests, links);
        return new RetentionOutcome(logins, requests, links);
    }
}
