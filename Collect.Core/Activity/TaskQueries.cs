using Collect.Core.Access;
using Collect.Core.Backups;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Activity;

/// <summary>A long-running piece of work as seed 002's <c>api/tasks/{id}</c> shows it.</summary>
public sealed record TaskView(int Id, string Action, string Status, int Progress, string? Message, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Polling long-running work. Collect's only task records today are system backups (DESIGN §12), so a task id is a
/// backup task's id and the action is "createBackup"; only those who may see the backup history see them.
/// </summary>
public sealed class TaskQueries(IDbContextFactory<CollectDbContext> dbFactory)
{
    public async Task<ServiceResult<TaskView>> GetAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("tasks.show")) return ServiceResult<TaskView>.Forbidden();
        // Tasks someone may not see answer 404 like a task that does not exist.
        if (!actor.IsAdmin || !actor.Can("system.backups.history")) return ServiceResult<TaskView>.NotFound();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.BackupTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return ServiceResult<TaskView>.NotFound();
        var message = task.Status switch
        {
            BackupStatuses.Running or BackupStatuses.Pending => task.Step,
            _ => task.TasksLog.LastOrDefault(l => l.Type == BackupLogTypes.Error)?.Message ?? task.TasksLog.LastOrDefault()?.Message,
        };
        var status = task.Status switch
        {
            BackupStatuses.Done => "completed",
            BackupStatuses.Failed => "failed",
            BackupStatuses.Running => "running",
            _ => "pending",
        };
        var progress = task.Status == BackupStatuses.Done ? 100 : task.Progress;
        return ServiceResult<TaskView>.Ok(new TaskView(task.Id, "createBackup", status, progress, message, task.CreatedAt, task.UpdatedAt));
    }
}
