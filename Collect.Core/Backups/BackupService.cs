using System.Globalization;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Files;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collect.Core.Backups;

/// <summary>A storage as callers see it: its secrets masked.</summary>
public sealed record BackupStorageView(BackupStorage Storage, JsonObject Configuration);

/// <summary>A backup task, and whether its archive can be downloaded from a local storage.</summary>
public sealed record BackupTaskView(BackupTask Task, bool Downloadable);

/// <summary>A storage to create or change; <see cref="Provided"/> names the fields that were sent (partial updates).</summary>
public sealed record StorageInput(string? Name, string? Provider, JsonObject? Configuration, int? Retention, bool? Enabled, IReadOnlySet<string> Provided);

/// <summary>A local archive to stream to an admin.</summary>
public sealed record BackupArchiveFile(string Path, string Name);

/// <summary>Starts a pending task's run in the background (Hangfire in the host; nothing in tests, which run it themselves).</summary>
public interface IBackupTrigger
{
    void Start(int taskId);
}

internal sealed class NoBackupTrigger : IBackupTrigger
{
    public void Start(int taskId) { }
}

/// <summary>
/// System backups (seed 002, DESIGN §12), admins only: storages, starting a backup, the history with each task's log,
/// connection tests, local archives for download, and the start-up sweep that keeps the task rows truthful.
/// </summary>
public sealed class BackupService(
    IDbContextFactory<CollectDbContext> dbFactory,
    IBackupTrigger trigger,
    IOptionsMonitor<BackupOptions> options,
    FileStore files,
    ActivityRecorder activity,
    TimeProvider clock,
    ILogger<BackupService> logger)
{
    public const string MaxNameMessage = "The name must not be greater than 255 characters.";

    /// <summary>Backups hold every tenant's data: only admin-level actors holding the permission may touch them.</summary>
    private static bool Allowed(Actor actor, string permission) => actor.IsAdmin && actor.Can(permission);

    public async Task<ServiceResult<Page<BackupStorageView>>> ListStoragesAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.storages.index")) return ServiceResult<Page<BackupStorageView>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.BackupStorages.AsNoTracking().OrderBy(s => s.Id);
        var total = await query.CountAsync(ct);
        var rows = await query.Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return ServiceResult<Page<BackupStorageView>>.Ok(new Page<BackupStorageView>(rows.Select(View).ToList(), total, Math.Max(1, page.Page), page.Size));
    }

    public async Task<ServiceResult<BackupStorageView>> GetStorageAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.storages.show")) return ServiceResult<BackupStorageView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var storage = await db.BackupStorages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return storage is null ? ServiceResult<BackupStorageView>.NotFound() : ServiceResult<BackupStorageView>.Ok(View(storage));
    }

    public async Task<ServiceResult<BackupStorageView>> CreateStorageAsync(Actor actor, StorageInput input, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.storages.store")) return ServiceResult<BackupStorageView>.Forbidden();
        var errors = new Dictionary<string, string[]>();
        var name = CheckName(input.Name, required: true, errors);
        if (input.Provider is null) errors["provider"] = ["The provider field is required."];
        else if (!BackupProviders.All.Contains(input.Provider)) errors["provider"] = ["The provider must be one of local, sftp, ftp."];
        if (input.Retention is null) errors["retention"] = ["The retention field is required."];
        else CheckRetention(input.Retention.Value, errors);
        if (input.Enabled is null) errors["enabled"] = ["The enabled field is required."];
        JsonObject? configuration = null;
        if (input.Provider is not null && BackupProviders.All.Contains(input.Provider))
        {
            if (input.Configuration is null) errors[$"configuration.{StorageSettings.FieldsOf(input.Provider)[0]}"] = [$"The configuration field is required when provider is {input.Provider}."];
            else configuration = StorageSettings.Check(input.Provider, input.Configuration, null, ForbiddenFolders(), errors);
        }
        if (errors.Count > 0) return ServiceResult<BackupStorageView>.Invalid(errors);

        var storage = new BackupStorage
        {
            Name = name!, Provider = input.Provider!, Configuration = configuration!.ToJsonString(), Retention = input.Retention!.Value, Enabled = input.Enabled!.Value,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.BackupStorages.Add(storage);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, "backupStorage", storage.Id, $"Backup storage {storage.Name} ({storage.Provider}) added",
            updated: new { storage.Name, storage.Provider, configuration = StorageSettings.Mask(configuration), storage.Retention, storage.Enabled });
        await db.SaveChangesAsync(ct);
        return ServiceResult<BackupStorageView>.Ok(View(storage));
    }

    public async Task<ServiceResult<BackupStorageView>> UpdateStorageAsync(Actor actor, int id, StorageInput input, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.storages.update")) return ServiceResult<BackupStorageView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var storage = await db.BackupStorages.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (storage is null) return ServiceResult<BackupStorageView>.NotFound();
        var before = new { storage.Name, configuration = StorageSettings.Mask(JsonNode.Parse(storage.Configuration)!.AsObject()), storage.Retention, storage.Enabled };

        var errors = new Dictionary<string, string[]>();
        var name = input.Provided.Contains("name") ? CheckName(input.Name, required: true, errors) : storage.Name;
        if (input.Provided.Contains("provider") && input.Provider != storage.Provider)
            errors["provider"] = ["The provider of a storage cannot be changed; add a new storage instead."];
        if (input.Provided.Contains("retention"))
        {
            if (input.Retention is null) errors["retention"] = ["The retention must be an integer."];
            else CheckRetention(input.Retention.Value, errors);
        }
        if (input.Provided.Contains("enabled") && input.Enabled is null) errors["enabled"] = ["The enabled field must be true or false."];
        var configuration = JsonNode.Parse(storage.Configuration)!.AsObject();
        if (input.Provided.Contains("configuration") && input.Configuration is not null)
            configuration = StorageSettings.Check(storage.Provider, input.Configuration, configuration, ForbiddenFolders(), errors) ?? configuration;
        if (errors.Count > 0) return ServiceResult<BackupStorageView>.Invalid(errors);

        storage.Name = name!;
        storage.Configuration = configuration.ToJsonString();
        if (input.Retention is { } retention) storage.Retention = retention;
        if (input.Enabled is { } enabled) storage.Enabled = enabled;
        activity.Record(db, actor, "backupStorage", storage.Id, $"Backup storage {storage.Name} changed", before,
            new { storage.Name, configuration = StorageSettings.Mask(configuration), storage.Retention, storage.Enabled });
        await db.SaveChangesAsync(ct);
        return ServiceResult<BackupStorageView>.Ok(View(storage));
    }

    public async Task<ServiceResult<bool>> DeleteStorageAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.storages.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var storage = await db.BackupStorages.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (storage is null) return ServiceResult<bool>.NotFound();
        // The archives stay where they are: deleting a storage from Collect never deletes backups.
        db.BackupStorages.Remove(storage);
        activity.Record(db, actor, "backupStorage", id, $"Backup storage {storage.Name} ({storage.Provider}) deleted");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>
    /// Connects with a storage's settings (those of the form, over the stored ones when <paramref name="id"/> is given),
    /// creates the folder if needed, writes and removes a probe file. Answers what was found, or why it failed.
    /// </summary>
    public async Task<ServiceResult<string>> TestStorageAsync(Actor actor, int? id, StorageInput input, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.storages.test")) return ServiceResult<string>.Forbidden();
        JsonObject? existing = null;
        var provider = input.Provider;
        if (id is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var storage = await db.BackupStorages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
            if (storage is null) return ServiceResult<string>.NotFound();
            existing = JsonNode.Parse(storage.Configuration)!.AsObject();
            provider = storage.Provider;
        }
        if (provider is null || !BackupProviders.All.Contains(provider)) return ServiceResult<string>.Invalid("provider", "The provider must be one of local, sftp, ftp.");
        var errors = new Dictionary<string, string[]>();
        var configuration = StorageSettings.Check(provider, input.Configuration ?? existing ?? [], existing, ForbiddenFolders(), errors);
        if (configuration is null) return ServiceResult<string>.Invalid(errors);

        var probe = $".collect-probe-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}";
        var probeFile = Path.Combine(Path.GetTempPath(), probe);
        try
        {
            await File.WriteAllTextAsync(probeFile, "Collect checks that it may write here; this file is removed at once.\n", ct);
            await using var target = BackupTargets.Open(provider, configuration);
            await target.ConnectAsync(ct);
            await target.UploadAsync(probeFile, probe, ct);
            var names = await target.ListAsync(ct);
            await target.DeleteAsync(probe, ct);
            var archives = names.Count(BackupArchive.IsArchiveName);
            var hostKey = target is SftpTarget sftp && sftp.HostKeyFingerprint is { } key ? $" Host key: {key}." : "";
            return ServiceResult<string>.Ok($"Connected. The folder is writable and holds {archives} Collect archive(s).{hostKey}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogInformation("Backup storage test ({Provider}) failed: {Error}", provider, ex.Message);
            return ServiceResult<string>.Invalid("connection", $"The connection test failed: {ex.Message}");
        }
        finally
        {
            File.Delete(probeFile);
        }
    }

    /// <summary>Accepts a backup and starts it at once in the background; refused while another one is under way.</summary>
    public async Task<ServiceResult<BackupTaskView>> StartAsync(Actor actor, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.create")) return ServiceResult<BackupTaskView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var outcome = await CreatePendingAsync(db, "manual", actor.UserId == 0 ? null : actor.UserId, clock.GetUtcNow(), options.CurrentValue.StaleMinutes, ct);
        if (outcome.Task is null)
            return ServiceResult<BackupTaskView>.Invalid("backup", $"Backup #{outcome.BusyTaskId} is still under way; wait for it to end.");
        activity.Record(db, actor, "backup", outcome.Task.Id, $"System backup #{outcome.Task.Id} started");
        await db.SaveChangesAsync(ct);
        trigger.Start(outcome.Task.Id);
        return ServiceResult<BackupTaskView>.Ok(new BackupTaskView(outcome.Task, false));
    }

    /// <summary>
    /// A new pending task, unless one is pending or running. A running task whose worker has been silent for too long
    /// died with its node: it is marked failed first, so the new run proceeds.
    /// </summary>
    internal static async Task<(BackupTask? Task, int? BusyTaskId)> CreatePendingAsync(CollectDbContext db, string trigger, int? userId, DateTimeOffset now,
        int staleMinutes, CancellationToken ct)
    {
        var active = await db.BackupTasks.Where(t => t.Status == BackupStatuses.Pending || t.Status == BackupStatuses.Running).OrderBy(t => t.Id).ToListAsync(ct);
        foreach (var stale in active.Where(t => t.Status == BackupStatuses.Running && (t.HeartbeatAt ?? t.CreatedAt) < now.AddMinutes(-staleMinutes)))
            MarkInterrupted(stale, now, "Interrupted: its worker stopped answering; a new backup proceeds.");
        if (active.FirstOrDefault(t => t.IsActive) is { } busy)
        {
            await db.SaveChangesAsync(ct);
            return (null, busy.Id);
        }
        var task = new BackupTask
        {
            Trigger = trigger,
            RequestedByUserId = userId,
            TasksLog = [new BackupLogEntry(now, "Task pending")],
            Step = "Waiting for a worker",
        };
        db.BackupTasks.Add(task);
        await db.SaveChangesAsync(ct);
        return (task, null);
    }

    private static void MarkInterrupted(BackupTask task, DateTimeOffset now, string message)
    {
        task.Status = BackupStatuses.Failed;
        task.EndDate = now;
        task.Step = null;
        task.Errors++;
        task.TasksLog = [.. task.TasksLog, new BackupLogEntry(now, message, BackupLogTypes.Error)];
    }

    /// <summary>
    /// The start-up sweep: a task this machine was running died with the previous process and is marked failed (as is
    /// any whose worker elsewhere went silent); pending tasks are started again. Answers how many of each.
    /// </summary>
    public async Task<(int Failed, int Restarted)> RecoverAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var staleBefore = now.AddMinutes(-options.CurrentValue.StaleMinutes);
        var running = await db.BackupTasks.Where(t => t.Status == BackupStatuses.Running).ToListAsync(ct);
        var dead = running.Where(t => t.Node == Environment.MachineName || (t.HeartbeatAt ?? t.CreatedAt) < staleBefore).ToList();
        foreach (var task in dead)
        {
            MarkInterrupted(task, now, "Interrupted: Collect stopped while this backup ran. The next backup proceeds as usual.");
            activity.Record(db, Actor.System, "backup", task.Id, $"System backup #{task.Id} failed: interrupted by a restart");
        }
        await db.SaveChangesAsync(ct);
        var pending = await db.BackupTasks.Where(t => t.Status == BackupStatuses.Pending).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
        foreach (var id in pending) trigger.Start(id);
        if (dead.Count > 0 || pending.Count > 0)
            logger.LogInformation("Backups after restart: {Failed} interrupted task(s) marked failed, {Pending} pending task(s) started", dead.Count, pending.Count);
        return (dead.Count, pending.Count);
    }

    public async Task<ServiceResult<Page<BackupTaskView>>> HistoryAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.history")) return ServiceResult<Page<BackupTaskView>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.BackupTasks.AsNoTracking().OrderByDescending(t => t.Id);
        var total = await query.CountAsync(ct);
        var tasks = await query.Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        var folders = await LocalFoldersAsync(db, ct);
        return ServiceResult<Page<BackupTaskView>>.Ok(new Page<BackupTaskView>(
            tasks.Select(t => new BackupTaskView(t, LocalArchive(t, folders) is not null)).ToList(), total, Math.Max(1, page.Page), page.Size));
    }

    public async Task<ServiceResult<BackupTaskView>> GetTaskAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.history")) return ServiceResult<BackupTaskView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.BackupTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return ServiceResult<BackupTaskView>.NotFound();
        return ServiceResult<BackupTaskView>.Ok(new BackupTaskView(task, LocalArchive(task, await LocalFoldersAsync(db, ct)) is not null));
    }

    /// <summary>The newest task, for the page's progress panel; null before the first backup.</summary>
    public async Task<ServiceResult<BackupTaskView?>> LatestAsync(Actor actor, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.history")) return ServiceResult<BackupTaskView?>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.BackupTasks.AsNoTracking().OrderByDescending(t => t.Id).FirstOrDefaultAsync(ct);
        return ServiceResult<BackupTaskView?>.Ok(task is null ? null : new BackupTaskView(task, LocalArchive(task, await LocalFoldersAsync(db, ct)) is not null));
    }

    /// <summary>A task's archive as kept on a local storage, for an admin to download.</summary>
    public async Task<ServiceResult<BackupArchiveFile>> ArchiveAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!Allowed(actor, "system.backups.download")) return ServiceResult<BackupArchiveFile>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.BackupTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return ServiceResult<BackupArchiveFile>.NotFound();
        var path = LocalArchive(task, await LocalFoldersAsync(db, ct));
        if (path is null) return ServiceResult<BackupArchiveFile>.NotFound();
        activity.Record(db, actor, "backup", id, $"System backup archive {task.ArchiveName} downloaded");
        await db.SaveChangesAsync(ct);
        return ServiceResult<BackupArchiveFile>.Ok(new BackupArchiveFile(path, task.ArchiveName!));
    }

    /// <summary>The schedule as configured: a cron expression (UTC), or null when scheduled backups are off.</summary>
    public string? Schedule => string.IsNullOrWhiteSpace(options.CurrentValue.Schedule) ? null : options.CurrentValue.Schedule.Trim();

    /// <summary>The seed's script_log time stamp: "Mon 25 Aug 2025 03:18:48 PM UTC".</summary>
    public static string ScriptTime(DateTimeOffset at) => at.UtcDateTime.ToString("ddd dd MMM yyyy hh:mm:ss tt 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The seed's plain date format: "2025-08-25 15:18:51".</summary>
    public static string PlainDate(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static async Task<Dictionary<string, string>> LocalFoldersAsync(CollectDbContext db, CancellationToken ct) =>
        (await db.BackupStorages.AsNoTracking().Where(s => s.Provider == BackupProviders.Local).Select(s => new { s.Id, s.Configuration }).ToListAsync(ct))
        .Select(s => (s.Id, Folder: (string?)JsonNode.Parse(s.Configuration)?["folder"]))
        .Where(s => s.Folder is not null)
        .ToDictionary(s => s.Id.ToString(CultureInfo.InvariantCulture), s => s.Folder!);

    private static string? LocalArchive(BackupTask task, Dictionary<string, string> folders)
    {
        if (task.Status != BackupStatuses.Done || task.ArchiveName is null || !BackupArchive.IsArchiveName(task.ArchiveName)) return null;
        return task.StoredOn.Select(id => folders.TryGetValue(id, out var folder) ? Path.Combine(folder, task.ArchiveName) : null)
            .FirstOrDefault(path => path is not null && File.Exists(path));
    }

    /// <summary>A local storage inside these would back up its own archives, or be replaced by a restore.</summary>
    private List<string> ForbiddenFolders()
    {
        var folders = new List<string> { files.Directory, options.CurrentValue.WorkDirectory };
        return folders.Select(Path.GetFullPath).ToList();
    }

    private static string? CheckName(string? name, bool required, Dictionary<string, string[]> errors)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required) errors["name"] = ["The name field is required."];
            return null;
        }
        if (trimmed.Length > 255) errors["name"] = [MaxNameMessage];
        return trimmed;
    }

    private static void CheckRetention(int retention, Dictionary<string, string[]> errors)
    {
        if (retention < 1) errors["retention"] = ["The retention must be at least 1."];
        else if (retention > 9999) errors["retention"] = ["The retention must not be greater than 9999."];
    }

    private static BackupStorageView View(BackupStorage storage) => new(storage, StorageSettings.Mask(JsonNode.Parse(storage.Configuration)!.AsObject()));
}
