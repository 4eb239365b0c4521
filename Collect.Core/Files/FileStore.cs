using System.Security.Cryptography;

namespace Collect.Core.Files;

/// <summary>Where attachment bytes live: one file per upload under a random name in the file-store folder.</summary>
public sealed class FileStore(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Copies the upload into the store, answering its storage name, size and SHA-256.</summary>
    public async Task<(string Name, long Size, string Sha256)> SaveAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(Directory, name);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                size += read;
                if (size > maxBytes) throw new FileTooLargeException(maxBytes);
                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return (name, size, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public Stream Open(string name) => new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public void Delete(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path)) File.Delete(path);
    }

    private string PathOf(string name)
    {
        // Storage names are hex made here; anything else never reaches the disk.
        if (name.Length != 32 || !name.All(Uri.IsHexDigit)) throw new ArgumentException("Not a storage name.", nameof(name));
        return Path.Combine(Directory, name);
    }
}

public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}
