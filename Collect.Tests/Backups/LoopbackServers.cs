using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Collect.Tests.Backups;

/// <summary>
/// Real SFTP (OpenSSH's sshd) and FTP (vsftpd) servers on 127.0.0.1 for the backup tests, installed by ./test.sh and
/// started here with their own configuration in a temporary folder; a local test user (created when missing) logs in
/// with a password or a generated key. The tests run as root, as CI does.
/// </summary>
public sealed class LoopbackServers : IAsyncLifetime
{
    public const string User = "collectbackup";
    public const string Password = "Backup-Passw0rd-7";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "collect-tests", "servers-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _processes = [];

    public string Home { get; private set; } = "";
    public int SshPort { get; private set; }
    public int FtpPort { get; private set; }
    /// <summary>An FTP server that insists on TLS, with a self-signed certificate.</summary>
    public int FtpsPort { get; private set; }
    /// <summary>The user's private key (OpenSSH format), whose public half sshd accepts.</summary>
    public string PrivateKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await EnsureUserAsync();
        await StartSshdAsync();
        FtpPort = await StartVsftpdAsync("vsftpd.conf", tls: false);
        FtpsPort = await StartVsftpdAsync("vsftpd-tls.conf", tls: true);
    }

    /// <summary>A new folder in the user's home for one test, and its path relative to the home (a storage's root).</summary>
    public (string Root, string Path) NewFolder(string prefix)
    {
        var root = $"{prefix}-{Guid.NewGuid():N}";
        return (root, Path.Combine(Home, root));
    }

    private async Task EnsureUserAsync()
    {
        if ((await RunAsync("id", ["-u", User])).ExitCode != 0)
            Check(await RunAsync("useradd", ["-m", "-s", "/bin/bash", User]), "useradd");
        Check(await RunAsync("chpasswd", [], $"{User}:{Password}\n"), "chpasswd");
        Home = (await RunAsync("getent", ["passwd", User])).Output.Trim().Split(':')[5];
        Directory.CreateDirectory(Home);
    }

    private async Task StartSshdAsync()
    {
        var hostKey = Path.Combine(_directory, "ssh_host_ed25519_key");
        var userKey = Path.Combine(_directory, "user_key");
        Check(await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]), "ssh-keygen (host key)");
        Check(await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "collect-tests", "-f", userKey]), "ssh-keygen (user key)");
        PrivateKey = await File.ReadAllTextAsync(userKey);
        var authorizedKeys = Path.Combine(_directory, "authorized_keys");
        await File.WriteAllTextAsync(authorizedKeys, await File.ReadAllTextAsync(userKey + ".pub"));
        // sshd wants its privilege-separation folder, which only a booted system creates.
        Directory.CreateDirectory("/run/sshd");
        SshPort = FreePort();
        var config = Path.Combine(_directory, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {SshPort}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            PidFile {Path.Combine(_directory, "sshd.pid")}
            AuthorizedKeysFile {authorizedKeys}
            PasswordAuthentication yes
            PubkeyAuthentication yes
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin no
            AllowUsers {User}
            Subsystem sftp internal-sftp
            """);
        var sshd = Start("/usr/sbin/sshd", ["-D", "-e", "-f", config]);
        var listening = new TaskCompletionSource();
        var log = new StringBuilder();
        sshd.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.Contains("Server listening", StringComparison.Ordinal)) listening.TrySetResult();
        };
        sshd.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, sshd.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
        if (started != listening.Task) throw new InvalidOperationException($"sshd did not start: {log}");
    }

    private async Task<int> StartVsftpdAsync(string name, bool tls)
    {
        // vsftpd refuses to start without its empty chroot folder, which only a booted system creates.
        Directory.CreateDirectory("/var/run/vsftpd/empty");
        var port = FreePort();
        var tlsSettings = "ssl_enable=NO";
        if (tls)
        {
            var key = Path.Combine(_directory, "ftps.key");
            var certificate = Path.Combine(_directory, "ftps.crt");
            Check(await RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", certificate]),
                "openssl");
            tlsSettings = $"""
                ssl_enable=YES
                rsa_cert_file={certificate}
                rsa_private_key_file={key}
                force_local_logins_ssl=YES
                force_local_data_ssl=YES
                require_ssl_reuse=NO
                """;
        }
        var config = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(config, $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={port}
            background=NO
            anonymous_enable=NO
            local_enable=YES
            write_enable=YES
            local_umask=022
            pasv_enable=YES
            pasv_address=127.0.0.1
            connect_from_port_20=NO
            seccomp_sandbox=NO
            isolate=NO
            isolate_network=NO
            pam_service_name=vsftpd
            userlist_enable=NO
            xferlog_enable=YES
            xferlog_std_format=NO
            log_ftp_protocol=YES
            vsftpd_log_file={Path.Combine(_directory, name + ".log")}
            {tlsSettings}
            """ + "\n");
        var vsftpd = Start("/usr/sbin/vsftpd", [config]);
        vsftpd.BeginErrorReadLine();
        // vsftpd says nothing when it is ready: wait, bounded, until it accepts a connection.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (vsftpd.HasExited) throw new InvalidOperationException($"vsftpd ({name}) exited with {vsftpd.ExitCode}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return port;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private Process Start(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string? input = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static void Check((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.Output}");
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class LoopbackServersCollection : ICollectionFixture<LoopbackServers>
{
    public const string Name = "Backup servers on loopback";
}
