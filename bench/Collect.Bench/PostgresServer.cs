using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Collect.Bench;

/// <summary>
/// A private PostgreSQL server from Debian's packages for `intake --postgres`, started as Collect.Tests'
/// PostgresServer does (initdb as the postgres user when root, C locale, a temporary folder, 127.0.0.1 and a free port,
/// the socket in that folder), but with PostgreSQL's durability defaults left on (fsync, synchronous_commit,
/// full_page_writes), so that a commit waits for its WAL fsync as the baseline's synchronous=FULL SQLite does.
/// Disposing stops it and deletes the folder (unless kept).
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string InstallHint =
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Install it with `apt-get install -y postgresql` " +
        "(Debian's package; as root, or with sudo) and run again.";

    /// <summary>The settings the results state: durability, WAL and memory, all PostgreSQL's defaults except where set below.</summary>
    private static readonly string[] ShownSettings =
    [
        "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "wal_level", "wal_compression", "wal_buffers",
        "commit_delay", "shared_buffers", "max_wal_size", "checkpoint_timeout", "max_connections", "track_wal_io_timing",
    ];

    private readonly string _bin;
    private readonly bool _keep;
    private int _stopped;

    private PostgresServer(string bin, string directory, int port, bool keep)
    {
        _bin = bin;
        Directory = directory;
        Port = port;
        _keep = keep;
    }

    /// <summary>The temporary folder: data directory, socket and server log.</summary>
    public string Directory { get; }
    public int Port { get; }
    public string DataDirectory => Path.Combine(Directory, "data");
    public string LogPath => Path.Combine(Directory, "server.log");
    /// <summary>"PostgreSQL 15.x (Debian …)", from the server.</summary>
    public string Version { get; private set; } = "";
    /// <summary>name=value of <see cref="ShownSettings"/>, as the running server reports them.</summary>
    public string Settings { get; private set; } = "";
    /// <summary>The postmaster; its children are the backends, the WAL writer, the checkpointer.</summary>
    public int PostmasterPid { get; private set; }

    /// <summary>The bin folder of the newest PostgreSQL installed from Debian's packages, or null.</summary>
    public static string? Locate()
    {
        if (!System.IO.Directory.Exists("/usr/lib/postgresql")) return null;
        return System.IO.Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => (Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
            .Where(b => File.Exists(Path.Combine(b.Bin, "initdb")) && File.Exists(Path.Combine(b.Bin, "pg_ctl")))
            .OrderByDescending(b => b.Version)
            .Select(b => b.Bin)
            .FirstOrDefault();
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true }.ToString();

    public static async Task<PostgresServer> StartAsync(string bin, bool keep, CancellationToken ct)
    {
        var directory = Path.Combine("/tmp", "collect-bench-pg-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new PostgresServer(bin, directory, IntakeSupport.FreeLoopbackPort(), keep);
        try
        {
            // initdb and the server refuse to run as root: run them as the postgres user the package creates.
            if (IsRoot) await RunAsync("chown", ["postgres:postgres", directory], ct);
            // --no-sync only skips initdb's own flush of the new cluster; the server's settings are untouched.
            await server.AsPostgresAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], ct);
            // Durability stays at PostgreSQL's defaults. max_connections covers Collect's pool (100) and the bench's counts;
            // track_wal_io_timing only times the WAL writes and syncs for pg_stat_wal.
            await server.AsPostgresAsync("pg_ctl", ["-D", server.DataDirectory, "-l", server.LogPath, "-w", "-t", "60",
                "-o", $"-p {server.Port} -c listen_addresses=127.0.0.1 -k {directory} -c max_connections=200 -c track_wal_io_timing=on", "start"], ct);
            server.PostmasterPid = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture);
            await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
            await connection.OpenAsync(ct);
            await using (var version = new NpgsqlCommand("SELECT version()", connection))
                server.Version = ((string)(await version.ExecuteScalarAsync(ct))!).Split(" on ")[0];
            await using (var settings = new NpgsqlCommand("SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY array_position(@names, name)) FROM pg_settings WHERE name = ANY(@names)", connection))
            {
                settings.Parameters.AddWithValue("names", ShownSettings);
                server.Settings = (string)(await settings.ExecuteScalarAsync(ct))!;
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(ct);
        return ConnectionString(name);
    }

    /// <summary>One number from a database of this server.</summary>
    public async Task<long> CountAsync(string database, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>CPU milliseconds used so far by the postmaster and every process below it (backends included, ended ones too).</summary>
    public double CpuMilliseconds() => ProcessCpu.TreeMilliseconds(PostmasterPid);

    /// <summary>WAL and commit counters at one moment (PostgreSQL 14–16: pg_stat_wal, pg_stat_bgwriter); null where a view is missing.</summary>
    public sealed record Snapshot(long WalBytes, long WalRecords, long WalFullPageImages, long WalWrites, long WalSyncs, double WalSyncMs, long Commits, long Checkpoints);

    public async Task<Snapshot?> SnapshotAsync(string database, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(database));
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("""
                SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, w.wal_records, w.wal_fpi, w.wal_write, w.wal_sync, w.wal_sync_time,
                       d.xact_commit, b.checkpoints_timed + b.checkpoints_req
                FROM pg_stat_wal w, pg_stat_database d, pg_stat_bgwriter b
                WHERE d.datname = current_database()
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            return new Snapshot(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetDouble(5),
                reader.GetInt64(6), reader.GetInt64(7));
        }
        catch (PostgresException)
        {
            return null;
        }
    }

    /// <summary>Stops the server now (SIGTERM or Ctrl-C path; blocking) and deletes its folder unless kept.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            // Fast shutdown when the data is kept (a clean checkpoint), immediate when the folder goes anyway.
            AsPostgresAsync("pg_ctl", ["-D", DataDirectory, "-m", _keep ? "fast" : "immediate", "-w", "-t", "30", "stop"], CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Not running (start failed) or already gone: the folder is still deleted below.
        }
        finally
        {
            if (!_keep)
            {
                try
                {
                    System.IO.Directory.Delete(Directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"Could not delete {Directory}: {e.Message}");
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsPostgresAsync(string program, string[] args, CancellationToken ct)
    {
        var path = Path.Combine(_bin, program);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args], ct) : RunAsync(path, args, ct);
    }

    private static async Task RunAsync(string program, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/tmp" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
    }
}
