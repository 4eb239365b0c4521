using static Collect.Tests.Infrastructure.Json;
using System.Net;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Settings;

/// <summary>Global settings with defaults and types, the time zones and the date formats of seed 002.</summary>
public sealed class SystemSettingsApiTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();

    [Fact]
    public async Task A_setting_starts_at_its_default_and_a_change_is_kept()
    {
        var before = await OkAsync(await Admin.GetAsync("/api/system/globalSystemSettings/precheck_addserver_redirect_to_server"));
        await OkAsync(await Admin.PutJsonAsync("/api/system/globalSystemSettings", new { settings = new[] { new Dictionary<string, string> { ["precheck_addserver_redirect_to_server"] = "on" } } }));
        var after = await OkAsync(await Admin.GetAsync("/api/system/globalSystemSettings/precheck_addserver_redirect_to_server"));
        var list = (await OkAsync(await Admin.GetAsync("/api/system/globalSystemSettings"))).AsArray();

        Assert.Equal("off", (string?)before);
        Assert.Equal("on", (string?)after);
        var row = list.Single(s => (string?)s!["setting"] == "precheck_addserver_redirect_to_server")!;
        Assert.Equal("off", (string?)row["default"]);
        Assert.NotNull((int?)row["id"]);
        Assert.Equal("DD.MM.YYYY HH:mm:ss", (string?)list.Single(s => (string?)s!["setting"] == "default_datetime_format")!["value"]);
    }

    [Fact]
    public async Task A_wrong_value_or_an_unknown_name_changes_nothing()
    {
        var wrong = await Admin.PutJsonAsync("/api/system/globalSystemSettings", new { settings = new Dictionary<string, object> { ["ui_pxemanager_hide_disabled_scripts"] = "on", ["delete_rdns_entry_when_delete_ip"] = "maybe" } });
        var notString = await Admin.PutJsonAsync("/api/system/globalSystemSettings", new { settings = new Dictionary<string, object> { ["delete_rdns_entry_when_delete_ip"] = true } });
        var unknown = await Admin.GetAsync("/api/system/globalSystemSettings/no_such_setting");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Equal("The delete_rdns_entry_when_delete_ip must be on or off.", (string?)(await wrong.ReadJsonAsync())["message"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notString.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("off", (string?)await OkAsync(await Admin.GetAsync("/api/system/globalSystemSettings/ui_pxemanager_hide_disabled_scripts")));
    }

    [Fact]
    public async Task The_nine_date_formats_show_the_current_time_in_each()
    {
        // The test clock stands still, so "now" is the same for the answer and for the expectation.
        var now = factory.Clock.GetUtcNow();
        string Written(string pattern) => now.ToString(pattern, System.Globalization.CultureInfo.InvariantCulture);

        var formats = (await OkAsync(await Admin.GetAsync("/api/system/listTimeDateFormats"))).AsArray();

        Assert.Equal(9, formats.Count);
        Assert.Equal(Written("dd.MM.yyyy HH:mm:ss"), (string?)formats.Single(f => (string?)f!["format"] == "DD.MM.YYYY HH:mm:ss")!["example"]);
        Assert.Equal(Written("MM'/'dd'/'yyyy HH:mm:ss"), (string?)formats.Single(f => (string?)f!["format"] == "MM/DD/YYYY HH:mm:ss")!["example"]);
        Assert.Equal(Written("yyyy-MM-dd HH:mm:ss"), (string?)formats.Single(f => (string?)f!["format"] == "YYYY-MM-DD HH:mm:ss")!["example"]);
    }

    [Fact]
    public async Task The_time_zones_are_a_sorted_list_of_zone_names()
    {
        var zones = (await OkAsync(await Admin.GetAsync("/api/system/listTimezones"))).AsArray().Select(z => (string)z!).ToList();

        Assert.Contains("Europe/Berlin", zones);
        Assert.Contains("Etc/UTC", zones);
        Assert.Equal(zones.Order(StringComparer.Ordinal).ToList(), zones);
    }

    [Fact]
    public async Task A_task_id_is_a_backup_task_and_an_unknown_one_is_not_found()
    {
        var task = await OkAsync(await Admin.PostAsync("/api/system/backups/create", null));
        var id = (int)task["id"]!;

        var polled = await OkAsync(await Admin.GetAsync($"/api/tasks/{id}"));
        var missing = await Admin.GetAsync("/api/tasks/999999");

        Assert.Equal(id, (int?)polled["id"]);
        Assert.Equal("createBackup", (string?)polled["action"]);
        Assert.Contains((string?)polled["status"], new[] { "pending", "running", "completed", "failed" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
