using Collect.Core.Access;

namespace Collect.Core.Dashboard;

/// <summary>One figure on the dashboard, e.g. "Servers: 120".</summary>
public sealed record DashboardTile(string Area, string Title, string Value, string? Detail = null, string? Href = null, int Order = 100);

/// <summary>A series for a dashboard chart: labels along the x axis and one or more named lines.</summary>
public sealed record DashboardChart(string Title, IReadOnlyList<string> Labels, IReadOnlyList<(string Name, double[] Values)> Series);

/// <summary>Each feature adds its figures to the dashboard by registering one of these.</summary>
public interface IDashboardContributor
{
    Task<IReadOnlyList<DashboardTile>> GetTilesAsync(Actor actor, CancellationToken ct);
    Task<IReadOnlyList<DashboardChart>> GetChartsAsync(Actor actor, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<DashboardChart>>([]);
}

public sealed record DashboardView(IReadOnlyList<DashboardTile> Tiles, IReadOnlyList<DashboardChart> Charts);

public sealed class DashboardService(IEnumerable<IDashboardContributor> contributors)
{
    public async Task<DashboardView> GetAsync(Actor actor, CancellationToken ct = default)
    {
        var tiles = new List<DashboardTile>();
        var charts = new List<DashboardChart>();
        foreach (var contributor in contributors)
        {
            tiles.AddRange(await contributor.GetTilesAsync(actor, ct));
            charts.AddRange(await contributor.GetChartsAsync(actor, ct));
        }
        return new DashboardView(tiles.OrderBy(t => t.Order).ToList(), charts);
    }
}
