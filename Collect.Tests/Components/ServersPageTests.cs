using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Core.Servers;
using Collect.Web.Components.Layout;
using Collect.Web.Components.Pages.Servers;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
// Collect.Tests.Servers would win over the page's name otherwise.
using ServersPage = Collect.Web.Components.Pages.Servers.Servers;

namespace Collect.Tests.Components;

public sealed class ServersPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_list_shows_one_page_of_servers_with_the_total()
    {
        var admin = await SignInAsAdminAsync();
        for (var i = 1; i <= 30; i++) await CreateServerAsync(admin, $"srv-{i:00}");

        var page = Render<ServersPage>();

        page.WaitForAssertion(() => Assert.Equal(25, ServerNames(page).Count), Wait);
        Assert.Equal("srv-01", ServerNames(page)[0]);
        Assert.Contains("1-25 of 30", page.Find(".mud-table-pagination").TextContent);
        Assert.Empty(page.FindAll("[data-test=servers-empty]"));
    }

    [Fact]
    public async Task Searching_asks_the_server_for_matching_servers_only()
    {
        var admin = await SignInAsAdminAsync();
        await CreateServerAsync(admin, "web-01");
        await CreateServerAsync(admin, "web-02");
        await CreateServerAsync(admin, "db-01", tags: ["database"]);
        var page = Render<ServersPage>();
        page.WaitForAssertion(() => Assert.Equal(3, ServerNames(page).Count), Wait);

        await page.Find("input[data-test=server-search]").InputAsync("db");

        page.WaitForAssertion(() => Assert.Equal(["db-01"], ServerNames(page)), Wait);
        Assert.Contains("of 1", page.Find(".mud-table-pagination").TextContent);
    }

    [Fact]
    public async Task Sorting_by_hostname_asks_the_server_for_that_order()
    {
        var admin = await SignInAsAdminAsync();
        await CreateServerAsync(admin, "alpha", hostname: "zulu.example.net");
        await CreateServerAsync(admin, "bravo", hostname: "yankee.example.net");
        await CreateServerAsync(admin, "charlie", hostname: "xray.example.net");
        var page = Render<ServersPage>();
        page.WaitForAssertion(() => Assert.Equal(["alpha", "bravo", "charlie"], ServerNames(page)), Wait);

        var hostnameHeader = page.FindAll("[data-test=server-grid] th").First(th => th.TextContent.Contains("Hostname"));
        await hostnameHeader.QuerySelector(".sort-direction-icon")!.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["charlie", "bravo", "alpha"], ServerNames(page)), Wait);
    }

    [Fact]
    public async Task Without_servers_the_list_says_there_are_none_yet()
    {
        await SignInAsAdminAsync();

        var page = Render<ServersPage>();

        var empty = page.WaitForElement("[data-test=servers-empty]", Wait);
        Assert.Contains("No servers yet", empty.TextContent);
        Assert.NotNull(page.Find("[data-test=server-create]"));
    }

    [Fact]
    public async Task A_customer_without_manage_rights_gets_no_new_server_button()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("customer");
        await SignInAsync("customer");

        var page = Render<ServersPage>();

        page.WaitForElement("[data-test=servers-empty]", Wait);
        Assert.Empty(page.FindAll("[data-test=server-create]"));
    }

    [Fact]
    public async Task A_server_created_in_the_dialog_is_listed()
    {
        await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ServersPage>();
        page.WaitForElement("[data-test=servers-empty]", Wait);

        // Awaited last: the page's click handler only finishes once the dialog has been saved.
        var creating = page.Find("[data-test=server-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=server-servername]", Wait).ChangeAsync("web-01");
        await dialogs.Find("input[data-test=server-hostname]").ChangeAsync("web-01.example.net");
        await dialogs.Find("input[data-test=server-tag-input]").InputAsync("production");
        await dialogs.Find("[data-test=server-tag-add]").ClickAsync(new());
        await dialogs.Find("[data-test=server-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Equal(["web-01"], ServerNames(page)), Wait);
        var row = page.Find("[data-test=server-grid] tbody tr.mud-table-row");
        Assert.Contains("web-01.example.net", row.TextContent);
        Assert.Contains("production", row.TextContent);
        var stored = await WithDbAsync(db => db.Servers.Include(s => s.Tags).SingleAsync());
        Assert.Equal(["production"], stored.Tags.Select(t => t.Tag));
    }

    [Fact]
    public async Task Adding_a_tag_to_selected_servers_tags_them_all()
    {
        var admin = await SignInAsAdminAsync();
        await CreateServerAsync(admin, "web-01");
        await CreateServerAsync(admin, "web-02");
        var page = Render<ServersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, ServerNames(page).Count), Wait);

        // The header's checkbox selects every row of the page.
        await page.Find("[data-test=server-grid] thead input[type=checkbox]").ChangeAsync(true);
        await page.WaitForElement("input[data-test=bulk-tag]", Wait).ChangeAsync("rack-7");
        await page.Find("[data-test=bulk-add-tag]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test=bulk-bar]")), Wait);
        var tagged = await WithDbAsync(db => db.ServerTags.Where(t => t.Tag == "rack-7").CountAsync());
        Assert.Equal(2, tagged);
        page.WaitForAssertion(() => Assert.All(page.FindAll("[data-test=server-grid] tbody tr.mud-table-row"),
            row => Assert.Contains("rack-7", row.TextContent)), Wait);
    }

    [Fact]
    public async Task The_detail_page_shows_the_owner_chain_and_sticky_comments_first()
    {
        var admin = await SignInAsAdminAsync();
        var reseller = await CreateUserAsync("acme", BuiltInRoles.Reseller);
        var customer = await CreateCustomerOfAsync(admin, reseller.Id, "bob");
        var server = await CreateServerAsync(admin, "web-01", ownerId: customer);
        var comments = Services.GetRequiredService<ServerCommentService>();
        await comments.CreateAsync(admin, server.Id, "<p>Old note</p>", sticky: false, userId: null, []);
        await comments.CreateAsync(admin, server.Id, "<p>Pinned</p>", sticky: true, userId: null, []);
        await comments.CreateAsync(admin, server.Id, "<p>Newest</p>", sticky: false, userId: null, []);

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));

        page.WaitForElement("[data-test=server-header]", Wait);
        Assert.Equal("web-01", page.Find("[data-test=server-title]").TextContent.Trim());
        Assert.Equal(["admin", "acme", "bob"], page.FindAll("[data-test=owner-chip]").Select(c => c.TextContent.Trim()));
        var chain = page.FindAll("[data-test=owner-chain-row]").Select(r => r.Children[0].TextContent.Trim()).ToList();
        Assert.Equal(["admin", "acme", "bob"], chain);

        await OpenTabAsync(page, "Comments");

        page.WaitForAssertion(() => Assert.Equal(["Pinned", "Newest", "Old note"], CommentTexts(page)), Wait);
        Assert.Equal("true", page.FindAll("[data-test=comment]")[0].GetAttribute("data-sticky"));
        Assert.Contains("admin", page.FindAll("[data-test=comment-author]")[0].TextContent);
    }

    [Fact]
    public async Task A_comment_posted_from_the_composer_is_shown_sanitized()
    {
        var admin = await SignInAsAdminAsync();
        var server = await CreateServerAsync(admin, "web-01");
        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await OpenTabAsync(page, "Comments");
        page.WaitForElement("[data-test=comments-empty]", Wait);

        await page.Find("textarea[data-test=comment-text]").ChangeAsync("Disk replaced <img src=x onerror=\"alert(1)\"><script>alert(2)</script>\n\nSee ");
        await page.Find("[data-test=composer-bold]").ClickAsync(new());
        await page.Find("[data-test=comment-post]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-test=comment]")), Wait);
        var body = page.Find("[data-test=comment-body]");
        Assert.Equal(2, body.QuerySelectorAll("p").Length);
        Assert.Equal("bold text", body.QuerySelector("strong")?.TextContent);
        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.DoesNotContain("onerror", body.InnerHtml);
        Assert.Contains("Disk replaced", body.TextContent);
        var stored = await WithDbAsync(db => db.ServerComments.SingleAsync());
        Assert.DoesNotContain("<script", stored.Comment);
        Assert.Empty(page.FindAll("[data-test=comments-empty]"));
    }

    [Fact]
    public async Task An_unknown_server_shows_the_not_found_alert()
    {
        await SignInAsAdminAsync();

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, 4711));

        Assert.Contains("no server 4711", page.WaitForElement("[data-test=server-not-found]", Wait).TextContent);
    }

    [Fact]
    public async Task Quick_search_lists_a_matching_server_and_opens_it()
    {
        var admin = await SignInAsAdminAsync();
        var server = await CreateServerAsync(admin, "web-01");
        await CreateServerAsync(admin, "db-01");
        var popovers = Render<MudPopoverProvider>();
        var search = Render<QuickSearch>();

        await search.WaitForElement("input[data-test=quick-search-input]", Wait).InputAsync("web");

        popovers.WaitForAssertion(() => Assert.Single(popovers.FindAll("[data-test=quick-search-hit]")), Wait);
        var hit = popovers.Find("[data-test=quick-search-hit]");
        Assert.Contains("Servers", hit.TextContent);
        Assert.Contains("web-01", hit.TextContent);

        await popovers.Find(".mud-list-item").ClickAsync(new());
        var navigation = Services.GetRequiredService<NavigationManager>();
        search.WaitForAssertion(() => Assert.EndsWith($"/servers/{server.Id}", navigation.Uri), Wait);
    }

    private async Task<ServerView> CreateServerAsync(Actor actor, string name, int? ownerId = null, List<string>? tags = null, string? hostname = null)
    {
        var provided = new HashSet<string> { "hostname", "servername" };
        if (ownerId is not null) provided.Add("user_id");
        if (tags is not null) provided.Add("tags");
        var result = await Services.GetRequiredService<ServerService>().CreateAsync(actor, new ServerInput
        {
            Servername = name,
            Hostname = hostname ?? $"{name}.example.net",
            UserId = ownerId,
            Tags = tags,
            Provided = provided,
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

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

    private static async Task OpenTabAsync(IRenderedComponent<ServerDetail> page, string title)
    {
        var tab = page.FindAll(".mud-tab").First(t => t.TextContent.Contains(title));
        await tab.ClickAsync(new());
    }

    /// <summary>The server name of each data row; the empty state is a row too, but has no link.</summary>
    private static List<string> ServerNames(IRenderedComponent<ServersPage> page) =>
        page.FindAll("[data-test=server-grid] tbody tr.mud-table-row [data-test=server-link]").Select(a => a.TextContent.Trim()).ToList();

    private static List<string> CommentTexts(IRenderedComponent<ServerDetail> page) =>
        page.FindAll("[data-test=comment-body]").Select(b => b.TextContent.Trim()).ToList();
}
