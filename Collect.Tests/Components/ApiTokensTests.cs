using Bunit;
using Collect.Core.Access;
using Collect.Web.Components.Pages.Profile;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Collect.Tests.Components;

public sealed class ApiTokensTests : ShellTestContext
{
    [Fact]
    public async Task A_user_without_tokens_sees_the_empty_state_even_when_others_have_tokens()
    {
        var admin = await SignInAsAdminAsync();
        await CreateTokenAsync(admin, "Admin's billing");
        await CreateUserAsync("customer");
        await SignInAsync("customer");

        var page = Render<ApiTokens>();

        var empty = page.WaitForElement("[data-test=tokens-empty]");
        Assert.Contains("No API tokens yet", empty.TextContent);
        Assert.DoesNotContain("Admin's billing", page.Markup);
    }

    [Fact]
    public async Task A_session_whose_account_is_gone_sees_the_load_error_not_an_empty_list()
    {
        var ghost = await CreateUserAsync("ghost");
        await SignInAsync("ghost");
        await WithDbAsync(db => db.Users.Where(u => u.Id == ghost.Id).ExecuteDeleteAsync());

        var page = Render<ApiTokens>();

        var alert = page.WaitForElement(".mud-alert");
        Assert.Contains("Could not load your tokens.", alert.TextContent);
    }

    [Fact]
    public async Task A_token_created_through_the_service_is_listed_by_name()
    {
        var admin = await SignInAsAdminAsync();
        await CreateTokenAsync(admin, "Billing", "192.0.2.0/24");

        var page = Render<ApiTokens>();

        page.WaitForAssertion(() => Assert.Equal(["Billing"], TokenNames(page)));
        var row = page.Find("[data-test=token-grid] tbody tr");
        Assert.Contains("192.0.2.0/24", row.TextContent);
        Assert.Contains("Never", row.TextContent);
        Assert.Empty(page.FindAll("[data-test=tokens-empty]"));
    }

    [Fact]
    public async Task Creating_a_token_in_the_dialog_shows_its_secret_and_lists_it()
    {
        await SignInAsAdminAsync();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiTokens>();
        page.WaitForElement("[data-test=tokens-empty]");

        // Awaited last: the page's click handler only finishes once the form dialog has been saved.
        var creating = page.Find("[data-test=token-create]").ClickAsync(new());
        await dialogs.WaitForElement("input[data-test=token-name]").ChangeAsync("Ansible");
        await dialogs.Find("[data-test=token-save]").ClickAsync(new());
        await creating.WaitAsync(TimeSpan.FromSeconds(5));

        var secret = dialogs.WaitForElement("input[data-test=token-secret]").GetAttribute("value");
        Assert.Matches("^[0-9a-f]{80}$", secret);
        page.WaitForAssertion(() => Assert.Equal(["Ansible"], TokenNames(page)));
    }

    private async Task CreateTokenAsync(Actor owner, string name, params string[] hosts)
    {
        var result = await Services.GetRequiredService<ApiTokenService>().CreateAsync(owner, owner.UserId, new ApiTokenInput(name, [.. hosts]));
        Assert.True(result.IsOk);
    }

    /// <summary>The first cell of each data row; the empty state is a row too, but has no cells of its own class.</summary>
    private static List<string> TokenNames(IRenderedComponent<ApiTokens> page) =>
        page.FindAll("[data-test=token-grid] tbody tr.mud-table-row td:first-child").Select(td => td.TextContent.Trim()).ToList();
}
