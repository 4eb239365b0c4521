using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collect.Core.Jobs;

public sealed record RetentionOutcome(int LoginAttemptsDeleted, int ApiRequestLogsDeleted);

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
        logger.LogInformation("Retention pruned {Logins} login attempts and {Requests} API request logs", logins, requests);
        return new RetentionOutcome(logins, requests);
    }
}
