using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Collect.Bench;

/// <summary>
/// DESIGN.md §15, server list: `GET /api/servers?per_page=50` with 10,000 servers (p99 under 20 ms) and the server
/// list page's first render (under 300 ms), on a fresh database seeded in the same run.
/// </summary>
internal static class ServersBench
{
    private const double ApiTargetMs = 20;
    private const double PageTargetMs = 300;
    /// <summary>Other processes using more than this share of the cores while measuring make the run unrepresentative.</summary>
    private const double BusyShare = 0.10;
    /// <summary>The whole run stops by itself after this, wherever it is.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    private sealed record Row(string Measurement, double P50, double P99, double? RequestsPerSecond, double? TargetMs, string? Note = null, double CpuMs = double.NaN)
    {
        public double? Ratio => TargetMs is { } t && !double.IsNaN(P99) ? P99 / t : null;
        public string Verdict => TargetMs is null ? "info" : Note is not null && double.IsNaN(P99) ? "MISSING" : P99 < TargetMs ? "PASS" : "FAIL";
    }

    public static async Task<int> RunAsync(BenchOptions options)
    {
        using var limit = new CancellationTokenSource(RunLimit);
        var ct = limit.Token;
        var total = Stopwatch.StartNew();
        var log = new List<string>();
        void Say(string line)
        {
            Console.WriteLine(line);
            log.Add(line);
        }

        var loadAtStart = ProcessCpu.LoadAverage();
        var others = new List<(string Phase, double Share)>();
        var rows = new List<Row>();
        string? breakdown = null;
        SeedResult seed;
        string serverPid;
        try
        {
            Say($"Starting Collect (published Release build, Production) from {CollectServer.WebDirectory}");
            await using var server = await CollectServer.StartAsync(options.Keep, options.ServerEnvironment, ct);
            serverPid = server.ProcessId.ToString(CultureInfo.InvariantCulture);
            Say($"  listening on {server.BaseAddress} (pid {serverPid}), database {server.DatabasePath}, log {server.LogPath}");
            if (options.ServerEnvironment.Count > 0)
                Say($"  extra environment: {string.Join(' ', options.ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}");

            using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 64 };
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

            Say($"Seeding {options.Servers:N0} servers");
            seed = await Seeder.SeedAsync(server, http, options.Servers, ct);
            Say($"  {seed.Users} users via the API in {seed.UsersTime.TotalSeconds:0.0} s; {seed.Servers:N0} servers, {seed.Tags:N0} tags, " +
                $"{seed.Assignments:N0} owner assignments inserted in {seed.InsertTime.TotalSeconds:0.0} s");
            Say($"  the admin sees {seed.AdminVisible:N0} servers, {seed.ResellerUserName} sees {seed.ResellerVisible:N0}");

            var list = "api/servers?per_page=50";
            var deepPage = Math.Max(1, (seed.AdminVisible + 49) / 50 * 3 / 4);
            if (options.JitWarmup > 0)
            {
                var (count, took) = await ApiBench.WarmUpAsync(http,
                    [(list, server.AdminToken), (list, seed.ResellerToken), ($"{list}&page={deepPage}", server.AdminToken), ("api/ping", server.AdminToken)],
                    options.JitWarmup, options.Clients, ct);
                var settled = await ProcessCpu.WaitIdleAsync(server.ProcessId, TimeSpan.FromSeconds(20), ct);
                Say($"Warm-up to steady-state JIT: {count:N0} requests from {options.Clients} clients in {took.TotalSeconds:0.0} s, " +
                    $"then {settled.TotalSeconds:0.0} s until the server's background compilation was done");
            }
            var scenarios = new (string Name, string Path, string Token, int Clients, double? Target)[]
            {
                ("GET /api/ping with the admin's bearer token · 1 client (floor: authentication, access log, no data)", "api/ping", server.AdminToken, 1, null),
                ($"GET /api/servers?per_page=50 · admin ({seed.AdminVisible:N0} visible) · 1 client", list, server.AdminToken, 1, ApiTargetMs),
                ($"GET /api/servers?per_page=50 · reseller ({seed.ResellerVisible:N0} visible) · 1 client", list, seed.ResellerToken, 1, ApiTargetMs),
                ($"GET /api/servers?per_page=50&page={deepPage} · admin · 1 client", $"{list}&page={deepPage}", server.AdminToken, 1, ApiTargetMs),
                ($"GET /api/servers?per_page=50 · admin · {options.Clients} clients", list, server.AdminToken, options.Clients, ApiTargetMs),
                ($"GET /api/servers?per_page=50 · reseller · {options.Clients} clients", list, seed.ResellerToken, options.Clients, ApiTargetMs),
            };
            var apiMeter = new ProcessCpu.OthersMeter();
            foreach (var s in scenarios)
            {
                var result = await ApiBench.RunAsync(http, server.ProcessId, s.Name, s.Path, s.Token, options.Warmup, options.Requests, s.Clients, ct);
                rows.Add(new Row(s.Name, result.Latency.P50, result.Latency.P99, result.RequestsPerSecond, s.Target, CpuMs: result.ServerCpuMsPerRequest));
                Say($"  {s.Name}: p50 {result.Latency.P50:0.00} ms, p99 {result.Latency.P99:0.00} ms, max {result.Latency.Max:0.00} ms, " +
                    $"{result.RequestsPerSecond:0} req/s, server CPU {result.ServerCpuMsPerRequest:0.00} ms a request, {result.ResponseBytes / 1024.0:0.0} KiB a response");
            }

            others.Add(("the API measurements", apiMeter.Share()));

            if (options.Browser)
            {
                Say($"Loading {options.PagePath} in headless chromium as {CollectServer.AdminUserName}: {options.PageWarmup} warm-up + {options.Loads} loads");
                var page = await PageBench.RunAsync(server.BaseAddress, server.ProcessId, CollectServer.AdminUserName, CollectServer.AdminPassword, options.PagePath,
                    options.PageWarmup, options.Loads, Say, ct).WaitAsync(ct);
                var name = $"{options.PagePath} first row visible · admin ({seed.AdminVisible:N0} servers) · {options.Loads} loads";
                if (page.Missing is not null)
                {
                    rows.Add(new Row(name, double.NaN, double.NaN, null, PageTargetMs, page.Missing));
                    Say($"  not measured: {page.Missing}");
                }
                else
                {
                    rows.Add(new Row(name, page.FirstRow.P50, page.FirstRow.P99, null, PageTargetMs,
                        $"{page.RowsAtFirstRender} rows at first render, {(page.Prerendered ? "prerendered" : "rendered by the circuit")}", page.ServerCpuMsPerLoad));
                    Say($"  first row visible: p50 {page.FirstRow.P50:0} ms, p99 {page.FirstRow.P99:0} ms, max {page.FirstRow.Max:0} ms; " +
                        $"{page.RowsAtFirstRender} rows in that frame, {(page.Prerendered ? "prerendered HTML" : "rendered by the circuit")}");
                    var live = $"{options.PagePath} grid live on the circuit · admin · {page.Interactive.Count} loads";
                    rows.Add(page.Interactive.Count > 0
                        ? new Row(live, page.Interactive.P50, page.Interactive.P99, null, null)
                        : new Row(live, double.NaN, double.NaN, null, null, "no interactive render seen within 10 s"));
                    if (page.Interactive.Count > 0)
                        Say($"  grid live on the circuit: p50 {page.Interactive.P50:0} ms, p99 {page.Interactive.P99:0} ms");
                    var phases = new[] { ("ttfb", "first byte"), ("html", "HTML received"), ("firstContentfulPaint", "first contentful paint"),
                            ("domContentLoaded", "DOMContentLoaded"), ("circuitNegotiated", "Blazor circuit negotiated") }
                        .Where(p => page.Phases.ContainsKey(p.Item1))
                        .Select(p => $"{p.Item2} {page.Phases[p.Item1].P50:0}");
                    breakdown = $"p50 from navigation start, in ms: {string.Join(", ", phases)}, first server row visible {page.FirstRow.P50:0}, " +
                        $"grid live {(page.Interactive.Count > 0 ? page.Interactive.P50.ToString("0", CultureInfo.InvariantCulture) : "—")}; " +
                        $"server CPU {page.ServerCpuMsPerLoad:0} ms a load";
                    Say($"  {breakdown}");
                }
                if (!double.IsNaN(page.OthersShare)) others.Add(("the page loads", page.OthersShare));
            }
            Say($"Stopping Collect (pid {serverPid})");
            Say(string.Create(CultureInfo.InvariantCulture,
                $"Other processes on this {Environment.ProcessorCount}-core machine: load average {loadAtStart:0.00} before the run; " +
                $"{string.Join(", ", others.Select(o => $"{o.Share * 100:0}% of all cores during {o.Phase}"))}"));
            if (others.Any(o => o.Share > BusyShare))
                Say($"WARNING: other processes used more than {BusyShare * 100:0}% of the cores while measuring, so latencies are worse than on a " +
                    "quiet machine (server CPU per request much less so). Run again when the machine is idle.");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            Console.Error.WriteLine($"The run passed its limit of {RunLimit.TotalMinutes:0} minutes and stopped; nothing was written.");
            return 1;
        }
        total.Stop();

        var table = Table(rows);
        Console.WriteLine();
        Console.WriteLine(table);
        var failed = rows.Count(r => r.Verdict is "FAIL" or "MISSING");
        Console.WriteLine(failed == 0
            ? $"All {rows.Count(r => r.TargetMs is not null)} judged measurements meet their targets. Total time {total.Elapsed.TotalSeconds:0} s."
            : $"{failed} judged measurement(s) miss their target or could not be taken. Total time {total.Elapsed.TotalSeconds:0} s.");

        if (options.Write)
        {
            var path = WriteResults(options, seed, table, breakdown, log, total.Elapsed);
            Console.WriteLine($"Results written to {path}");
        }
        return failed == 0 ? 0 : 1;
    }

    private static string Table(IReadOnlyList<Row> rows)
    {
        static string Ms(double v) => double.IsNaN(v) ? "—" : v.ToString(v < 100 ? "0.00" : "0", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | p50 ms | p99 ms | req/s | server CPU ms | target (p99) | ratio p99/target | verdict |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in rows)
        {
            var note = r.Note is null ? "" : $" ({r.Note})";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Measurement}{note} | {Ms(r.P50)} | {Ms(r.P99)} | {(r.RequestsPerSecond is { } q ? q.ToString("0", CultureInfo.InvariantCulture) : "—")} | {Ms(r.CpuMs)} | " +
                $"{(r.TargetMs is { } t ? $"< {t:0} ms" : "—")} | {(r.Ratio is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "—")} | {r.Verdict} |"));
        }
        return sb.ToString().TrimEnd();
    }

    private static string WriteResults(BenchOptions options, SeedResult seed, string table, string? breakdown, IReadOnlyList<string> log, TimeSpan elapsed)
    {
        var root = RepositoryRoot();
        var directory = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(directory);
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var path = Path.Combine(directory, $"servers-{date}.md");
        var args = string.Join(' ', options.Arguments);
        var sb = new StringBuilder();
        sb.AppendLine($"# Server list benchmark, {date}");
        sb.AppendLine();
        sb.AppendLine("Targets: DESIGN.md §15 (`GET /api/servers?per_page=50` with 10,000 servers: p99 under 20 ms; server list page: first render under 300 ms).");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine($"dotnet run -c Release --project bench/Collect.Bench -- {args}");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        foreach (var line in Machine(root)) sb.AppendLine($"- {line}");
        sb.AppendLine();
        sb.AppendLine("## Results");
        sb.AppendLine();
        sb.AppendLine(table);
        sb.AppendLine();
        sb.AppendLine("Ratio is p99 over the target: under 1.00 meets it. Server CPU: user and system time of the Collect process over the measured " +
            "requests (or page loads, including what the circuit does meanwhile), divided by their number; on 2 cores it bounds throughput at about 2,000 / CPU ms a second.");
        sb.AppendLine();
        sb.AppendLine($"Whole run, seeding included: {elapsed.TotalSeconds:0} s.");
        if (breakdown is not null)
        {
            sb.AppendLine();
            sb.AppendLine($"Page load, {breakdown}.");
        }
        sb.AppendLine();
        sb.AppendLine("## Setup");
        sb.AppendLine();
        sb.AppendLine($"- Collect: published Release build of Collect.Web run as a child process (Production environment, Hangfire server off), loopback HTTP/1.1, fresh SQLite file in /tmp (WAL).");
        sb.AppendLine($"- Data: {seed.Users} users (admin, 3 resellers with 4 users each, 3 users of the admin; created through `POST /api/users`); " +
            $"{seed.Servers:N0} servers spread round-robin over them, {seed.Tags:N0} tags (0–4 a server), {seed.Assignments:N0} owner-chain assignments, inserted straight into SQLite.");
        sb.AppendLine($"- API: bearer tokens; first {options.JitWarmup} requests on each list URL and on /api/ping from {options.Clients} clients to reach steady-state JIT " +
            $"(tiered compilation with dynamic PGO roughly halves a request's cost after a few hundred requests), then for each scenario " +
            $"{options.Warmup} warm-up and {options.Requests} measured requests, each timed from sending to the whole body read; " +
            $"the reseller ({seed.ResellerUserName}) sees {seed.ResellerVisible:N0} servers through the owner tree-path prefix.");
        if (options.Browser)
            sb.AppendLine($"- Page: Debian chromium {ChromiumVersion()} headless through Playwright for .NET, signed in as the admin through /account/login; " +
                $"{options.PageWarmup} warm-up then {options.Loads} loads of {options.PagePath}, each in a new tab of the same context (warm HTTP cache), " +
                "started once the server is idle again after the previous tab closed. " +
                "First row visible: from navigation start to the first animation frame in which a seeded server row is visible, " +
                "or to the first contentful paint if that comes later (Chromium shows nothing before it). " +
                "Grid live: first frame in which the grid comes from the Blazor circuit (informational). " +
                "Server CPU a load: everything the server did from the first measured load to the end, the closed tabs' circuits included, over the loads.");
        sb.AppendLine("- Server CPU for one client includes work off the request path that the client does not wait for (such as the access-log " +
            "writer, which then commits each row on its own); the figure with several clients is closer to the cost of a request.");
        sb.AppendLine();
        sb.AppendLine("## Log");
        sb.AppendLine();
        sb.AppendLine("```text");
        foreach (var line in log.Where(l => !l.Contains("/tmp/", StringComparison.Ordinal) && !l.Contains(" from /", StringComparison.Ordinal))) sb.AppendLine(line);
        sb.AppendLine("```");
        var temp = path + ".tmp";
        File.WriteAllText(temp, sb.ToString());
        File.Move(temp, path, overwrite: true);
        return path;
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Collect.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Collect.sln above {AppContext.BaseDirectory}.");
    }

    internal static IEnumerable<string> Machine(string root)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        yield return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {MemoryGiB()} GiB memory";
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        yield return $"{OsName()}, Linux {kernel}";
        yield return $".NET {Environment.Version}";
        yield return $"Collect commit {Git(root, "rev-parse --short HEAD")}{(string.IsNullOrWhiteSpace(Git(root, "status --porcelain --untracked-files=no")) ? "" : " with uncommitted changes")}";
    }

    private static string MemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb)
            ? (kb / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture)
            : "?";
    }

    private static string OsName()
    {
        var line = File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) : null;
        return line?.Split('=', 2)[1].Trim('"') ?? "unknown OS";
    }

    private static string ChromiumVersion() => Run("/usr/bin/chromium", "--version", null).Replace("Chromium ", "", StringComparison.Ordinal).Split(' ')[0];

    private static string Git(string root, string args) => Run("git", args, root);

    private static string Run(string file, string args, string? directory)
    {
        try
        {
            var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (directory is not null) start.WorkingDirectory = directory;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return output.Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "?";
        }
    }
}
