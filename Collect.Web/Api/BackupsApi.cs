using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Backups;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>System backups (seed 002): storages, starting a backup, the history with each task's log; admins only.</summary>
internal static class BackupsApi
{
    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder app)
    {
        var backups = app.MapGroup("/api/system/backups").WithTags("System backups").RequireAuthorization();
        backups.MapGet("/storages", ListStoragesAsync).RequirePermission("system.backups.storages.index").WithPaging()
            .WithSummary("Backup storages (local folder, SFTP, FTP) with retention and the last backup's outcome; secrets masked");
        backups.MapPost("/storages", CreateStorageAsync).RequirePermission("system.backups.storages.store")
            .WithSummary("Add a storage: name, provider (local, sftp, ftp), configuration, retention (1-9999), enabled");
        backups.MapGet("/storages/{id:int}", GetStorageAsync).RequirePermission("system.backups.storages.show").WithSummary("One backup storage");
        backups.MapPut("/storages/{id:int}", UpdateStorageAsync).RequirePermission("system.backups.storages.update")
            .WithSummary("Change a storage's name, configuration, retention or enabled; a masked or missing secret keeps the stored one");
        backups.MapDelete("/storages/{id:int}", DeleteStorageAsync).RequirePermission("system.backups.storages.destroy")
            .WithSummary("Remove a storage from Collect (its archives stay where they are)");
        backups.MapPost("/create", CreateAsync).RequirePermission("system.backups.create")
            .WithSummary("Start a backup now; poll history/{backupTaskId} for its progress");
        backups.MapGet("/history", HistoryAsync).RequirePermission("system.backups.history").WithPaging()
            .WithSummary("Backup tasks, newest first, with their logs");
        backups.MapGet("/history/{backupTaskId:int}", TaskAsync).RequirePermission("system.backups.history")
            .WithSummary("One backup task: status, progress, archive size, script_log and tasks_log");
        backups.MapGet("/history/{backupTaskId:int}/download", DownloadAsync).RequirePermission("system.backups.download")
            .WithSummary("Download a task's archive from a local storage");
        return app;
    }

    private static async Task<IResult> ListStoragesAsync(HttpContext http, BackupService service, CancellationToken ct)
    {
        var query = ListQuery.From(http.Request);
        if (query.Validate() is { } invalid) return ApiErrors.Invalid(invalid);
        var result = await service.ListStoragesAsync(HttpActor.Current(http), query.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.From(result, p => p);
        return List(query, result.Value!, StorageJson);
    }

    private static async Task<IResult> CreateStorageAsync(JsonObject body, HttpContext http, BackupService service, CancellationToken ct)
    {
        var input = ReadStorage(body, out var errors);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await service.CreateStorageAsync(HttpActor.Current(http), input!, ct), StorageJson);
    }

    private static async Task<IResult> GetStorageAsync(int id, HttpContext http, BackupService service, CancellationToken ct) =>
        ApiErrors.From(await service.GetStorageAsync(HttpActor.Current(http), id, ct), StorageJson);

    private static async Task<IResult> UpdateStorageAsync(int id, JsonObject body, HttpContext http, BackupService service, CancellationToken ct)
    {
        var input = ReadStorage(body, out var errors);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await service.UpdateStorageAsync(HttpActor.Current(http), id, input!, ct), StorageJson);
    }

    private static async Task<IResult> DeleteStorageAsync(int id, HttpContext http, BackupService service, CancellationToken ct) =>
        ApiErrors.Deleted(await service.DeleteStorageAsync(HttpActor.Current(http), id, ct));

    private static async Task<IResult> CreateAsync(HttpContext http, BackupService service, CancellationToken ct) =>
        ApiErrors.From(await service.StartAsync(HttpActor.Current(http), ct), TaskJson);

    private static async Task<IResult> HistoryAsync(HttpContext http, BackupService service, CancellationToken ct)
    {
        var query = ListQuery.From(http.Request);
        if (query.Validate() is { } invalid) return ApiErrors.Invalid(invalid);
        var result = await service.HistoryAsync(HttpActor.Current(http), query.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.From(result, p => p);
        return List(query, result.Value!, TaskJson);
    }

    private static async Task<IResult> TaskAsync(int backupTaskId, HttpContext http, BackupService service, CancellationToken ct) =>
        ApiErrors.From(await service.GetTaskAsync(HttpActor.Current(http), backupTaskId, ct), TaskJson);

    private static async Task<IResult> DownloadAsync(int backupTaskId, HttpContext http, BackupService service, CancellationToken ct)
    {
        var result = await service.ArchiveAsync(HttpActor.Current(http), backupTaskId, ct);
        if (!result.IsOk) return ApiErrors.From(result, f => f.Name);
        var stream = new FileStream(result.Value!.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        return TypedResults.Stream(stream, "application/gzip", result.Value.Name);
    }

    private static IResult List<T>(ListQuery query, Page<T> page, Func<T, JsonObject> json)
    {
        var items = page.Items.Select(json).ToList();
        return query.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(page.Total, page.PageNumber, page.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    /// <summary>The storage fields of a POST or PUT body, with 422 errors for values of the wrong type.</summary>
    private static StorageInput? ReadStorage(JsonObject body, out IReadOnlyDictionary<string, string[]>? errors)
    {
        var json = new JsonInput(body);
        var name = json.String("name");
        var provider = json.String("provider");
        var retention = json.Int("retention");
        var enabled = json.Bool("enabled");
        var configurationNode = body["configuration"];
        var invalid = new Dictionary<string, string[]>(json.Errors);
        if (configurationNode is not (null or JsonObject)) invalid.TryAdd("configuration", ["The configuration must be an object."]);
        errors = invalid.Count > 0 ? invalid : null;
        return new StorageInput(name, provider, configurationNode as JsonObject, retention, enabled, json.Provided);
    }

    /// <summary>The seed's storage shape; secrets come back masked.</summary>
    internal static JsonObject StorageJson(BackupStorageView view) => new()
    {
        ["id"] = view.Storage.Id,
        ["name"] = view.Storage.Name,
        ["provider"] = view.Storage.Provider,
        ["configuration"] = view.Configuration.DeepClone(),
        ["last_backup_date"] = view.Storage.LastBackupDate is { } last ? BackupService.PlainDate(last) : null,
        ["last_status_message"] = view.Storage.LastStatusMessage,
        ["retention"] = view.Storage.Retention,
        ["enabled"] = view.Storage.Enabled ? 1 : 0,
    };

    /// <summary>The seed's backup-task shape, plus status, progress and step for polling and the archive's name.</summary>
    internal static JsonObject TaskJson(BackupTaskView view)
    {
        var task = view.Task;
        return new JsonObject
        {
            ["id"] = task.Id,
            ["created_at"] = UtcTimestampConverter.Format(task.CreatedAt),
            ["archive_size"] = task.ArchiveSize,
            ["script_log"] = task.ScriptLog,
            ["tasks_log"] = new JsonArray(task.TasksLog.Select(e => (JsonNode?)new JsonObject
            {
                ["date"] = BackupService.PlainDate(e.Date), ["message"] = e.Message, ["type"] = e.Type,
            }).ToArray()),
            ["current_status"] = task.Status switch { BackupStatuses.Pending => "Pending", BackupStatuses.Running => "Running", _ => "Executed" },
            ["result"] = task.Status switch { BackupStatuses.Done => "Done", BackupStatuses.Failed => "Failed", _ => null },
            ["warning"] = task.Warnings,
            ["error"] = task.Errors,
            ["end_date"] = task.EndDate is { } end ? BackupService.PlainDate(end) : null,
            ["status"] = task.Status,
            ["progress"] = task.Progress,
            ["step"] = task.Step,
            ["trigger"] = task.Trigger,
            ["archive_name"] = task.ArchiveName,
            ["download"] = view.Downloadable ? $"/api/system/backups/history/{task.Id}/download" : null,
        };
    }
}
