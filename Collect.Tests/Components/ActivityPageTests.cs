using Bunit;
using Collect.Core.Access;
using Collect.Core.Servers;
using Collect.Web.Components.Pages.Activity;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Components;

public sealed class ActivityPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_change_shows_who_did_what_and_its_fields_before_and_after()
    {
        var admin = await SignInAsAdminAsync();
        var servers = Services.GetRequiredService<ServerService>();
        var server = (await servers.CreateAsync(admin, new ServerInput
        {
            Servername = "web-01", Hostname = "web-01.example.net", Provided = new HashSet<string> { "hostname", "servername" },
        })).Value!;
        await servers.UpdateAsync(admin, server.Id, new ServerInput { Description = "rack 4", Provided = new HashSet<string> { "description" } });

        var page = Render<Collect.Web.Components.Pages.Activity.Activity>();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-test=activity-description]"), d => d.TextContent == "Server web-01 changed"), Wait);
        var row = page.FindAll("tr").First(r => r.TextContent.Contains("Server web-01 changed"));
        await row.QuerySelector("button")!.ClickAsync(new());

        page.WaitForAssertion(() =>
        {
            var changes = page.Find("[data-test=activity-changes]");
            var line = changes.QuerySelectorAll("tr").First(r => r.TextContent.Contains("Description"));
            Assert.Contains("rack 4", line.TextContent);
        }, Wait);
    }

    [Fact]
    public async Task A_user_sees_only_what_it_did_itself()
    {
        var admin = await SignInAsAdminAsync();
        await Services.GetRequiredService<ServerService>().CreateAsync(admin, new ServerInput
        {
            Servername = "secret-01", Hostname = "secret-01.example.net", Provided = new HashSet<string> { "hostname", "servername" },
        });
        await CreateUserAsync("customer");
        await SignInAsync("customer");

        var page = Render<Collect.Web.Components.Pages.Activity.Activity>();

        page.WaitForElement("[data-test=activity-grid]", Wait);
        page.WaitForAssertion(() => Assert.DoesNotContain("secret-01", page.Find("[data-test=activity-grid]").TextContent), Wait);
    }
}
