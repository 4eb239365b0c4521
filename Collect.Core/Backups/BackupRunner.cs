using System.Globalization;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Files;
using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collect.Core.Backups;

/// <summary>
/// Runs a backup task: a consistent SQLite copy (online backup API, so Collect keeps serving), the file store, one
/// .tar.gz with a manifest, an upload to every enabled storage and pruning each to its retention. Every step is written
/// to the task row as it happens; one storage failing is an error line for that storage and the others go on.
/// </summary>
public sealed class BackupRunner(
    IDbContextFactory<CollectDbContext> dbFactory,
    IOptionsMonitor<BackupOptions> options,
    FileStore files,
    ActivityRecorder activity,
    TimeProvider clock,
    ILogger<BackupRunner> logger)
{
    public const string RecurringId = "backups:scheduled";
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    private TimeProvider Clock => clock;
    private ILogger Logger => logger;
    private BackupOptions Options => options.CurrentValue;
    private FileStore Files => files;
    private ActivityRecorder Activity => activity;

    /// <summary>The scheduled run: a new task unless one is under way, run here and now (this is already a worker).</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunScheduledAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var outcome = await BackupService.CreatePendingAsync(db, "schedule", null, clock.GetUtcNow(), options.CurrentValue.StaleMinutes, ct);
        if (outcome.Task is null)
        {
            logger.LogInformation("Scheduled backup skipped: backup task {TaskId} is still under way", outcome.BusyTaskId);
            return;
        }
        await RunAsync(outcome.Task.Id, ct);
    }

    /// <summary>Runs every pending task, oldest first (what a worker does after the start-up sweep, and what tests call).</summary>
    public async Task RunPendingAsync(CancellationToken ct = default)
    {
        List<int> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            pending = await db.BackupTasks.Where(t => t.Status == BackupStatuses.Pending).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
        foreach (var id in pending) await RunAsync(id, ct);
    }

    /// <summary>Runs one pending task; a task another worker already holds, or one that is finished, is left alone.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int taskId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var claimed = await db.BackupTasks.Where(t => t.Id == taskId && t.Status == BackupStatuses.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, BackupStatuses.Running)
                .SetProperty(t => t.StartedAt, now)
                .SetProperty(t => t.HeartbeatAt, now)
                .SetProperty(t => t.Node, Environment.MachineName), ct);
        if (claimed == 0) return;
        var task = await db.BackupTasks.SingleAsync(t => t.Id == taskId, ct);
        var run = new Run(this, db, task);
        await using var heartbeat = clock.CreateTimer(_ => _ = BeatAsync(taskId), null, HeartbeatInterval, HeartbeatInterval);
        await run.ExecuteAsync(ct);
    }

    private async Task BeatAsync(int taskId)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var now = clock.GetUtcNow();
            await db.BackupTasks.Where(t => t.Id == taskId && t.Status == BackupStatuses.Running).ExecuteUpdateAsync(s => s.SetProperty(t => t.HeartbeatAt, now));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Backup task {TaskId} could not record its heartbeat", taskId);
        }
    }

    /// <summary>One run of one task; it owns the task row until it ends.</summary>
    private sealed class Run(BackupRunner runner, CollectDbContext db, BackupTask task)
    {
        private readonly string _work = Path.Combine(runner.Options.WorkDirectory, $"task-{task.Id}");

        public async Task ExecuteAsync(CancellationToken ct)
        {
            try
            {
                await LogAsync("Backup started", progress: 2, step: "Starting", ct: ct);
                if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
                Directory.CreateDirectory(_work);
                var storages = await db.BackupStorages.AsNoTracking().Where(s => s.Enabled).OrderBy(s => s.Id).ToListAsync(ct);
                var name = BackupArchive.NameFor(task.Id, task.CreatedAt);
                task.ArchiveName = name;
                var archive = Path.Combine(_work, name);

                await ScriptAsync("[START] Creating backup of the local database", ct);
                var copy = await CopyDatabaseAsync(ct);
                await ScriptAsync("[END] Creating backup of the local database", ct);
                await LogAsync($"Database copied ({Size(new FileInfo(copy).Length)})", progress: 20, step: "Copying the file store", ct: ct);

                await ScriptAsync("[START] Creating backup archive", ct);
                var fileCount = 0;
                await using (var writer = new BackupArchive.Writer(archive))
                {
                    await writer.AddFileAsync(BackupArchive.DatabaseEntry, copy, ct);
                    await ScriptAsync("[START] Copying essential files", ct);
                    foreach (var (path, entry) in StoreFiles(storages))
                    {
                        if (await writer.AddFileAsync(entry, path, ct)) fileCount++;
                        else await LogAsync($"{entry} was deleted while the backup ran and is not in the archive", BackupLogTypes.Warning, ct: ct);
                    }
                    await ScriptAsync("[END] Copying essential files", ct);
                    await writer.FinishAsync(runner.Clock.GetUtcNow(), ct);
                }
                File.Delete(copy);
                await ScriptAsync("[END] Creating backup archive", ct);
                task.ArchiveSize = new FileInfo(archive).Length;
                task.ScriptLog += name + "\n";
                await LogAsync($"Backup archive created ({fileCount} files, {Size(task.ArchiveSize.Value)})", progress: 60, step: "Uploading", ct: ct);

                if (storages.Count == 0) await LogAsync("No storage is enabled, so the archive was not kept anywhere. Add or enable a storage.", BackupLogTypes.Error, ct: ct);
                for (var i = 0; i < storages.Count; i++)
                {
                    task.Step = $"Uploading to {storages[i].Name}";
                    task.Progress = 60 + 38 * i / storages.Count;
                    await SaveAsync(ct);
                    await UploadAsync(storages[i], archive, name, ct);
                }
                await FinishAsync(task.StoredOn.Count > 0 ? BackupStatuses.Done : BackupStatuses.Failed, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                runner.Logger.LogError(ex, "Backup task {TaskId} failed", task.Id);
                await LogAsync($"Backup failed: {ex.Message}", BackupLogTypes.Error, ct: CancellationToken.None);
                await FinishAsync(BackupStatuses.Failed, CancellationToken.None);
            }
            finally
            {
                try
                {
                    if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
                }
                catch (IOException ex)
                {
                    runner.Logger.LogWarning(ex, "The work folder of backup task {TaskId} could not be removed", task.Id);
                }
            }
        }

        /// <summary>
        /// SQLite's online backup: a consistent snapshot while other connections keep reading and writing (WAL). In the
        /// copy, this task is recorded as done, so an installation restored from the archive does not show it as broken.
        /// </summary>
        private async Task<string> CopyDatabaseAsync(CancellationToken ct)
        {
            if (!db.Database.IsSqlite()) throw new NotSupportedException("Collect's own backups copy the embedded SQLite database; back up PostgreSQL with its own tools.");
            var copy = Path.Combine(_work, "collect.db");
            var sourceConnection = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString();
            var copyConnection = new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString();
            await using (var source = new SqliteConnection(sourceConnection))
            await using (var target = new SqliteConnection(copyConnection))
            {
                await source.OpenAsync(ct);
                SqliteBusyTimeout.Apply(source);
                await target.OpenAsync(ct);
                source.BackupDatabase(target);
            }
            var copyOptions = new DbContextOptionsBuilder<CollectDbContext>().UseSqlite(copyConnection).Options;
            await using (var copyDb = new CollectDbContext(copyOptions))
            {
                var now = runner.Clock.GetUtcNow();
                var inCopy = await copyDb.BackupTasks.SingleAsync(t => t.Id == task.Id, ct);
                inCopy.Status = BackupStatuses.Done;
                inCopy.Progress = 100;
                inCopy.Step = null;
                inCopy.ArchiveName = task.ArchiveName;
                inCopy.EndDate = now;
                inCopy.TasksLog = [.. task.TasksLog, new BackupLogEntry(now, "This database was restored from this backup's archive")];
                await copyDb.SaveChangesAsync(ct);
                // One self-contained file: no -wal beside it.
                await copyDb.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=DELETE;", ct);
            }
            return copy;
        }

        /// <summary>Every file of the file store (attachments, brand logos), skipping backup folders that live inside it.</summary>
        private IEnumerable<(string Path, string Entry)> StoreFiles(IReadOnlyList<BackupStorage> storages)
        {
            var root = Path.GetFullPath(runner.Files.Directory);
            if (!Directory.Exists(root)) yield break;
            var skip = storages.Where(s => s.Provider == BackupProviders.Local)
                .Select(s => (string?)JsonNode.Parse(s.Configuration)?["folder"]).OfType<string>()
                .Append(runner.Options.WorkDirectory)
                .Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)))
                .ToList();
            foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                if (skip.Any(s => path.StartsWith(s + Path.DirectorySeparatorChar, StringComparison.Ordinal))) continue;
                yield return (path, BackupArchive.FilesPrefix + Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        private async Task UploadAsync(BackupStorage storage, string archive, string name, CancellationToken ct)
        {
            var label = storage.Name;
            var failed = false;
            try
            {
                await using var target = BackupTargets.Open(storage.Provider, JsonNode.Parse(storage.Configuration)!.AsObject());
                await target.ConnectAsync(ct);
                await LogAsync($"{label}: Uploading archive", ct: ct);
                await target.UploadAsync(archive, name, ct);
                task.StoredOn = [.. task.StoredOn, storage.Id.ToString(CultureInfo.InvariantCulture)];
                await LogAsync($"{label}: Archive uploaded", ct: ct);

                await LogAsync($"{label}: Started retention task", ct: ct);
                var archives = (await target.ListAsync(ct)).Where(BackupArchive.IsArchiveName).OrderDescending(StringComparer.Ordinal).ToList();
                foreach (var old in archives.Skip(storage.Retention))
                {
                    await LogAsync($"{label}: Deleting file {old}", ct: ct);
                    await target.DeleteAsync(old, ct);
                }
                await LogAsync($"{label}: Retention task completed", ct: ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed = true;
                // The message names what went wrong (refused login, unknown host); the configuration is never logged.
                runner.Logger.LogWarning("Backup task {TaskId}: storage {StorageId} ({Provider}) failed: {Error}", task.Id, storage.Id, storage.Provider, ex.Message);
                await LogAsync($"{label}: {Describe(ex)}", BackupLogTypes.Error, ct: ct);
                var message = Truncate($"error: {Describe(ex)}", 1000);
                await db.BackupStorages.Where(s => s.Id == storage.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastStatusMessage, message), ct);
            }
            if (!failed)
            {
                // Set directly: the storage may have been edited (or deleted) while the upload ran.
                var now = runner.Clock.GetUtcNow();
                await db.BackupStorages.Where(s => s.Id == storage.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastBackupDate, now).SetProperty(x => x.LastStatusMessage, "success"), ct);
            }
        }

        private async Task FinishAsync(string status, CancellationToken ct)
        {
            var now = runner.Clock.GetUtcNow();
            task.Status = status;
            task.Progress = 100;
            task.Step = null;
            task.EndDate = now;
            await LogAsync("Backup ended", ct: ct);
            runner.Activity.Record(db, Actor.System, "backup", task.Id,
                status == BackupStatuses.Done ? $"System backup #{task.Id} done: {task.ArchiveName} on {task.StoredOn.Count} storage(s)" : $"System backup #{task.Id} failed");
            await SaveAsync(ct);
        }

        private async Task LogAsync(string message, string type = BackupLogTypes.Info, int? progress = null, string? step = null, CancellationToken ct = default)
        {
            task.TasksLog = [.. task.TasksLog, new BackupLogEntry(runner.Clock.GetUtcNow(), message, type)];
            if (type == BackupLogTypes.Warning) task.Warnings++;
            if (type == BackupLogTypes.Error) task.Errors++;
            if (progress is not null) task.Progress = progress.Value;
            if (step is not null) task.Step = step;
            await SaveAsync(ct);
        }

        private async Task ScriptAsync(string line, CancellationToken ct)
        {
            task.ScriptLog += $"{BackupService.ScriptTime(runner.Clock.GetUtcNow())}: {line}\n";
            await SaveAsync(ct);
        }

        private async Task SaveAsync(CancellationToken ct)
        {
            task.HeartbeatAt = runner.Clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        System.Net.Sockets.SocketException s => $"Could not connect: {s.Message}",
        Renci.SshNet.Common.SshAuthenticationException => "The SFTP server refused the login (check the username, password or key).",
        UnauthorizedAccessException => $"Permission denied: {ex.Message}",
        _ => ex.Message,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
    };
}
