using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Collect.Core.Access;
using Collect.Web.Auth;
using Collect.Web.Components.Layout;
using Collect.Web.Components.Pages.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Collect.Tests.Components;

public sealed class UsersPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_list_shows_users_and_the_search_narrows_it_on_the_server()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("alice");
        await CreateUserAsync("bob");

        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal([AdminUserName, "alice", "bob"], UserNames(page)), Wait);

        await page.Find("input[data-test=user-search]").InputAsync("ali");

        page.WaitForAssertion(() => Assert.Equal(["alice"], UserNames(page)), Wait);
    }

    [Fact]
    public async Task The_status_filter_shows_only_disabled_users()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("active");
        var blocked = await CreateUserAsync("blocked");
        await WithDbAsync(db => db.Users.Where(u => u.Id == blocked.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccountStatus, AccountStatuses.Disabled)));

        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal([AdminUserName, "active", "blocked"], UserNames(page)), Wait);

        await page.Find("[data-test=status-disabled]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["blocked"], UserNames(page)), Wait);
        Assert.Equal("Disabled", page.Find("[data-test=user-grid] tbody [data-test=user-status]").TextContent.Trim());

        await page.Find("[data-test=status-enabled]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal([AdminUserName, "active"], UserNames(page)), Wait);
    }

    [Fact]
    public async Task A_new_search_from_a_later_page_starts_again_at_the_first_page()
    {
        await SignInAsAdminAsync();
        for (var i = 1; i <= 30; i++) await CreateUserAsync($"customer-{i:00}");
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal(25, UserNames(page).Count), Wait);
        await page.Find("[data-test=user-grid] button[aria-label='Next page']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(6, UserNames(page).Count), Wait);

        await page.Find("input[data-test=user-search]").InputAsync("customer-0");

        page.WaitForAssertion(() => Assert.Equal(Enumerable.Range(1, 9).Select(i => $"customer-{i:00}"), UserNames(page)), Wait);
    }

    [Fact]
    public async Task An_admin_creates_a_user_in_the_dialog_and_it_is_listed()
    {
        await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Equal([AdminUserName], UserNames(page)), Wait);

        // Awaited last: the page's click handler only finishes once the form dialog has been saved.
        var creating = page.Find("[data-test=user-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=user-name]", Wait).ChangeAsync("New Customer");
        await dialogs.Find("input[data-test=user-username]").ChangeAsync("newcustomer");
        await dialogs.Find("input[data-test=user-email]").ChangeAsync("new@example.net");
        await dialogs.Find("input[data-test=user-password]").ChangeAsync("Customer-Passw0rd");
        await dialogs.Find("[data-test=user-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Equal([AdminUserName, "newcustomer"], UserNames(page)), Wait);
        snackbars.WaitForAssertion(() => Assert.Contains("User newcustomer created.", snackbars.Markup), Wait);
        var created = await WithDbAsync(db => db.Users.Include(u => u.Role).SingleAsync(u => u.UserName == "newcustomer"));
        Assert.Equal(1, created.RootOwnerId);
        Assert.Equal(BuiltInRoles.User, created.RoleId);
        Assert.Equal("new@example.net", created.Email);
    }

    [Fact]
    public async Task The_dialog_shows_the_services_field_errors_and_stays_open()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("taken");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Users>();
        page.WaitForAssertion(() => Assert.Contains("taken", UserNames(page)), Wait);

        var creating = page.Find("[data-test=user-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=user-name]", Wait).ChangeAsync("Someone");
        await dialogs.Find("input[data-test=user-username]").ChangeAsync("taken");
        await dialogs.Find("input[data-test=user-password]").ChangeAsync("Customer-Passw0rd");
        await dialogs.Find("[data-test=user-save]").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("is already taken", dialogs.Markup), Wait);
        Assert.False(creating.IsCompleted);
        await dialogs.FindAll(".mud-dialog-actions button").First(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await creating.WaitAsync(Wait);
    }

    [Fact]
    public async Task A_reseller_sees_only_its_own_subtree()
    {
        var admin = await SignInAsAdminAsync();
        var reseller = await CreateUserAsync("reseller-a", BuiltInRoles.Reseller);
        var other = await CreateUserAsync("reseller-b", BuiltInRoles.Reseller);
        await CreateCustomerOfAsync(admin, reseller.Id, "customer-of-a");
        await CreateCustomerOfAsync(admin, other.Id, "customer-of-b");
        await CreateUserAsync("customer-of-admin");
        await SignInAsync("reseller-a");

        var page = Render<Users>();

        page.WaitForAssertion(() => Assert.Equal(["reseller-a", "customer-of-a"], UserNames(page)), Wait);
        Assert.DoesNotContain("customer-of-b", page.Markup);
        Assert.DoesNotContain("customer-of-admin", page.Markup);
    }

    [Fact]
    public async Task A_reseller_opening_a_user_outside_its_subtree_is_told_there_is_no_such_user()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("reseller-a", BuiltInRoles.Reseller);
        var stranger = await CreateUserAsync("stranger");
        await SignInAsync("reseller-a");

        var page = Render<UserDetail>(p => p.Add(d => d.Id, stranger.Id));

        Assert.Equal("No such user.", page.WaitForElement("[data-test=user-not-found]", Wait).TextContent.Trim());
        Assert.DoesNotContain("stranger", page.Markup);
    }

    [Fact]
    public async Task The_detail_page_shows_the_profile_and_the_role_permissions_by_set()
    {
        await SignInAsAdminAsync();
        var customer = await CreateUserAsync("customer");

        var page = Render<UserDetail>(p => p.Add(d => d.Id, customer.Id));

        Assert.Equal("customer", page.WaitForElement("[data-test=user-title]", Wait).TextContent.Trim());
        Assert.Contains("user (user)", page.Find("[data-test=user-profile]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-test=user-impersonate]"));
        await OpenTabAsync(page, "Role");
        var sets = page.WaitForElements("[data-test=user-permission-set]", Wait).Select(s => s.TextContent).ToList();
        Assert.Contains(sets, s => s.Contains("View Servers"));
        Assert.DoesNotContain(sets, s => s.Contains("Manage Subnets"));
    }

    [Fact]
    public async Task Deleting_a_user_asks_for_confirmation_first()
    {
        await SignInAsAdminAsync();
        var doomed = await CreateUserAsync("doomed");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<UserDetail>(p => p.Add(d => d.Id, doomed.Id));
        page.WaitForElement("[data-test=user-delete]", Wait);

        var declining = page.Find("[data-test=user-delete]").ClickAsync(new());
        await MessageBoxButton(dialogs, "Cancel").ClickAsync(new());
        await declining.WaitAsync(Wait);
        Assert.True(await WithDbAsync(db => db.Users.AnyAsync(u => u.Id == doomed.Id)));

        var deleting = page.Find("[data-test=user-delete]").ClickAsync(new());
        Assert.Contains("doomed", dialogs.WaitForElement(".mud-dialog", Wait).TextContent);
        await MessageBoxButton(dialogs, "Delete").ClickAsync(new());
        await deleting.WaitAsync(Wait);

        Assert.False(await WithDbAsync(db => db.Users.AnyAsync(u => u.Id == doomed.Id)));
        Assert.EndsWith("/users", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task Actions_the_user_may_not_take_are_not_offered()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("plain");
        await SignInAsync("plain");

        var page = Render<Users>();

        page.WaitForElement("[data-test=users-forbidden]", Wait);
        Assert.Empty(page.FindAll("[data-test=user-create]"));
        Assert.Empty(page.FindAll("[data-test=user-grid]"));
    }

    [Fact]
    public async Task Editing_ones_own_account_changes_the_name_without_touching_role_or_status()
    {
        var admin = await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<UserDetail>(p => p.Add(d => d.Id, admin.UserId));
        page.WaitForElement("[data-test=user-edit]", Wait);
        Assert.Empty(page.FindAll("[data-test=user-delete]"));
        Assert.Empty(page.FindAll("[data-test=user-impersonate]"));

        var editing = page.Find("[data-test=user-edit]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=user-name]", Wait).ChangeAsync("The Administrator");
        await dialogs.Find("[data-test=user-save]").ClickAsync(new());
        await editing.WaitAsync(Wait);

        page.WaitForAssertion(() => Assert.Contains("The Administrator", page.Find("[data-test=user-profile]").TextContent), Wait);
        var stored = await WithDbAsync(db => db.Users.SingleAsync(u => u.Id == admin.UserId));
        Assert.Equal("The Administrator", stored.Name);
        Assert.Equal(BuiltInRoles.Admin, stored.RoleId);
    }

    [Fact]
    public async Task Saving_ones_own_account_writes_times_in_its_time_zone_at_once()
    {
        var admin = await SignInAsAdminAsync();
        var dates = Services.GetRequiredService<Collect.Web.Components.Shared.UserDates>();
        Assert.Equal("UTC", dates.Zone);
        // Changed elsewhere (another tab, the API) while this page was open; saving the account here picks it up.
        await WithDbAsync(db => db.Users.Where(u => u.Id == admin.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Timezone, "Asia/Tokyo")));
        var dialogs = Render<MudDialogProvider>();
        var page = Render<UserDetail>(p => p.Add(d => d.Id, admin.UserId));
        page.WaitForElement("[data-test=user-edit]", Wait);

        var editing = page.Find("[data-test=user-edit]").ClickAsync(new());
        await dialogs.WaitForElement("[data-test=user-save]", Wait).ClickAsync(new());
        await editing.WaitAsync(Wait);

        Assert.Equal("Asia/Tokyo", dates.Zone);
        var noon = new DateTimeOffset(2026, 1, 2, 12, 0, 0, TimeSpan.Zero);
        Assert.StartsWith("02.01.2026 21:00", dates.Write(noon));
    }

    [Fact]
    public async Task Each_tab_of_the_detail_page_shows_its_records()
    {
        var admin = await SignInAsAdminAsync();
        var reseller = await CreateUserAsync("reseller", BuiltInRoles.Reseller);
        await CreateCustomerOfAsync(admin, reseller.Id, "sub-customer");
        await Services.GetRequiredService<ApiTokenService>().CreateAsync(admin, reseller.Id, new ApiTokenInput("Billing", []));
        await Services.GetRequiredService<LoginHistoryService>().RecordAsync(reseller.Id, "reseller", "192.0.2.7", "curl", LoginOutcomes.Failed);

        var page = Render<UserDetail>(p => p.Add(d => d.Id, reseller.Id));
        page.WaitForElement("[data-test=user-title]", Wait);

        await OpenTabAsync(page, "SSH keys");
        page.WaitForElement("[data-test=user-sshkeys-empty]", Wait);
        await OpenTabAsync(page, "API tokens");
        page.WaitForAssertion(() => Assert.Contains("Billing", page.Find("[data-test=user-token-grid] tbody").TextContent), Wait);
        await OpenTabAsync(page, "Sub-users");
        page.WaitForAssertion(() => Assert.Contains("sub-customer", page.Find("[data-test=user-subusers-grid] tbody").TextContent), Wait);
        await OpenTabAsync(page, "Login history");
        page.WaitForAssertion(() => Assert.Contains("192.0.2.7", page.Find("[data-test=user-login-grid] tbody").TextContent), Wait);
        await OpenTabAsync(page, "Access log");
        page.WaitForElement("[data-test=user-accesslog-empty]", Wait);
    }

    [Fact]
    public async Task The_alias_page_lists_alias_users_and_alias_roles()
    {
        var admin = await SignInAsAdminAsync();
        var role = await Services.GetRequiredService<RoleService>().CreateAsync(admin, new RoleInput { Name = "Helpdesk", PermissionSets = ["View Servers"] }, aliasRole: true);
        Assert.True(role.IsOk);
        var alias = await Services.GetRequiredService<AliasUserService>().CreateAsync(admin, new AliasUserInput
        {
            Name = "Colleague", Username = "colleague", Password = "Shell-Passw0rd", RoleId = role.Value!.Id, UserAliasAssignments = ["17"],
        });
        Assert.True(alias.IsOk, string.Join(" ", alias.Errors?.SelectMany(e => e.Value) ?? []));

        var page = Render<AliasUsers>();

        page.WaitForAssertion(() =>
        {
            var row = page.Find("[data-test=alias-grid] tbody tr.mud-table-row");
            Assert.Contains("colleague", row.TextContent);
            Assert.Contains("Helpdesk", row.TextContent);
            Assert.Contains("17", row.TextContent);
        }, Wait);
        Assert.Contains("Helpdesk", page.Find("[data-test=alias-role-grid] tbody").TextContent);
    }

    [Fact]
    public async Task While_impersonating_the_banner_names_the_account_and_stop_returns_home()
    {
        var customer = await CreateUserAsync("customer");
        Auth.SetAuthorized("customer");
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, customer.Id.ToString()), new Claim(CollectClaims.Impersonator, "1"));
        var stop = JSInterop.Setup<string?>("collect.impersonate", customer.Id, "stop").SetResult(null);
        var navigation = Services.GetRequiredService<BunitNavigationManager>();

        var banner = Render<ImpersonationBanner>();

        Assert.Equal("customer", banner.Find("[data-test=impersonation-target]").TextContent);
        await banner.Find("[data-test=impersonation-stop]").ClickAsync(new());
        Assert.Single(stop.Invocations);
        var reload = Assert.Single(navigation.History);
        Assert.Equal("/", reload.Uri);
        Assert.True(reload.Options.ForceLoad);
    }

    [Fact]
    public async Task Without_impersonation_there_is_no_banner()
    {
        await SignInAsAdminAsync();

        var banner = Render<ImpersonationBanner>();

        Assert.Empty(banner.FindAll("[data-test=impersonation-banner]"));
    }

    private static Task OpenTabAsync(IRenderedComponent<UserDetail> page, string title) =>
        page.FindAll(".mud-tab").First(t => t.TextContent.Trim() == title).ClickAsync(new());

    private static IElement MessageBoxButton(IRenderedComponent<MudDialogProvider> dialogs, string text)
    {
        dialogs.WaitForAssertion(() => Assert.Contains(dialogs.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == text), Wait);
        return dialogs.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == text);
    }

    private async Task CreateCustomerOfAsync(Actor admin, int ownerId, string userName)
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
    }

    /// <summary>The username cell of each data row, in the order shown.</summary>
    private static List<string> UserNames(IRenderedComponent<Users> page) =>
        page.FindAll("[data-test=user-grid] tbody tr.mud-table-row [data-test=user-link]").Select(a => a.TextContent.Trim()).ToList();
}
