using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Collect.Core.Backups;
using Collect.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Backups;

/// <summary>
/// Collect whose database, file store and backup work folder all live in one folder the test chooses, so that a second
/// instance can be started on the same data after a restore, as an operator would after running the restore command.
/// A folder given by the test belongs to the test and outlives the instance.
/// </summary>
public sealed class BackupWebFactory(string? dataDirectory = null) : CollectWebFactory
{
    public string DataDirectory { get; } = dataDirectory ?? Path.Combine(Path.GetTempPath(), "collect-tests", "backups-" + Guid.NewGuid().ToString("N"));
    public string Database => Path.Combine(DataDirectory, "collect.db");
    public string FilesDirectory => Path.Combine(DataDirectory, "files");
    public CollectDataPaths Paths => new(Database, FilesDirectory);

    protected override Dictionary<string, string?> Settings()
    {
        Directory.CreateDirectory(DataDirectory);
        var settings = base.Settings();
        settings["ConnectionStrings:Collect"] = $"Data Source={Database}";
        settings["Collect:Files:Directory"] = FilesDirectory;
        settings["Collect:Backups:WorkDirectory"] = Path.Combine(DataDirectory, "backup-work");
        return settings;
    }

    public BackupRunner Runner => Services.GetRequiredService<BackupRunner>();
    public BackupService Service => Services.GetRequiredService<BackupService>();

    /// <summary>Starts a backup through the API and runs it here, as the background worker would; answers the finished task.</summary>
    public async Task<JsonNode> BackUpAsync()
    {
        var admin = AdminApi();
        var started = await Json.OkAsync(await admin.PostAsync("/api/system/backups/create", null));
        await Runner.RunPendingAsync();
        return await Json.OkAsync(await admin.GetAsync($"/api/system/backups/history/{(int)started["id"]!}"));
    }

    public async Task<int> AddStorageAsync(object body) => (int)(await Json.OkAsync(await AdminApi().PostAsJsonAsync("/api/system/backups/storages", body)))["id"]!;

    public async Task<int> AddLocalStorageAsync(string folder, int retention = 5, string name = "local") =>
        await AddStorageAsync(new { name, provider = "local", configuration = new { folder }, retention, enabled = true });

    /// <summary>Collect's archives in a folder, oldest first.</summary>
    public static List<string> Archives(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Where(BackupArchive.IsArchiveName).Order(StringComparer.Ordinal).ToList() : [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (dataDirectory is not null) return;
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// A copy of an archive with one entry's bytes altered and its manifest left as it was: what a damaged disk or a
    /// tampered file looks like to the restore.
    /// </summary>
    public static async Task<string> CorruptAsync(string archive, string entryName)
    {
        var corrupted = Path.Combine(Path.GetTempPath(), "collect-tests", $"corrupted-{Guid.NewGuid():N}.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(corrupted)!);
        await using (var input = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
        await using (var output = new GZipStream(File.Create(corrupted), CompressionLevel.Fastest))
        {
            using var reader = new TarReader(input);
            using var writer = new TarWriter(output, TarEntryFormat.Pax);
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.Name == entryName && entry.DataStream is { } data)
                {
                    var bytes = new byte[data.Length];
                    data.ReadExactly(bytes);
                    bytes[bytes.Length / 2] ^= 0x5A;
                    entry.DataStream = new MemoryStream(bytes);
                }
                writer.WriteEntry(entry);
            }
        }
        return corrupted;
    }
}
