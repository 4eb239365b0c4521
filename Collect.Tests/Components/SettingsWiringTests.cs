using System.Globalization;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Provisioning;
using Collect.Core.Servers;
using Collect.Core.Settings;
using Collect.Core.Subnets;
using Collect.Web.Components.Pages.Pxe;
using Collect.Web.Components.Pages.Servers;
using Collect.Web.Components.Pages.Servers.Components;
using Collect.Web.Components.Pages.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ActivityPage = Collect.Web.Components.Pages.Activity.Activity;
using ServersPage = Collect.Web.Components.Pages.Servers.Servers;

namespace Collect.Tests.Components;

/// <summary>The system settings and the user's date preferences, as the pages that read them show them.</summary>
public sealed class SettingsWiringTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_server_page_writes_times_in_the_users_time_zone_and_format()
    {
        var admin = await SignInAsAdminAsync();
        await UseDatesAsync("Asia/Tokyo", "MM/DD/YYYY HH:mm:ss");
        var server = await CreateServerAsync(admin, "web-01");

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));

        var fields = page.WaitForElement("[data-test=server-fields]", Wait).TextContent;
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        Assert.Contains(TimeZoneInfo.ConvertTime(server.CreatedAt, tokyo).ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture), fields);
        Assert.DoesNotContain(server.CreatedAt.UtcDateTime.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture), fields);
    }

    [Fact]
    public async Task The_activity_page_names_the_users_time_zone_and_writes_its_times_in_it()
    {
        var admin = await SignInAsAdminAsync();
        await UseDatesAsync("Asia/Tokyo", "YYYY/MM/DD HH:mm:ss");
        await CreateServerAsync(admin, "web-01");
        var logged = await WithDbAsync(db => db.ActivityLogs.AsNoTracking().OrderByDescending(l => l.Id).Select(l => l.CreatedAt).FirstAsync());

        var page = Render<ActivityPage>();

        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var written = TimeZoneInfo.ConvertTime(logged, tokyo).ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
        page.WaitForAssertion(() => Assert.Contains(written, page.Find("[data-test=activity-grid] tbody").TextContent), Wait);
        Assert.Contains("When (Asia/Tokyo)", page.Find("[data-test=activity-grid] thead").TextContent);
        Assert.DoesNotContain("UTC", page.Find("[data-test=activity-grid] thead").TextContent);
    }

    [Fact]
    public async Task A_time_zone_this_machine_does_not_know_is_written_as_utc_and_says_so()
    {
        var admin = await SignInAsAdminAsync();
        await UseDatesAsync("Mars/Olympus", "DD.MM.YYYY HH:mm:ss");
        await CreateServerAsync(admin, "web-01");

        var page = Render<ActivityPage>();

        page.WaitForElement("[data-test=activity-grid] tbody tr.mud-table-row", Wait);
        Assert.Contains("When (UTC)", page.Find("[data-test=activity-grid] thead").TextContent);
    }

    [Fact]
    public async Task The_server_page_shows_the_server_id_when_the_setting_is_on()
    {
        var admin = await SignInAsAdminAsync();
        await SetAsync(admin, SettingNames.ShowServerId, "on");
        var server = await CreateServerAsync(admin, "web-01");

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));

        page.WaitForElement("[data-test=server-fields]", Wait);
        Assert.Contains(server.Id.ToString(CultureInfo.InvariantCulture), page.Find("[data-test=server-id]").TextContent);
    }

    [Fact]
    public async Task The_server_page_leaves_out_the_server_id_while_the_setting_is_off()
    {
        var admin = await SignInAsAdminAsync();
        var server = await CreateServerAsync(admin, "web-01");

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));

        page.WaitForElement("[data-test=server-fields]", Wait);
        Assert.Empty(page.FindAll("[data-test=server-id]"));
    }

    [Fact]
    public async Task The_pxe_manager_hides_disabled_profiles_when_the_setting_is_on()
    {
        var admin = await SignInAsAdminAsync();
        await DisableAsync("Debian 12");
        await SetAsync(admin, SettingNames.HideDisabledProfiles, "on");

        var page = Render<PxeManager>();

        page.WaitForAssertion(() => Assert.Contains("Ubuntu 24.04", ProfileNames(page)), Wait);
        Assert.DoesNotContain("Debian 12", ProfileNames(page));
        Assert.Contains("1 disabled not shown", page.Find("[data-test=pxe-hidden]").TextContent);
    }

    [Fact]
    public async Task The_pxe_manager_lists_disabled_profiles_while_the_setting_is_off()
    {
        await SignInAsAdminAsync();
        await DisableAsync("Debian 12");

        var page = Render<PxeManager>();

        page.WaitForAssertion(() => Assert.Contains("Debian 12", ProfileNames(page)), Wait);
        Assert.Empty(page.FindAll("[data-test=pxe-hidden]"));
    }

    [Fact]
    public async Task A_generated_root_password_stays_hidden_when_passwords_are_hidden_by_default()
    {
        var admin = await SignInAsAdminAsync();
        await SetAsync(admin, SettingNames.HidePasswords, "on");
        var server = await PxeServerAsync(admin, "node-01", 9);
        Render<MudPopoverProvider>();
        var wizard = Render<ReinstallWizard>(p => p.Add(w => w.ServerId, server.Id));

        await wizard.WaitForElement("input[data-test=reinstall-os-option][data-name='Debian 12']", Wait).ClickAsync(new());
        await NextAsync(wizard);
        wizard.WaitForElement("input[data-test=reinstall-layout-option]", Wait);
        await NextAsync(wizard);
        wizard.WaitForElement("input[data-test=reinstall-script]", Wait);
        await NextAsync(wizard);
        await wizard.WaitForElement("[data-test=reinstall-generate]", Wait).ClickAsync(new());

        var password = wizard.Find("input[data-test=reinstall-password]");
        Assert.True(password.GetAttribute("value")!.Length >= 8);
        Assert.Equal("password", password.GetAttribute("type"));
    }

    [Fact]
    public async Task A_generated_root_password_is_shown_while_passwords_are_not_hidden_by_default()
    {
        var admin = await SignInAsAdminAsync();
        var server = await PxeServerAsync(admin, "node-01", 10);
        Render<MudPopoverProvider>();
        var wizard = Render<ReinstallWizard>(p => p.Add(w => w.ServerId, server.Id));

        await wizard.WaitForElement("input[data-test=reinstall-os-option][data-name='Debian 12']", Wait).ClickAsync(new());
        await NextAsync(wizard);
        wizard.WaitForElement("input[data-test=reinstall-layout-option]", Wait);
        await NextAsync(wizard);
        wizard.WaitForElement("input[data-test=reinstall-script]", Wait);
        await NextAsync(wizard);
        await wizard.WaitForElement("[data-test=reinstall-generate]", Wait).ClickAsync(new());

        Assert.Equal("text", wizard.Find("input[data-test=reinstall-password]").GetAttribute("type"));
    }

    [Fact]
    public async Task Adding_a_server_opens_it_when_the_setting_preselects_that()
    {
        var admin = await SignInAsAdminAsync();
        await SetAsync(admin, SettingNames.OpenAddedServer, "on");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServersPage>();
        page.WaitForElement("[data-test=servers-empty]", Wait);

        // Awaited last: the page's click handler only finishes once the dialog has been saved.
        var creating = page.Find("[data-test=server-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=server-servername]", Wait).ChangeAsync("web-01");
        await dialogs.Find("input[data-test=server-hostname]").ChangeAsync("web-01.example.net");
        Assert.NotNull(dialogs.Find("input[data-test=server-open-after]").GetAttribute("checked"));
        await dialogs.Find("[data-test=server-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        var id = await WithDbAsync(db => db.Servers.Where(s => s.Servername == "web-01").Select(s => s.Id).SingleAsync());
        Assert.EndsWith($"/servers/{id}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task Adding_a_server_stays_on_the_list_when_open_after_adding_is_unticked()
    {
        var admin = await SignInAsAdminAsync();
        await SetAsync(admin, SettingNames.OpenAddedServer, "on");
        var navigation = Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServersPage>();
        page.WaitForElement("[data-test=servers-empty]", Wait);

        var creating = page.Find("[data-test=server-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=server-servername]", Wait).ChangeAsync("web-01");
        await dialogs.Find("input[data-test=server-hostname]").ChangeAsync("web-01.example.net");
        await dialogs.Find("input[data-test=server-open-after]").ChangeAsync(false);
        await dialogs.Find("[data-test=server-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-test=server-grid] [data-test=server-link]")), Wait);
        Assert.Equal(before, navigation.Uri);
    }

    [Fact]
    public async Task Adding_a_user_opens_it_when_the_setting_preselects_that()
    {
        var admin = await SignInAsAdminAsync();
        await SetAsync(admin, SettingNames.OpenAddedUser, "on");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Users>();
        page.WaitForElement("[data-test=user-create]", Wait);

        var creating = page.Find("[data-test=user-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=user-name]", Wait).ChangeAsync("New Customer");
        await dialogs.Find("input[data-test=user-username]").ChangeAsync("newcustomer");
        await dialogs.Find("input[data-test=user-password]").ChangeAsync("Customer-Passw0rd");
        Assert.NotNull(dialogs.Find("input[data-test=user-open-after]").GetAttribute("checked"));
        await dialogs.Find("[data-test=user-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        var id = await WithDbAsync(db => db.Users.Where(u => u.UserName == "newcustomer").Select(u => u.Id).SingleAsync());
        Assert.EndsWith($"/users/{id}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task The_settings_page_keeps_settings_no_feature_reads_in_a_group_of_their_own()
    {
        await SignInAsAdminAsync();

        var page = Render<Collect.Web.Components.Pages.Settings.Settings>();

        var compat = page.WaitForElement("[data-test=settings-compat]", Wait);
        Assert.Contains("Kept for API compatibility", compat.TextContent);
        Assert.Contains("No feature of this version reads these settings", compat.TextContent);
        foreach (var name in SystemSettingsService.Definitions.Where(d => d.KeptForCompatibility).Select(d => d.Name))
            Assert.NotNull(compat.QuerySelector($"[data-test=setting-{name}]"));
        Assert.Null(compat.QuerySelector("[data-test=setting-show_server_id_on_server_detail_page]"));
        Assert.NotNull(page.Find("[data-test=settings-area-servers] [data-test=setting-show_server_id_on_server_detail_page]"));
        Assert.Empty(page.FindAll("[data-test=settings-area-suspension]"));
    }

    /// <summary>Gives the admin this time zone and format, and signs in again so the circuit reads them as Routes would.</summary>
    private async Task UseDatesAsync(string zone, string format)
    {
        await WithDbAsync(db => db.Users.Where(u => u.UserName == AdminUserName)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Timezone, zone).SetProperty(x => x.DatetimeFormat, format)));
        await SignInAsync(AdminUserName);
    }

    private async Task SetAsync(Actor admin, string name, string value)
    {
        var result = await Services.GetRequiredService<SystemSettingsService>().UpdateAsync(admin, new Dictionary<string, string?> { [name] = value });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
    }

    private Task<int> DisableAsync(string profile) =>
        WithDbAsync(db => db.PxeItems.Where(p => p.Kind == PxeKinds.Profile && p.Name == profile).ExecuteUpdateAsync(p => p.SetProperty(x => x.IsDisabled, true)));

    private async Task<ServerView> CreateServerAsync(Actor admin, string name)
    {
        var result = await Services.GetRequiredService<ServerService>().CreateAsync(admin, new ServerInput
        {
            Servername = name,
            Hostname = $"{name}.example.net",
            Provided = new HashSet<string> { "hostname", "servername" },
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

    /// <summary>A server the PXE flow can install: a DHCP connection with its PXE MAC, and an address from a subnet with a gateway.</summary>
    private async Task<ServerView> PxeServerAsync(Actor admin, string name, int n)
    {
        var subnet = await Services.GetRequiredService<SubnetService>().CreateAsync(admin, new SubnetInput
        {
            Subnet = $"198.18.{n}.0", Cidr = 24, Type = "v4", Gw = $"198.18.{n}.1", DnsResolvers = ["9.9.9.9", "149.112.112.112"],
        });
        Assert.True(subnet.IsOk, string.Join(" ", subnet.Errors?.SelectMany(e => e.Value) ?? []));
        var result = await Services.GetRequiredService<ServerService>().CreateAsync(admin, new ServerInput
        {
            Servername = name,
            Hostname = $"{name}.example.net",
            Config = new ServerConfigInput(null, null, null, null, $"52:54:00:00:21:{n:x2}", false, false, false, false),
            IpAssignments = [$"198.18.{n}.10"],
            Provided = new HashSet<string> { "hostname", "servername", "config", "ipassignments" },
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

    private static Task NextAsync(IRenderedComponent<ReinstallWizard> wizard) => wizard.WaitForElement("[data-test=reinstall-next]", Wait).ClickAsync(new());

    private static HashSet<string> ProfileNames(IRenderedComponent<PxeManager> page) =>
        page.FindAll("[data-test=pxe-grid-profiles] [data-test=pxe-name]").Select(n => n.TextContent.Trim()).ToHashSet();
}
