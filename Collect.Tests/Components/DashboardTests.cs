using Bunit;
using Collect.Core.Access;
using Collect.Core.Dashboard;
using Collect.Web.Components.Pages.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Components;

public sealed class DashboardTests : ShellTestContext
{
    [Fact]
    public async Task A_fresh_installation_shows_one_user_and_no_tokens()
    {
        await SignInAsAdminAsync();

        var page = Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Equal(
            [("Servers", "0"), ("Subnets", "0"), ("Users", "1"), ("API tokens", "0"), ("Sign-ins (24 h)", "0")],
            Tiles(page)));
        Assert.Contains("Sign-ins, last 7 days", page.Find("[data-test=dashboard]").TextContent);
    }

    [Fact]
    public async Task Every_figure_of_every_contributor_gets_its_own_tile_in_order()
    {
        Services.AddSingleton<IDashboardContributor>(new FixedContributor(
            new DashboardTile("Servers", "Servers", "120", "3 offline", "/area/servers", Order: 10),
            new DashboardTile("Servers", "Powered off", "7", Order: 200)));
        await SignInAsAdminAsync();
        await CreateUserAsync("customer");

        var page = Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Equal(
            [("Servers", "0"), ("Servers", "120"), ("Subnets", "0"), ("Users", "2"), ("API tokens", "0"), ("Sign-ins (24 h)", "0"), ("Powered off", "7")],
            Tiles(page)));
        var servers = page.FindAll("[data-test=dashboard-tile]")[1];
        Assert.Contains("3 offline", servers.TextContent);
        Assert.Equal("/area/servers", servers.QuerySelector("a")?.GetAttribute("href"));
    }

    [Fact]
    public async Task A_user_counts_only_the_accounts_they_may_see()
    {
        await SignInAsAdminAsync();
        await CreateUserAsync("customer");
        await CreateUserAsync("other-customer");
        await SignInAsync("customer");

        var page = Render<Dashboard>();

        page.WaitForAssertion(() => Assert.Contains(("Users", "1"), Tiles(page)));
    }

    [Fact]
    public async Task The_dashboard_shows_a_loading_bar_until_the_figures_arrive()
    {
        var slow = new SlowContributor();
        Services.AddSingleton<IDashboardContributor>(slow);
        await SignInAsAdminAsync();

        var page = Render<Dashboard>();

        Assert.NotNull(page.Find("[data-test=dashboard-loading]"));
        Assert.Empty(page.FindAll("[data-test=dashboard-tile]"));

        slow.Release(new DashboardTile("Servers", "Servers", "5"));
        page.WaitForAssertion(() => Assert.Contains(("Servers", "5"), Tiles(page)));
        Assert.Empty(page.FindAll("[data-test=dashboard-loading]"));
    }

    [Theory]
    [InlineData(typeof(TimeoutException))]
    [InlineData(typeof(InvalidOperationException))]
    public async Task A_failing_contributor_shows_the_error_instead_of_tiles(Type failure)
    {
        Services.AddSingleton<IDashboardContributor>(new FailingContributor((Exception)Activator.CreateInstance(failure, "The inventory did not answer.")!));
        await SignInAsAdminAsync();

        var page = Render<Dashboard>();

        var error = page.WaitForElement("[data-test=dashboard-error]");
        Assert.Contains("could not be loaded", error.TextContent);
        Assert.DoesNotContain("The inventory did not answer.", error.TextContent);
        Assert.Empty(page.FindAll("[data-test=dashboard]"));
        Assert.Empty(page.FindAll("[data-test=dashboard-loading]"));
    }

    private static List<(string Title, string Value)> Tiles(IRenderedComponent<Dashboard> page) =>
        page.FindAll("[data-test=dashboard-tile]")
            .Select(tile => (tile.QuerySelector(".mud-typography-subtitle1")!.TextContent.Trim(),
                tile.QuerySelector("[data-test=tile-value]")!.TextContent.Trim()))
            .ToList();

    private sealed class FixedContributor(params DashboardTile[] tiles) : IDashboardContributor
    {
        public Task<IReadOnlyList<DashboardTile>> GetTilesAsync(Actor actor, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<DashboardTile>>(tiles);
    }

    private sealed class SlowContributor : IDashboardContributor
    {
        private readonly TaskCompletionSource<IReadOnlyList<DashboardTile>> _tiles = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyList<DashboardTile>> GetTilesAsync(Actor actor, CancellationToken ct) => _tiles.Task;

        public void Release(params DashboardTile[] tiles) => _tiles.SetResult(tiles);
    }

    private sealed class FailingContributor(Exception error) : IDashboardContributor
    {
        public Task<IReadOnlyList<DashboardTile>> GetTilesAsync(Actor actor, CancellationToken ct) =>
            Task.FromException<IReadOnlyList<DashboardTile>>(error);
    }
}
