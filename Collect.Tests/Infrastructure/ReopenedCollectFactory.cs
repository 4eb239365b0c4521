namespace Collect.Tests.Infrastructure;

/// <summary>Another Collect process over the same database file, as after a restart or as a second node.</summary>
public sealed class ReopenedCollectFactory(CollectWebFactory original) : CollectWebFactory
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["ConnectionStrings:Collect"] = original.ConnectionString;
        return settings;
    }
}
