using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Systems;
using Collect.Web.Components.Pages.Systems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
// Collect.Tests.Systems would win over the page's name otherwise.
using SystemsPage = Collect.Web.Components.Pages.Systems.Systems;

namespace Collect.Tests.Components;

public sealed class SystemsPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly string Sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ns8-inventory-sample.json"));

    // Heartbeat ages come from this clock, and only move when a test moves it.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public SystemsPageTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
        // The pages follow agents' events and the clock only in a live circuit, as bunit's renderer is here.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
    }

    private SystemService Systems => Services.GetRequiredService<SystemService>();

    [Fact]
    public async Task The_list_shows_each_system_with_its_heartbeat_chip()
    {
        var admin = await SignInAsAdminAsync();
        var alive = await CreateSystemAsync(admin, "alpha");
        await CreateSystemAsync(admin, "bravo");
        var dead = await CreateSystemAsync(admin, "charlie");
        await Systems.HeartbeatAsync(alive.Id);
        var twoHoursAgo = _clock.GetUtcNow().AddHours(-2);
        await WithDbAsync(db => db.Systems.Where(s => s.Id == dead.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastHeartbeat, twoHoursAgo)));

        var page = Render<SystemsPage>();

        page.WaitForAssertion(() => Assert.Equal(["alpha", "bravo", "charlie"], SystemNames(page)), Wait);
        Assert.Equal("alive", Chip(page, "alpha").GetAttribute("data-status"));
        Assert.Contains("just now", Chip(page, "alpha").TextContent);
        Assert.Contains("mud-chip-color-success", Chip(page, "alpha").ClassName);
        Assert.Equal("zombie", Chip(page, "bravo").GetAttribute("data-status"));
        Assert.Contains("never", Chip(page, "bravo").TextContent);
        Assert.Equal("dead", Chip(page, "charlie").GetAttribute("data-status"));
        Assert.Contains("2 h ago", Chip(page, "charlie").TextContent);
        Assert.Contains("mud-chip-color-error", Chip(page, "charlie").ClassName);
        Assert.Empty(page.FindAll("[data-test=systems-empty]"));
    }

    [Fact]
    public async Task A_heartbeat_turns_a_zombie_chip_alive_without_reloading_the_page()
    {
        var admin = await SignInAsAdminAsync();
        var system = await CreateSystemAsync(admin, "edge-01");
        var page = Render<SystemsPage>();
        page.WaitForAssertion(() => Assert.Equal("zombie", Chip(page, "edge-01").GetAttribute("data-status")), Wait);

        await Systems.HeartbeatAsync(system.Id);

        page.WaitForAssertion(() => Assert.Equal("alive", Chip(page, "edge-01").GetAttribute("data-status")), Wait);
        Assert.Contains("just now", Chip(page, "edge-01").TextContent);
    }

    [Fact]
    public async Task An_alive_chip_turns_dead_as_its_heartbeat_ages_without_reloading_the_page()
    {
        var admin = await SignInAsAdminAsync();
        var system = await CreateSystemAsync(admin, "edge-01");
        await Systems.HeartbeatAsync(system.Id);
        var page = Render<SystemsPage>();
        page.WaitForAssertion(() => Assert.Equal("alive", Chip(page, "edge-01").GetAttribute("data-status")), Wait);

        // Past the 15 minutes an agent stays alive; the page's timer fires as the clock passes each half minute.
        _clock.Advance(TimeSpan.FromMinutes(16));

        page.WaitForAssertion(() => Assert.Equal("dead", Chip(page, "edge-01").GetAttribute("data-status")), Wait);
        Assert.Contains("16 min ago", Chip(page, "edge-01").TextContent);
    }

    [Fact]
    public async Task Searching_asks_the_server_for_matching_systems_only()
    {
        var admin = await SignInAsAdminAsync();
        var alive = await CreateSystemAsync(admin, "alpha");
        await CreateSystemAsync(admin, "bravo");
        await Systems.HeartbeatAsync(alive.Id);
        var page = Render<SystemsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, SystemNames(page).Count), Wait);

        await page.Find("input[data-test=system-search]").InputAsync("brav");
        PassDebounce();

        page.WaitForAssertion(() => Assert.Equal(["bravo"], SystemNames(page)), Wait);
    }

    [Fact]
    public async Task Registering_a_system_shows_its_secret_once_with_the_agents_command()
    {
        await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SystemsPage>();
        Assert.Contains("No systems yet", page.WaitForElement("[data-test=systems-empty]", Wait).TextContent);

        // Awaited last: the page's click handler only finishes once the secret is on screen.
        var creating = page.Find("[data-test=system-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=system-name]", Wait).ChangeAsync("ns8-prod");
        Assert.Equal("ns8", dialogs.Find("input[data-test=system-type]").GetAttribute("value"));
        await dialogs.Find("[data-test=custom-add]").ClickAsync(new());
        await dialogs.Find("input[data-test=custom-key]").ChangeAsync("datacenter");
        await dialogs.Find("input[data-test=custom-value]").ChangeAsync("EU-West-1");
        await dialogs.Find("[data-test=system-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        var secret = dialogs.WaitForElement("input[data-test=system-secret]", Wait).GetAttribute("value")!;
        var key = dialogs.Find("input[data-test=system-key]").GetAttribute("value")!;
        var stored = await WithDbAsync(db => db.Systems.SingleAsync());
        Assert.Equal(stored.SystemKey, key);
        Assert.Equal(stored.Id, await Systems.AuthenticateAsync(key, secret));
        Assert.Equal("{\"datacenter\":\"EU-West-1\"}", stored.CustomData);
        Assert.Contains("not show it again", dialogs.Find("[data-test=secret-warning]").TextContent);
        Assert.Equal($"curl --user \"{key}:{secret}\" -H \"Content-Type: application/json\" --data @inventory.json http://localhost/api/systems/inventory",
            dialogs.Find("[data-test=curl-command]").TextContent);
        page.WaitForAssertion(() => Assert.Equal(["ns8-prod"], SystemNames(page)), Wait);

        await dialogs.Find("[data-test=secret-done]").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-test=system-secret]")), Wait);
        Assert.DoesNotContain(secret, dialogs.Markup);
        Assert.DoesNotContain(secret, page.Markup);
        var detail = Render<SystemDetail>(p => p.Add(d => d.Id, stored.Id));
        detail.WaitForElement("[data-test=system-header]", Wait);
        Assert.DoesNotContain(secret, detail.Markup);
        Assert.Equal("…" + secret[^4..], detail.Find("[data-test=fact-secret-hint]").TextContent.Trim());
    }

    [Fact]
    public async Task The_detail_page_shows_processed_changes_coloured_by_severity()
    {
        var admin = await SignInAsAdminAsync();
        var system = await CreateSystemAsync(admin, "ns8-prod");
        await UploadChangedInventoriesAsync(system.Id);

        var page = Render<SystemDetail>(p => p.Add(d => d.Id, system.Id));

        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("[data-test=diff-row]").Count), Wait);
        var chips = page.FindAll("[data-test=diff-row]").ToDictionary(r => r.GetAttribute("data-field")!, r => r.QuerySelector("[data-test=severity-chip]")!);
        Assert.Equal("critical", chips["facts.cluster.subscription"].GetAttribute("data-severity"));
        Assert.Contains("mud-chip-color-error", chips["facts.cluster.subscription"].ClassName);
        Assert.Contains("mud-chip-color-warning", chips["facts.nodes.1.default_ipv4"].ClassName);
        Assert.Contains("mud-chip-color-warning", chips["facts.modules[mod5]"].ClassName);
        Assert.Contains("#ffc107", chips["facts.modules[mod2].version"].GetAttribute("style"));
        Assert.Equal("low", chips["facts.rack"].GetAttribute("data-severity"));
        Assert.Contains("mud-chip-color-default", chips["facts.rack"].ClassName);
        var criticalRow = page.FindAll("[data-test=diff-grid] tbody tr").Single(r => r.TextContent.Contains("facts.cluster.subscription"));
        Assert.Contains("var(--mud-palette-error)", criticalRow.GetAttribute("style"));
        Assert.Equal("node1.example.net", page.Find("[data-test=fact-fqdn]").TextContent.Trim());
        Assert.Equal("203.0.113.99", page.Find("[data-test=fact-ipv4]").TextContent.Trim());
        Assert.Equal("alive", page.Find("[data-test=heartbeat-chip]").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Filtering_changes_by_severity_asks_the_server_for_that_severity()
    {
        var admin = await SignInAsAdminAsync();
        var system = await CreateSystemAsync(admin, "ns8-prod");
        await UploadChangedInventoriesAsync(system.Id);
        var page = Render<SystemDetail>(p => p.Add(d => d.Id, system.Id));
        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("[data-test=diff-row]").Count), Wait);

        await page.Find("input[data-test=diff-search]").InputAsync("subscription");
        PassDebounce();

        page.WaitForAssertion(() => Assert.Equal(["critical"], page.FindAll("[data-test=diff-row]").Select(r => r.GetAttribute("data-severity"))), Wait);
    }

    [Fact]
    public async Task Records_can_be_viewed_and_compared_and_the_dialog_says_where_the_changes_come_from()
    {
        var admin = await SignInAsAdminAsync();
        var system = await CreateSystemAsync(admin, "ns8-prod");
        await UploadChangedInventoriesAsync(system.Id);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SystemDetail>(p => p.Add(d => d.Id, system.Id));
        page.WaitForElement("[data-test=system-tabs]", Wait);
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Records")).ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-test=record-row]").Count), Wait);
        Assert.All(page.FindAll("[data-test=record-status]"), s => Assert.Equal("processed", s.GetAttribute("data-status")));

        await page.FindAll("[data-test=record-view]").Last().ClickAsync(new());
        var json = dialogs.WaitForElement("[data-test=json-text]", Wait);
        Assert.Contains("\"uuid\": \"659d2fbe-792f-4a0d-ae58-f278304d4f7f\"", json.TextContent);
        await dialogs.Find(".mud-dialog .mud-button-close").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-test=json-text]")), Wait);

        // Newest first: the changed upload, then the two identical ones.
        await RowCheckbox(page, 0).ChangeAsync(true);
        await RowCheckbox(page, 1).ChangeAsync(true);
        await page.Find("[data-test=records-compare]").ClickAsync(new());
        var source = dialogs.WaitForElement("[data-test=compare-source]", Wait);
        Assert.Equal("recorded", source.GetAttribute("data-source"));
        Assert.Equal(6, dialogs.FindAll("[data-test=compare-diff]").Count);
        Assert.Contains("\"enterprise\"", dialogs.Find("[data-test=compare-newer]").TextContent);
        Assert.DoesNotContain("\"enterprise\"", dialogs.Find("[data-test=compare-older]").TextContent);
        await dialogs.Find(".mud-dialog .mud-button-close").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-test=compare-source]")), Wait);

        await RowCheckbox(page, 1).ChangeAsync(false);
        await RowCheckbox(page, 2).ChangeAsync(true);
        await page.Find("[data-test=records-compare]").ClickAsync(new());

        source = dialogs.WaitForElement("[data-test=compare-source]", Wait);
        Assert.Equal("computed", source.GetAttribute("data-source"));
        Assert.Equal(6, dialogs.FindAll("[data-test=compare-diff]").Count);
    }

    [Fact]
    public async Task A_reseller_sees_its_own_and_its_users_systems_and_a_user_only_its_own()
    {
        var admin = await SignInAsAdminAsync();
        var resellerA = await CreateUserAsync("resellerA", BuiltInRoles.Reseller);
        var resellerB = await CreateUserAsync("resellerB", BuiltInRoles.Reseller);
        var customer = await CreateCustomerOfAsync(admin, resellerA.Id, "customerA");
        await CreateSystemAsync(admin, "sys-admin");
        await CreateSystemAsync(await ActorAsync(resellerA.Id), "sys-a");
        await CreateSystemAsync(await ActorAsync(customer), "sys-a-customer");
        var systemB = await CreateSystemAsync(await ActorAsync(resellerB.Id), "sys-b");

        await SignInAsync("resellerA");
        var resellerPage = Render<SystemsPage>();
        resellerPage.WaitForAssertion(() => Assert.Equal(["sys-a", "sys-a-customer"], SystemNames(resellerPage)), Wait);
        var foreign = Render<SystemDetail>(p => p.Add(d => d.Id, systemB.Id));
        foreign.WaitForElement("[data-test=system-not-found]", Wait);
        Assert.DoesNotContain("sys-b", foreign.Markup);

        await SignInAsync("customerA");
        var customerPage = Render<SystemsPage>();
        customerPage.WaitForAssertion(() => Assert.Equal(["sys-a-customer"], SystemNames(customerPage)), Wait);
        Assert.NotNull(customerPage.Find("[data-test=system-create]"));
    }

    /// <summary>MudBlazor's search fields wait on the same clock before they report what was typed.</summary>
    private void PassDebounce() => _clock.Advance(TimeSpan.FromSeconds(1));

    private async Task<ManagedSystem> CreateSystemAsync(Actor actor, string name)
    {
        var result = await Systems.CreateAsync(actor, new SystemInput { Name = name, Type = "ns8", Provided = new HashSet<string> { "name", "type" } });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? [result.Status.ToString()]));
        return result.Value!.View.System;
    }

    /// <summary>The sample twice, then a changed copy with one change of each severity; processed, as the job would.</summary>
    private async Task UploadChangedInventoriesAsync(string systemId)
    {
        var changed = JsonNode.Parse(Sample)!;
        changed["facts"]!["nodes"]!["1"]!["default_ipv4"] = "203.0.113.99";
        var modules = changed["facts"]!["modules"]!.AsArray();
        modules.First(m => (string?)m!["id"] == "mod2")!["version"] = "1.2.3";
        modules.Remove(modules.First(m => (string?)m!["id"] == "mod5"));
        modules.Add(new JsonObject { ["id"] = "crowdsec1", ["name"] = "crowdsec", ["node"] = "1", ["ui_name"] = "CS", ["version"] = "0.1.0" });
        changed["facts"]!["cluster"]!["subscription"] = "enterprise";
        changed["facts"]!["rack"] = "R12";
        var intake = Services.GetRequiredService<InventoryIntake>();
        await intake.SubmitAsync(systemId, Encoding.UTF8.GetBytes(Sample));
        await intake.SubmitAsync(systemId, Encoding.UTF8.GetBytes(Sample));
        await intake.SubmitAsync(systemId, Encoding.UTF8.GetBytes(changed.ToJsonString()));
        var outcome = await Services.GetRequiredService<InventoryProcessor>().RunAsync();
        Assert.Equal(3, outcome.Processed);
        Assert.Equal(6, outcome.Changes);
    }

    private async Task<Actor> ActorAsync(int userId) =>
        await Services.GetRequiredService<AccessResolver>().ResolveAsync(userId, null, null, ActivitySources.Web) ?? throw new InvalidOperationException($"No actor for user {userId}");

    private async Task<int> CreateCustomerOfAsync(Actor admin, int ownerId, string userName)
    {
        var result = await Services.GetRequiredService<UserService>().CreateAsync(admin, new UserInput
        {
            Username = userName,
            Name = userName,
            Password = "Shell-Passw0rd",
            RootOwner = ownerId,
            RoleId = BuiltInRoles.User,
            Provided = new HashSet<string> { "username", "name", "password", "root_owner", "role_id" },
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!.Id;
    }

    private static List<string> SystemNames(IRenderedComponent<SystemsPage> page) =>
        page.FindAll("[data-test=system-grid] tbody tr.mud-table-row [data-test=system-link]").Select(a => a.TextContent.Trim()).ToList();

    private static IElement Chip(IRenderedComponent<SystemsPage> page, string name) =>
        page.FindAll("[data-test=system-grid] tbody tr.mud-table-row")
            .Single(r => r.QuerySelector("[data-test=system-link]")?.TextContent.Trim() == name)
            .QuerySelector("[data-test=heartbeat-chip]")!;

    private static IElement RowCheckbox(IRenderedComponent<SystemDetail> page, int row) =>
        page.FindAll("[data-test=record-grid] tbody tr.mud-table-row")[row].QuerySelector("input[type=checkbox]")!;
}
