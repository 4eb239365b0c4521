using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Collect.Bench;

/// <summary>
/// Collect as a child process: the published Release build, Production environment, a fresh SQLite file in /tmp
/// (or a PostgreSQL database the caller made), loopback only, Hangfire's server off. Killed (by its own process id) when disposed.
/// </summary>
internal sealed class CollectServer : IAsyncDisposable
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "Bench-Admin-Passw0rd!";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly bool _keep;
    private readonly bool _sqlite;

    private CollectServer(Process process, StreamWriter log, Uri baseAddress, string databasePath, string logPath, string adminToken, bool keep, bool sqlite = true)
    {
        _sqlite = sqlite;
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        DatabasePath = databasePath;
        LogPath = logPath;
        AdminToken = adminToken;
        _keep = keep;
    }

    public Uri BaseAddress { get; }
    /// <summary>The SQLite file, or a description of the PostgreSQL database.</summary>
    public string DatabasePath { get; }
    public string LogPath { get; }
    public string AdminToken { get; }
    public int ProcessId => _process.Id;

    /// <summary>The published Collect.Web the build of this project made (see PublishCollectWeb in the csproj).</summary>
    public static string WebDirectory =>
        typeof(CollectServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "CollectWebDir").Value!;

    /// <param name="postgres">
    /// A PostgreSQL database to run on instead of a fresh SQLite file (Database__Provider=Postgres; Collect creates its tables
    /// and Hangfire's schema at start-up), with a description for the log.
    /// </param>
    public static async Task<CollectServer> StartAsync(bool keep, IReadOnlyDictionary<string, string> environment, CancellationToken ct,
        (string ConnectionString, string Description)? postgres = null)
    {
        var dir = WebDirectory;
        var dll = Path.Combine(dir, "Collect.Web.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build the bench with `dotnet run -c Release --project bench/Collect.Bench`, which publishes Collect.Web there.");

        var id = Guid.NewGuid().ToString("N");
        var databasePath = postgres?.Description ?? $"/tmp/collect-bench-{id}.db";
        var logPath = $"/tmp/collect-bench-{id}.log";
        var adminToken = "bench-admin-token-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" }) start.Environment.Remove(name);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        if (postgres is { } pg)
        {
            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["ConnectionStrings__Collect"] = pg.ConnectionString;
        }
        else
        {
            start.Environment["ConnectionStrings__Collect"] = $"Data Source={databasePath}";
        }
        start.Environment["Collect__Admin__Username"] = AdminUserName;
        start.Environment["Collect__Admin__Password"] = AdminPassword;
        start.Environment["Collect__Admin__ApiToken"] = adminToken;
        start.Environment["Collect__Jobs__RunServer"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start()) throw new InvalidOperationException("Could not start dotnet Collect.Web.dll.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new CollectServer(process, log, baseAddress, databasePath, logPath, adminToken, keep, sqlite: postgres is null);
        try
        {
            await server.WaitHealthyAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitHealthyAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < StartLimit)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"Collect exited with code {_process.ExitCode} while starting; its log:\n{Tail()}");
            try
            {
                using var response = await client.GetAsync("healthz", ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"Collect did not answer /healthz within {StartLimit.TotalSeconds:0} s; its log:\n{Tail()}");
    }

    public string Tail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
        if (_keep) return;
        foreach (var path in _sqlite ? new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", LogPath } : [LogPath])
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }
    }
}
