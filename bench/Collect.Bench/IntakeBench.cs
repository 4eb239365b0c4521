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

    private sealed record Measured(string Name, Wrk.Result Wrk, double ServerCpuMsPerRequest, double ServerShare, double MachineShare, double OthersShare,
        long Stored, long BodiesStored, TimeSpan Settled)
    {
        public double SuccessesPerSecond => Wrk.Successes / Wrk.Seconds;
        /// <summary>Stored beyond the 2xx answers wrk counted: uploads in flight when wrk stopped, which the server may still commit.</summary>
        public long InFlight => Stored - Wrk.Successes;
    }

    public static async Task<int> RunAsync(IntakeOptions options)
    {
        var wrk = Wrk.Locate();
        if (wrk is null)
        {
            Console.Error.WriteLine(Wrk.InstallHint);
            return 1;
        }
        using var limit = new CancellationTokenSource(RunLimit);
        var ct = limit.Token;
        var total = Stopwatch.StartNew();
        var log = new List<string>();
        void Say(string line)
        {
            Console.WriteLine(line);
            log.Add(line);
        }

        var samplePath = IntakeSupport.SamplePath(options);
        var sample = await File.ReadAllBytesAsync(samplePath, ct);
        var loadAtStart = ProcessCpu.LoadAverage();
        var wrkVersion = IntakeSupport.Run(wrk, "--version").Split('\n')[0].Split(" Copyright")[0].Trim();
        Measured collect, bare;
        string? scriptPath = null;
        try
        {
            Say($"wrk: {wrkVersion}");
            Say("Building the baseline endpoint (bench/Baseline, Release)");
            var build = Stopwatch.StartNew();
            var baselineDll = await BaselineServer.BuildAsync(ct);
            Say($"  built in {build.Elapsed.TotalSeconds:0.0} s");

            Say($"Starting Collect (published Release build, Production, Hangfire server off) from {CollectServer.WebDirectory}");
            List<SystemCredential> credentials;
            await using (var server = await CollectServer.StartAsync(options.Keep, options.ServerEnvironment, ct))
            {
                Say($"  listening on {server.BaseAddress} (pid {server.ProcessId}), database {server.DatabasePath}, log {server.LogPath}");
                if (options.ServerEnvironment.Count > 0)
                    Say($"  extra environment: {string.Join(' ', options.ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                var created = Stopwatch.StartNew();
                credentials = await IntakeSupport.CreateSystemsAsync(http, server.AdminToken, options.Systems, ct);
                Say($"  {credentials.Count:N0} systems created through POST /api/systems in {created.Elapsed.TotalSeconds:0.0} s");

                scriptPath = $"/tmp/collect-bench-intake-{Guid.NewGuid():N}.lua";
                await File.WriteAllTextAsync(scriptPath, Wrk.Script(sample, credentials.Select(c => c.BasicHeader).ToList()), ct);
                IntakeSupport.OwnerOnly(scriptPath);
                Say($"  wrk script {scriptPath}: the {sample.Length:N0}-byte sample from {Path.GetFileName(samplePath)}, a uuid of its own per request, " +
                    $"Authorization rotating over the {credentials.Count:N0} systems");

                collect = await MeasureAsync("Collect · POST /api/systems/inventory", wrk, scriptPath, new Uri(server.BaseAddress, "api/systems/inventory"),
                    server.ProcessId, () => IntakeSupport.CountAsync(server.DatabasePath, "SELECT (SELECT COUNT(*) FROM InventoryInbox) + (SELECT COUNT(*) FROM InventoryRecords)", ct),
                    () => IntakeSupport.CountAsync(server.DatabasePath, "SELECT (SELECT COUNT(*) FROM InventoryInbox) + (SELECT COUNT(*) FROM InventoryBlobs)", ct), options, Say, ct);
                Say($"Stopping Collect (pid {server.ProcessId})");
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
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            Console.Error.WriteLine($"The run passed its limit of {RunLimit.TotalMinutes:0} minutes and stopped; nothing was written.");
            return 1;
        }
        finally
        {
            if (scriptPath is not null && !options.Keep) IntakeSupport.DeleteFiles(scriptPath);
        }
        total.Stop();

        var bareStoredOk = bare.InFlight >= 0 && bare.InFlight <= options.Connections && bare.Wrk.NonSuccess == 0;
        // A baseline that failed its own check is no reference: the ratio is not judged then.
        var ratio = bareStoredOk && bare.SuccessesPerSecond > 0 ? collect.SuccessesPerSecond / bare.SuccessesPerSecond : double.NaN;
        var ratioPass = ratio >= RatioTarget;
        var p99Pass = collect.Wrk.P99Ms < P99TargetMs;
        var storedPass = collect.InFlight >= 0 && collect.InFlight <= options.Connections && collect.Wrk.NonSuccess == 0;
        var others = Math.Max(collect.OthersShare, bare.OthersShare);
        Say(string.Create(CultureInfo.InvariantCulture,
            $"Other processes on this {Environment.ProcessorCount}-core machine: load average {loadAtStart:0.00} before the run; " +
            $"{collect.OthersShare * 100:0}% of all cores while Collect was measured, {bare.OthersShare * 100:0}% while the baseline was"));
        if (others > BusyShare)
            Say($"WARNING: other processes used more than {BusyShare * 100:0}% of the cores while measuring; run again when the machine is idle.");

        var table = Table(collect, bare, ratio, ratioPass, p99Pass, storedPass, options.Connections);
        Console.WriteLine();
        Console.WriteLine(table);
        var failed = new[] { ratioPass, p99Pass, storedPass }.Count(p => !p);
        Console.WriteLine(failed == 0
            ? $"All 3 judged measurements meet their targets. Total time {total.Elapsed.TotalSeconds:0} s."
            : $"{failed} of 3 judged measurements miss their target. Total time {total.Elapsed.TotalSeconds:0} s.");
        if (!bareStoredOk)
            Console.WriteLine("The baseline's own check failed (non-2xx answers, or rows stored differ from its 2xx answers), so the ratio could not be judged.");

        if (options.Write)
        {
            var path = IntakeSupport.WriteResults(options, Section(options, table, collect, bare, log, total.Elapsed, sample.Length, samplePath, wrkVersion));
            Console.WriteLine($"Results written to {path}");
        }
        return failed == 0 ? 0 : 1;
    }

    private static async Task<Measured> MeasureAsync(string name, string wrk, string script, Uri url, int pid, Func<Task<long>> stored, Func<Task<long>>? bodies,
        IntakeOptions options, Action<string> say, CancellationToken ct)
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
        var cpu = ProcessCpu.Milliseconds(pid);
        var machine = ProcessCpu.MachineBusyMilliseconds();
        var meter = new ProcessCpu.OthersMeter();
        var wall = Stopwatch.StartNew();
        var result = await Wrk.RunAsync(wrk, script, url, options.Threads, options.Connections, options.DurationSeconds, run: 2, ct);
        wall.Stop();
        var othersShare = meter.Share();
        cpu = ProcessCpu.Milliseconds(pid) - cpu;
        machine = ProcessCpu.MachineBusyMilliseconds() - machine;
        var capacity = wall.Elapsed.TotalMilliseconds * Environment.ProcessorCount;
        // Uploads still in flight when wrk stopped may be committed after it; wait for the server to go quiet before counting.
        var settled = await ProcessCpu.WaitIdleAsync(pid, TimeSpan.FromSeconds(10), ct, TimeSpan.FromMilliseconds(500));
        var storedCount = await stored() - storedBefore;
        var bodiesCount = bodies is null ? -1 : await bodies() - bodiesBefore;
        var m = new Measured(name, result, cpu / Math.Max(1, result.Requests), cpu / capacity, machine / capacity, othersShare, storedCount, bodiesCount, settled);
        say($"  {result.Command} -> {url}");
        foreach (var line in result.Output.Split('\n')) say($"    {line.TrimEnd()}");
        say(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: {m.SuccessesPerSecond:0} 2xx/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms; server CPU {m.ServerCpuMsPerRequest:0.000} ms a request " +
            $"({m.ServerShare * 100:0}% of the machine), wrk {result.WrkCpuMs / capacity * 100:0}%, machine busy {m.MachineShare * 100:0}%"));
        say($"  {name}: {result.Successes:N0} 2xx answers, {result.NonSuccess:N0} other, socket errors: {result.SocketErrors}; " +
            $"{storedCount:N0} rows stored during the run{(bodies is null ? "" : $" ({bodiesCount:N0} bodies)")}, " +
            $"{m.InFlight:N0} beyond the 2xx answers (in flight when wrk stopped, at most {options.Connections})");
        return m;
    }

    private static string Table(Measured collect, Measured bare, double ratio, bool ratioPass, bool p99Pass, bool storedPass, int connections)
    {
        static string F(double v, string format = "0.00") => double.IsNaN(v) ? "—" : v.ToString(format, CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | 2xx/s | p50 ms | p90 ms | p99 ms | server CPU ms a request | target | ratio | verdict |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        sb.AppendLine($"| {bare.Name} · {connections} connections (reference) | {F(bare.SuccessesPerSecond, "0")} | {F(bare.Wrk.P50Ms)} | {F(bare.Wrk.P90Ms)} | {F(bare.Wrk.P99Ms)} | {F(bare.ServerCpuMsPerRequest, "0.000")} | — | — | info |");
        sb.AppendLine($"| {collect.Name} · {connections} connections | {F(collect.SuccessesPerSecond, "0")} | {F(collect.Wrk.P50Ms)} | {F(collect.Wrk.P90Ms)} | {F(collect.Wrk.P99Ms)} | {F(collect.ServerCpuMsPerRequest, "0.000")} | p99 < {P99TargetMs:0} ms | {F(collect.Wrk.P99Ms / P99TargetMs)} | {(p99Pass ? "PASS" : "FAIL")} |");
        sb.AppendLine($"| Collect's throughput / the baseline's | — | — | — | — | — | ≥ {F(RatioTarget)} | {F(ratio)} | {(ratioPass ? "PASS" : "FAIL")} |");
        sb.AppendLine($"| Collect stored every upload it answered 2xx ({collect.Wrk.Successes:N0} answered, {collect.Stored:N0} stored, {collect.Wrk.NonSuccess:N0} non-2xx) | — | — | — | — | — | stored − 2xx in 0…{connections}, no non-2xx | {collect.InFlight} | {(storedPass ? "PASS" : "FAIL")} |");
        return sb.ToString().TrimEnd();
    }

    private static string Section(IntakeOptions options, string table, Measured collect, Measured bare, IReadOnlyList<string> log, TimeSpan elapsed, int sampleBytes, string samplePath, string wrkVersion)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Intake (`intake`)");
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
        sb.AppendLine("2xx/s: answers with a 2xx status a second over the measured run (wrk's Requests/sec counts every answer). Latencies are wrk's " +
            "(--latency, from the request written to the whole answer read). Server CPU: user and system time of the server process over the measured run, " +
            "divided by the requests; on 2 cores, shared with wrk, it bounds throughput.");
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Share of the machine's 2 cores over each measured run: Collect {collect.ServerShare * 100:0}% + wrk {collect.Wrk.WrkCpuMs / (collect.Wrk.Seconds * 1000 * Environment.ProcessorCount) * 100:0}% " +
            $"(machine busy {collect.MachineShare * 100:0}%); baseline {bare.ServerShare * 100:0}% + wrk {bare.Wrk.WrkCpuMs / (bare.Wrk.Seconds * 1000 * Environment.ProcessorCount) * 100:0}% " +
            $"(machine busy {bare.MachineShare * 100:0}%)."));
        sb.AppendLine();
        sb.AppendLine($"Whole run, builds and set-up included: {elapsed.TotalSeconds:0} s.");
        sb.AppendLine();
        sb.AppendLine("### Setup");
        sb.AppendLine();
        sb.AppendLine("- Collect: published Release build of Collect.Web run as a child process (Production environment, Hangfire server off, so no " +
            "processing runs during the measurement), loopback HTTP/1.1, fresh SQLite file in /tmp (WAL; synchronous is SQLite's default, FULL).");
        sb.AppendLine("- Baseline: bench/Baseline, an ASP.NET Core minimal API (CreateSlimBuilder) with only Microsoft.Data.Sqlite: Basic auth against an " +
            "in-memory dictionary of key → SHA-256(secret), body read (≤ 10 MiB), JSON-object check, SHA-256 of the body, one row a body (id, key, time, hash, " +
            "size, body) inserted by a single writer behind a channel, one transaction for everything waiting (at most 256, as Collect), WAL, " +
            "synchronous=FULL, 202 after the commit.");
        sb.AppendLine($"- Load: {options.Systems:N0} systems created through `POST /api/systems`; {wrkVersion} " +
            $"(`{collect.Wrk.Command}`) with a Lua script that posts the {sampleBytes:N0}-byte {Path.GetFileName(samplePath)} with a uuid of its own per request " +
            "(so every body is different and content-addressing saves nothing) and rotates the Authorization header over the systems' Basic credentials. " +
            $"{options.WarmupSeconds} s of the same load first against each server (steady-state JIT), then a wait until the server is idle, then the measured run. " +
            "Collect first, then the baseline, each alone on the machine.");
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
