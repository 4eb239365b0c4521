using AngleSharp.Dom;
using Bunit;
using Collect.Core.Access;
using Collect.Web.Components.Pages.Roles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Collect.Tests.Components;

public sealed class RolesPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_editor_lists_every_permission_set_under_its_level()
    {
        await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Roles>();

        var opening = page.WaitForElement("[data-test=role-create]", Wait).ClickAsync(new());
        dialogs.WaitForElement("[data-test=role-sets]", Wait);

        var shown = SetsByGroup(dialogs);
        Assert.Equal(["Admin-level sets", "Reseller-level sets", "User-level sets"], shown.Keys);
        foreach (var set in PermissionCatalog.Sets)
            Assert.Contains(set.Name, shown[LevelTitle(set.Level)]);
        Assert.Equal(PermissionCatalog.Sets.Count, shown.Values.Sum(v => v.Count));

        await Cancel(dialogs);
        await opening.WaitAsync(Wait);
    }

    [Fact]
    public async Task Saving_the_editor_creates_the_role_with_the_chosen_sets()
    {
        await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Roles>();

        var creating = page.WaitForElement("[data-test=role-create]", Wait).ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=role-name]", Wait).ChangeAsync("Support");
        await SetCheckbox(dialogs, "View Servers").ChangeAsync(true);
        await SetCheckbox(dialogs, "Server Power Control").ChangeAsync(true);
        await dialogs.Find("input[data-test=role-set-search]").InputAsync("power control");
        dialogs.WaitForAssertion(() => Assert.Equal(["Server Power Control"], SetsByGroup(dialogs).Values.SelectMany(v => v)), Wait);
        await dialogs.Find("[data-test=role-save]").ClickAsync(new());
        await creating.WaitAsync(Wait);

        var role = await WithDbAsync(db => db.Roles.SingleAsync(r => r.Name == "Support"));
        Assert.Equal(RoleLevels.User, role.Level);
        Assert.Equal(["Server Power Control", "View Servers"], role.PermissionSets.Order(StringComparer.Ordinal));
        Assert.Equal(1, role.OwnerUserId);
        page.WaitForAssertion(() => Assert.Contains("Support", RoleNames(page)), Wait);
    }

    [Fact]
    public async Task A_reseller_cannot_pick_sets_it_does_not_fully_hold()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("reseller", BuiltInRoles.Reseller);
        await SignInAsync("reseller");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<Roles>();

        var opening = page.WaitForElement("[data-test=role-create]", Wait).ClickAsync(new());
        dialogs.WaitForElement("[data-test=role-sets]", Wait);

        Assert.True(SetCheckbox(dialogs, "Manage Subnets").HasAttribute("disabled"));
        Assert.False(SetCheckbox(dialogs, "Manage Users").HasAttribute("disabled"));

        await Cancel(dialogs);
        await opening.WaitAsync(Wait);
    }

    [Fact]
    public async Task Deleting_a_role_asks_first_and_reports_why_the_service_refused()
    {
        var admin = await SignInAsAdminAsync();
        var roles = Services.GetRequiredService<RoleService>();
        var unused = (await roles.CreateAsync(admin, new RoleInput { Name = "Unused", PermissionSets = ["View Servers"] }, aliasRole: false)).Value!;
        var held = (await roles.CreateAsync(admin, new RoleInput { Name = "Held", PermissionSets = ["View Servers"] }, aliasRole: false)).Value!;
        await CreateUserAsync("holder", held.Id);
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var page = Render<Roles>();
        page.WaitForAssertion(() => Assert.Contains("Held", RoleNames(page)), Wait);

        var declining = DeleteButton(page, "Unused").ClickAsync(new());
        Assert.Contains("Unused", dialogs.WaitForElement(".mud-dialog", Wait).TextContent);
        await MessageBoxButton(dialogs, "Cancel").ClickAsync(new());
        await declining.WaitAsync(Wait);
        Assert.True(await WithDbAsync(db => db.Roles.AnyAsync(r => r.Id == unused.Id)));

        var refused = DeleteButton(page, "Held").ClickAsync(new());
        await MessageBoxButton(dialogs, "Delete").ClickAsync(new());
        await refused.WaitAsync(Wait);
        snackbars.WaitForAssertion(() => Assert.Contains("assigned to 1 user(s)", snackbars.Markup), Wait);
        Assert.True(await WithDbAsync(db => db.Roles.AnyAsync(r => r.Id == held.Id)));

        var deleting = DeleteButton(page, "Unused").ClickAsync(new());
        await MessageBoxButton(dialogs, "Delete").ClickAsync(new());
        await deleting.WaitAsync(Wait);
        Assert.False(await WithDbAsync(db => db.Roles.AnyAsync(r => r.Id == unused.Id)));
        page.WaitForAssertion(() => Assert.DoesNotContain("Unused", RoleNames(page)), Wait);
    }

    [Fact]
    public async Task Built_in_roles_offer_no_delete()
    {
        await SignInAsAdminAsync();

        var page = Render<Roles>();

        page.WaitForAssertion(() => Assert.Contains("reseller", RoleNames(page)), Wait);
        Assert.Empty(page.FindAll("[data-test=role-delete]"));
    }

    private static string LevelTitle(string level) => level switch
    {
        RoleLevels.Admin => "Admin-level sets",
        RoleLevels.Reseller => "Reseller-level sets",
        _ => "User-level sets",
    };

    /// <summary>The editor's set list as shown: each group heading with the names of the sets below it.</summary>
    private static Dictionary<string, List<string>> SetsByGroup(IRenderedComponent<MudDialogProvider> dialogs)
    {
        var groups = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var element in dialogs.Find("[data-test=role-sets]").QuerySelectorAll("[data-test=role-set-group], [data-test=role-set]"))
        {
            if (element.GetAttribute("data-test") == "role-set-group") groups[element.TextContent.Trim()] = current = [];
            else current!.Add(element.GetAttribute("data-set")!);
        }
        return groups;
    }

    private static IElement SetCheckbox(IRenderedComponent<MudDialogProvider> dialogs, string set) =>
        dialogs.Find($"[data-test=role-set][data-set='{set}'] input[type=checkbox]");

    private static IElement DeleteButton(IRenderedComponent<Roles> page, string role) =>
        page.FindAll("[data-test=role-grid] tbody tr.mud-table-row")
            .First(row => row.QuerySelector("td")!.TextContent.Trim() == role)
            .QuerySelector("[data-test=role-delete]")!;

    private static List<string> RoleNames(IRenderedComponent<Roles> page) =>
        page.FindAll("[data-test=role-grid] tbody tr.mud-table-row td:first-child").Select(td => td.TextContent.Trim()).ToList();

    private static IElement MessageBoxButton(IRenderedComponent<MudDialogProvider> dialogs, string text)
    {
        dialogs.WaitForAssertion(() => Assert.Contains(dialogs.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == text), Wait);
        return dialogs.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == text);
    }

    private static Task Cancel(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll(".mud-dialog-actions button").First(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
}
