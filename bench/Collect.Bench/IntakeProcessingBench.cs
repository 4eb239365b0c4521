using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Collect.Bench;

/// <summary>
/// DESIGN.md §15, inventory processing: at least 1,000 records a second with diffs. Records go in through the real intake
/// (Collect with its Hangfire server off, so nothing is processed yet): each system sends its inventory in rounds,
/// alternating between two variants, so that every record after a system's first differs from the one before it. Then
/// Collect is restarted on the same database with its Hangfire server on, as in production: the start-up sweep runs the
/// processing job, and the bench polls the database until nothing is pending. The rate is taken from the records'
/// own processed_at stamps (one per batch), over the batches in which every record has a previous one to diff against.
/// </summary>
internal static class IntakeProcessingBench
{
    private const double TargetPerSecond = 1_000;
    private static readonly TimeSpan ProcessingLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    private sealed record Batch(DateTimeOffset Start, long Records, long MinId, long MaxId, long WithChanges, long Changes, TimeSpan Duration);

    private sealed record Row(string Measurement, long Records, double Seconds, double PerSecond, double CpuMsPerRecord, double? Target)
    {
        public string Verdict => Target is null ? "info" : double.IsNaN(PerSecond) ? "MISSING" : PerSecond >= Target ? "PASS" : "FAIL";
    }

    public static async Task<int> RunAsync(IntakeOptions options)
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

        var samplePath = IntakeSupport.SamplePath(options);
        var sample = JsonNode.Parse(await File.ReadAllBytesAsync(samplePath, ct))!.AsObject();
        var loadAtStart = ProcessCpu.LoadAverage();
        var rows = new List<Row>();
        var checks = new List<(string What, bool Ok)>();
        string databasePath = "", firstLog = "";
        List<Batch> batches = [];
        double averageBody = 0;
        var others = double.NaN;
        try
        {
            // ---- 1. Records in through the intake, nothing processed ----------------------------------------------
            Say($"Starting Collect (published Release build, Production, Hangfire server off) from {CollectServer.WebDirectory}");
            List<SystemCredential> systems;
            long firstRoundLastId;
            await using (var intake = await CollectServer.StartAsync(keep: true, options.ServerEnvironment, ct))
            {
                databasePath = intake.DatabasePath;
                firstLog = intake.LogPath;
                Say($"  listening on {intake.BaseAddress} (pid {intake.ProcessId}), database {intake.DatabasePath}, log {intake.LogPath}");
                using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients };
                using var http = new HttpClient(handler) { BaseAddress = intake.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                var created = Stopwatch.StartNew();
                systems = await IntakeSupport.CreateSystemsAsync(http, intake.AdminToken, options.Systems, ct);
                Say($"  {systems.Count:N0} systems created through POST /api/systems in {created.Elapsed.TotalSeconds:0.0} s");

                var bodies = systems.Select((_, i) => Variants(sample, i)).ToList();
                averageBody = bodies.Average(b => (b.A.Length + b.B.Length) / 2.0);
                var rounds = (options.Records + systems.Count - 1) / systems.Count;
                var sent = Stopwatch.StartNew();
                for (var round = 0; round < rounds; round++)
                {
                    // A round at a time, so that record ids go round by round, as agents reporting on a schedule would.
                    var first = round * systems.Count;
                    var count = Math.Min(systems.Count, options.Records - first);
                    await UploadAsync(http, systems, bodies, round, count, options.Clients, ct);
                }
                sent.Stop();
                var stored = await IntakeSupport.CountAsync(intake.DatabasePath, "SELECT (SELECT COUNT(*) FROM InventoryInbox) + (SELECT COUNT(*) FROM InventoryRecords WHERE ProcessedAt IS NULL AND Failed = 0)", ct);
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"  {options.Records:N0} inventories sent through POST /api/systems/inventory in {rounds} rounds (round r: variant {(rounds > 1 ? "A, B, A, …" : "A")} " +
                    $"of each system's inventory, {averageBody / 1024:0.0} KiB on average) from {options.Clients} clients in {sent.Elapsed.TotalSeconds:0.0} s " +
                    $"({options.Records / sent.Elapsed.TotalSeconds:0}/s); {stored:N0} pending in the database"));
                checks.Add(($"{options.Records:N0} records pending after the intake ({stored:N0})", stored == options.Records));
                firstRoundLastId = await IntakeSupport.CountAsync(intake.DatabasePath,
                    $"SELECT Id FROM (SELECT Id FROM InventoryInbox UNION ALL SELECT Id FROM InventoryRecords) ORDER BY Id LIMIT 1 OFFSET {Math.Min(systems.Count, options.Records) - 1}", ct);
                rows.Add(new Row($"intake while sending them ({options.Clients} HttpClient uploaders, Hangfire off; not the intake benchmark)",
                    options.Records, sent.Elapsed.TotalSeconds, options.Records / sent.Elapsed.TotalSeconds, double.NaN, null));
                Say($"Stopping Collect (pid {intake.ProcessId}); the database stays for the processing run");
            }

            if (options.IntakeOnly)
            {
                Say($"--intake-only: {options.Records:N0} records pending in {databasePath} (kept). Process them with Collect.Web.dll and " +
                    $"ConnectionStrings__Collect=\"Data Source={databasePath}\" Collect__Jobs__RunServer=true, e.g. under dotnet-trace.");
                return 0;
            }

            // ---- 2. The same database, Hangfire on: the start-up sweep processes everything --------------------------
            var environment = new Dictionary<string, string>(options.ServerEnvironment, StringComparer.Ordinal)
            {
                ["ConnectionStrings__Collect"] = $"Data Source={databasePath}",
                ["Collect__Jobs__RunServer"] = "true",
            };
            if (options.BatchSize is { } size) environment["Collect__Inventory__ProcessingBatchSize"] = size.ToString(CultureInfo.InvariantCulture);
            Say($"Starting Collect again on that database with its Hangfire server on{(options.BatchSize is { } b ? $", processing batch size {b}" : "")}");
            var started = DateTimeOffset.UtcNow;
            var othersMeter = new ProcessCpu.OthersMeter();
            await using var server = await CollectServer.StartAsync(options.Keep, environment, ct);
            var healthy = DateTimeOffset.UtcNow;
            Say($"  listening on {server.BaseAddress} (pid {server.ProcessId}) after {(healthy - started).TotalSeconds:0.0} s, log {server.LogPath}");

            var (done, samples) = await WaitProcessedAsync(databasePath, server.ProcessId, ct);
            others = othersMeter.Share();
            if (done is null)
            {
                var left = await IntakeSupport.CountAsync(databasePath, "SELECT (SELECT COUNT(*) FROM InventoryInbox) + (SELECT COUNT(*) FROM InventoryRecords WHERE ProcessedAt IS NULL AND Failed = 0)", ct);
                Say($"  NOT DONE: {left:N0} records still pending {ProcessingLimit.TotalSeconds:0} s after Collect answered; log tail:\n{server.Tail(20)}");
                rows.Add(new Row("records with diffs processed a second", options.Records - left, double.NaN, double.NaN, double.NaN, TargetPerSecond));
            }
            else
            {
                batches = await BatchesAsync(databasePath, done.Value, ct);
                var lastSave = await LastSaveAsync(databasePath, ct);
                var failed = await IntakeSupport.CountAsync(databasePath, "SELECT COUNT(*) FROM InventoryRecords WHERE Failed = 1", ct);
                var diffRows = await IntakeSupport.CountAsync(databasePath, "SELECT COUNT(*) FROM InventoryDiffs", ct);
                var first = batches[0].Start;
                Say($"  all {batches.Sum(x => x.Records):N0} records processed {(done.Value - started).TotalSeconds:0.00} s after Collect's process started " +
                    $"(the first batch began {(first - started).TotalSeconds:0.00} s after it, {(first - healthy).TotalSeconds:0.00} s from /healthz answering, " +
                    $"and took {(done.Value - first).TotalSeconds:0.00} s to the end); {failed} failed; {diffRows:N0} diffs stored");
                Say("  batches (start from the first batch's, records, with changes, changes, duration to the next batch's start or to done):");
                foreach (var x in batches)
                    Say(string.Create(CultureInfo.InvariantCulture,
                        $"    +{(x.Start - first).TotalMilliseconds,6:0} ms  {x.Records,5} records  ids {x.MinId}–{x.MaxId}  {x.WithChanges,5} with changes  {x.Changes,6} changes  {x.Duration.TotalMilliseconds,6:0} ms  ({x.Records / x.Duration.TotalSeconds:0}/s)"));
                if (lastSave is { } save && save > batches[^1].Start)
                    Say(string.Create(CultureInfo.InvariantCulture,
                        $"  last batch: {(save - batches[^1].Start).TotalMilliseconds:0} ms from its processed_at stamp to SaveChanges (reading previous records and bodies, parsing, diffing), " +
                        $"{(done.Value - save).TotalMilliseconds:0} ms from SaveChanges to seen done (writing, commit, poll)"));

                // The judged window: batches in which every record has a previous one, so each is diffed. The first round's records
                // (nothing to diff against) come first and double as the JIT's warm-up.
                var window = batches.Where(x => x.MinId > firstRoundLastId).ToList();
                double CpuAt(DateTimeOffset at) => samples.Where(s => s.At >= at).Select(s => s.CpuMs).DefaultIfEmpty(double.NaN).First();
                if (window.Count == 0)
                {
                    Say("  no batch holds only records with a previous one: send more records than systems (--records, --systems)");
                    rows.Add(new Row("records with diffs processed a second", 0, double.NaN, double.NaN, double.NaN, TargetPerSecond));
                }
                else
                {
                    var records = window.Sum(x => x.Records);
                    var seconds = (done.Value - window[0].Start).TotalSeconds;
                    var cpu = samples[^1].CpuMs - CpuAt(window[0].Start);
                    rows.Add(new Row($"records with diffs processed a second (batches {batches.IndexOf(window[0]) + 1}–{batches.Count}: every record diffed " +
                        $"against its system's previous one, {window.Sum(x => x.Changes) / (double)Math.Max(1, window.Sum(x => x.WithChanges)):0.0} changes each)",
                        records, seconds, records / seconds, cpu / records, TargetPerSecond));
                    Say(string.Create(CultureInfo.InvariantCulture,
                        $"  judged window: {records:N0} records in {seconds:0.000} s = {records / seconds:0} records/s; Collect CPU {cpu / records:0.00} ms a record, " +
                        $"{cpu / (seconds * 1000) * 100:0}% of one core"));
                }
                if (window.Count >= 4)
                {
                    // The process is new, so the first batches with diffs also pay for tiered compilation of the diff and save paths;
                    // a long-running Collect processes at about the rate of the last batches.
                    var warm = window.TakeLast(3).ToList();
                    var records = warm.Sum(x => x.Records);
                    var seconds = (done.Value - warm[0].Start).TotalSeconds;
                    rows.Add(new Row($"records with diffs, the last {warm.Count} batches only (warm JIT: about the steady rate of a long-running Collect)",
                        records, seconds, records / seconds, (samples[^1].CpuMs - CpuAt(warm[0].Start)) / records, null));
                }
                var all = batches.Sum(x => x.Records);
                rows.Add(new Row("all records, first batch's start to done (the first round has nothing to diff; includes the JIT's warm-up)",
                    all, (done.Value - first).TotalSeconds, all / (done.Value - first).TotalSeconds, (samples[^1].CpuMs - CpuAt(first)) / all, null));
                rows.Add(new Row("all records, Collect's process start to done (includes its start-up and Hangfire's pick-up of the start-up sweep)",
                    all, (done.Value - started).TotalSeconds, all / (done.Value - started).TotalSeconds, samples[^1].CpuMs / all, null));

                checks.Add(($"no record failed ({failed})", failed == 0));
                var changeSum = batches.Sum(x => x.Changes);
                checks.Add(($"diffs stored ({diffRows:N0}) = the records' change counts ({changeSum:N0})", diffRows == changeSum));
                var expectedWithChanges = Math.Max(0, options.Records - Math.Min(systems.Count, options.Records));
                var withChanges = batches.Sum(x => x.WithChanges);
                checks.Add(($"every record after a system's first has changes ({withChanges:N0} of {expectedWithChanges:N0})", withChanges == expectedWithChanges));
                checks.Add(await ApiCheckAsync(server, systems[0], options, ct));
            }
            Say($"Stopping Collect (pid {server.ProcessId})");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            Console.Error.WriteLine($"The run passed its limit of {RunLimit.TotalMinutes:0} minutes and stopped; nothing was written.");
            return 1;
        }
        finally
        {
            if (!options.Keep && !options.IntakeOnly && databasePath.Length > 0)
                IntakeSupport.DeleteFiles(databasePath, databasePath + "-wal", databasePath + "-shm", firstLog);
        }
        total.Stop();
        foreach (var (what, ok) in checks) Say($"  check: {what}: {(ok ? "ok" : "FAILED")}");
        Say(string.Create(CultureInfo.InvariantCulture,
            $"Other processes on this {Environment.ProcessorCount}-core machine: load average {loadAtStart:0.00} before the run; {others * 100:0}% of all cores while Collect processed"));
        if (others > 0.10)
            Say("WARNING: other processes used more than 10% of the cores while Collect processed; run again when the machine is idle.");

        var table = Table(rows, checks);
        Console.WriteLine();
        Console.WriteLine(table);
        var failedCount = rows.Count(r => r.Verdict is "FAIL" or "MISSING") + checks.Count(c => !c.Ok);
        Console.WriteLine(failedCount == 0
            ? $"The judged measurement meets its target and every check holds. Total time {total.Elapsed.TotalSeconds:0} s."
            : $"{failedCount} judged measurement(s) or check(s) fail. Total time {total.Elapsed.TotalSeconds:0} s.");
        if (options.Write)
        {
            var path = IntakeSupport.WriteResults(options, Section(options, table, log, total.Elapsed, averageBody, samplePath));
            Console.WriteLine($"Results written to {path}");
        }
        return failedCount == 0 ? 0 : 1;
    }

    /// <summary>
    /// Two variants of the sample for one system: its own uuid and node names in both; B has a newer leader version, another
    /// address on node 2, a module updated, one removed and one added, and a user domain (six changes either way).
    /// </summary>
    internal static (byte[] A, byte[] B) Variants(JsonObject sample, int system)
    {
        byte[] Make(bool b)
        {
            var doc = sample.DeepClone().AsObject();
            doc["uuid"] = $"00000000-0000-4000-8000-{system:x12}";
            var facts = doc["facts"] as JsonObject;
            var nodes = facts?["nodes"] as JsonObject;
            var modules = facts?["modules"] as JsonArray;
            var cluster = facts?["cluster"] as JsonObject;
            if (nodes is not { Count: >= 2 } || modules is not { Count: >= 8 } || cluster is null)
                throw new InvalidOperationException("The sample must be an NS8 inventory with facts.nodes (2 or more), facts.modules (8 or more) and facts.cluster.");
            foreach (var (id, node) in nodes) node!["fqdn"] = $"node{id}.system{system + 1:D5}.bench.example";
            if (b)
            {
                nodes.First().Value!["version"] = "3.18.0";
                nodes.Skip(1).First().Value!["default_ipv4"] = $"198.51.100.{system % 250 + 1}";
                modules[3]!["version"] = "9.9.9";
                modules.RemoveAt(7);
                modules.Add(new JsonObject { ["id"] = "mod-bench", ["name"] = "webserver", ["node"] = "1", ["ui_name"] = "Bench module", ["version"] = "1.0.0" });
                cluster["user_domains"] = new JsonArray("bench.example");
            }
            return Encoding.UTF8.GetBytes(doc.ToJsonString());
        }
        return (Make(false), Make(true));
    }

    private static async Task UploadAsync(HttpClient http, List<SystemCredential> systems, List<(byte[] A, byte[] B)> bodies, int round, int count, int clients, CancellationToken ct)
    {
        var next = -1;
        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var body = round % 2 == 0 ? bodies[i].A : bodies[i].B;
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/systems/inventory") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(systems[i].BasicHeader);
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.Accepted)
                    throw new InvalidOperationException($"POST /api/systems/inventory answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client, ct)));
    }

    /// <summary>Polls every 20 ms until nothing is pending; answers when that was seen and the server's CPU time at each poll.</summary>
    private static async Task<(DateTimeOffset? Done, List<(DateTimeOffset At, double CpuMs)> Samples)> WaitProcessedAsync(string databasePath, int pid, CancellationToken ct)
    {
        var samples = new List<(DateTimeOffset, double)>();
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 30 }.ToString());
        await db.OpenAsync(ct);
        await using var pending = db.CreateCommand();
        pending.CommandText = "SELECT (SELECT COUNT(*) FROM InventoryInbox) + (SELECT COUNT(*) FROM InventoryRecords WHERE ProcessedAt IS NULL AND Failed = 0)";
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < ProcessingLimit)
        {
            var left = Convert.ToInt64(await pending.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            samples.Add((DateTimeOffset.UtcNow, ProcessCpu.Milliseconds(pid)));
            if (left == 0) return (samples[^1].Item1, samples);
            await Task.Delay(20, ct);
        }
        return (null, samples);
    }

    /// <summary>The processor stamps every record of a batch with the same processed_at, taken once the batch is loaded.</summary>
    private static async Task<List<Batch>> BatchesAsync(string databasePath, DateTimeOffset done, CancellationToken ct)
    {
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await db.OpenAsync(ct);
        await using var command = db.CreateCommand();
        command.CommandText = """
            SELECT ProcessedAt, COUNT(*), MIN(Id), MAX(Id), SUM(HasChanges), SUM(ChangeCount)
            FROM InventoryRecords WHERE ProcessedAt IS NOT NULL GROUP BY ProcessedAt ORDER BY ProcessedAt
            """;
        var raw = new List<(DateTimeOffset, long, long, long, long, long)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                raw.Add((new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        return raw.Select((x, i) => new Batch(x.Item1, x.Item2, x.Item3, x.Item4, x.Item5, x.Item6, (i + 1 < raw.Count ? raw[i + 1].Item1 : done) - x.Item1)).ToList();
    }

    /// <summary>The systems' updated_at is stamped as SaveChanges starts; its latest value is the last batch's.</summary>
    private static async Task<DateTimeOffset?> LastSaveAsync(string databasePath, CancellationToken ct)
    {
        var ticks = await IntakeSupport.CountAsync(databasePath, "SELECT COALESCE(MAX(UpdatedAt), 0) FROM Systems", ct);
        return ticks > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>What an API client sees for one system: its latest record processed, and its diffs.</summary>
    private static async Task<(string, bool)> ApiCheckAsync(CollectServer server, SystemCredential system, IntakeOptions options, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        var latest = JsonNode.Parse(await http.GetStringAsync($"api/systems/{system.Id}/inventory/latest", ct))!["data"]!;
        var diffs = JsonNode.Parse(await http.GetStringAsync($"api/systems/{system.Id}/inventory/diffs?page_size=1", ct))!["data"]!;
        var status = latest["processing_status"]?.GetValue<string>();
        var changeCount = latest["change_count"]?.GetValue<int>() ?? -1;
        var total = diffs["pagination"]?["total_count"]?.GetValue<int>() ?? -1;
        var records = (options.Records + options.Systems - 1) / options.Systems;
        var expected = (records - 1) * changeCount;
        return ($"the API shows system 1's latest inventory {status} with {changeCount} changes and {total} diffs in all ({records} records)",
            status == "processed" && total == expected && (records == 1 || changeCount > 0));
    }

    private static string Table(IReadOnlyList<Row> rows, IReadOnlyList<(string What, bool Ok)> checks)
    {
        static string F(double v, string format) => double.IsNaN(v) ? "—" : v.ToString(format, CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | records | seconds | records/s | Collect CPU ms a record | target | ratio | verdict |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Measurement} | {r.Records:N0} | {F(r.Seconds, "0.00")} | {F(r.PerSecond, "0")} | {F(r.CpuMsPerRecord, "0.00")} | " +
                $"{(r.Target is { } t ? $"≥ {t:N0}/s" : "—")} | {(r.Target is { } u ? F(r.PerSecond / u, "0.00") : "—")} | {r.Verdict} |");
        foreach (var (what, ok) in checks) sb.AppendLine($"| check: {what} | — | — | — | — | holds | — | {(ok ? "PASS" : "FAIL")} |");
        return sb.ToString().TrimEnd();
    }

    private static string Section(IntakeOptions options, string table, IReadOnlyList<string> log, TimeSpan elapsed, double averageBody, string samplePath)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Processing (`processing`)");
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
        sb.AppendLine("Ratio is records a second over the target: 1.00 or more meets it. Times come from the records' own processed_at stamps " +
            "(one a batch, taken once the batch is loaded) and the moment a 20 ms poll of the database first saw nothing pending. " +
            "Collect CPU: user and system time of the Collect process over the same span, divided by the records.");
        sb.AppendLine();
        sb.AppendLine($"Whole run, set-up included: {elapsed.TotalSeconds:0} s.");
        sb.AppendLine();
        sb.AppendLine("### Setup");
        sb.AppendLine();
        sb.AppendLine($"- Records: {options.Systems:N0} systems created through `POST /api/systems`; {options.Records:N0} inventories sent through " +
            $"`POST /api/systems/inventory` (the real intake, group commit) in rounds, every system once a round, to a Collect whose Hangfire server is off. " +
            $"Each system's inventory is {Path.GetFileName(samplePath)} with the system's own uuid and node names ({averageBody / 1024:0.0} KiB on average), " +
            "alternating between variant A and variant B (newer leader version, another address on node 2, a module updated, one removed and one added, " +
            "a user domain): six changes between any two consecutive records of a system.");
        sb.AppendLine("- Processing: Collect restarted on the same database with its Hangfire server on (the default), as in production; the start-up sweep " +
            "enqueues the processing job (`InventoryProcessor.RunAsync`, Collect's default batch size unless `--batch`), which runs until nothing is pending. " +
            "Nothing in the bench calls Collect's code: it only reads the database.");
        sb.AppendLine("- Judged: the batches after the first round's records (those have nothing to diff against and also warm up the JIT), from the first " +
            "such batch's processed_at to the poll that saw nothing pending.");
        sb.AppendLine();
        sb.AppendLine("### Log");
        sb.AppendLine();
        sb.AppendLine("```text");
        foreach (var line in log.Where(l => !l.Contains("/tmp/", StringComparison.Ordinal) && !l.Contains(" from /", StringComparison.Ordinal))) sb.AppendLine(line);
        sb.AppendLine("```");
        return sb.ToString();
    }
}
