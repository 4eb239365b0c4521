using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Collect.Core.Backups;

/// <summary>
/// An FTP server, optionally with explicit TLS (AUTH TLS, protected data connections), passive mode only. A small client
/// of its own: FtpWebRequest is obsolete in .NET, and only storing, listing, renaming and deleting files is needed.
/// </summary>
internal sealed partial class FtpTarget(JsonObject configuration) : IBackupTarget
{
    private readonly string _host = (string)configuration["host"]!;
    private readonly int _port = (int)configuration["port"]!;
    private readonly bool _ssl = (bool?)configuration["ssl"] ?? false;
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds((int?)configuration["timeout"] ?? 30);
    private TcpClient? _control;
    private Stream? _stream;
    private IPAddress? _address;

    public async Task ConnectAsync(CancellationToken ct)
    {
        _control = new TcpClient();
        await WithTimeout(t => _control.ConnectAsync(_host, _port, t), ct);
        _address = ((IPEndPoint)_control.Client.RemoteEndPoint!).Address;
        if (_address.IsIPv4MappedToIPv6) _address = _address.MapToIPv4();
        _stream = _control.GetStream();
        await ExpectAsync(await ReplyAsync(ct), 220);
        if (_ssl)
        {
            await ExpectAsync(await CommandAsync("AUTH TLS", ct), 234);
            _stream = await TlsAsync(_stream, ct);
        }
        var user = await CommandAsync($"USER {(string)configuration["username"]!}", ct);
        if (user.Code == 331) await ExpectAsync(await CommandAsync($"PASS {(string?)configuration["password"] ?? ""}", ct), 230, 202);
        else await ExpectAsync(user, 230);
        if (_ssl)
        {
            await ExpectAsync(await CommandAsync("PBSZ 0", ct), 200);
            await ExpectAsync(await CommandAsync("PROT P", ct), 200);
        }
        await ExpectAsync(await CommandAsync("TYPE I", ct), 200);
        var root = (string?)configuration["root"] ?? "";
        if (root.Length > 0) await ChangeDirectoryAsync(root, ct);
    }

    /// <summary>Goes into the root folder, creating each missing level on the way.</summary>
    private async Task ChangeDirectoryAsync(string root, CancellationToken ct)
    {
        if (root.StartsWith('/')) await ExpectAsync(await CommandAsync("CWD /", ct), 250);
        foreach (var segment in root.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var reply = await CommandAsync($"CWD {segment}", ct);
            if (reply.Code == 250) continue;
            await ExpectAsync(await CommandAsync($"MKD {segment}", ct), 257);
            await ExpectAsync(await CommandAsync($"CWD {segment}", ct), 250);
        }
    }

    public async Task UploadAsync(string localPath, string name, CancellationToken ct)
    {
        var part = BackupTargets.PartName(name);
        await using (var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            var data = await OpenDataAsync(ct);
            await using (data)
            {
                await ExpectAsync(await CommandAsync($"STOR {part}", ct), 125, 150);
                if (_ssl) data.Stream = await TlsAsync(data.Stream, ct);
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                    await WithTimeout(t => data.Stream.WriteAsync(buffer.AsMemory(0, read), t).AsTask(), ct);
                await data.CloseAsync();
            }
            await ExpectAsync(await ReplyAsync(ct), 226, 250);
        }
        var existing = await ListAsync(ct);
        if (existing.Contains(name)) await DeleteAsync(name, ct);
        await ExpectAsync(await CommandAsync($"RNFR {part}", ct), 350);
        await ExpectAsync(await CommandAsync($"RNTO {name}", ct), 250);
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var data = await OpenDataAsync(ct);
        var text = new StringBuilder();
        await using (data)
        {
            var reply = await CommandAsync("NLST", ct);
            // Some servers answer an empty folder with 450/550 instead of an empty listing.
            if (reply.Code is 450 or 550) return [];
            await ExpectAsync(reply, 125, 150);
            if (_ssl) data.Stream = await TlsAsync(data.Stream, ct);
            var buffer = new byte[8192];
            int read;
            while ((read = await WithTimeout(t => data.Stream.ReadAsync(buffer, t).AsTask(), ct)) > 0) text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            await data.CloseAsync();
        }
        await ExpectAsync(await ReplyAsync(ct), 226, 250);
        return text.ToString().Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Contains('/') ? line[(line.LastIndexOf('/') + 1)..] : line)
            .Where(line => line is not ("." or ".."))
            .ToList();
    }

    public async Task DeleteAsync(string name, CancellationToken ct) => await ExpectAsync(await CommandAsync($"DELE {name}", ct), 250);

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await CommandAsync("QUIT", cts.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or FtpException or ObjectDisposedException)
            {
                // Leaving anyway.
            }
            await _stream.DisposeAsync();
        }
        _control?.Dispose();
    }

    // ---- the protocol -------------------------------------------------------------------------------------------

    private sealed record Reply(int Code, string Text);

    private sealed class DataConnection(TcpClient client) : IAsyncDisposable
    {
        public Stream Stream { get; set; } = client.GetStream();

        /// <summary>Ends the transfer: a TLS close-notify first, which servers such as vsftpd expect.</summary>
        public async Task CloseAsync()
        {
            try
            {
                if (Stream is SslStream ssl) await ssl.ShutdownAsync();
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                // The server may have closed first (after a listing); its reply on the control connection decides.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            client.Dispose();
        }
    }

    /// <summary>Passive mode, EPSV first (IPv6-safe), then PASV; always to the control connection's address.</summary>
    private async Task<DataConnection> OpenDataAsync(CancellationToken ct)
    {
        int port;
        var epsv = await CommandAsync("EPSV", ct);
        if (epsv.Code == 229 && EpsvPort().Match(epsv.Text) is { Success: true } e) port = int.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture);
        else
        {
            var pasv = await CommandAsync("PASV", ct);
            await ExpectAsync(pasv, 227);
            var m = PasvAddress().Match(pasv.Text);
            if (!m.Success) throw new FtpException($"The server's passive-mode answer could not be read: {pasv.Text}");
            port = int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture) * 256 + int.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture);
        }
        var client = new TcpClient(_address!.AddressFamily);
        try
        {
            await WithTimeout(t => client.ConnectAsync(_address, port, t).AsTask(), ct);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return new DataConnection(client);
    }

    private async Task<Stream> TlsAsync(Stream inner, CancellationToken ct)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        await WithTimeout(t => ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _host }, t), ct);
        return ssl;
    }

    /// <summary>Sends one command and reads its reply. Errors quote the reply, never the command (PASS carries the password).</summary>
    private async Task<Reply> CommandAsync(string command, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(command + "\r\n");
        await WithTimeout(t => _stream!.WriteAsync(bytes, t).AsTask(), ct);
        await _stream!.FlushAsync(ct);
        return await ReplyAsync(ct);
    }

    /// <summary>One reply, multi-line ones included ("230-..." lines up to "230 ...").</summary>
    private async Task<Reply> ReplyAsync(CancellationToken ct)
    {
        var first = await LineAsync(ct);
        if (first.Length < 3 || !int.TryParse(first.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            throw new FtpException($"The server answered something that is not FTP: {first}");
        var text = new StringBuilder(first.Length > 4 ? first[4..] : "");
        if (first.Length > 3 && first[3] == '-')
        {
            string line;
            do
            {
                line = await LineAsync(ct);
                text.Append('\n').Append(line);
            } while (!(line.Length >= 4 && line.StartsWith(first[..3], StringComparison.Ordinal) && line[3] == ' '));
        }
        return new Reply(code, text.ToString());
    }

    private async Task<string> LineAsync(CancellationToken ct)
    {
        // Byte by byte: replies are short, and nothing may be read past them before a switch to TLS.
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await WithTimeout(t => _stream!.ReadAsync(one, t).AsTask(), ct);
            if (read == 0) throw new FtpException("The server closed the connection.");
            if (one[0] == '\n') break;
            if (one[0] != '\r') line.Add(one[0]);
            if (line.Count > 8192) throw new FtpException("The server's answer is too long.");
        }
        return Encoding.UTF8.GetString(line.ToArray());
    }

    private static Task ExpectAsync(Reply reply, params int[] codes) =>
        codes.Contains(reply.Code) ? Task.CompletedTask : throw new FtpException($"FTP error {reply.Code}: {reply.Text.Trim()}");

    /// <summary>The storage's timeout bounds each network step, not a whole transfer.</summary>
    private async Task<T> WithTimeout<T>(Func<CancellationToken, Task<T>> step, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_timeout);
        try
        {
            return await step(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FtpException($"The FTP server did not answer within {_timeout.TotalSeconds:0} seconds.");
        }
    }

    private Task WithTimeout(Func<CancellationToken, Task> step, CancellationToken ct) =>
        WithTimeout(async t => { await step(t); return 0; }, ct);

    private Task WithTimeout(Func<CancellationToken, ValueTask> step, CancellationToken ct) =>
        WithTimeout(async t => { await step(t); return 0; }, ct);

    [GeneratedRegex(@"\(\|\|\|(\d+)\|\)")]
    private static partial Regex EpsvPort();

    [GeneratedRegex(@"(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)")]
    private static partial Regex PasvAddress();
}

/// <summary>An FTP server refused a step or answered out of protocol; the message says which.</summary>
internal sealed class FtpException(string message) : IOException(message);
