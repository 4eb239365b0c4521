using Bunit;
using Collect.Core.Settings;
using Collect.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Components;

public sealed class SettingsPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Settings_are_grouped_by_area_with_their_description_and_default()
    {
        await SignInAsAdminAsync();

        var page = Render<Collect.Web.Components.Pages.Settings.Settings>();

        page.WaitForElement("[data-test=settings-area-general]", Wait);
        var rdns = page.Find("[data-test=setting-delete_rdns_entry_when_delete_ip]");
        Assert.Contains("reverse DNS", rdns.TextContent);
        Assert.Contains("Default: off", rdns.TextContent);
        Assert.NotNull(page.Find("[data-test=settings-area-ip] [data-test=setting-delete_rdns_entry_when_delete_ip]"));
        Assert.Contains("Default: DD.MM.YYYY HH:mm:ss", page.Find("[data-test=setting-default_datetime_format]").TextContent);
    }

    [Fact]
    public async Task Switching_a_setting_and_saving_stores_it()
    {
        await SignInAsAdminAsync();
        var page = Render<Collect.Web.Components.Pages.Settings.Settings>();
        page.WaitForElement("[data-test=setting-delete_rdns_entry_when_delete_ip]", Wait);

        await page.Find("[data-test=setting-delete_rdns_entry_when_delete_ip] input").ChangeAsync(new() { Value = true });
        await page.Find("[data-test=settings-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("on", Services.GetRequiredService<SystemSettingsService>().ValueAsync("delete_rdns_entry_when_delete_ip").GetAwaiter().GetResult()), Wait);
    }
}
