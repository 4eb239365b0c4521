using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Servers;
using Collect.Core.Subnets;
using Collect.Web.Components.Pages.Servers;
using Collect.Web.Components.Pages.Subnets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
// Collect.Tests.Subnets would win over the page's name otherwise.
using SubnetsPage = Collect.Web.Components.Pages.Subnets.Subnets;

namespace Collect.Tests.Components;

public sealed class SubnetsPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_tree_lists_top_level_subnets_with_their_usage()
    {
        var admin = await SignInAsAdminAsync();
        await CreateSubnetAsync(admin, "192.0.2.0", 24, gateway: "192.0.2.1", generateIps: true);
        await CreateSubnetAsync(admin, "2001:db8::", 32, type: "v6");

        var page = Render<SubnetsPage>();

        page.WaitForAssertion(() => Assert.Equal(["192.0.2.0/24", "2001:db8::/32"], SubnetNames(page)), Wait);
        var v4 = RowOf(page, "192.0.2.0/24");
        Assert.Equal("1.17%", v4.QuerySelector("[data-test=usage-percent]")!.TextContent.Trim());
        Assert.Equal("253", v4.QuerySelector("[data-test=subnet-free]")!.TextContent.Trim());
        Assert.Equal("3", v4.QuerySelector("[data-test=subnet-reserved]")!.TextContent.Trim());
        // 2^96 addresses do not fit in a long; the cell says so compactly instead of overflowing.
        var v6 = RowOf(page, "2001:db8::/32");
        Assert.Equal("2^96", v6.QuerySelector("[data-test=subnet-free]")!.TextContent.Trim());
        Assert.Equal("0%", v6.QuerySelector("[data-test=usage-percent]")!.TextContent.Trim());
        Assert.NotNull(page.Find("[data-test=subnet-usage-chart]"));
    }

    [Fact]
    public async Task Expanding_a_subnet_shows_its_children()
    {
        var admin = await SignInAsAdminAsync();
        await CreateSubnetAsync(admin, "10.0.0.0", 16);
        await CreateSubnetAsync(admin, "10.0.2.0", 24);
        await CreateSubnetAsync(admin, "10.0.1.0", 24);
        var page = Render<SubnetsPage>();
        page.WaitForAssertion(() => Assert.Equal(["10.0.0.0/16"], SubnetNames(page)), Wait);

        await page.Find("[data-test=subnet-expand]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24"], SubnetNames(page)), Wait);
        Assert.Equal(["0", "1", "1"], page.FindAll("[data-test=subnet-link]").Select(l => l.GetAttribute("data-depth")));
    }

    [Fact]
    public async Task Without_subnets_the_tree_says_there_are_none_yet()
    {
        await SignInAsAdminAsync();

        var page = Render<SubnetsPage>();

        Assert.Contains("No subnets yet", page.WaitForElement("[data-test=subnets-empty]", Wait).TextContent);
        Assert.NotNull(page.Find("[data-test=subnet-create]"));
    }

    [Fact]
    public async Task A_subnet_created_in_the_dialog_is_listed_and_refused_fields_are_named()
    {
        await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SubnetsPage>();
        page.WaitForElement("[data-test=subnets-empty]", Wait);

        var creating = page.Find("[data-test=subnet-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=subnet-network]", Wait).ChangeAsync("198.51.100.7/24");
        await dialogs.Find("[data-test=subnet-save]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("did you mean 198.51.100.0", dialogs.Markup), Wait);

        await dialogs.Find("input[data-test=subnet-network]").ChangeAsync("198.51.100.0");
        await dialogs.Find("input[data-test=subnet-gateway]").ChangeAsync("198.51.100.1");
        await dialogs.Find("[data-test=subnet-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Equal(["198.51.100.0/24"], SubnetNames(page)), Wait);
        // The default reservations: network, gateway and broadcast.
        Assert.Equal("253", RowOf(page, "198.51.100.0/24").QuerySelector("[data-test=subnet-free]")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_free_filter_lists_the_free_addresses_computed_from_the_gaps()
    {
        var admin = await SignInAsAdminAsync();
        var subnet = await CreateSubnetAsync(admin, "192.0.2.0", 29, gateway: "192.0.2.1", generateIps: true);
        var page = Render<SubnetDetail>(p => p.Add(d => d.Id, subnet.Subnet.Id));
        page.WaitForAssertion(() => Assert.Equal(["192.0.2.0", "192.0.2.1", "192.0.2.7"], Addresses(page)), Wait);

        await page.Find("[data-test=address-filter-free]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"], Addresses(page)), Wait);
        Assert.All(page.FindAll("[data-test=address-state]"), s => Assert.Equal("Free", s.TextContent.Trim()));
    }

    [Fact]
    public async Task Reserving_a_free_address_from_its_row_updates_the_usage()
    {
        var admin = await SignInAsAdminAsync();
        var subnet = await CreateSubnetAsync(admin, "192.0.2.0", 29);
        var page = Render<SubnetDetail>(p => p.Add(d => d.Id, subnet.Subnet.Id));
        page.WaitForElement("[data-test=addresses-empty]", Wait);
        await page.Find("[data-test=address-filter-free]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(8, Addresses(page).Count), Wait);

        await page.FindAll("[data-test=address-reserve]")[2].ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-test=count-reserved]").TextContent.Trim()), Wait);
        page.WaitForAssertion(() => Assert.DoesNotContain("192.0.2.2", Addresses(page)), Wait);
        Assert.True(await WithDbAsync(db => db.IpAddresses.AnyAsync(a => a.Address == "192.0.2.2" && a.Reserved)));
    }

    [Fact]
    public async Task A_split_is_previewed_before_the_children_are_created()
    {
        var admin = await SignInAsAdminAsync();
        var subnet = await CreateSubnetAsync(admin, "2001:db8:100::", 48, type: "v6");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SubnetDetail>(p => p.Add(d => d.Id, subnet.Subnet.Id));
        page.WaitForElement("[data-test=subnet-header]", Wait);

        var splitting = page.Find("[data-test=subnet-split]").ClickAsync(new());
        var prefix = dialogs.WaitForElement("input[data-test=split-prefix]", Wait);
        Assert.Equal("64", prefix.GetAttribute("value"));
        await dialogs.Find("input[data-test=split-amount]").ChangeAsync("4");
        Assert.True(dialogs.Find("[data-test=split-confirm]").HasAttribute("disabled"));
        await dialogs.Find("[data-test=split-preview-button]").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Equal(4, dialogs.FindAll("[data-test=split-sample-row]").Count), Wait);
        Assert.Equal(["2001:db8:100::/64", "2001:db8:100:1::/64", "2001:db8:100:2::/64", "2001:db8:100:3::/64"],
            dialogs.FindAll("[data-test=split-sample-row] td:first-child").Select(td => td.TextContent.Trim()));
        Assert.Contains("65,536 fit", dialogs.Find("[data-test=split-summary]").TextContent);
        Assert.Equal(0, await WithDbAsync(db => db.Subnets.CountAsync(s => s.ParentId == subnet.Subnet.Id)));

        var confirm = dialogs.Find("[data-test=split-confirm]");
        Assert.Contains("Create 4 children", confirm.TextContent);
        await confirm.ClickAsync(new());
        await splitting.WaitAsync(Wait);

        Assert.Equal(4, await WithDbAsync(db => db.Subnets.CountAsync(s => s.ParentId == subnet.Subnet.Id)));
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Child subnets")).ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-test=child-link]").Count), Wait);
        Assert.Equal("2001:db8:100::/64", page.FindAll("[data-test=child-link]")[0].TextContent.Trim());
    }

    [Fact]
    public async Task Changing_the_split_inputs_asks_for_a_new_preview()
    {
        var admin = await SignInAsAdminAsync();
        var subnet = await CreateSubnetAsync(admin, "10.8.0.0", 24);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SubnetDetail>(p => p.Add(d => d.Id, subnet.Subnet.Id));
        page.WaitForElement("[data-test=subnet-header]", Wait);
        _ = page.Find("[data-test=subnet-split]").ClickAsync(new());
        await dialogs.WaitForElement("[data-test=split-preview-button]", Wait).ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-test=split-sample-row]").Count), Wait);

        await dialogs.Find("input[data-test=split-prefix]").ChangeAsync("26");

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-test=split-preview]")), Wait);
        Assert.True(dialogs.Find("[data-test=split-confirm]").HasAttribute("disabled"));
        await dialogs.Find("input[data-test=split-amount]").ChangeAsync("5");
        await dialogs.Find("[data-test=split-preview-button]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("Only 4 free /26 subnet(s) fit", dialogs.Find("[data-test=split-amount]").Closest(".mud-input-control")!.TextContent), Wait);
    }

    [Fact]
    public async Task The_assign_dialog_on_the_server_page_assigns_the_chosen_address()
    {
        var admin = await SignInAsAdminAsync();
        await CreateSubnetAsync(admin, "198.51.100.0", 29, gateway: "198.51.100.1", generateIps: true);
        var server = await CreateServerAsync(admin, "web-01");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("IP addresses")).ClickAsync(new());
        page.WaitForElement("[data-test=ips-empty]", Wait);

        var assigning = page.Find("[data-test=ip-assign]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("5 free", dialogs.Find("[data-test=assign-subnet]").TextContent), Wait);
        await dialogs.Find("input[data-test=assign-mode-pick]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Equal(5, dialogs.FindAll("[data-test=assign-ip]").Count), Wait);
        await dialogs.FindAll("[data-test=assign-ip]").First(i => i.TextContent.Contains("198.51.100.4")).ClickAsync(new());
        await dialogs.Find("input[data-test=assign-description]").ChangeAsync("web traffic");
        await dialogs.Find("[data-test=assign-save]").ClickAsync(new());
        await assigning.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Equal(["198.51.100.4"], page.FindAll("[data-test=ip-address]").Select(a => a.TextContent.Trim())), Wait);
        Assert.NotNull(page.Find("[data-test=ip-primary]"));
        Assert.Equal("web traffic", page.Find("[data-test=ip-description]").TextContent.Trim());
        var stored = await WithDbAsync(db => db.IpAddresses.SingleAsync(a => a.ServerId == server.Id));
        Assert.Equal("198.51.100.4", stored.Address);
        Assert.Equal("198.51.100.4", (await WithDbAsync(db => db.Servers.SingleAsync(s => s.Id == server.Id))).PrimaryIp);
    }

    [Fact]
    public async Task The_assign_dialog_loads_a_page_of_many_offered_subnets_and_finds_the_others_by_search()
    {
        var admin = await SignInAsAdminAsync();
        var parent = await CreateSubnetAsync(admin, "2001:db8:900::", 48, type: "v6");
        Assert.True((await Services.GetRequiredService<SubnetSplitter>().SplitAsync(admin, parent.Subnet.Id,
            new SplitInput { Mode = "subnet", ToPrefix = 64, ToAmount = 300, GatewayMethod = "first" })).IsOk);
        var server = await CreateServerAsync(admin, "web-01");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("IP addresses")).ClickAsync(new());

        var assigning = page.WaitForElement("[data-test=ip-assign]", Wait).ClickAsync(new());
        // The /48 itself and its 300 children are offered: one page of them is listed, with a count and a search.
        dialogs.WaitForAssertion(() => Assert.Equal(50, dialogs.FindAll("[data-test=assign-subnet]").Count), Wait);
        Assert.Equal("50 of 301 subnets shown.", dialogs.Find("[data-test=assign-subnets-count]").TextContent.Trim());
        await dialogs.Find("input[data-test=assign-subnet-search]").InputAsync("2001:db8:900:12b::");

        dialogs.WaitForAssertion(() => Assert.Equal(["2001:db8:900:12b::/64"],
            dialogs.FindAll("[data-test=assign-subnet]").Select(i => i.QuerySelector(".mud-list-item-text p")?.TextContent.Trim() ?? i.TextContent)), Wait);
        await dialogs.WaitForElement("[data-test=assign-save]:not([disabled])", Wait).ClickAsync(new());
        await assigning.WaitAsync(Wait);
        page.WaitForAssertion(() => Assert.Equal(["2001:db8:900:12b::"], page.FindAll("[data-test=ip-address]").Select(a => a.TextContent.Trim())), Wait);
    }

    [Fact]
    public async Task The_next_free_address_is_assigned_when_none_is_chosen()
    {
        var admin = await SignInAsAdminAsync();
        await CreateSubnetAsync(admin, "198.51.100.0", 29, gateway: "198.51.100.1", generateIps: true);
        var server = await CreateServerAsync(admin, "web-01");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("IP addresses")).ClickAsync(new());

        var assigning = page.WaitForElement("[data-test=ip-assign]", Wait).ClickAsync(new());
        await dialogs.WaitForElement("[data-test=assign-save]:not([disabled])", Wait).ClickAsync(new());
        await assigning.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Equal(["198.51.100.2"], page.FindAll("[data-test=ip-address]").Select(a => a.TextContent.Trim())), Wait);
    }

    [Fact]
    public async Task The_star_makes_an_address_primary_and_unassigning_asks_first()
    {
        var admin = await SignInAsAdminAsync();
        await CreateSubnetAsync(admin, "198.51.100.0", 29);
        var server = await CreateServerAsync(admin, "web-01");
        var assignments = Services.GetRequiredService<IpAssignmentService>();
        Assert.True((await assignments.AssignAsync(admin, server.Id, "198.51.100.2", null, primary: true, description: null)).IsOk);
        Assert.True((await assignments.AssignAsync(admin, server.Id, "198.51.100.3", null, primary: false, description: null)).IsOk);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("IP addresses")).ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-test=ip-row]").Count), Wait);

        await page.Find("[data-test=ip-make-primary]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("198.51.100.3", PrimaryRow(page).GetAttribute("data-ip")), Wait);
        Assert.Equal("198.51.100.3", (await WithDbAsync(db => db.Servers.SingleAsync(s => s.Id == server.Id))).PrimaryIp);

        var unassigning = page.FindAll("[data-test=ip-row]").First(r => r.GetAttribute("data-ip") == "198.51.100.2")
            .QuerySelector("[data-test=ip-unassign]")!.ClickAsync(new());
        dialogs.WaitForElement(".mud-message-box", Wait);
        Assert.True(await WithDbAsync(db => db.IpAddresses.AnyAsync(a => a.Address == "198.51.100.2" && a.ServerId == server.Id)));
        await dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Unassign").ClickAsync(new());
        await unassigning.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Equal(["198.51.100.3"], page.FindAll("[data-test=ip-row]").Select(r => r.GetAttribute("data-ip"))), Wait);
        Assert.False(await WithDbAsync(db => db.IpAddresses.AnyAsync(a => a.Address == "198.51.100.2")));
    }

    [Fact]
    public async Task A_reseller_sees_only_its_own_subnets_in_the_tree()
    {
        var admin = await SignInAsAdminAsync();
        var acme = await CreateUserAsync("acme", BuiltInRoles.Reseller);
        var other = await CreateUserAsync("other", BuiltInRoles.Reseller);
        await CreateSubnetAsync(admin, "10.0.0.0", 16);
        await CreateSubnetAsync(admin, "10.0.5.0", 24, ownerId: acme.Id);
        await CreateSubnetAsync(admin, "172.16.0.0", 24, ownerId: acme.Id);
        await CreateSubnetAsync(admin, "172.16.1.0", 24, ownerId: other.Id);
        await SignInAsync("acme");

        var page = Render<SubnetsPage>();

        // A subnet carved out of the admin's block is a root for the reseller, who cannot see the block.
        page.WaitForAssertion(() => Assert.Equal(["10.0.5.0/24", "172.16.0.0/24"], SubnetNames(page)), Wait);
        Assert.Empty(page.FindAll("[data-test=subnet-create]"));
        Assert.Empty(page.FindAll("[data-test=subnet-delete]"));
    }

    [Fact]
    public async Task Another_resellers_subnet_answers_not_found()
    {
        var admin = await SignInAsAdminAsync();
        await CreateUserAsync("acme", BuiltInRoles.Reseller);
        var other = await CreateUserAsync("other", BuiltInRoles.Reseller);
        var hidden = await CreateSubnetAsync(admin, "172.16.1.0", 24, ownerId: other.Id);
        await SignInAsync("acme");

        var page = Render<SubnetDetail>(p => p.Add(d => d.Id, hidden.Subnet.Id));

        Assert.Contains($"no subnet {hidden.Subnet.Id}", page.WaitForElement("[data-test=subnet-not-found]", Wait).TextContent);
    }

    private async Task<SubnetView> CreateSubnetAsync(Actor actor, string network, int cidr, string type = "v4", string? gateway = null,
        bool generateIps = false, int? ownerId = null)
    {
        var result = await Services.GetRequiredService<SubnetService>().CreateAsync(actor, new SubnetInput
        {
            Subnet = network,
            Cidr = cidr,
            Type = type,
            Gw = gateway,
            GenerateIps = generateIps,
            UserId = ownerId,
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

    private async Task<ServerView> CreateServerAsync(Actor actor, string name)
    {
        var result = await Services.GetRequiredService<ServerService>().CreateAsync(actor, new ServerInput
        {
            Servername = name,
            Hostname = $"{name}.example.net",
            Provided = new HashSet<string> { "hostname", "servername" },
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

    private static List<string> SubnetNames(IRenderedComponent<SubnetsPage> page) =>
        page.FindAll("[data-test=subnet-link]").Select(a => a.TextContent.Trim()).ToList();

    private static IElement RowOf(IRenderedComponent<SubnetsPage> page, string name) =>
        page.FindAll("[data-test=subnet-link]").First(a => a.TextContent.Trim() == name).Closest("tr")!;

    private static IElement PrimaryRow(IRenderedComponent<ServerDetail> page) =>
        page.FindAll("[data-test=ip-row]").Single(r => r.QuerySelector("[data-test=ip-primary]") is not null);

    private static List<string> Addresses(IRenderedComponent<SubnetDetail> page) =>
        page.FindAll("[data-test=address-ip]").Select(a => a.TextContent.Trim()).ToList();
}
