using static Collect.Tests.Infrastructure.Json;
using System.Net;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Settings;

/// <summary>default_timezone and default_datetime_format are what new accounts start with.</summary>
public sealed class NewUserDefaultsTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private const string Password = "Defaults-Passw0rd!";
    private HttpClient Admin => factory.AdminApi();

    [Fact]
    public async Task A_new_user_and_a_new_alias_user_start_with_the_default_time_zone_and_format_of_the_settings()
    {
        await SetDefaultsAsync("Europe/Berlin", "YYYY-MM-DD HH:mm:ss");

        var user = await OkAsync(await Admin.PostJsonAsync("/api/users", new { name = "Berliner", username = "berliner", password = Password }));
        var owner = factory.ApiClient(await factory.CreateTokenAsync((int)user["id"]!));
        var roleId = (int)(await OkAsync(await owner.PostJsonAsync("/api/aliasRoles", new { name = "Helper", permissionsets = new[] { "View Own Account" } })))["id"]!;
        await OkAsync(await owner.PostJsonAsync("/api/aliasUsers", new { name = "Helper", username = "berliner-helper", password = Password, role_id = roleId }));

        Assert.Equal("Europe/Berlin", (string?)user["timezone"]);
        Assert.Equal("YYYY-MM-DD HH:mm:ss", (string?)user["datetimeFormat"]);
        var alias = await factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "berliner-helper"));
        Assert.Equal("Europe/Berlin", alias.Timezone);
        Assert.Equal("YYYY-MM-DD HH:mm:ss", alias.DatetimeFormat);
    }

    [Fact]
    public async Task A_time_zone_and_format_sent_with_the_new_user_win_over_the_defaults()
    {
        await SetDefaultsAsync("Europe/Berlin", "YYYY-MM-DD HH:mm:ss");

        var user = await OkAsync(await Admin.PostJsonAsync("/api/users",
            new { name = "Tokyo", username = "tokyo", password = Password, timezone = "Asia/Tokyo", datetimeFormat = "MM/DD/YYYY HH:mm:ss" }));

        Assert.Equal("Asia/Tokyo", (string?)user["timezone"]);
        Assert.Equal("MM/DD/YYYY HH:mm:ss", (string?)user["datetimeFormat"]);
    }

    [Fact]
    public async Task An_unknown_default_time_zone_or_format_is_refused_and_changes_nothing()
    {
        var zone = await Admin.PutJsonAsync("/api/system/globalSystemSettings", new { settings = new Dictionary<string, string> { ["default_timezone"] = "Mars/Olympus" } });
        var format = await Admin.PutJsonAsync("/api/system/globalSystemSettings", new { settings = new Dictionary<string, string> { ["default_datetime_format"] = "YYYY" } });
        var before = (string?)await OkAsync(await Admin.GetAsync("/api/system/globalSystemSettings/default_timezone"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, zone.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, format.StatusCode);
        Assert.NotEqual("Mars/Olympus", before);
    }

    [Fact]
    public async Task The_settings_list_says_which_settings_no_feature_reads()
    {
        var list = (await OkAsync(await Admin.GetAsync("/api/system/globalSystemSettings"))).AsArray();
        bool InUse(string name) => (bool)list.Single(s => (string?)s!["setting"] == name)!["inUse"]!;

        Assert.True(InUse("default_timezone"));
        Assert.True(InUse("ui_pxemanager_hide_disabled_pxeprofiles"));
        Assert.False(InUse("suspension_default_power_action"));
        Assert.False(InUse("networkgraphs_show_total_p95th_line"));
    }

    private async Task SetDefaultsAsync(string zone, string format) =>
        await OkAsync(await Admin.PutJsonAsync("/api/system/globalSystemSettings", new
        {
            settings = new Dictionary<string, string> { ["default_timezone"] = zone, ["default_datetime_format"] = format },
        }));
}
