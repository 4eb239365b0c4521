using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collect.Core.Backups;
using Collect.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Collect.Tests.Infrastructure.Json;

namespace Collect.Tests.Backups;

/// <summary>System backups through the API: storages, backup now, history in the seed's fields, the schedule and restarts.</summary>
public sealed partial class BackupsApiTests : IDisposable
{
    private const string Mask = "**************";
    private readonly BackupWebFactory _factory = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "collect-tests", "archives-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _factory.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Storages_are_added_read_changed_and_removed_with_secrets_masked_in_every_answer()
    {
        var admin = _factory.AdminApi();
        var key = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-key\n-----END OPENSSH PRIVATE KEY-----";
        var refused = await admin.PostAsJsonAsync("/api/system/backups/storages", new
        {
            name = "Offsite", provider = "sftp", retention = 3, enabled = true,
            configuration = new { host = "backup.example.net", username = "collect", private_key = key },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.True((await refused.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("configuration.private_key"));

        var created = await OkAsync(await admin.PostAsJsonAsync("/api/system/backups/storages", new
        {
            name = "Offsite", provider = "sftp", retention = 3, enabled = true,
            configuration = new { host = "backup.example.net", port = 2222, username = "collect", password = "s3cret-Passw0rd", root = "collect/" },
        }));
        var id = (int)created["id"]!;

        Assert.Equal("Offsite", (string?)created["name"]);
        Assert.Equal("sftp", (string?)created["provider"]);
        Assert.Equal(Mask, (string?)created["configuration"]!["password"]);
        Assert.Null(created["configuration"]!["private_key"]);
        Assert.Equal(2222, (int)created["configuration"]!["port"]!);
        Assert.Equal("collect", (string?)created["configuration"]!["root"]);
        Assert.Equal(3, (int)created["retention"]!);
        Assert.Equal(1, (int)created["enabled"]!);
        Assert.Null(created["last_backup_date"]);
        Assert.Null(created["last_status_message"]);

        // A masked password sent back keeps the stored one; other fields change.
        var changed = await OkAsync(await admin.PutAsJsonAsync($"/api/system/backups/storages/{id}", new
        {
            name = "Offsite B", retention = 9999, enabled = false, configuration = new { host = "backup2.example.net", password = Mask },
        }));
        Assert.Equal("Offsite B", (string?)changed["name"]);
        Assert.Equal("backup2.example.net", (string?)changed["configuration"]!["host"]);
        Assert.Equal(2222, (int)changed["configuration"]!["port"]!);
        Assert.Equal(0, (int)changed["enabled"]!);
        var stored = await _factory.WithDbAsync(db => db.BackupStorages.SingleAsync(s => s.Id == id));
        Assert.Equal("s3cret-Passw0rd", (string?)JsonNode.Parse(stored.Configuration)!["password"]);

        var list = await admin.GetStringAsync("/api/system/backups/storages");
        var one = await admin.GetStringAsync($"/api/system/backups/storages/{id}");
        var paged = await (await admin.GetAsync("/api/system/backups/storages?page=1&per_page=10")).ReadJsonAsync();
        Assert.Contains("Offsite B", list);
        Assert.Equal(1, (int)paged["meta"]!["total"]!);
        Assert.All(new[] { list, one, paged.ToJsonString() }, text => Assert.DoesNotContain("s3cret", text));
        var activity = await _factory.WithDbAsync(db => db.ActivityLogs.Where(a => a.RootType == "backupStorage").Select(a => a.ModelChanges ?? "").ToListAsync());
        Assert.NotEmpty(activity);
        Assert.All(activity, changes => Assert.DoesNotContain("s3cret", changes));

        var provider = await admin.PutAsJsonAsync($"/api/system/backups/storages/{id}", new { provider = "ftp" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, provider.StatusCode);

        await OkAsync(await admin.DeleteAsync($"/api/system/backups/storages/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/system/backups/storages/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_local_storage_inside_the_file_store_is_refused()
    {
        var response = await _factory.AdminApi().PostAsJsonAsync("/api/system/backups/storages",
            new { name = "x", provider = "local", configuration = new { folder = Path.Combine(_factory.FilesDirectory, "backups") }, retention = 3, enabled = true });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Back_up_now_answers_a_pending_task_that_the_history_then_shows_done_in_the_seeds_fields()
    {
        await _factory.AddLocalStorageAsync(_folder, name: "local");
        var admin = _factory.AdminApi();

        var started = await OkAsync(await admin.PostAsync("/api/system/backups/create", null));
        Assert.Equal("Pending", (string?)started["current_status"]);
        Assert.Null(started["result"]);
        Assert.Equal("Task pending", (string?)started["tasks_log"]![0]!["message"]);
        var busy = await admin.PostAsync("/api/system/backups/create", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, busy.StatusCode);

        await _factory.Runner.RunPendingAsync();

        var history = await OkAsync(await admin.GetAsync("/api/system/backups/history"));
        var task = Assert.Single(history.AsArray())!;
        Assert.Equal((int)started["id"]!, (int)task["id"]!);
        Assert.Equal("Executed", (string?)task["current_status"]);
        Assert.Equal("Done", (string?)task["result"]);
        Assert.Equal(0, (int)task["error"]!);
        Assert.Equal(0, (int)task["warning"]!);
        Assert.Matches(SeedDate(), (string?)task["end_date"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", (string?)task["created_at"]);
        var archive = Assert.Single(BackupWebFactory.Archives(_folder));
        Assert.Equal(new FileInfo(Path.Combine(_folder, archive)).Length, (long)task["archive_size"]!);
        var messages = task["tasks_log"]!.AsArray().Select(l => (string)l!["message"]!).ToList();
        Assert.Equal(["Task pending", "Backup started"], messages.Take(2));
        Assert.Contains("local: Archive uploaded", messages);
        Assert.Contains("local: Retention task completed", messages);
        Assert.Equal("Backup ended", messages[^1]);
        Assert.All(task["tasks_log"]!.AsArray(), l => Assert.Matches(SeedDate(), (string?)l!["date"]));
        Assert.Contains("[START] Creating backup of the local database", (string?)task["script_log"]);
        Assert.EndsWith(archive + "\n", (string?)task["script_log"]);
        var storage = (await OkAsync(await admin.GetAsync("/api/system/backups/storages")))[0]!;
        Assert.Equal("success", (string?)storage["last_status_message"]);
        Assert.Matches(SeedDate(), (string?)storage["last_backup_date"]);
        var one = await OkAsync(await admin.GetAsync($"/api/system/backups/history/{(int)task["id"]!}"));
        Assert.Equal(task.ToJsonString(), one.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/system/backups/history/999999")).StatusCode);
    }

    [Fact]
    public async Task An_admin_downloads_the_archive_kept_on_a_local_storage()
    {
        await _factory.AddLocalStorageAsync(_folder);
        var task = await _factory.BackUpAsync();

        var response = await _factory.AdminApi().GetAsync((string)task["download"]!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        var archive = Path.Combine(_folder, (string)task["archive_name"]!);
        Assert.Equal(await File.ReadAllBytesAsync(archive), await response.Content.ReadAsByteArrayAsync());
        // Once the storage has pruned it, the archive is gone from the list of downloads too.
        File.Delete(archive);
        Assert.Null((await OkAsync(await _factory.AdminApi().GetAsync($"/api/system/backups/history/{(int)task["id"]!}")))["download"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _factory.AdminApi().GetAsync((string)task["download"]!)).StatusCode);
    }

    [Fact]
    public async Task Without_an_enabled_storage_the_backup_fails_and_says_why()
    {
        await _factory.AddStorageAsync(new { name = "off", provider = "local", configuration = new { folder = _folder }, retention = 3, enabled = false });

        var task = await _factory.BackUpAsync();

        Assert.Equal("Failed", (string?)task["result"]);
        Assert.Contains(task["tasks_log"]!.AsArray(), l => (string?)l!["type"] == "error" && ((string)l["message"]!).StartsWith("No storage is enabled", StringComparison.Ordinal));
        Assert.Empty(BackupWebFactory.Archives(_folder));
    }

    [Fact]
    public async Task A_restart_marks_the_backup_it_interrupted_as_failed_and_the_next_backup_proceeds()
    {
        await _factory.AddLocalStorageAsync(_folder);
        var admin = _factory.AdminApi();
        var started = await OkAsync(await admin.PostAsync("/api/system/backups/create", null));
        var id = (int)started["id"]!;
        // As a process that died mid-backup leaves it: running, claimed by this machine.
        await _factory.WithDbAsync(db => db.BackupTasks.Where(t => t.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, BackupStatuses.Running).SetProperty(t => t.Node, Environment.MachineName)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostAsync("/api/system/backups/create", null)).StatusCode);

        var (failed, _) = await _factory.Service.RecoverAsync();

        Assert.Equal(1, failed);
        var interrupted = await OkAsync(await admin.GetAsync($"/api/system/backups/history/{id}"));
        Assert.Equal("Failed", (string?)interrupted["result"]);
        Assert.StartsWith("Interrupted", (string?)interrupted["tasks_log"]!.AsArray()[^1]!["message"]);
        var next = await _factory.BackUpAsync();
        Assert.Equal("Done", (string?)next["result"]);
    }

    [Fact]
    public async Task A_pending_backup_accepted_before_a_restart_is_run_after_it()
    {
        await _factory.AddLocalStorageAsync(_folder);
        var id = (int)(await OkAsync(await _factory.AdminApi().PostAsync("/api/system/backups/create", null)))["id"]!;

        var (_, restarted) = await _factory.Service.RecoverAsync();

        Assert.Equal(1, restarted);
        // The sweep handed it to the job queue; the queued job runs it.
        var queued = _factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 100);
        Assert.Contains(queued, j => j.Value.Job.Type == typeof(BackupRunner) && j.Value.Job.Args.Contains(id));
        await _factory.Runner.RunAsync(id);
        Assert.Equal("Done", (string?)(await OkAsync(await _factory.AdminApi().GetAsync($"/api/system/backups/history/{id}")))["result"]);
    }

    [Fact]
    public async Task The_daily_schedule_is_registered_at_start_up_and_a_scheduled_run_makes_a_backup()
    {
        await _factory.AddLocalStorageAsync(_folder);

        using var connection = _factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = connection.GetRecurringJobs().Single(j => j.Id == BackupRunner.RecurringId);
        Assert.Equal("30 2 * * *", recurring.Cron);
        await _factory.Runner.RunScheduledAsync();

        var task = (await OkAsync(await _factory.AdminApi().GetAsync("/api/system/backups/history")))[0]!;
        Assert.Equal("schedule", (string?)task["trigger"]);
        Assert.Equal("Done", (string?)task["result"]);
        Assert.Single(BackupWebFactory.Archives(_folder));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex SeedDate();
}
