using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Collect.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server from Debian's packages (<c>./test.sh</c> installs <c>postgresql</c>), started for the
/// tests in a temporary folder on 127.0.0.1 and a free port, and stopped afterwards. Its cluster uses the C locale, so
/// text sorts by bytes as in SQLite. Each test gets a database of its own from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "collect-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private string _bin = "";
    public int Port { get; private set; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true }.ToString();

    public async Task InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0) throw new InvalidOperationException("PostgreSQL is not installed; ./test.sh installs Debian's postgresql package.");
        Directory.CreateDirectory(_directory);
        Port = FreePort();
        // initdb and the server refuse to run as root: run them as the postgres user the package creates.
        await RunAsync("chown", "postgres:postgres", _directory);
        await AsPostgresAsync(Path.Combine(_bin, "initdb"), "-D", Path.Combine(_directory, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
        await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_directory, "data"), "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start");
    }

    /// <summary>A new, empty database.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "collect_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsPostgresAsync(string program, params string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One PostgreSQL server for a whole test run on PostgreSQL (COLLECT_TEST_DATABASE=postgres), stopped when the run ends.</summary>
public static class SharedPostgres
{
    private static readonly Lazy<PostgresServer> Server = new(() =>
    {
        var server = new PostgresServer();
        server.InitializeAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().GetAwaiter().GetResult();
        return server;
    });

    public static string CreateDatabase() => Server.Value.CreateDatabaseAsync().GetAwaiter().GetResult();
}

/// <summary>A Collect node on a PostgreSQL database; with <paramref name="runJobs"/> its Hangfire server takes jobs from the shared queue.</summary>
public sealed class PostgresCollectFactory(string connectionString, bool runJobs = false) : CollectWebFactory
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:Collect"] = connectionString;
        settings["Collect:Jobs:RunServer"] = runJobs ? "true" : "false";
        settings["Collect:Jobs:SchedulePollingSeconds"] = "1";
        return settings;
    }
}
