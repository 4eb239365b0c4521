using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Hardware;
using Collect.Core.Servers;
using Collect.Web.Components.Pages.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ComponentsPage = Collect.Web.Components.Pages.Hardware.Components;
using ServersPage = Collect.Web.Components.Pages.Servers.Servers;

namespace Collect.Tests.Components;

public sealed class HardwarePageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_hardware_tab_shows_the_summary_and_the_parts_with_custom_fields_by_name()
    {
        var admin = await SignInAsAdminAsync();
        var server = await CreateServerAsync(admin, "web-01");
        await AddPartAsync(admin, server.Id, "cpu", "AMD EPYC 7302P", "3000", ("Cores", "16"), ("Threads", "32"), ("MHz Turbo", "3300"));
        await AddPartAsync(admin, server.Id, "memory", "DDR4 ECC", "16384");
        await AddPartAsync(admin, server.Id, "memory", "DDR4 ECC", "16384");
        await AddPartAsync(admin, server.Id, "disk", "Samsung PM983", "1048576", ("Disk Type", "SSD"));

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await OpenTabAsync(page, "Hardware");

        page.WaitForElement("[data-test=hw-summary]", Wait);
        var cpu = Card(page, "cpu");
        Assert.Contains("AMD EPYC 7302P", cpu.TextContent);
        Assert.Contains("16 cores", cpu.TextContent);
        Assert.Contains("32 threads", cpu.TextContent);
        Assert.Contains("turbo 3300 MHz", cpu.TextContent);
        Assert.Equal("32 GB", Card(page, "memory").QuerySelector("[data-test=hw-card-main]")!.TextContent.Trim());
        Assert.Contains("2 modules", Card(page, "memory").TextContent);
        Assert.Equal("1 TB", Card(page, "disk").QuerySelector("[data-test=hw-card-main]")!.TextContent.Trim());

        Assert.Equal(4, page.FindAll("[data-test=hw-item]").Count);
        var disk = page.Find("[data-test=hw-item][data-component=disk]");
        // The dropdown's stored id reads as its value, under the field's name.
        Assert.Equal(["Disk Type: SSD"], FieldTexts(disk));
        Assert.Equal("manual", disk.QuerySelector("[data-test=hw-item-source]")!.TextContent.Trim());
        var cpuRow = page.Find("[data-test=hw-item][data-component=cpu]");
        Assert.Contains("Cores: 16", FieldTexts(cpuRow));
        Assert.Contains("3000 MHz", cpuRow.QuerySelector("[data-test=hw-item-value]")!.TextContent);
    }

    [Fact]
    public async Task A_customer_sees_the_summary_of_their_server_but_not_the_parts_or_their_actions()
    {
        var admin = await SignInAsAdminAsync();
        var customer = await CreateUserAsync("customer");
        var server = await CreateServerAsync(admin, "web-01", ownerId: customer.Id);
        await AddPartAsync(admin, server.Id, "memory", "DDR4 ECC", "65536");
        await SignInAsync("customer");

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await OpenTabAsync(page, "Hardware");

        page.WaitForAssertion(() => Assert.Equal("64 GB", Card(page, "memory").QuerySelector("[data-test=hw-card-main]")!.TextContent.Trim()), Wait);
        Assert.Empty(page.FindAll("[data-test=hw-items]"));
        Assert.Empty(page.FindAll("[data-test=hw-add]"));
        Assert.Empty(page.FindAll("[data-test=hw-collect]"));
    }

    [Fact]
    public async Task A_part_added_in_the_dialog_stores_the_chosen_dropdown_value()
    {
        var admin = await SignInAsAdminAsync();
        var server = await CreateServerAsync(admin, "web-01");
        var diskType = await FieldAsync("Disk Type");
        var nvme = diskType.Values().Single(v => v.Value == "NVMe").Id;
        var popovers = Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await OpenTabAsync(page, "Hardware");
        page.WaitForElement("[data-test=hw-empty]", Wait);

        // Awaited last: the tab's click handler only finishes once the dialog has been saved.
        var adding = page.Find("[data-test=hw-add]").ClickAsync(new());
        await ChooseAsync(dialogs, popovers, "[data-test=hw-item-component]", "Disk (disk)");
        dialogs.WaitForElement("[data-test=hw-field][data-field='Disk Type']", Wait);
        await dialogs.Find("input[data-test=hw-item-model-input]").ChangeAsync("Samsung 990 Pro");
        await dialogs.Find("input[data-test=hw-item-value-input]").ChangeAsync("1907729");
        await ChooseAsync(dialogs, popovers, "[data-test=hw-field][data-field='Disk Type']", "NVMe");
        await dialogs.Find("[data-test=hw-item-save]").ClickAsync(new());
        await adding.WaitAsync(Wait);

        var stored = await WithDbAsync(db => db.ServerInventoryItems.SingleAsync());
        Assert.Equal("Samsung 990 Pro", stored.Model);
        Assert.Equal(1907729, stored.Amount);
        Assert.Equal([$"{diskType.Id}:{nvme}"], stored.CustomFields);
        page.WaitForAssertion(() => Assert.Equal(["Disk Type: NVMe"], FieldTexts(page.Find("[data-test=hw-item][data-component=disk]"))), Wait);
        Assert.Contains("1 disk", Card(page, "disk").TextContent);
    }

    [Fact]
    public async Task Built_in_components_and_fields_offer_no_delete()
    {
        await SignInAsAdminAsync();

        var page = Render<ComponentsPage>();

        page.WaitForAssertion(() => Assert.Equal(9, page.FindAll("[data-test=component-grid] [data-test=component-name]").Count), Wait);
        var cpu = Row(page, "component-grid", "component-name", "cpu")!;
        Assert.NotNull(cpu.QuerySelector("[data-test=component-builtin]"));
        Assert.True(cpu.QuerySelector("[data-test=component-delete]")!.HasAttribute("disabled"));
        var cores = Row(page, "field-grid", "field-name", "Cores")!;
        Assert.NotNull(cores.QuerySelector("[data-test=field-builtin]"));
        Assert.True(cores.QuerySelector("[data-test=field-delete]")!.HasAttribute("disabled"));
        Assert.Equal(9, await WithDbAsync(db => db.InventoryComponents.CountAsync()));
    }

    [Fact]
    public async Task A_dropdown_custom_field_created_in_the_dialog_is_stored_and_listed()
    {
        await SignInAsAdminAsync();
        var popovers = Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ComponentsPage>();
        page.WaitForElement("[data-test=field-grid] [data-test=field-name]", Wait);

        var creating = page.Find("[data-test=field-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=field-name-input]", Wait).ChangeAsync("Form factor");
        await ChooseAsync(dialogs, popovers, "[data-test=field-type]", "Dropdown");
        // A dropdown without values is refused, and the refusal is shown at the field.
        await dialogs.Find("[data-test=field-save]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("at least one value", dialogs.Find("[data-test=field-values-input]").Closest(".mud-input-control")!.TextContent), Wait);
        await dialogs.Find("textarea[data-test=field-values-input]").ChangeAsync("2.5\"\n3.5\"\nM.2");
        await dialogs.Find("[data-test=field-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        var stored = await WithDbAsync(db => db.InventoryCustomFields.SingleAsync(f => f.Name == "Form factor"));
        Assert.Equal("dropdown", stored.Type);
        Assert.Equal(["2.5\"", "3.5\"", "M.2"], stored.Values().Select(v => v.Value));
        page.WaitForAssertion(() => Assert.NotNull(Row(page, "field-grid", "field-name", "Form factor")), Wait);
        var created = Row(page, "field-grid", "field-name", "Form factor")!;
        Assert.False(created.QuerySelector("[data-test=field-delete]")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_cpu_filter_narrows_the_server_list()
    {
        var admin = await SignInAsAdminAsync();
        var epyc = await CreateServerAsync(admin, "epyc-01");
        var xeon = await CreateServerAsync(admin, "xeon-01");
        await CreateServerAsync(admin, "bare-01");
        await AddPartAsync(admin, epyc.Id, "cpu", "AMD EPYC 7302P", "3000");
        await AddPartAsync(admin, epyc.Id, "memory", "DDR4", "65536");
        await AddPartAsync(admin, xeon.Id, "cpu", "Intel Xeon E-2288G", "3700");
        var page = Render<ServersPage>();
        page.WaitForAssertion(() => Assert.Equal(3, ServerNames(page).Count), Wait);
        Assert.Equal("64 GB", page.FindAll("[data-test=server-memory]")[0].TextContent.Trim());

        await page.Find("input[data-test=server-cpu-filter]").InputAsync("epyc");

        page.WaitForAssertion(() => Assert.Equal(["epyc-01"], ServerNames(page)), Wait);
        Assert.Equal("AMD EPYC 7302P", page.Find("[data-test=server-cpu]").TextContent.Trim());
        Assert.Contains("of 1", page.Find(".mud-table-pagination").TextContent);
    }

    [Fact]
    public async Task The_memory_filter_takes_gigabytes()
    {
        var admin = await SignInAsAdminAsync();
        var big = await CreateServerAsync(admin, "big-01");
        var small = await CreateServerAsync(admin, "small-01");
        await AddPartAsync(admin, big.Id, "memory", "DDR4", "65536");
        await AddPartAsync(admin, small.Id, "memory", "DDR4", "16384");
        var page = Render<ServersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, ServerNames(page).Count), Wait);

        await page.Find("input[data-test=server-memory-filter]").InputAsync("32");

        page.WaitForAssertion(() => Assert.Equal(["big-01"], ServerNames(page)), Wait);
    }

    private async Task<ServerView> CreateServerAsync(Actor actor, string name, int? ownerId = null)
    {
        var result = await Services.GetRequiredService<ServerService>().CreateAsync(actor, new ServerInput
        {
            Servername = name,
            Hostname = $"{name}.example.net",
            UserId = ownerId,
            Provided = ownerId is null ? new HashSet<string> { "hostname", "servername" } : new HashSet<string> { "hostname", "servername", "user_id" },
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

    /// <summary>Adds a part through Core; custom fields go by name, dropdown values by their text.</summary>
    private async Task AddPartAsync(Actor actor, int serverId, string component, string model, string value, params (string Field, string Value)[] fields)
    {
        var catalog = Services.GetRequiredService<ComponentCatalogService>();
        var view = (await catalog.ComponentsAsync()).Single(c => c.Component.ComponentName == component);
        var custom = fields.Select(f =>
        {
            var field = view.Fields.Single(x => x.Name == f.Field);
            return (field.Id, field.Type == "dropdown" ? field.Values().Single(v => v.Value == f.Value).Id : f.Value);
        }).ToList();
        var result = await Services.GetRequiredService<ServerHardwareService>().SaveItemAsync(actor, serverId, null,
            new InventoryItemInput(model, value, null, view.Component.Id, null, custom, new HashSet<string>()));
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
    }

    private async Task<InventoryCustomField> FieldAsync(string name) =>
        (await Services.GetRequiredService<ComponentCatalogService>().FieldsAsync()).Single(f => f.Name == name);

    /// <summary>Opens a MudSelect (it listens for mouse down on its control) and picks the option with the given text from the popover.</summary>
    private static async Task ChooseAsync(IRenderedComponent<MudDialogProvider> dialogs, IRenderedComponent<MudPopoverProvider> popovers, string select, string option)
    {
        await dialogs.WaitForElement(select, Wait).Closest(".mud-select")!.MouseDownAsync(new());
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-popover-open .mud-list-item"), i => i.TextContent.Trim() == option), Wait);
        await popovers.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim() == option).ClickAsync(new());
    }

    private static async Task OpenTabAsync(IRenderedComponent<ServerDetail> page, string title)
    {
        var tab = page.FindAll(".mud-tab").First(t => t.TextContent.Contains(title));
        await tab.ClickAsync(new());
    }

    private static IElement Card(IRenderedComponent<ServerDetail> page, string component) =>
        page.Find($"[data-test=hw-card][data-component={component}]");

    private static List<string> FieldTexts(IElement row) =>
        row.QuerySelectorAll("[data-test=hw-item-field]").Select(c => string.Join(" ", c.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();

    private static IElement? Row(IRenderedComponent<ComponentsPage> page, string grid, string cell, string name) =>
        page.FindAll($"[data-test={grid}] tbody tr").FirstOrDefault(r => r.QuerySelector($"[data-test={cell}]")?.TextContent.Trim() == name);

    private static List<string> ServerNames(IRenderedComponent<ServersPage> page) =>
        page.FindAll("[data-test=server-grid] tbody tr.mud-table-row [data-test=server-link]").Select(a => a.TextContent.Trim()).ToList();
}
