using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Provisioning;
using Collect.Core.Servers;
using Collect.Core.Subnets;
using Collect.Web.Components.Pages.Pxe;
using Collect.Web.Components.Pages.Servers.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Collect.Tests.Components;

public sealed class PxePageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_manager_lists_the_stock_profiles_and_disk_layouts()
    {
        await SignInAsAdminAsync();

        var page = Render<PxeManager>();

        page.WaitForAssertion(() => Assert.Superset(
            new HashSet<string> { "Debian 12", "Ubuntu 24.04", "AlmaLinux 9", "Rocky Linux 9", "Rescue system" }, Names(page, "profiles")), Wait);
        var debian = Row(page, "profiles", "Debian 12");
        Assert.NotNull(debian.QuerySelector("[data-test=pxe-stock]"));
        Assert.Contains("preseed", debian.QuerySelectorAll("[data-test=pxe-tag]").Select(t => t.TextContent.Trim()));
        Assert.Contains("1 script", debian.QuerySelector("[data-test=pxe-linked]")!.TextContent);
        Assert.NotNull(Row(page, "profiles", "Rescue system").QuerySelector("[data-test=pxe-rescue]"));

        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Disk layouts")).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Superset(
            new HashSet<string> { "Automatic partitioning", "RAID 0", "RAID 1", "RAID 5", "RAID 10", "Install on largest disk", "Install on smallest disk" },
            Names(page, "disklayouts")), Wait);
    }

    [Fact]
    public async Task A_customer_gets_no_pxe_library_and_no_editing_actions()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("customer");
        await SignInAsync("customer");

        var page = Render<PxeManager>();

        page.WaitForElement("[data-test=pxe-forbidden]", Wait);
        Assert.Empty(page.FindAll("[data-test=pxe-create]"));
        Assert.Empty(page.FindAll("[data-test=pxe-tabs]"));
    }

    [Fact]
    public async Task A_profile_saved_with_keep_dhcp_minutes_0_shows_the_field_error_and_stores_nothing()
    {
        await SignInAsAdminAsync();
        var debian = await ProfileAsync("Debian 12");
        var before = await WithDbAsync(db => db.PxeItems.AsNoTracking().SingleAsync(p => p.Id == debian.Item.Id));
        var page = Render<PxeEditor>(p => p.Add(e => e.Segment, "profiles").Add(e => e.Id, debian.Item.Id));

        await page.WaitForElement("input[data-test=pxe-input-keep_dhcp_minutes]", Wait).ChangeAsync("0");
        await page.Find("[data-test=pxe-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("must be at least 1",
            page.Find("[data-test=pxe-field][data-field=keep_dhcp_minutes]").TextContent), Wait);
        Assert.Contains("Keep the DHCP entry", page.Find("[data-test=pxe-errors]").TextContent);
        var after = await WithDbAsync(db => db.PxeItems.AsNoTracking().SingleAsync(p => p.Id == debian.Item.Id));
        Assert.Equal(before.Settings, after.Settings);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    [Fact]
    public async Task Rendering_a_profile_for_a_server_shows_the_answer_file_with_its_hostname()
    {
        var admin = await SignInAsAdminAsync();
        await PxeServerAsync(admin, "web-07", 7);
        var debian = await ProfileAsync("Debian 12");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<PxeEditor>(p => p.Add(e => e.Segment, "profiles").Add(e => e.Id, debian.Item.Id));

        await page.WaitForElement("[data-test=pxe-editor-preview]", Wait).ClickAsync(new());
        await dialogs.WaitForElement("[data-test=pxe-preview-server][data-server=web-07]", Wait).ClickAsync(new());

        dialogs.WaitForAssertion(() =>
        {
            var answer = dialogs.Find("[data-test=pxe-preview-file][data-file=answer] [data-test=pxe-preview-output]").TextContent;
            Assert.Contains("netcfg/hostname string web-07.example.net", answer);
            Assert.Contains("198.18.7.10", answer);
        }, Wait);
        Assert.Empty(dialogs.FindAll("[data-test=pxe-preview-file-error]"));
    }

    [Fact]
    public async Task The_wizard_starts_an_installation_shows_its_progress_and_can_abort_it()
    {
        var admin = await SignInAsAdminAsync();
        var server = await PxeServerAsync(admin, "node-01", 8);
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var wizard = Render<ReinstallWizard>(p => p.Add(w => w.ServerId, server.Id));

        await wizard.WaitForElement("input[data-test=reinstall-os-option][data-name='Debian 12']", Wait).ClickAsync(new());
        Assert.NotNull(wizard.Find("[data-test=reinstall-rescue]"));
        await NextAsync(wizard);
        // RAID layouts need more disks than the (empty) hardware inventory has; Debian's default layout is preselected.
        wizard.WaitForElement("input[data-test=reinstall-layout-option][data-name='Automatic partitioning']", Wait);
        Assert.Empty(wizard.FindAll("input[data-test=reinstall-layout-option][data-name='RAID 1']"));
        await NextAsync(wizard);
        wizard.WaitForElement("input[data-test=reinstall-script][data-name='System Upgrade']", Wait);
        await NextAsync(wizard);
        await wizard.WaitForElement("[data-test=reinstall-generate]", Wait).ClickAsync(new());
        Assert.True(wizard.Find("input[data-test=reinstall-password]").GetAttribute("value")!.Length >= 8);
        await NextAsync(wizard);
        var summary = wizard.WaitForElement("[data-test=reinstall-summary]", Wait).TextContent;
        Assert.Contains("Debian 12", summary);
        Assert.Contains("Automatic partitioning", summary);
        Assert.Contains("System Upgrade", summary);
        await wizard.Find("[data-test=reinstall-start]").ClickAsync(new());

        wizard.WaitForAssertion(() => Assert.Equal("Waiting for the machine", wizard.Find("[data-test=install-status]").TextContent.Trim()), Wait);
        Assert.Contains("Installation of Debian 12 queued", wizard.Find("[data-test=install-step]").TextContent);
        var installation = await WithDbAsync(db => db.Installations.AsNoTracking().SingleAsync(i => i.ServerId == server.Id));
        Assert.Equal(InstallationStatuses.Pending, installation.Status);
        var library = Services.GetRequiredService<PxeLibraryService>();
        Assert.Equal((await library.ListAsync(PxeKinds.DiskLayout)).Single(l => l.Item.Name == "Automatic partitioning").Item.Id, installation.DiskLayoutId);
        Assert.Equal([(await library.ListAsync(PxeKinds.Script)).Single(l => l.Item.Name == "System Upgrade").Item.Id.ToString()], installation.ScriptIds);

        // Awaited last: the click handler only returns once the message box is answered.
        var aborting = wizard.Find("[data-test=install-abort]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("button"), b => b.TextContent.Contains("Abort without power reset")), Wait);
        await dialogs.FindAll("button").Single(b => b.TextContent.Contains("Abort without power reset")).ClickAsync(new());
        await aborting.WaitAsync(Wait);

        wizard.WaitForAssertion(() => Assert.Equal("Aborted", wizard.Find("[data-test=install-status]").TextContent.Trim()), Wait);
        Assert.NotNull(wizard.Find("[data-test=install-end]"));
        Assert.Empty(wizard.FindAll("[data-test=install-abort]"));
        var aborted = await WithDbAsync(db => db.Installations.AsNoTracking().SingleAsync(i => i.ServerId == server.Id));
        Assert.Equal(InstallationStatuses.Aborted, aborted.Status);
        Assert.Contains("Aborted by the operator", aborted.Progress[^1]);
    }

    private static Task NextAsync(IRenderedComponent<ReinstallWizard> wizard) => wizard.WaitForElement("[data-test=reinstall-next]", Wait).ClickAsync(new());

    private async Task<PxeItemView> ProfileAsync(string name) =>
        (await Services.GetRequiredService<PxeLibraryService>().ListAsync(PxeKinds.Profile)).Single(p => p.Item.Name == name);

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
            Config = new ServerConfigInput(null, null, null, null, $"52:54:00:00:20:{n:x2}", false, false, false, false),
            IpAssignments = [$"198.18.{n}.10"],
            Provided = new HashSet<string> { "hostname", "servername", "config", "ipassignments" },
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

    private static HashSet<string> Names<T>(IRenderedComponent<T> page, string segment) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll($"[data-test=pxe-grid-{segment}] [data-test=pxe-name]").Select(n => n.TextContent.Trim()).ToHashSet();

    private static IElement Row<T>(IRenderedComponent<T> page, string segment, string name) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll($"[data-test=pxe-grid-{segment}] tbody tr.mud-table-row").First(r => r.QuerySelector("[data-test=pxe-name]")?.TextContent.Trim() == name);
}
