using System.Text;
using System.Text.Json.Nodes;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Collect.Core.Backups;

/// <summary>An SFTP server (SSH.NET), with a password, a private key, or both.</summary>
internal sealed class SftpTarget(JsonObject configuration) : IBackupTarget
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private SftpClient? _client;
    private string _root = "";

    /// <summary>The server's host key as seen on connecting, for the connection test to show.</summary>
    public string? HostKeyFingerprint { get; private set; }

    /// <summary>Why a private key cannot be used (not a key, or a wrong passphrase), or null when it can.</summary>
    public static string? KeyProblem(string key, string? passphrase)
    {
        try
        {
            using var _ = Key(key, passphrase);
            return null;
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            return "The private key is encrypted: give its passphrase.";
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            return "The private key could not be read; paste an OpenSSH or PEM private key (RSA, ECDSA or Ed25519) with its passphrase if it has one.";
        }
    }

    private static PrivateKeyFile Key(string key, string? passphrase)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(key.Trim() + "\n"));
        return string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
    }

    public async Task ConnectAsync(CancellationToken ct)
    {
        var user = (string)configuration["username"]!;
        var methods = new List<AuthenticationMethod>();
        var keys = new List<PrivateKeyFile>();
        if ((string?)configuration["private_key"] is { Length: > 0 } key)
        {
            keys.Add(Key(key, (string?)configuration["passphrase"]));
            methods.Add(new PrivateKeyAuthenticationMethod(user, keys.ToArray()));
        }
        if ((string?)configuration["password"] is { Length: > 0 } password) methods.Add(new PasswordAuthenticationMethod(user, password));
        var connection = new ConnectionInfo((string)configuration["host"]!, (int)configuration["port"]!, user, methods.ToArray()) { Timeout = Timeout };
        _client = new SftpClient(connection) { OperationTimeout = Timeout };
        _client.HostKeyReceived += (_, e) => HostKeyFingerprint = $"{e.HostKeyName} SHA256:{e.FingerPrintSHA256}";
        await _client.ConnectAsync(ct);
        _root = (string?)configuration["root"] ?? "";
        if (_root.Length > 0) await EnsureDirectoryAsync(_root, ct);
    }

    private async Task EnsureDirectoryAsync(string path, CancellationToken ct)
    {
        var current = path.StartsWith('/') ? "" : null;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current is null ? segment : current + "/" + segment;
            if (!await _client!.ExistsAsync(current, ct)) await _client.CreateDirectoryAsync(current, ct);
        }
    }

    private string PathOf(string name) => _root.Length == 0 ? name : _root.TrimEnd('/') + "/" + name;

    public async Task UploadAsync(string localPath, string name, CancellationToken ct)
    {
        var part = PathOf(BackupTargets.PartName(name));
        await using (var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            await _client!.UploadFileAsync(source, part, ct);
        if (await _client!.ExistsAsync(PathOf(name), ct)) await _client.DeleteFileAsync(PathOf(name), ct);
        await _client.RenameFileAsync(part, PathOf(name), ct);
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var names = new List<string>();
        await foreach (var entry in _client!.ListDirectoryAsync(_root.Length == 0 ? "." : _root, ct))
            if (entry.IsRegularFile) names.Add(entry.Name);
        return names;
    }

    public Task DeleteAsync(string name, CancellationToken ct) => _client!.DeleteFileAsync(PathOf(name), ct);

    public ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true }) _client.Disconnect();
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }
}
