using System.Text.Json.Nodes;

namespace Collect.Core.Backups;

/// <summary>
/// A connection to one storage. Archives are uploaded under a temporary name and renamed when complete, so a broken
/// upload never counts as an archive; listing and pruning only ever see Collect's own archive names.
/// </summary>
internal interface IBackupTarget : IAsyncDisposable
{
    /// <summary>Connects and makes sure the storage's folder exists.</summary>
    Task ConnectAsync(CancellationToken ct);
    Task UploadAsync(string localPath, string name, CancellationToken ct);
    /// <summary>Names of the files in the storage's folder.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct);
    Task DeleteAsync(string name, CancellationToken ct);
}

internal static class BackupTargets
{
    public static IBackupTarget Open(string provider, JsonObject configuration) => provider switch
    {
        BackupProviders.Local => new LocalTarget((string)configuration["folder"]!),
        BackupProviders.Sftp => new SftpTarget(configuration),
        BackupProviders.Ftp => new FtpTarget(configuration),
        _ => throw new InvalidOperationException($"Unknown storage provider {provider}."),
    };

    /// <summary>The temporary name an upload is written under before it is renamed.</summary>
    public static string PartName(string name) => name + ".part";
}

/// <summary>A folder on this machine (or a mount: NFS, a USB disk).</summary>
internal sealed class LocalTarget(string folder) : IBackupTarget
{
    public string Folder { get; } = folder;

    public Task ConnectAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        return Task.CompletedTask;
    }

    public async Task UploadAsync(string localPath, string name, CancellationToken ct)
    {
        var part = Path.Combine(Folder, BackupTargets.PartName(name));
        await using (var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        await using (var target = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await source.CopyToAsync(target, ct);
            await target.FlushAsync(ct);
            target.Flush(flushToDisk: true);
        }
        File.Move(part, Path.Combine(Folder, name), overwrite: true);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(Directory.EnumerateFiles(Folder).Select(Path.GetFileName).OfType<string>().ToList());

    public Task DeleteAsync(string name, CancellationToken ct)
    {
        File.Delete(Path.Combine(Folder, name));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
