using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Backups;
using BackupsPage = Collect.Web.Components.Pages.Backups.Backups;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Collect.Tests.Components;

public sealed class BackupsPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "collect-tests", "page-archives-" + Guid.NewGuid().ToString("N"));

    public BackupsPageTests()
    {
        // Live progress only runs in an interactive circuit.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
    }

    private BackupService Service => Services.GetRequiredService<BackupService>();
    private BackupRunner Runner => Services.GetRequiredService<BackupRunner>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private Task<ServiceResult<BackupStorageView>> AddStorageAsync(Actor admin, string name, string provider, JsonObject configuration, bool enabled = true) =>
        Service.CreateStorageAsync(admin, new StorageInput(name, provider, configuration, 3, enabled, new HashSet<string>()));

    [Fact]
    public async Task Storages_show_where_archives_go_without_their_secrets_and_the_empty_history_says_so()
    {
        var admin = await SignInAsAdminAsync();
        await AddStorageAsync(admin, "Disk", "local", new JsonObject { ["folder"] = _folder });
        await AddStorageAsync(admin, "Offsite", "sftp", new JsonObject
        {
            ["host"] = "backup.example.net", ["username"] = "collect", ["password"] = "Very-Secret-1", ["root"] = "panel",
        }, enabled: false);

        var page = Render<BackupsPage>();

        page.WaitForAssertion(() => Assert.Equal(["Disk", "Offsite"], page.FindAll("[data-test=storage-row]").Select(r => r.TextContent.Trim())), Wait);
        Assert.Equal([_folder, "collect@backup.example.net:22/panel"], page.FindAll("[data-test=storage-location]").Select(l => l.TextContent.Trim()));
        Assert.Single(page.FindAll("[data-test=storage-enabled-icon]"));
        Assert.Single(page.FindAll("[data-test=storage-disabled-icon]"));
        Assert.DoesNotContain("Very-Secret-1", page.Markup);
        page.WaitForElement("[data-test=history-empty]", Wait);
        Assert.Contains("Scheduled daily at 02:30 UTC.", page.Find("[data-test=backup-schedule]").TextContent);
    }

    [Fact]
    public async Task Without_storages_the_page_says_how_to_start()
    {
        await SignInAsAdminAsync();

        var page = Render<BackupsPage>();

        page.WaitForElement("[data-test=storages-empty]", Wait);
        Assert.Empty(page.FindAll("[data-test=storage-row]"));
    }

    [Fact]
    public async Task A_local_storage_added_in_the_dialog_is_saved_and_listed_and_a_bad_folder_is_named()
    {
        await SignInAsAdminAsync();
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<BackupsPage>();
        page.WaitForElement("[data-test=storages-empty]", Wait);

        var adding = page.Find("[data-test=storage-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=storage-name]", Wait).ChangeAsync("Backup disk");
        await dialogs.Find("input[data-test=storage-folder]").ChangeAsync("relative/folder");
        await dialogs.Find("[data-test=storage-save]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("absolute path", dialogs.Markup), Wait);
        await dialogs.Find("input[data-test=storage-folder]").ChangeAsync(_folder);
        await dialogs.Find("input[data-test=storage-retention]").ChangeAsync("4");
        await dialogs.Find("[data-test=storage-save]").ClickAsync(new());
        await adding.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Equal(["Backup disk"], page.FindAll("[data-test=storage-row]").Select(r => r.TextContent.Trim())), Wait);
        var stored = await WithDbAsync(db => db.BackupStorages.SingleAsync());
        Assert.Equal(4, stored.Retention);
        Assert.Equal(_folder, (string?)JsonNode.Parse(stored.Configuration)!["folder"]);
    }

    [Fact]
    public async Task Testing_a_storage_from_the_dialog_shows_that_its_folder_is_writable()
    {
        var admin = await SignInAsAdminAsync();
        var storage = (await AddStorageAsync(admin, "Disk", "local", new JsonObject { ["folder"] = _folder })).Value!;
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<BackupsPage>();
        page.WaitForElement("[data-test=storage-edit]", Wait);

        _ = page.Find("[data-test=storage-edit]").ClickAsync(new());
        await dialogs.WaitForElement("[data-test=storage-test]", Wait).ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("The folder is writable", dialogs.Find("[data-test=storage-test-result]").TextContent), Wait);
        Assert.True(Directory.Exists(_folder));
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Equal(storage.Storage.Id, (await WithDbAsync(db => db.BackupStorages.SingleAsync())).Id);
    }

    [Fact]
    public async Task Back_up_now_shows_the_progress_live_then_the_result_the_log_and_the_download()
    {
        var admin = await SignInAsAdminAsync();
        await AddStorageAsync(admin, "Disk", "local", new JsonObject { ["folder"] = _folder });
        var dialogs = Render<MudDialogProvider>();
        var page = Render<BackupsPage>();
        page.WaitForElement("[data-test=history-empty]", Wait);

        await page.Find("[data-test=backup-now]").ClickAsync(new());

        var progress = page.WaitForElement("[data-test=backup-progress]", Wait);
        Assert.Contains("Pending", progress.TextContent);
        Assert.True(page.Find("[data-test=backup-now]").HasAttribute("disabled"));
        // The background worker picks the task up; the page follows it on its own.
        await Runner.RunPendingAsync();

        page.WaitForAssertion(() => Assert.Contains("Done", page.Find("[data-test=backup-finished]").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-test=backup-progress]"));
        page.WaitForAssertion(() => Assert.Equal("done", page.Find("[data-test=history-grid] [data-test=backup-status]").GetAttribute("data-status")), Wait);
        var task = await WithDbAsync(db => db.BackupTasks.SingleAsync());
        Assert.Equal($"/api/system/backups/history/{task.Id}/download", page.Find("[data-test=history-download]").GetAttribute("href"));
        page.WaitForAssertion(() => Assert.Equal("success", page.Find("[data-test=storage-last-status]").TextContent.Trim()), Wait);

        await page.Find("[data-test=history-log]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Backup started", LogLines(dialogs)), Wait);
        Assert.Contains("Disk: Archive uploaded", LogLines(dialogs));
        Assert.Contains(task.ArchiveName!, dialogs.Find("[data-test=backup-script-log]").TextContent);
    }

    [Fact]
    public async Task A_failed_backup_says_why_on_the_page()
    {
        await SignInAsAdminAsync();
        var page = Render<BackupsPage>();
        page.WaitForElement("[data-test=history-empty]", Wait);

        await page.Find("[data-test=backup-now]").ClickAsync(new());
        page.WaitForElement("[data-test=backup-progress]", Wait);
        await Runner.RunPendingAsync();

        page.WaitForAssertion(() => Assert.Contains("No storage is enabled", page.Find("[data-test=backup-finished]").TextContent), Wait);
        Assert.Contains("Failed", page.Find("[data-test=backup-finished]").TextContent);
        Assert.Empty(page.FindAll("[data-test=history-download]"));
    }

    [Fact]
    public async Task Deleting_a_storage_asks_first_and_keeps_it_when_cancelled()
    {
        var admin = await SignInAsAdminAsync();
        await AddStorageAsync(admin, "Disk", "local", new JsonObject { ["folder"] = _folder });
        var dialogs = Render<MudDialogProvider>();
        var page = Render<BackupsPage>();
        page.WaitForElement("[data-test=storage-delete]", Wait);

        var first = page.Find("[data-test=storage-delete]").ClickAsync(new());
        await MessageBoxButton(dialogs, "Cancel").ClickAsync(new());
        await first.WaitAsync(Wait);
        Assert.Equal(1, await WithDbAsync(db => db.BackupStorages.CountAsync()));

        var second = page.Find("[data-test=storage-delete]").ClickAsync(new());
        await MessageBoxButton(dialogs, "Delete").ClickAsync(new());
        await second.WaitAsync(Wait);

        Assert.Equal(0, await WithDbAsync(db => db.BackupStorages.CountAsync()));
        page.WaitForElement("[data-test=storages-empty]", Wait);
    }

    [Fact]
    public async Task A_reseller_is_told_backups_are_for_administrators_and_sees_no_storage()
    {
        var admin = await SignInAsAdminAsync();
        await AddStorageAsync(admin, "Disk", "local", new JsonObject { ["folder"] = _folder });
        await CreateUserAsync("reseller", BuiltInRoles.Reseller);
        await SignInAsync("reseller");

        var page = Render<BackupsPage>();

        page.WaitForElement("[data-test=backups-forbidden]", Wait);
        Assert.Empty(page.FindAll("[data-test=storage-row]"));
        Assert.Empty(page.FindAll("[data-test=backup-now]"));
    }

    private static List<string> LogLines(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll("[data-test=backup-log-line]").Select(l => l.QuerySelectorAll("td")[2].TextContent.Trim()).ToList();

    private static IElement MessageBoxButton(IRenderedComponent<MudDialogProvider> dialogs, string text)
    {
        dialogs.WaitForAssertion(() => Assert.Contains(dialogs.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == text), Wait);
        return dialogs.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == text);
    }
}
