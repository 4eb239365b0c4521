using Microsoft.Extensions.Configuration;

namespace Collect.Core.Backups;

/// <summary>The <c>Collect:Backups</c> section; every key is listed in appsettings.sample.json.</summary>
public sealed class BackupOptions
{
    public const string Section = "Collect:Backups";

    /// <summary>When the scheduled backup runs (cron, UTC); empty turns the schedule off. Daily at 02:30 by default.</summary>
    public string Schedule { get; set; } = "30 2 * * *";

    /// <summary>Where an archive is assembled before it is uploaded; relative paths are taken from the content root.</summary>
    public string WorkDirectory { get; set; } = "data/backup-work";

    /// <summary>A running task whose worker has not said it is alive for this long is taken as dead (another node died).</summary>
    public int StaleMinutes { get; set; } = 10;
}

/// <summary>Where Collect's data lives, as the host resolves it: what a backup copies and a restore replaces.</summary>
public sealed record CollectDataPaths(string DatabasePath, string FilesDirectory)
{
    /// <summary>Resolves the paths from configuration the way <see cref="CollectCoreServices.AddCollectCore"/> does.</summary>
    public static CollectDataPaths From(IConfiguration configuration, string contentRoot)
    {
        // On PostgreSQL there is no database file: backups refuse to run and say so (BackupRunner).
        var database = Data.DatabaseProviders.From(configuration) == Data.DatabaseProvider.Postgres ? ""
            : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
                CollectCoreServices.AnchorSqlitePath(configuration.GetConnectionString("Collect") ?? "Data Source=data/collect.db", contentRoot)).DataSource;
        var files = configuration["Collect:Files:Directory"] ?? "data/files";
        return new CollectDataPaths(database.Length == 0 ? "" : Path.GetFullPath(database), Path.GetFullPath(Path.IsPathRooted(files) ? files : Path.Combine(contentRoot, files)));
    }
}
