using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Collect.Bench;

/// <summary>
/// DESIGN.md §15 and §9, IP management, through the HTTP API with the admin's bearer token on a fresh Collect: the
/// next free address in a /8 and in an IPv6 /32 (under 10 ms), 10,000 addresses assigned, the free-address list
/// after them, and an IPv6 /48 split into 65,536 /64s. Every step is bounded in count and time.
/// </summary>
internal static class SubnetsBench
{
    private const double NextFreeTargetMs = 10;
    /// <summary>Other processes using more than this share of the cores while measuring make the run unrepresentative.</summary>
    private const double BusyShare = 0.10;
    /// <summary>A series stops after this many unexpected answers (each is printed as FAIL with its body).</summary>
    private const int MaxFailuresInSeries = 5;
    /// <summary>Repeats of each measurement after the split (each one is cheap or its cost is the finding).</summary>
    private const int AfterSplitRepeats = 20;
    /// <summary>The whole run stops by itself after this, wherever it is.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(10);
    /// <summary>A series of requests stops after this and reports what it measured.</summary>
    private static readonly TimeSpan SeriesLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SplitLimit = TimeSpan.FromMinutes(5);

    private sealed record Row(string Measurement, Samples? Latency, double WallMs, double CpuMs, double? TargetMs, int Failures, string? Note = null)
    {
        /// <summary>The next-free target is judged on p50; p99 and max are reported beside it.</summary>
        public double? Ratio => TargetMs is { } t && Latency is { Count: > 0 } l ? l.P50 / t : null;
        public string Verdict => Failures > 0 ? "FAIL" : TargetMs is null ? "info" : Latency is not { Count: > 0 } ? "MISSING" : Latency.P50 < TargetMs ? "PASS" : "FAIL";
    }

    private sealed record Call(HttpMethod Method, string Path, string? Body = null);

    private sealed record Reply(bool Ok, int Status, string Body, double Ms, JsonObject? Json);

    /// <summary>A step that the rest depends on failed; the run reports what it has and fails.</summary>
    private sealed class AbortException(string message) : Exception(message);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        using var limit = new CancellationTokenSource(RunLimit);
        var ct = limit.Token;
        var total = Stopwatch.StartNew();
        var log = new List<string>();
        void Say(string line)
        {
            Console.WriteLine(line);
            lock (log) log.Add(line);
        }

        var loadAtStart = ProcessCpu.LoadAverage();
        var rows = new List<Row>();
        var others = double.NaN;
        var unexpected = 0;
        string? aborted = null;
        try
        {
            Say($"Starting Collect (published Release build, Production) from {CollectServer.WebDirectory}");
            await using var server = await CollectServer.StartAsync(options.Keep, options.ServerEnvironment, ct);
            Say($"  listening on {server.BaseAddress} (pid {server.ProcessId}), database {server.DatabasePath}, log {server.LogPath}");
            if (options.ServerEnvironment.Count > 0)
                Say($"  extra environment: {string.Join(' ', options.ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}");

            using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(15), MaxConnectionsPerServer = 4 };
            // Each request carries its own limit (RequestLimit, SplitLimit), so the client's own timeout is off.
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            var api = new Api(http, server.AdminToken, Say);
            var run = new Run(api, server.ProcessId, rows, Say);
            try
            {
                if (options.JitWarmup > 0)
                {
                    var (requests, took) = await WarmUpAsync(run, options.JitWarmup, ct);
                    var settled = await ProcessCpu.WaitIdleAsync(server.ProcessId, TimeSpan.FromSeconds(20), ct);
                    Say($"Warm-up to steady-state JIT on scratch subnets (172.16.0.0/12, fd00::/32, a /48 split into 256 /56): {requests:N0} requests in " +
                        $"{took.TotalSeconds:0.0} s, then {settled.TotalSeconds:0.0} s until the server's background compilation was done");
                }
                var meter = new ProcessCpu.OthersMeter();
                try
                {
                    await MeasureAsync(run, options, ct);
                }
                finally
                {
                    others = meter.Share();
                }
            }
            catch (AbortException e)
            {
                aborted = e.Message;
                Say($"FAIL {e.Message}; the remaining steps were skipped.");
                Say($"  Collect's log ends:\n{server.Tail(20)}");
            }
            unexpected = api.Failures;
            Say($"Stopping Collect (pid {server.ProcessId})");
            Say(string.Create(CultureInfo.InvariantCulture,
                $"Other processes on this {Environment.ProcessorCount}-core machine: load average {loadAtStart:0.00} before the run; " +
                $"{others * 100:0}% of all cores while measuring"));
            if (others > BusyShare)
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
        var judged = rows.Count(r => r.TargetMs is not null);
        var summary = failed == 0 && unexpected == 0 && aborted is null
            ? $"All {judged} judged measurements meet their targets and every answer was as expected. Total time {total.Elapsed.TotalSeconds:0} s."
            : $"{failed} measurement(s) miss their target or failed, {unexpected} unexpected answer(s){(aborted is null ? "" : $", stopped early: {aborted}")}. " +
              $"Total time {total.Elapsed.TotalSeconds:0} s.";
        Console.WriteLine(summary);

        if (options.Write)
        {
            var path = WriteResults(options, table, summary, log, total.Elapsed);
            Console.WriteLine($"Results written to {path}");
        }
        return failed == 0 && unexpected == 0 && aborted is null ? 0 : 1;
    }

    /// <summary>
    /// Runs every call shape of the measurement on scratch subnets of their own, so the measured requests meet code that
    /// the JIT has already compiled again with profile data. The scratch ranges lie outside the measured ones.
    /// </summary>
    private static async Task<(int Requests, TimeSpan Elapsed)> WarmUpAsync(Run run, int each, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var api = run.Api;
        var requests = 0;
        async Task<JsonObject?> Send(Call call, TimeSpan? limit = null)
        {
            requests++;
            return (await api.SendAsync(call, ct, limit)).Json;
        }
        var serverId = await run.CreateAsync("api/servers", Server("bench-warmup"), ct);
        var v4 = await run.CreateAsync("api/subnets", new JsonObject { ["subnet"] = "172.16.0.0", ["cidr"] = 12, ["type"] = "v4", ["gw"] = "172.16.0.1", ["generateIps"] = true }, ct);
        var v6 = await run.CreateAsync("api/subnets", new JsonObject { ["subnet"] = "fd00::", ["cidr"] = 32, ["type"] = "v6", ["generateIps"] = true }, ct);
        for (var i = 0; i < each; i++)
        {
            foreach (var id in new[] { v4, v6 })
            {
                await Send(NextFree(serverId, id));
                await Send(new Call(HttpMethod.Get, $"api/subnets/{id}/listFreeIps?per_page=1"));
                await Send(new Call(HttpMethod.Get, $"api/subnets/{id}/listFreeIps?page=1&per_page=50"));
                await Send(new Call(HttpMethod.Get, $"api/subnets/{id}"));
            }
        }
        var first = V4("172.17.0.0");
        for (var i = 0; i < Math.Max(1, each / 10); i++)
            await Send(Explicit(serverId, v4, Enumerable.Range(0, 100).Select(k => V4(first + (uint)(i * 100 + k)))));
        var w48 = await run.CreateAsync("api/subnets", new JsonObject { ["subnet"] = "fd00:0:ffff::", ["cidr"] = 48, ["type"] = "v6" }, ct);
        await Send(Split(w48, 56, 256, preview: true));
        await Send(Split(w48, 56, 256, preview: false), SplitLimit);
        var children = await Send(new Call(HttpMethod.Get, $"api/subnets?parent_id={w48}&per_page=50"));
        var child = children?["result"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<int>();
        for (var i = 0; i < Math.Max(1, each / 10); i++)
        {
            await Send(new Call(HttpMethod.Get, $"api/subnets?parent_id={w48}&per_page=50&page=2"));
            await Send(new Call(HttpMethod.Get, "api/subnets?per_page=50"));
            if (child is { } c) await Send(NextFree(serverId, c));
        }
        return (requests, started.Elapsed);
    }

    private static async Task MeasureAsync(Run run, BenchOptions options, CancellationToken ct)
    {
        var say = run.Say;
        var repeats = options.Requests;

        // 1. The two large subnets.
        say("1. Creating a v4 /8 and an IPv6 /32 with generateIps");
        var (create8, json8) = await run.OnceAsync("POST /api/subnets 10.0.0.0/8, gw 10.0.0.1, generateIps (reserves network, gateway, broadcast)",
            new Call(HttpMethod.Post, "api/subnets", Json(new JsonObject { ["subnet"] = "10.0.0.0", ["cidr"] = 8, ["type"] = "v4", ["gw"] = "10.0.0.1", ["generateIps"] = true })), ct);
        var (create32, json32) = await run.OnceAsync("POST /api/subnets 2001:db8::/32, generateIps (reserves the network address)",
            new Call(HttpMethod.Post, "api/subnets", Json(new JsonObject { ["subnet"] = "2001:db8::", ["cidr"] = 32, ["type"] = "v6", ["generateIps"] = true })), ct);
        var id8 = Id(json8, "the /8");
        var id32 = Id(json32, "the /32");

        say($"   Creating {options.Servers} servers to assign to");
        var servers = new List<int>();
        await run.SeriesAsync($"POST /api/servers · {options.Servers} servers (to assign to)", options.Servers,
            i => new Call(HttpMethod.Post, "api/servers", Json(Server($"bench-{i + 1}"))), null, ct,
            (_, json) => json["result"]?["id"] is { } id ? Add(servers, id.GetValue<int>()) : "no result.id in the answer");
        if (servers.Count == 0) throw new AbortException("no server could be created");
        int ServerFor(int i) => servers[i % servers.Count];

        // 2. Next free address on the fresh subnets.
        var assigned8 = 0L;
        var assigned32 = 0L;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? Assigned(JsonObject json, int expected, ref long counter)
        {
            var items = json["result"] as JsonArray;
            if (items is null || items.Count != expected) return $"expected {expected} assignment(s) in the answer, got {items?.Count.ToString(CultureInfo.InvariantCulture) ?? "none"}";
            counter += items.Count;
            foreach (var item in items)
                if (item?["ip"]?.GetValue<string>() is not { } ip || !seen.Add(ip)) return $"address {item?["ip"]} handed out twice";
            return null;
        }
        say($"2. Next free address: {repeats} assignments each, then {repeats} listFreeIps?per_page=1 each");
        await run.SeriesAsync($"next free in the /8 (3 reserved, 0–{repeats - 1} assigned) · POST /api/servers/{{id}}/ipassignments {{subnets_id}} · {repeats} calls",
            repeats, i => NextFree(ServerFor(i), id8), NextFreeTargetMs, ct, (_, json) => Assigned(json, 1, ref assigned8));
        await run.SeriesAsync($"next free in the /32 (1 reserved, 0–{repeats - 1} assigned) · POST /api/servers/{{id}}/ipassignments {{subnets_id}} · {repeats} calls",
            repeats, i => NextFree(ServerFor(i), id32), NextFreeTargetMs, ct, (_, json) => Assigned(json, 1, ref assigned32));
        await run.SeriesAsync($"first free of the /8 ({assigned8} assigned) · GET /api/subnets/{{id}}/listFreeIps?per_page=1 · {repeats} calls",
            repeats, _ => new Call(HttpMethod.Get, $"api/subnets/{id8}/listFreeIps?per_page=1"), NextFreeTargetMs, ct, (_, json) => FirstFree(json, null));
        await run.SeriesAsync($"first free of the /32 ({assigned32} assigned) · GET /api/subnets/{{id}}/listFreeIps?per_page=1 · {repeats} calls",
            repeats, _ => new Call(HttpMethod.Get, $"api/subnets/{id32}/listFreeIps?per_page=1"), NextFreeTargetMs, ct, (_, json) => FirstFree(json, null));

        // 3. Bulk: explicit lists from the first free address on (next free fills a subnet from the bottom, so the
        //    assigned addresses form one block in front of the next free one), then single next-free assignments.
        var firstFreeReply = await run.Api.SendAsync(new Call(HttpMethod.Get, $"api/subnets/{id8}/listFreeIps?per_page=1"), ct);
        var start = firstFreeReply.Json?["result"]?.AsArray().FirstOrDefault()?["ip"]?.GetValue<string>() is { } startText
            ? V4(startText)
            : throw new AbortException("GET listFreeIps of the /8 named no free address");
        var calls = (options.Addresses + options.PerCall - 1) / options.PerCall;
        var maxBlock = Math.Min(1000, options.Addresses);
        if ((ulong)start + (ulong)options.Addresses + (ulong)maxBlock + (ulong)options.NextFreeRun >= V4("10.255.255.255"))
            throw new AbortException("the addresses asked for do not fit in the /8");
        say($"3. Assigning {options.Addresses:N0} addresses from {V4(start)} on in {calls} calls of up to {options.PerCall}, one call of {maxBlock:N0}, " +
            $"then {options.NextFreeRun:N0} single next-free assignments");
        var beforeExplicit = assigned8;
        await run.SeriesAsync(
            $"POST /api/servers/{{id}}/ipassignments {{subnets_id, ips: [{options.PerCall} addresses]}} · {calls} calls, {options.Addresses:N0} addresses of the /8",
            calls, i =>
            {
                var from = i * options.PerCall;
                var count = Math.Min(options.PerCall, options.Addresses - from);
                return Explicit(ServerFor(i), id8, Enumerable.Range(from, count).Select(k => V4(start + (uint)k)));
            }, null, ct, (i, json) => Assigned(json, Math.Min(options.PerCall, options.Addresses - i * options.PerCall), ref assigned8),
            note: wall => $"{(assigned8 - beforeExplicit) / (wall / 1000):0} addresses/s over the series");
        var blockStart = start + (uint)options.Addresses;
        await run.OnceAsync($"POST /api/servers/{{id}}/ipassignments {{subnets_id, ips: [{maxBlock:N0} addresses]}} · one call (the API's maximum)",
            Explicit(ServerFor(0), id8, Enumerable.Range(0, maxBlock).Select(k => V4(blockStart + (uint)k))), ct,
            check: json => Assigned(json, maxBlock, ref assigned8));
        var before = assigned8;
        if (options.NextFreeRun > 0)
            await run.SeriesAsync($"next free in the /8 after {before:N0} assigned (one block) · POST /api/servers/{{id}}/ipassignments {{subnets_id}} · {options.NextFreeRun:N0} calls",
                options.NextFreeRun, i => NextFree(ServerFor(i), id8), NextFreeTargetMs, ct, (_, json) => Assigned(json, 1, ref assigned8));
        say($"   {assigned8:N0} addresses assigned from the /8 in this run; checking the subnet's counters");
        await run.OnceAsync($"GET /api/subnets/{{id}} of the /8 · usageStatistics.used = {assigned8:N0} assigned", new Call(HttpMethod.Get, $"api/subnets/{id8}"), ct,
            check: json => Usage(json, "used", assigned8.ToString(CultureInfo.InvariantCulture)));
        await run.OnceAsync($"GET /api/subnets/{{id}} of the /32 · usageStatistics.used = {assigned32:N0} assigned", new Call(HttpMethod.Get, $"api/subnets/{id32}"), ct,
            check: json => Usage(json, "used", assigned32.ToString(CultureInfo.InvariantCulture)));

        // 4. The free list after the bulk assignments. Everything from 10.0.0.0 to the last assigned is taken.
        var expectedFirst = V4(V4("10.0.0.2") + (uint)assigned8);
        say($"4. listFreeIps of the /8 with {assigned8:N0} assigned (first free should be {expectedFirst})");
        await run.SeriesAsync($"free list of the /8, first page, {assigned8:N0} assigned · GET listFreeIps?page=1&per_page=50 · 100 calls",
            100, _ => new Call(HttpMethod.Get, $"api/subnets/{id8}/listFreeIps?page=1&per_page=50"), NextFreeTargetMs, ct, (_, json) => FirstFree(json, expectedFirst, 50));
        await run.SeriesAsync($"first free of the /8, {assigned8:N0} assigned · GET listFreeIps?per_page=1 · {repeats} calls",
            repeats, _ => new Call(HttpMethod.Get, $"api/subnets/{id8}/listFreeIps?per_page=1"), NextFreeTargetMs, ct, (_, json) => FirstFree(json, expectedFirst));
        var deepFirst = V4(V4(expectedFirst) + 999 * 50);
        await run.SeriesAsync($"free list of the /8, page 1,000 · GET listFreeIps?page=1000&per_page=50 · {AfterSplitRepeats} calls",
            AfterSplitRepeats, _ => new Call(HttpMethod.Get, $"api/subnets/{id8}/listFreeIps?page=1000&per_page=50"), null, ct, (_, json) => FirstFree(json, deepFirst, 50));

        // 5. An IPv6 /48 (a child of the /32) split into /64s.
        var children = options.Children;
        var toPrefix = 64;
        say($"5. Splitting 2001:db8:ffff::/48 into {children:N0} /{toPrefix}");
        var (_, json48) = await run.OnceAsync("POST /api/subnets 2001:db8:ffff::/48 (lands as a child of the /32)",
            new Call(HttpMethod.Post, "api/subnets", Json(new JsonObject { ["subnet"] = "2001:db8:ffff::", ["cidr"] = 48, ["type"] = "v6" })), ct,
            check: json => json["result"]?["rootSubnetId"]?.GetValue<int?>() == id32 ? null : $"rootSubnetId is {json["result"]?["rootSubnetId"]}, not the /32's id {id32}");
        var id48 = Id(json48, "the /48");
        await run.OnceAsync($"POST /api/subnets/{{id}}/split · preview: true · {children:N0} × /{toPrefix}", Split(id48, toPrefix, children, preview: true), ct,
            check: json => json["result"]?["wouldCreate"]?.GetValue<int>() == children ? null : $"wouldCreate is {json["result"]?["wouldCreate"]}, not {children}");
        var (split, _) = await run.OnceAsync($"POST /api/subnets/{{id}}/split · {children:N0} × /{toPrefix} created", Split(id48, toPrefix, children, preview: false), ct,
            SplitLimit, json => json["result"]?["created"]?.GetValue<int>() == children ? null : $"created is {json["result"]?["created"]}, not {children}");
        if (split.Failures > 0) throw new AbortException("the split failed");
        await run.SeriesAsync($"GET /api/subnets/{{id}} of the split /48 ({children:N0} children) · {AfterSplitRepeats} calls",
            AfterSplitRepeats, _ => new Call(HttpMethod.Get, $"api/subnets/{id48}"), null, ct,
            (_, json) => json["result"]?["subnetAttributes"]?["amountOfDirectChilds"]?.GetValue<int>() == children ? Usage(json, "free", "0") : "amountOfDirectChilds is wrong");
        var lastPage = (children + 49) / 50;
        int? firstChild = null, lastChild = null;
        await run.SeriesAsync($"GET /api/subnets?parent_id={{/48}}&per_page=50 · first page of {children:N0} children · {AfterSplitRepeats} calls",
            AfterSplitRepeats, _ => new Call(HttpMethod.Get, $"api/subnets?parent_id={id48}&per_page=50"), null, ct, (_, json) =>
            {
                firstChild = json["result"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<int>();
                return json["meta"]?["total"]?.GetValue<int>() == children ? null : $"meta.total is {json["meta"]?["total"]}, not {children}";
            });
        await run.SeriesAsync($"GET /api/subnets?parent_id={{/48}}&per_page=50&page={lastPage:N0} · last page · {AfterSplitRepeats} calls",
            AfterSplitRepeats, _ => new Call(HttpMethod.Get, $"api/subnets?parent_id={id48}&per_page=50&page={lastPage}"), null, ct, (_, json) =>
            {
                lastChild = json["result"]?.AsArray().LastOrDefault()?["id"]?.GetValue<int>();
                return lastChild is null ? "the last page is empty" : null;
            });
        if (firstChild is null || lastChild is null) throw new AbortException("the /48's children could not be listed");
        var assignedChildren = 0L;
        await run.SeriesAsync($"next free in the first /{toPrefix} child · POST ipassignments {{subnets_id}} · {AfterSplitRepeats} calls",
            AfterSplitRepeats, i => NextFree(ServerFor(i), firstChild.Value), NextFreeTargetMs, ct, (_, json) => Assigned(json, 1, ref assignedChildren));
        await run.SeriesAsync($"next free in the last /{toPrefix} child · POST ipassignments {{subnets_id}} · {AfterSplitRepeats} calls",
            AfterSplitRepeats, i => NextFree(ServerFor(i), lastChild.Value), NextFreeTargetMs, ct, (_, json) => Assigned(json, 1, ref assignedChildren));
        await run.SeriesAsync($"next free in the /32 after the split ({assigned32} assigned, the /48 child) · POST ipassignments {{subnets_id}} · {AfterSplitRepeats} calls",
            AfterSplitRepeats, i => NextFree(ServerFor(i), id32), NextFreeTargetMs, ct, (_, json) => Assigned(json, 1, ref assigned32));
        await run.SeriesAsync($"first free of the split /48 (none: {children:N0} children) · GET listFreeIps?per_page=1 · 5 calls",
            5, _ => new Call(HttpMethod.Get, $"api/subnets/{id48}/listFreeIps?per_page=1"), null, ct,
            (_, json) => json["result"]?.AsArray().Count == 0 ? null : "the full /48 lists a free address");
        await run.SeriesAsync($"GET /api/subnets?per_page=50 · every subnet (over {children:N0}) · {AfterSplitRepeats} calls",
            AfterSplitRepeats, _ => new Call(HttpMethod.Get, "api/subnets?per_page=50"), null, ct);
        await run.SeriesAsync($"GET /api/servers/{{id}}/ipassignments/getAssignableSubnets · over {children:N0} subnets · 3 calls",
            3, _ => new Call(HttpMethod.Get, $"api/servers/{ServerFor(1)}/ipassignments/getAssignableSubnets"), null, ct);
    }

    /// <summary>Sends the requests one after another and times each from sending to the whole body read.</summary>
    private sealed class Run(Api api, int pid, List<Row> rows, Action<string> say)
    {
        public Api Api => api;
        public Action<string> Say => say;

        public async Task<Row> SeriesAsync(string name, int count, Func<int, Call> call, double? target, CancellationToken ct,
            Func<int, JsonObject, string?>? check = null, Func<double, string>? note = null)
        {
            var samples = new List<double>(count);
            var failures = 0;
            long bytes = 0;
            string? stopped = null;
            var cpu = ProcessCpu.Milliseconds(pid);
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                if (wall.Elapsed > SeriesLimit)
                {
                    stopped = $"stopped after {i} of {count} calls: over {SeriesLimit.TotalSeconds:0} s";
                    break;
                }
                var request = call(i);
                var reply = await api.SendAsync(request, ct);
                bytes += Encoding.UTF8.GetByteCount(reply.Body);
                var problem = reply.Ok ? check?.Invoke(i, reply.Json!) : null;
                if (reply.Ok && problem is null) samples.Add(reply.Ms);
                else
                {
                    failures++;
                    if (problem is not null) say($"FAIL {request.Method} /{request.Path} (call {i + 1}): {problem}. The answer: {Api.Shorten(reply.Body)}");
                    if (failures >= MaxFailuresInSeries)
                    {
                        stopped = $"stopped after {failures} failures";
                        break;
                    }
                }
            }
            wall.Stop();
            cpu = ProcessCpu.Milliseconds(pid) - cpu;
            var done = samples.Count + failures;
            var latency = new Samples(samples);
            var perReply = done == 0 ? 0 : bytes / (double)done;
            // Large answers are part of the cost; the table names them.
            var size = perReply >= 1024 * 1024 ? string.Create(CultureInfo.InvariantCulture, $"{perReply / 1024 / 1024:0.0} MiB an answer") : null;
            var extra = string.Join("; ", new[] { note?.Invoke(wall.Elapsed.TotalMilliseconds), size, stopped }.Where(x => x is not null));
            var row = new Row(name, latency, wall.Elapsed.TotalMilliseconds, done == 0 ? double.NaN : cpu / done, target, failures, extra.Length == 0 ? null : extra);
            rows.Add(row);
            say(string.Create(CultureInfo.InvariantCulture,
                $"   {name}: {(latency.Count == 0 ? "nothing measured" : $"p50 {latency.P50:0.00} ms, p99 {latency.P99:0.00} ms, max {latency.Max:0.00} ms, mean {latency.Mean:0.00} ms")}, " +
                $"wall {Wall(wall.Elapsed.TotalMilliseconds)}, server CPU {row.CpuMs:0.00} ms a request, {perReply / 1024:0.0} KiB an answer{(failures > 0 ? $", {failures} FAILED" : "")}" +
                $"{(extra.Length > 0 ? $" ({extra})" : "")}{(target is { } t ? $" → {row.Verdict} (p50 against {t:0} ms)" : "")}"));
            return row;
        }

        public async Task<(Row Row, JsonObject? Json)> OnceAsync(string name, Call call, CancellationToken ct, TimeSpan? limit = null, Func<JsonObject, string?>? check = null)
        {
            var cpu = ProcessCpu.Milliseconds(pid);
            var reply = await api.SendAsync(call, ct, limit);
            cpu = ProcessCpu.Milliseconds(pid) - cpu;
            var problem = reply.Ok ? check?.Invoke(reply.Json!) : null;
            if (problem is not null) say($"FAIL {call.Method} /{call.Path}: {problem}. The answer: {Api.Shorten(reply.Body)}");
            var failed = !reply.Ok || problem is not null;
            var row = new Row(name, null, reply.Ms, cpu, null, failed ? 1 : 0);
            rows.Add(row);
            say(string.Create(CultureInfo.InvariantCulture, $"   {name}: {Wall(reply.Ms)}, server CPU {cpu:0} ms{(failed ? ", FAILED" : "")}"));
            return (row, reply.Ok ? reply.Json : null);
        }

        /// <summary>Creates something the measurement needs (not measured) and answers its id.</summary>
        public async Task<int> CreateAsync(string path, JsonObject body, CancellationToken ct)
        {
            var reply = await api.SendAsync(new Call(HttpMethod.Post, path, Json(body)), ct);
            return reply.Json?["result"]?["id"]?.GetValue<int>() ?? throw new AbortException($"POST /{path} {body.ToJsonString()} gave no id");
        }
    }

    /// <summary>JSON calls with the admin's bearer token. An unexpected status is printed as FAIL with the body and counted.</summary>
    private sealed class Api(HttpClient http, string token, Action<string> say)
    {
        private readonly AuthenticationHeaderValue _auth = new("Bearer", token);
        private int _failures;

        public int Failures => _failures;

        public async Task<Reply> SendAsync(Call call, CancellationToken ct, TimeSpan? limit = null)
        {
            using var request = new HttpRequestMessage(call.Method, call.Path);
            request.Headers.Authorization = _auth;
            if (call.Body is not null) request.Content = new StringContent(call.Body, Encoding.UTF8, "application/json");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var within = limit ?? RequestLimit;
            timeout.CancelAfter(within);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _failures);
                    say($"FAIL {call.Method} /{call.Path} answered {(int)response.StatusCode} after {ms:0} ms: {Shorten(body)}");
                    return new Reply(false, (int)response.StatusCode, body, ms, null);
                }
                return JsonNode.Parse(body) is JsonObject json
                    ? new Reply(true, 200, body, ms, json)
                    : Failed(call, $"answered 200 with a body that is not a JSON object: {Shorten(body)}", ms);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return Failed(call, $"no answer within {within.TotalSeconds:0} s", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException)
            {
                return Failed(call, $"{e.GetType().Name}: {e.Message}", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        private Reply Failed(Call call, string what, double ms)
        {
            Interlocked.Increment(ref _failures);
            say($"FAIL {call.Method} /{call.Path}: {what}");
            return new Reply(false, 0, "", ms, null);
        }

        public static string Shorten(string body) => body.Length <= 2000 ? body : body[..2000] + $"… ({body.Length:N0} characters)";
    }

    private static string Json(JsonObject body) => body.ToJsonString();

    private static JsonObject Server(string name) => new() { ["hostname"] = name, ["servername"] = name };

    private static Call NextFree(int serverId, int subnetId) =>
        new(HttpMethod.Post, $"api/servers/{serverId}/ipassignments", Json(new JsonObject { ["subnets_id"] = subnetId }));

    private static Call Explicit(int serverId, int subnetId, IEnumerable<string> ips) =>
        new(HttpMethod.Post, $"api/servers/{serverId}/ipassignments",
            Json(new JsonObject { ["subnets_id"] = subnetId, ["ips"] = new JsonArray(ips.Select(ip => (JsonNode?)ip).ToArray()) }));

    private static Call Split(int subnetId, int toPrefix, int amount, bool preview)
    {
        var body = new JsonObject { ["mode"] = "subnet", ["toPrefix"] = toPrefix, ["gateway_method"] = "first", ["toAmount"] = amount };
        if (preview) body["preview"] = true;
        return new Call(HttpMethod.Post, $"api/subnets/{subnetId}/split", Json(body));
    }

    private static int Id(JsonObject? json, string what) =>
        json?["result"]?["id"]?.GetValue<int>() ?? throw new AbortException($"{what} could not be created");

    private static string? Add(List<int> list, int value)
    {
        list.Add(value);
        return null;
    }

    private static string? FirstFree(JsonObject json, string? expected, int count = 1)
    {
        var items = json["result"] as JsonArray;
        if (items is null || items.Count != count) return $"expected {count} free address(es), got {items?.Count.ToString(CultureInfo.InvariantCulture) ?? "none"}";
        var first = items[0]?["ip"]?.GetValue<string>();
        return expected is null || first == expected ? null : $"the first free address is {first}, expected {expected}";
    }

    private static string? Usage(JsonObject json, string field, string expected)
    {
        var value = json["result"]?["usageStatistics"]?[field]?.ToJsonString();
        return value == expected ? null : $"usageStatistics.{field} is {value ?? "missing"}, expected {expected}";
    }

    private static uint V4(string text)
    {
        var b = IPAddress.Parse(text).GetAddressBytes();
        return (uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3];
    }

    private static string V4(uint v) => string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}");

    private static string Wall(double ms) =>
        ms < 10_000 ? ms.ToString(ms < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms" : (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Table(IReadOnlyList<Row> rows)
    {
        static string Ms(double v) => double.IsNaN(v) ? "—" : v.ToString(v < 100 ? "0.00" : "0", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | n | p50 ms | p99 ms | max ms | wall | server CPU ms a request | target | ratio p50/target | verdict |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in rows)
        {
            var note = r.Note is null ? "" : $" ({r.Note})";
            var n = r.Latency is null ? 1 : r.Latency.Count + r.Failures;
            var (p50, p99, max) = r.Latency is { Count: > 0 } l ? (Ms(l.P50), Ms(l.P99), Ms(l.Max)) : ("—", "—", "—");
            var failed = r.Failures > 0 ? $", {r.Failures} failed" : "";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Measurement}{note} | {n}{failed} | {p50} | {p99} | {max} | {Wall(r.WallMs)} | {Ms(r.CpuMs)} | " +
                $"{(r.TargetMs is { } t ? $"p50 < {t:0} ms" : "—")} | {(r.Ratio is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "—")} | {r.Verdict} |"));
        }
        return sb.ToString().TrimEnd();
    }

    private static string WriteResults(BenchOptions options, string table, string summary, IReadOnlyList<string> log, TimeSpan elapsed)
    {
        var root = ServersBench.RepositoryRoot();
        var directory = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(directory);
        var date = options.Date;
        var path = Path.Combine(directory, $"subnets-{date}.md");
        var args = options.CommandLine;
        var sb = new StringBuilder();
        sb.AppendLine($"# IP management benchmark, {date}");
        sb.AppendLine();
        sb.AppendLine("Target: DESIGN.md §15 (next free address in a /8, or in an IPv6 /32: under 10 ms), judged on p50 with p99 and max beside it. " +
            "Everything else (creating, bulk assignment, the free list's deep page, the /48 split and what follows it) is recorded, not judged.");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine($"dotnet run -c Release --project bench/Collect.Bench -- {args}");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("## Machine");
        sb.AppendLine();
        foreach (var line in ServersBench.Machine(root)) sb.AppendLine($"- {line}");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- run ended {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        sb.AppendLine();
        sb.AppendLine("## Results");
        sb.AppendLine();
        sb.AppendLine(table);
        sb.AppendLine();
        sb.AppendLine(summary);
        sb.AppendLine();
        sb.AppendLine("n: requests. Wall: the one request, or the whole series. Server CPU: user and system time of the Collect process over the requests, " +
            "divided by their number. A FAIL row with failures had an unexpected status or content (printed in the log with the body).");
        sb.AppendLine();
        sb.AppendLine($"Whole run, start and warm-up included: {elapsed.TotalSeconds:0} s.");
        sb.AppendLine();
        sb.AppendLine("## Setup");
        sb.AppendLine();
        sb.AppendLine("- Collect: published Release build of Collect.Web run as a child process (Production environment, Hangfire server off), loopback HTTP/1.1, " +
            "fresh SQLite file in /tmp (WAL). Everything goes through the HTTP API with the admin's bearer token, one request at a time.");
        if (options.JitWarmup > 0)
            sb.AppendLine($"- Warm-up: every call shape {options.JitWarmup} times on scratch subnets (172.16.0.0/12 and fd00::/32, outside the measured ranges) " +
                "and a split of a scratch /48 into 256 /56, then a wait until the server's background compilation was done.");
        sb.AppendLine($"- Data: 10.0.0.0/8 (gw 10.0.0.1) and 2001:db8::/32 with generateIps; {options.Servers} servers; " +
            $"{options.Requests} next-free assignments in each; {options.Addresses:N0} addresses of the /8 in explicit lists of {options.PerCall}, from the first free address on, " +
            $"then one list of {Math.Min(1000, options.Addresses):N0}, then {options.NextFreeRun:N0} single next-free assignments, so the assigned addresses form one block " +
            $"in front of the next free one (next free fills a subnet from the bottom); then 2001:db8:ffff::/48 split into {options.Children:N0} /64.");
        sb.AppendLine("- Each request is timed from sending to the whole body read. The bench checks every answer's status, the addresses handed out " +
            "(no address twice), the first free address, the subnets' usage counters and the split's counts.");
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
}
