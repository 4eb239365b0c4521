using System.Formats.Tar;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Collect.Core.Backups;

/// <summary>What an archive holds: every entry with its size and SHA-256, the Collect version that wrote it, and when.</summary>
public sealed record BackupManifest(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("collect_version")] string CollectVersion,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("entries")] IReadOnlyList<BackupManifestEntry> Entries);

public sealed record BackupManifestEntry(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>
/// The archive format: one .tar.gz with <c>database/collect.db</c> (a consistent SQLite copy), the file store under
/// <c>files/</c>, and <c>manifest.json</c> last, listing every other entry's SHA-256. Hashes are taken from the very
/// bytes written, so a file changing while it is read cannot make an archive disagree with its own manifest.
/// </summary>
public static partial class BackupArchive
{
    public const string ManifestEntry = "manifest.json";
    public const string DatabaseEntry = "database/collect.db";
    public const string FilesPrefix = "files/";
    public const int Format = 1;
    private const long MaxManifestBytes = 64L * 1024 * 1024;

    public static string CollectVersion { get; } =
        typeof(BackupArchive).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Collect's archive name for a task: sorting names sorts archives by age.</summary>
    public static string NameFor(int taskId, DateTimeOffset at) => $"collect-backup-{at.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{taskId:D6}.tar.gz";

    /// <summary>True only for names Collect gives its archives; pruning never touches anything else.</summary>
    public static bool IsArchiveName(string name) => ArchiveName().IsMatch(name);

    [GeneratedRegex(@"^collect-backup-\d{8}T\d{6}Z-\d{6,}\.tar\.gz$")]
    private static partial Regex ArchiveName();

    /// <summary>Writes an archive entry by entry; <see cref="FinishAsync"/> adds the manifest.</summary>
    public sealed class Writer : IAsyncDisposable
    {
        private readonly FileStream _file;
        private readonly GZipStream _gzip;
        private readonly TarWriter _tar;
        private readonly List<BackupManifestEntry> _entries = [];

        public Writer(string path)
        {
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            _gzip = new GZipStream(_file, CompressionLevel.Optimal);
            _tar = new TarWriter(_gzip, TarEntryFormat.Pax, leaveOpen: true);
        }

        public IReadOnlyList<BackupManifestEntry> Entries => _entries;

        /// <summary>Adds a file as it is now (its length when opened); answers false when it vanished meanwhile.</summary>
        public async Task<bool> AddFileAsync(string entryName, string path, CancellationToken ct)
        {
            FileStream source;
            try
            {
                source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return false;
            }
            await using (source)
            {
                using var hashing = new HashingReadStream(source, source.Length);
                var entry = new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = hashing, ModificationTime = File.GetLastWriteTimeUtc(path) };
                await _tar.WriteEntryAsync(entry, ct);
                _entries.Add(new BackupManifestEntry(entryName, hashing.Length, hashing.Hash()));
            }
            return true;
        }

        public async Task FinishAsync(DateTimeOffset createdAt, CancellationToken ct)
        {
            var manifest = new BackupManifest(Format, CollectVersion, createdAt, _entries);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true });
            using var data = new MemoryStream(bytes);
            await _tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, ManifestEntry) { DataStream = data, ModificationTime = createdAt }, ct);
        }

        public async ValueTask DisposeAsync()
        {
            await _tar.DisposeAsync();
            await _gzip.DisposeAsync();
            await _file.DisposeAsync();
        }
    }

    /// <summary>
    /// Unpacks an archive into <paramref name="directory"/> and checks every entry against the manifest: same set of
    /// entries, sizes and SHA-256 sums. Answers the manifest, or why the archive cannot be trusted.
    /// </summary>
    public static async Task<(BackupManifest? Manifest, string? Problem)> ExtractVerifiedAsync(string archivePath, string directory, CancellationToken ct)
    {
        var found = new Dictionary<string, (long Size, string Sha256)>(StringComparer.Ordinal);
        byte[]? manifestBytes = null;
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        try
        {
            await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                if (entry.EntryType == TarEntryType.Directory) continue;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    return (null, $"The archive holds an entry of an unexpected kind ({entry.EntryType}): {entry.Name}.");
                var name = entry.Name;
                if (found.ContainsKey(name) || name == ManifestEntry && manifestBytes is not null) return (null, $"The archive holds {name} twice.");
                if (name == ManifestEntry)
                {
                    if (entry.Length > MaxManifestBytes) return (null, "The archive's manifest is too large.");
                    using var buffer = new MemoryStream();
                    if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(buffer, ct);
                    manifestBytes = buffer.ToArray();
                    continue;
                }
                if (!IsSafeEntryName(name)) return (null, $"The archive holds an entry outside Collect's data: {name}.");
                var target = Path.GetFullPath(Path.Combine(directory, name));
                if (!target.StartsWith(root, StringComparison.Ordinal)) return (null, $"The archive holds an entry outside Collect's data: {name}.");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long size = 0;
                await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    if (entry.DataStream is not null)
                    {
                        var chunk = new byte[81920];
                        int read;
                        while ((read = await entry.DataStream.ReadAsync(chunk, ct)) > 0)
                        {
                            sha.AppendData(chunk, 0, read);
                            size += read;
                            await output.WriteAsync(chunk.AsMemory(0, read), ct);
                        }
                    }
                }
                found[name] = (size, Convert.ToHexStringLower(sha.GetHashAndReset()));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
        {
            return (null, $"The archive is damaged and cannot be read ({ex.Message}).");
        }

        if (manifestBytes is null) return (null, "The archive has no manifest.json, so its contents cannot be checked.");
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(manifestBytes);
        }
        catch (JsonException)
        {
            return (null, "The archive's manifest.json cannot be read.");
        }
        if (manifest?.Entries is null) return (null, "The archive's manifest.json cannot be read.");
        if (manifest.Format != Format) return (null, $"The archive has format {manifest.Format}; this version of Collect restores format {Format}.");
        foreach (var expected in manifest.Entries)
        {
            if (!found.TryGetValue(expected.Path, out var actual)) return (null, $"The archive lacks {expected.Path}, which its manifest lists.");
            if (actual.Size != expected.Size || !string.Equals(actual.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
                return (null, $"Checksum mismatch: {expected.Path} is not what was backed up.");
        }
        if (found.Keys.FirstOrDefault(k => manifest.Entries.All(e => e.Path != k)) is { } extra)
            return (null, $"The archive holds {extra}, which its manifest does not list.");
        if (!found.ContainsKey(DatabaseEntry)) return (null, "The archive holds no database.");
        return (manifest, null);
    }

    private static bool IsSafeEntryName(string name) =>
        (name == DatabaseEntry || name.StartsWith(FilesPrefix, StringComparison.Ordinal) && name.Length > FilesPrefix.Length) &&
        !name.Contains('\\') && !name.Contains('\0') && !Path.IsPathRooted(name) &&
        name.Split('/').All(segment => segment is not ("" or "." or ".."));

    /// <summary>Reads at most the length the file had when opened, hashing what it hands out.</summary>
    private sealed class HashingReadStream(Stream inner, long length) : Stream
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;

        public string Hash() => Convert.ToHexStringLower(_sha.GetHashAndReset());

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var wanted = (int)Math.Min(buffer.Length, length - _position);
            if (wanted <= 0) return 0;
            var read = inner.Read(buffer[..wanted]);
            if (read == 0) throw new IOException("The file became shorter while it was being archived.");
            _sha.AppendData(buffer[..read]);
            _position += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var wanted = (int)Math.Min(buffer.Length, length - _position);
            if (wanted <= 0) return 0;
            var read = await inner.ReadAsync(buffer[..wanted], cancellationToken);
            if (read == 0) throw new IOException("The file became shorter while it was being archived.");
            _sha.AppendData(buffer.Span[..read]);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _sha.Dispose();
            base.Dispose(disposing);
        }
    }
}
