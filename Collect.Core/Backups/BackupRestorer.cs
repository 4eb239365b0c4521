using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Collect.Core.Backups;

/// <summary>How a restore went: the archive's manifest and where the replaced data was kept, or why nothing was touched.</summary>
public sealed record RestoreOutcome(bool Restored, string Message, BackupManifest? Manifest = null, string? PreviousDatabase = null, string? PreviousFiles = null);

/// <summary>
/// Brings an installation back from an archive: the archive is unpacked beside the database and every entry checked
/// against the manifest (and the database copy checked by SQLite) before anything is replaced. A damaged or altered
/// archive is refused with current data untouched. The replaced database (with its -wal/-shm) and file store are kept
/// beside the new ones, named *.before-restore-&lt;time&gt;, until the operator removes them.
/// </summary>
public sealed class BackupRestorer(TimeProvider clock)
{
    /// <summary>Restores <paramref name="archivePath"/> into the database file and file-store folder given. Collect must not be running.</summary>
    public async Task<RestoreOutcome> RestoreAsync(string archivePath, CollectDataPaths target, CancellationToken ct = default)
    {
        if (!File.Exists(archivePath)) return new RestoreOutcome(false, $"There is no archive at {archivePath}.");
        var databaseDirectory = Path.GetDirectoryName(target.DatabasePath)!;
        Directory.CreateDirectory(databaseDirectory);
        var staging = Path.Combine(databaseDirectory, $".restore-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}");
        Directory.CreateDirectory(staging);
        try
        {
            var (manifest, problem) = await BackupArchive.ExtractVerifiedAsync(archivePath, staging, ct);
            if (manifest is null) return new RestoreOutcome(false, $"The archive was refused and nothing was changed. {problem}");
            var stagedDatabase = Path.Combine(staging, BackupArchive.DatabaseEntry.Replace('/', Path.DirectorySeparatorChar));
            if (IntegrityProblem(stagedDatabase) is { } damaged)
                return new RestoreOutcome(false, $"The archive was refused and nothing was changed. Its database fails SQLite's integrity check: {damaged}");

            // From here on the archive is known good: swap the data in, keeping what it replaces.
            SqliteConnection.ClearAllPools();
            var suffix = ".before-restore-" + clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            string? previousDatabase = null;
            if (File.Exists(target.DatabasePath))
            {
                previousDatabase = target.DatabasePath + suffix;
                File.Move(target.DatabasePath, previousDatabase);
            }
            foreach (var side in new[] { "-wal", "-shm", "-journal" })
                if (File.Exists(target.DatabasePath + side))
                {
                    if (previousDatabase is not null) File.Move(target.DatabasePath + side, previousDatabase + side);
                    else File.Delete(target.DatabasePath + side);
                }
            File.Move(stagedDatabase, target.DatabasePath);

            var stagedFiles = Path.Combine(staging, BackupArchive.FilesPrefix.TrimEnd('/'));
            string? previousFiles = null;
            var filesRoot = Path.TrimEndingDirectorySeparator(target.FilesDirectory);
            if (Directory.Exists(filesRoot))
            {
                previousFiles = filesRoot + suffix;
                MoveDirectory(filesRoot, previousFiles);
            }
            if (Directory.Exists(stagedFiles)) MoveDirectory(stagedFiles, filesRoot);
            else Directory.CreateDirectory(filesRoot);

            var count = manifest.Entries.Count(e => e.Path.StartsWith(BackupArchive.FilesPrefix, StringComparison.Ordinal));
            return new RestoreOutcome(true,
                $"Restored the database and {count} file(s) from a backup of {BackupService.PlainDate(manifest.CreatedAt)} UTC (Collect {manifest.CollectVersion}).",
                manifest, previousDatabase, previousFiles);
        }
        finally
        {
            try
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            catch (IOException)
            {
                // A leftover staging folder is harmless; the next restore uses a new one.
            }
        }
    }

    private static string? IntegrityProblem(string database)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            var result = command.ExecuteScalar() as string;
            return result == "ok" ? null : result ?? "no answer";
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>A rename when both sides are on one file system, else a copy and delete.</summary>
    private static void MoveDirectory(string from, string to)
    {
        try
        {
            Directory.Move(from, to);
        }
        catch (IOException) when (!Directory.Exists(to))
        {
            CopyDirectory(from, to);
            Directory.Delete(from, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from)) CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }
}
