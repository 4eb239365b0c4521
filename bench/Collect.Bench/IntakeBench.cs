using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Collect.Bench;

/// <summary>
/// DESIGN.md §15, inventory intake: wrk posts a 6 KB inventory as 1,000 systems over 64 connections to Collect's
/// POST /api/systems/inventory, then the same to the bare baseline (bench/Baseline: Basic auth, JSON check, SHA-256, the
/// same durable SQLite insert with group commit). Judged: Collect's throughput at least 70% of the baseline's, Collect's
/// p99 under 50 ms, and every upload Collect acknowledged stored.
/// </summary>
internal static class IntakeBench
{
    private const double RatioTarget = 0.70;
    private const double P99TargetMs = 50;
    private const double BusyShare = 0.10;
    /// <summary>The whole run stops by itself after this, wherever it is.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    /// <summary>With --postgres: one more Collect start, 1,000 more systems, another 23 s of wrk, and the PostgreSQL server.</summary>
    private static readonly TimeSpan PostgresRunLimit = TimeSpan.FromMinutes(6);
    /// <summary>The database Collect runs on with --postgres.</summary>
    private const string PostgresDatabase = "collect_bench";

    private sealed record Measured(string Name, Wrk.Result Wrk, double ServerCpuMsPerRequest, double ServerShare, double MachineShare, double OthersShare,
        long Stored, long BodiesStored, TimeSpan Settled, double DatabaseCpuMsPerRequest = double.NaN, double DatabaseShare = double.NaN)
    {
        public double SuccessesPerSecond => Wrk.Successes / Wrk.Seconds;
        /// <summary>Stored beyond the 2xx answers wrk counted: uploads in flight when wrk stopped, which the server may still commit.</summary>
        public long InFlight => Stored - Wrk.Successes;
    }

    /// <summary>One Collect measured against the baseline: its row, its ratio row and its stored check in the table.</summary>
    private sealed record Side(Measured M, string Who, double Ratio, bool RatioPass, bool P99Pass, bool StoredPass, bool Judged);

    public static async Task<int> RunAsync(IntakeOptions options)
    {
        var wrk = Wrk.Locate();
        if (wrk is null)
        {
            Console.Error.WriteLine(Wrk.InstallHint);
            return 1;
        }
        string? postgresBin = null;
        if (options.Postgres && (postgresBin = PostgresServer.Locate()) is null)
        {
            Console.Error.WriteLine(PostgresServer.InstallHint);
            return 1;
        }
        var runLimit = options.Postgres ? PostgresRunLimit : RunLimit;
        using var limit = new CancellationTokenSource(runLimit);
        var ct = limit.Token;
        var total = Stopwatch.StartNew();
        var log = new List<string>();
        void Say(string line)
        {
            Console.WriteLine(line);
            log.Add(line);
        }

        // The PostgreSQL server is not a child of this process (pg_ctl detaches it), so Ctrl-C would leave it running:
        // the first Ctrl-C cancels the run, whose finally stops it; SIGTERM (or a second Ctrl-C) stops it on the way out.
        PostgresServer? postgres = null;
        var interrupted = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupted) return;
            interrupted = true;
            e.Cancel = true;
            Console.Error.WriteLine("Interrupted: stopping the servers.");
            limit.Cancel();
        };
        EventHandler onExit = (_, _) => postgres?.Stop();
        if (options.Postgres)
        {
            Console.CancelKeyPress += onCancel;
            AppDomain.CurrentDomain.ProcessExit += onExit;
        }

        var samplePath = IntakeSupport.SamplePath(options);
        var sample = await File.ReadAllBytesAsync(samplePath, ct);
        var loadAtStart = ProcessCpu.LoadAverage();
        var wrkVersion = IntakeSupport.Run(wrk, "--version").Split('\n')[0].Split(" Copyright")[0].Trim();
        Measured collect, bare;
        Measured? onPostgres = null;
        var scripts = new List<string>();

        // Starts a Collect, creates the systems, writes their wrk script and measures; answers the systems' credentials too.
        async Task<(Measured Measured, List<SystemCredential> Credentials, string Script)> CollectAsync(string name, string engine,
            (string ConnectionString, string Description)? database, Func<CollectServer, Func<Task<long>>> stored, Func<CollectServer, Func<Task<long>>> bodies)
        {
            Say($"Starting Collect{engine} (published Release build, Production, Hangfire server off) from {CollectServer.WebDirectory}");
            await using var server = await CollectServer.StartAsync(options.Keep, options.ServerEnvironment, ct, database);
            Say($"  listening on {server.BaseAddress} (pid {server.ProcessId}), database {server.DatabasePath}, log {server.LogPath}");
            if (options.ServerEnvironment.Count > 0)
                Say($"  extra environment: {string.Join(' ', options.ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var created = Stopwatch.StartNew();
            var credentials = await IntakeSupport.CreateSystemsAsync(http, server.AdminToken, options.Systems, ct);
            Say($"  {credentials.Count:N0} systems created through POST /api/systems in {created.Elapsed.TotalSeconds:0.0} s");

            var script = $"/tmp/collect-bench-intake-{Guid.NewGuid():N}.lua";
            scripts.Add(script);
            await File.WriteAllTextAsync(script, Wrk.Script(sample, credentials.Select(c => c.BasicHeader).ToList()), ct);
            IntakeSupport.OwnerOnly(script);
            Say($"  wrk script {script}: the {sample.Length:N0}-byte sample from {Path.GetFileName(samplePath)}, a uuid of its own per request, " +
                $"Authorization rotating over the {credentials.Count:N0} systems");

            var measured = await MeasureAsync(name, wrk, script, new Uri(server.BaseAddress, "api/systems/inventory"), server.ProcessId, stored(server), bodies(server),
                options, Say, ct, database is null ? null : postgres);
            Say($"Stopping Collect (pid {server.ProcessId})");
            return (measured, credentials, script);
        }

        try
        {
            Say($"wrk: {wrkVersion}");
            Say("Building the baseline endpoint (bench/Baseline, Release)");
            var build = Stopwatch.StartNew();
            var baselineDll = await BaselineServer.BuildAsync(ct);
            Say($"  built in {build.Elapsed.TotalSeconds:0.0} s");

            const string sqliteStored = "SELECT (SELECT COUNT(*) FROM InventoryInbox) + (SELECT COUNT(*) FROM InventoryRecords)";
            const string sqliteBodies = "SELECT (SELECT COUNT(*) FROM InventoryInbox) + (SELECT COUNT(*) FROM InventoryBlobs)";
            var (sqlite, credentials, scriptPath) = await CollectAsync(
                options.Postgres ? "Collect on SQLite · POST /api/systems/inventory" : "Collect · POST /api/systems/inventory", options.Postgres ? " on SQLite" : "", null,
                server => () => IntakeSupport.CountAsync(server.DatabasePath, sqliteStored, ct), server => () => IntakeSupport.CountAsync(server.DatabasePath, sqliteBodies, ct));
            collect = sqlite;

            if (options.Postgres)
            {
                Say("Starting PostgreSQL: a new cluster in a temporary folder, 127.0.0.1, durability at its defaults");
                Say($"  binaries {postgresBin}");
                var started = Stopwatch.StartNew();
                postgres = await PostgresServer.StartAsync(postgresBin!, options.Keep, ct);
                var connectionString = await postgres.CreateDatabaseAsync(PostgresDatabase, ct);
                Say($"  folder {postgres.Directory}, server log {postgres.LogPath}");
                Say($"  {postgres.Version}, port {postgres.Port}, postmaster pid {postgres.PostmasterPid}, database {PostgresDatabase}; " +
                    $"ready in {started.Elapsed.TotalSeconds:0.0} s");
                Say($"  settings: {postgres.Settings}");
                var pg = postgres;
                (onPostgres, _, _) = await CollectAsync("Collect on PostgreSQL · POST /api/systems/inventory", " on PostgreSQL",
                    (connectionString, $"{PostgresDatabase} on PostgreSQL at 127.0.0.1:{postgres.Port}"),
                    _ => () => pg.CountAsync(PostgresDatabase, """SELECT (SELECT COUNT(*) FROM "InventoryInbox") + (SELECT COUNT(*) FROM "InventoryRecords")""", ct),
                    _ => () => pg.CountAsync(PostgresDatabase, """SELECT (SELECT COUNT(*) FROM "InventoryInbox") + (SELECT COUNT(*) FROM "InventoryBlobs")""", ct));
                Say($"Stopping PostgreSQL (postmaster pid {postgres.PostmasterPid}){(options.Keep ? $"; its folder is kept: {postgres.Directory}" : "")}");
                postgres.Stop();
            }

            Say("Starting the baseline endpoint with the same credentials");
            await using (var baseline = await BaselineServer.StartAsync(baselineDll, credentials, options.Keep, ct))
            {
                Say($"  listening on {baseline.BaseAddress} (pid {baseline.ProcessId}), database {baseline.DatabasePath}, log {baseline.LogPath}");
                var before = await baseline.StatsAsync(ct);
                bare = await MeasureAsync("bare baseline · POST /inventory", wrk, scriptPath, new Uri(baseline.BaseAddress, "inventory"), baseline.ProcessId,
                    () => IntakeSupport.CountAsync(baseline.DatabasePath, "SELECT COUNT(*) FROM inventories", ct), null, options, Say, ct);
                var after = await baseline.StatsAsync(ct);
                if (after.Commits > before.Commits)
                    Say($"  baseline group commit: {after.Rows - before.Rows:N0} rows in {after.Commits - before.Commits:N0} transactions " +
                        $"({(after.Rows - before.Rows) / (double)(after.Commits - before.Commits):0.0} a commit) from the warm-up on");
                Say($"Stopping the baseline (pid {baseline.ProcessId})");
            }
        }
        catch (Exception e) when (interrupted || (e is OperationCanceledException && limit.IsCancellationRequested))
        {
            Console.Error.WriteLine(interrupted
                ? "The run was interrupted; nothing was written."
                : $"The run passed its limit of {runLimit.TotalMinutes:0} minutes and stopped; nothing was written.");
            return 1;
        }
        finally
        {
            if (!options.Keep) IntakeSupport.DeleteFiles([.. scripts]);
            postgres?.Stop();
            if (options.Postgres)
            {
                Console.CancelKeyPress -= onCancel;
                AppDomain.CurrentDomain.ProcessExit -= onExit;
            }
        }
        total.Stop();

        var bareStoredOk = bare.InFlight >= 0 && bare.InFlight <= options.Connections && bare.Wrk.NonSuccess == 0;
        // A baseline that failed its own check is no reference: the ratio is not judged then.
        Side Judge(Measured m, string who, bool judged)
        {
            var ratio = bareStoredOk && bare.SuccessesPerSecond > 0 ? m.SuccessesPerSecond / bare.SuccessesPerSecond : double.NaN;
            return new Side(m, who, ratio, ratio >= RatioTarget, m.Wrk.P99Ms < P99TargetMs,
                m.InFlight >= 0 && m.InFlight <= options.Connections && m.Wrk.NonSuccess == 0, judged);
        }
        var sides = new List<Side> { Judge(collect, options.Postgres ? "Collect on SQLite" : "Collect", judged: true) };
        if (onPostgres is not null) sides.Add(Judge(onPostgres, "Collect on PostgreSQL", judged: false));
        var measuredAll = sides.Select(s => s.M).Append(bare).ToList();
        var others = measuredAll.Max(m => m.OthersShare);
        Say(string.Create(CultureInfo.InvariantCulture,
            $"Other processes on this {Environment.ProcessorCount}-core machine: load average {loadAtStart:0.00} before the run; ") +
            (onPostgres is null
                ? Inv($"{collect.OthersShare * 100:0}% of all cores while Collect was measured, {bare.OthersShare * 100:0}% while the baseline was")
                : Inv($"{collect.OthersShare * 100:0}% of all cores while Collect on SQLite was measured, {onPostgres.OthersShare * 100:0}% while Collect on PostgreSQL was ") +
                  Inv($"(PostgreSQL's own processes not counted), {bare.OthersShare * 100:0}% while the baseline was")));
        if (others > BusyShare)
            Say($"WARNING: other processes used more than {BusyShare * 100:0}% of the cores while measuring; run again when the machine is idle.");

        var table = Table(bare, sides, options.Connections);
        Console.WriteLine();
        Console.WriteLine(table);
        // Judged: the SQLite side's ratio, p99 and stored check (DESIGN.md §15), and that PostgreSQL stored every upload it
        // acknowledged. PostgreSQL's ratio and p99 get a verdict but do not decide the exit code.
        var judgedChecks = new List<bool> { sides[0].RatioPass, sides[0].P99Pass, sides[0].StoredPass };
        if (sides.Count > 1) judgedChecks.Add(sides[1].StoredPass);
        var failed = judgedChecks.Count(p => !p);
        Console.WriteLine(failed == 0
            ? $"All {judgedChecks.Count} judged measurements meet their targets. Total time {total.Elapsed.TotalSeconds:0} s."
            : $"{failed} of {judgedChecks.Count} judged measurements miss their target. Total time {total.Elapsed.TotalSeconds:0} s.");
        if (sides.Count > 1) Console.WriteLine(PostgresVerdict(sides[1]));
        if (!bareStoredOk)
            Console.WriteLine("The baseline's own check failed (non-2xx answers, or rows stored differ from its 2xx answers), so the ratio could not be judged.");

        if (options.Write)
        {
            var path = onPostgres is null
                ? IntakeSupport.WriteResults(options, Section(options, table, collect, bare, log, total.Elapsed, sample.Length, samplePath, wrkVersion))
                : IntakeSupport.WriteResults(options, Section(options, table, collect, bare, log, total.Elapsed, sample.Length, samplePath, wrkVersion, sides[1], postgres),
                    "intake-postgres");
            Console.WriteLine($"Results written to {path}");
        }
        return failed == 0 ? 0 : 1;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string PostgresVerdict(Side pg) => string.Create(CultureInfo.InvariantCulture,
        $"Collect on PostgreSQL (verdicts shown, not counted in the exit code except its stored check): throughput ratio {(double.IsNaN(pg.Ratio) ? "—" : pg.Ratio.ToString("0.00", CultureInfo.InvariantCulture))} " +
        $"({(pg.RatioPass ? "PASS" : "FAIL")} against ≥ {RatioTarget:0.00}), p99 {pg.M.Wrk.P99Ms:0.0} ms ({(pg.P99Pass ? "PASS" : "FAIL")} against < {P99TargetMs:0} ms).");

    /// <param name="database">The bench's PostgreSQL server when Collect runs on it: its CPU is measured beside the server's (and is not
    /// counted as other processes'), and its WAL and commit counters are logged.</param>
    private static async Task<Measured> MeasureAsync(string name, string wrk, string script, Uri url, int pid, Func<Task<long>> stored, Func<Task<long>>? bodies,
        IntakeOptions options, Action<string> say, CancellationToken ct, PostgresServer? database = null)
    {
        if (options.WarmupSeconds > 0)
        {
            var warm = await Wrk.RunAsync(wrk, script, url, options.Threads, options.Connections, options.WarmupSeconds, run: 1, ct);
            var idle = await ProcessCpu.WaitIdleAsync(pid, TimeSpan.FromSeconds(10), ct, TimeSpan.FromMilliseconds(500));
            say(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: warm-up {options.WarmupSeconds} s, {warm.Requests:N0} requests ({warm.RequestsPerSecond:0}/s, p99 {warm.P99Ms:0.0} ms, " +
                $"{warm.NonSuccess} non-2xx), then {idle.TotalSeconds:0.0} s until the server was idle"));
        }
        var storedBefore = await stored();
        var bodiesBefore = bodies is null ? 0 : await bodies();
        var databaseBefore = database is null ? null : await database.SnapshotAsync(PostgresDatabase, ct);
        Func<double>? databaseCpu = database is null ? null : database.CpuMilliseconds;
        var dbCpu = databaseCpu?.Invoke() ?? double.NaN;
        var cpu = ProcessCpu.Milliseconds(pid);
        var machine = ProcessCpu.MachineBusyMilliseconds();
        var meter = new ProcessCpu.OthersMeter(databaseCpu);
        var wall = Stopwatch.StartNew();
        var result = await Wrk.RunAsync(wrk, script, url, options.Threads, options.Connections, options.DurationSeconds, run: 2, ct);
        wall.Stop();
        var othersShare = meter.Share();
        cpu = ProcessCpu.Milliseconds(pid) - cpu;
        dbCpu = (databaseCpu?.Invoke() ?? double.NaN) - dbCpu;
        machine = ProcessCpu.MachineBusyMilliseconds() - machine;
        var capacity = wall.Elapsed.TotalMilliseconds * Environment.ProcessorCount;
        // Uploads still in flight when wrk stopped may be committed after it; wait for the server to go quiet before counting.
        var settled = await ProcessCpu.WaitIdleAsync(pid, TimeSpan.FromSeconds(10), ct, TimeSpan.FromMilliseconds(500));
        var storedCount = await stored() - storedBefore;
        var bodiesCount = bodies is null ? -1 : await bodies() - bodiesBefore;
        var m = new Measured(name, result, cpu / Math.Max(1, result.Requests), cpu / capacity, machine / capacity, othersShare, storedCount, bodiesCount, settled,
            dbCpu / Math.Max(1, result.Requests), dbCpu / capacity);
        say($"  {result.Command} -> {url}");
        foreach (var line in result.Output.Split('\n')) say($"    {line.TrimEnd()}");
        say(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {m.SuccessesPerSecond:0} 2xx/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms; server CPU {m.ServerCpuMsPerRequest:0.000} ms a request " +
            $"({m.ServerShare * 100:0}% of the machine), ") +
            (database is null ? "" : Inv($"PostgreSQL CPU {m.DatabaseCpuMsPerRequest:0.000} ms a request ({m.DatabaseShare * 100:0}%), ")) +
            Inv($"wrk {result.WrkCpuMs / capacity * 100:0}%, machine busy {m.MachineShare * 100:0}%"));
        say($"  {name}: {result.Successes:N0} 2xx answers, {result.NonSuccess:N0} other, socket errors: {result.SocketErrors}; " +
            $"{storedCount:N0} rows stored during the run{(bodies is null ? "" : $" ({bodiesCount:N0} bodies)")}, " +
            $"{m.InFlight:N0} beyond the 2xx answers (in flight when wrk stopped, at most {options.Connections})");
        if (database is not null)
        {
            // Backends publish their statistics at most once a second and when they go idle: let the last ones arrive.
            await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
            var after = await database.SnapshotAsync(PostgresDatabase, ct);
            say(databaseBefore is null || after is null
                ? "  PostgreSQL: no WAL statistics (pg_stat_wal or pg_stat_bgwriter missing)"
                : PostgresLine(databaseBefore, after, storedCount));
        }
        return m;
    }

    /// <summary>WAL and commits of the measured run, from the counters before and after it (statistics lag by up to a second or so).</summary>
    private static string PostgresLine(PostgresServer.Snapshot before, PostgresServer.Snapshot after, long stored)
    {
        var commits = after.Commits - before.Commits;
        var syncs = after.WalSyncs - before.WalSyncs;
        var walBytes = after.WalBytes - before.WalBytes;
        double Per(double a, double b) => b > 0 ? a / b : double.NaN;
        return string.Create(CultureInfo.InvariantCulture,
            $"  PostgreSQL over the measured run: {commits:N0} transactions committed ({Per(stored, commits):0.0} uploads a transaction, reads included); " +
            $"{syncs:N0} WAL syncs ({Per(stored, syncs):0.0} uploads a sync, {Per(after.WalSyncMs - before.WalSyncMs, syncs):0.00} ms a sync, " +
            $"{(after.WalSyncMs - before.WalSyncMs) / 1000:0.0} s syncing in all), {after.WalWrites - before.WalWrites:N0} WAL writes; " +
            $"{walBytes / 1048576.0:N0} MiB of WAL ({Per(walBytes, stored) / 1024:0.0} KiB an upload, {after.WalRecords - before.WalRecords:N0} records, " +
            $"{after.WalFullPageImages - before.WalFullPageImages:N0} full-page images); {after.Checkpoints - before.Checkpoints} checkpoints");
    }

    private static string Table(Measured bare, IReadOnlyList<Side> sides, int connections)
    {
        static string F(double v, string format = "0.00") => double.IsNaN(v) ? "—" : v.ToString(format, CultureInfo.InvariantCulture);
        static string Verdict(bool pass, bool judged) => (pass ? "PASS" : "FAIL") + (judged ? "" : " (info)");
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | 2xx/s | p50 ms | p90 ms | p99 ms | server CPU ms a request | target | ratio | verdict |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        sb.AppendLine($"| {bare.Name} · {connections} connections (reference) | {F(bare.SuccessesPerSecond, "0")} | {F(bare.Wrk.P50Ms)} | {F(bare.Wrk.P90Ms)} | {F(bare.Wrk.P99Ms)} | {F(bare.ServerCpuMsPerRequest, "0.000")} | — | — | info |");
        foreach (var side in sides)
        {
            var c = side.M;
            var cpu = F(c.ServerCpuMsPerRequest, "0.000") + (double.IsNaN(c.DatabaseCpuMsPerRequest) ? "" : $" + {F(c.DatabaseCpuMsPerRequest, "0.000")} PostgreSQL");
            var ratioLabel = side.Who == "Collect" ? "Collect's throughput / the baseline's" : $"{side.Who}: throughput / the baseline's";
            sb.AppendLine($"| {c.Name} · {connections} connections | {F(c.SuccessesPerSecond, "0")} | {F(c.Wrk.P50Ms)} | {F(c.Wrk.P90Ms)} | {F(c.Wrk.P99Ms)} | {cpu} | p99 < {P99TargetMs:0} ms | {F(c.Wrk.P99Ms / P99TargetMs)} | {Verdict(side.P99Pass, side.Judged)} |");
            sb.AppendLine($"| {ratioLabel} | — | — | — | — | — | ≥ {F(RatioTarget)} | {F(side.Ratio)} | {Verdict(side.RatioPass, side.Judged)} |");
            sb.AppendLine($"| {side.Who} stored every upload it answered 2xx ({c.Wrk.Successes:N0} answered, {c.Stored:N0} stored, {c.Wrk.NonSuccess:N0} non-2xx) | — | — | — | — | — | stored − 2xx in 0…{connections}, no non-2xx | {c.InFlight} | {(side.StoredPass ? "PASS" : "FAIL")} |");
        }
        return sb.ToString().TrimEnd();
    }

    private static string Section(IntakeOptions options, string table, Measured collect, Measured bare, IReadOnlyList<string> log, TimeSpan elapsed, int sampleBytes,
        string samplePath, string wrkVersion, Side? pg = null, PostgresServer? postgres = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine(pg is null ? "## Intake (`intake`)" : "## Intake on SQLite and on PostgreSQL (`intake --postgres`)");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine($"dotnet run -c Release --project bench/Collect.Bench -- {options.CommandLine}");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("### Machine");
        sb.AppendLine();
        foreach (var line in IntakeSupport.Machine()) sb.AppendLine($"- {line}");
        sb.AppendLine();
        sb.AppendLine("### Results");
        sb.AppendLine();
        sb.AppendLine(table);
        sb.AppendLine();
        if (pg is not null)
        {
            sb.AppendLine("Judged (exit code): Collect on SQLite's ratio, p99 and stored check, as without --postgres, and Collect on PostgreSQL's stored check. " +
                "Collect on PostgreSQL's ratio and p99 are measured against the same targets, but their verdicts (info) do not decide the exit code. " +
                "Its server CPU is Collect's process + PostgreSQL's processes (the postmaster and everything below it), each over the measured run.");
            sb.AppendLine();
        }
        sb.AppendLine("2xx/s: answers with a 2xx status a second over the measured run (wrk's Requests/sec counts every answer). Latencies are wrk's " +
            "(--latency, from the request written to the whole answer read). Server CPU: user and system time of the server process over the measured run, " +
            "divided by the requests; on 2 cores, shared with wrk, it bounds throughput.");
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Share of the machine's 2 cores over each measured run: {(pg is null ? "Collect" : "Collect on SQLite")} {collect.ServerShare * 100:0}% + wrk {collect.Wrk.WrkCpuMs / (collect.Wrk.Seconds * 1000 * Environment.ProcessorCount) * 100:0}% " +
            $"(machine busy {collect.MachineShare * 100:0}%); baseline {bare.ServerShare * 100:0}% + wrk {bare.Wrk.WrkCpuMs / (bare.Wrk.Seconds * 1000 * Environment.ProcessorCount) * 100:0}% " +
            $"(machine busy {bare.MachineShare * 100:0}%)") +
            (pg is null ? "." : Inv($"; Collect on PostgreSQL {pg.M.ServerShare * 100:0}% + PostgreSQL {pg.M.DatabaseShare * 100:0}% + ") +
                Inv($"wrk {pg.M.Wrk.WrkCpuMs / (pg.M.Wrk.Seconds * 1000 * Environment.ProcessorCount) * 100:0}% (machine busy {pg.M.MachineShare * 100:0}%). ") +
                Inv($"Other processes: {collect.OthersShare * 100:0}% (SQLite), {pg.M.OthersShare * 100:0}% (PostgreSQL), {bare.OthersShare * 100:0}% (baseline).")));
        sb.AppendLine();
        sb.AppendLine($"Whole run, builds and set-up included: {elapsed.TotalSeconds:0} s.");
        sb.AppendLine();
        sb.AppendLine("### Setup");
        sb.AppendLine();
        sb.AppendLine($"- {(pg is null ? "Collect" : "Collect on SQLite")}: published Release build of Collect.Web run as a child process (Production environment, Hangfire server off, so no " +
            "processing runs during the measurement), loopback HTTP/1.1, fresh SQLite file in /tmp (WAL; synchronous is SQLite's default, FULL).");
        sb.AppendLine("- Baseline: bench/Baseline, an ASP.NET Core minimal API (CreateSlimBuilder) with only Microsoft.Data.Sqlite: Basic auth against an " +
            "in-memory dictionary of key → SHA-256(secret), body read (≤ 10 MiB), JSON-object check, SHA-256 of the body, one row a body (id, key, time, hash, " +
            "size, body) inserted by a single writer behind a channel, one transaction for everything waiting (at most 256, as Collect), WAL, " +
            "synchronous=FULL, 202 after the commit.");
        sb.AppendLine($"- Load: {options.Systems:N0} systems created through `POST /api/systems`; {wrkVersion} " +
            $"(`{collect.Wrk.Command}`) with a Lua script that posts the {sampleBytes:N0}-byte {Path.GetFileName(samplePath)} with a uuid of its own per request " +
            "(so every body is different and content-addressing saves nothing) and rotates the Authorization header over the systems' Basic credentials. " +
            $"{options.WarmupSeconds} s of the same load first against each server (steady-state JIT), then a wait until the server is idle, then the measured run. " +
            (pg is null
                ? "Collect first, then the baseline, each alone on the machine."
                : "Collect on SQLite first, then Collect on PostgreSQL (its own 1,000 systems, created the same way, and a script of its own with their credentials), " +
                  "then the baseline (with the SQLite run's credentials), each alone on the machine; the PostgreSQL server runs only during its part."));
        if (postgres is not null)
            sb.AppendLine($"- PostgreSQL: {postgres.Version}, a private cluster made for the run (initdb as the postgres user, UTF8, C locale, " +
                "trust authentication) in a temporary folder in /tmp on the same disk as the SQLite files, TCP on 127.0.0.1, a fresh database. " +
                "Collect runs on it with Database__Provider=Postgres (Npgsql; its tables and Hangfire's schema created at start-up, Hangfire server off). " +
                "Durability at PostgreSQL's defaults, as the server reported them: " +
                $"{postgres.Settings}. So every commit waits for its WAL fsync, as the baseline's synchronous=FULL SQLite does (no fsync=off, no synchronous_commit=off).");
        sb.AppendLine("- Check: rows stored during the measured run (counted in the database after the server went idle) against wrk's 2xx answers; " +
            "a few more rows than answers are uploads still in flight when wrk stopped, which the server commits all the same.");
        sb.AppendLine();
        sb.AppendLine("### Log");
        sb.AppendLine();
        sb.AppendLine("```text");
        foreach (var line in log.Where(l => !l.Contains("/tmp/", StringComparison.Ordinal) && !l.Contains(" from /", StringComparison.Ordinal))) sb.AppendLine(line);
        sb.AppendLine("```");
        return sb.ToString();
    }
}
