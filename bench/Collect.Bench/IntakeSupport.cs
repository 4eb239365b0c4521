using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Collect.Bench;

/// <summary>An agent's credentials, as POST /api/systems answered them once.</summary>
internal sealed record SystemCredential(string Id, string Key, string Secret)
{
    public string BasicHeader => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Key}:{Secret}"));
}

/// <summary>Entry point and shared pieces of the `intake` and `processing` benchmarks (DESIGN.md §8, §15).</summary>
internal static class IntakeSupport
{
    public static async Task<int> MainAsync(string[] args)
    {
        var options = IntakeOptions.Parse(args, out var error);
        if (options is null)
        {
            if (error is not null) Console.Error.WriteLine(error);
            Console.Error.WriteLine(IntakeOptions.Usage);
            return error is null ? 0 : 2;
        }
        return options.Scenario == "intake" ? await IntakeBench.RunAsync(options) : await IntakeProcessingBench.RunAsync(options);
    }

    public static string SamplePath(IntakeOptions options) =>
        options.SamplePath ?? Path.Combine(ServersBench.RepositoryRoot(), "bench", "samples", "ns8-inventory-sample.json");

    /// <summary>Registers systems through the API as the admin, from a few clients at once; answers their credentials in order.</summary>
    public static async Task<List<SystemCredential>> CreateSystemsAsync(HttpClient http, string adminToken, int count, CancellationToken ct)
    {
        var created = new SystemCredential[count];
        var next = -1;
        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/systems")
                {
                    Content = JsonContent.Create(new JsonObject { ["name"] = $"bench-system-{i + 1:D5}", ["type"] = "ns8" }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode != HttpStatusCode.Created)
                    throw new InvalidOperationException($"POST /api/systems answered {(int)response.StatusCode}: {text}");
                var data = JsonNode.Parse(text)!["data"]!;
                created[i] = new SystemCredential(data["id"]!.GetValue<string>(), data["system_key"]!.GetValue<string>(), data["system_secret"]!.GetValue<string>());
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Client, ct)));
        return [.. created];
    }

    /// <summary>Rows of a table in a SQLite file that a server is writing (WAL: the read does not block it).</summary>
    public static async Task<long> CountAsync(string databasePath, string sql, CancellationToken ct)
    {
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 30, Pooling = false }.ToString());
        await db.OpenAsync(ct);
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>CPU milliseconds of this process's children that ended and were waited for (cutime + cstime): wrk's, once it exits.</summary>
    public static double ReapedChildrenMilliseconds()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            return ticks * 1000.0 / 100;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    public static string Run(string file, string args, string? directory = null, int timeoutMs = 10_000)
    {
        try
        {
            var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (directory is not null) start.WorkingDirectory = directory;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill(entireProcessTree: true);
                return "";
            }
            return (output.Result + errors.Result).Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "";
        }
    }

    /// <summary>
    /// Writes this scenario's section of bench/results/intake-&lt;date&gt;.md and keeps the other sections the file already
    /// has, so that `intake`, `intake --postgres` (section "intake-postgres") and `processing` share one file a day.
    /// </summary>
    public static string WriteResults(IntakeOptions options, string section, string? sectionName = null)
    {
        string[] names = ["intake", "intake-postgres", "processing"];
        var directory = Path.Combine(ServersBench.RepositoryRoot(), "bench", "results");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"intake-{options.Date}.md");
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            var old = File.ReadAllText(path);
            foreach (var name in names)
            {
                var match = Regex.Match(old, $"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", RegexOptions.Singleline);
                if (match.Success) sections[name] = match.Groups[1].Value;
            }
        }
        sections[sectionName ?? options.Scenario] = section.TrimEnd() + "\n";

        var sb = new StringBuilder();
        sb.AppendLine($"# Inventory intake and processing benchmarks, {options.Date}");
        sb.AppendLine();
        sb.AppendLine("Targets: DESIGN.md §15 (inventory intake, 6 KB bodies, 64 connections: at least 70% of the throughput of a bare endpoint " +
            "that does the same durable insert with group commit, and p99 under 50 ms; inventory processing: at least 1,000 records a second with diffs).");
        sb.AppendLine("Each section is written by its own command; see bench/README.md, \"Inventory intake and processing\".");
        foreach (var name in names)
        {
            if (!sections.TryGetValue(name, out var text)) continue;
            sb.AppendLine();
            sb.AppendLine($"<!-- {name}:begin -->");
            sb.Append(text);
            sb.AppendLine($"<!-- {name}:end -->");
        }
        var temp = path + ".tmp";
        File.WriteAllText(temp, sb.ToString());
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>The "Machine" lines of the results files (cores, memory, OS, .NET, commit), as the servers benchmark writes them.</summary>
    public static IEnumerable<string> Machine()
    {
        var root = ServersBench.RepositoryRoot();
        string? Line(string file, string prefix) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;
        var cpu = Line("/proc/cpuinfo", "model name")?.Split(':', 2)[1].Trim();
        var memory = Line("/proc/meminfo", "MemTotal:")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var gib = long.TryParse(memory, CultureInfo.InvariantCulture, out var kb) ? (kb / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) : "?";
        yield return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {gib} GiB memory";
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        yield return $"{Line("/etc/os-release", "PRETTY_NAME=")?.Split('=', 2)[1].Trim('"') ?? "unknown OS"}, Linux {kernel}";
        yield return $".NET {Environment.Version}";
        var dirty = !string.IsNullOrWhiteSpace(Run("git", "status --porcelain --untracked-files=no", root));
        yield return $"Collect commit {Run("git", "rev-parse --short HEAD", root)}{(dirty ? " with uncommitted changes" : "")}";
    }

    /// <summary>The credentials in the wrk script and the baseline's list are readable by this user only.</summary>
    public static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static void DeleteFiles(params string[] paths)
    {
        foreach (var path in paths)
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

/// <summary>wrk, the HTTP load generator (Debian package `wrk`): the script that posts inventories, one run, and its parsed summary.</summary>
internal static class Wrk
{
    public sealed record Result(string Command, double RequestsPerSecond, long Requests, double Seconds, long NonSuccess, string SocketErrors,
        double P50Ms, double P75Ms, double P90Ms, double P99Ms, double WrkCpuMs, string Output)
    {
        public long Successes => Requests - NonSuccess;
    }

    public static string? Locate()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "wrk");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public const string InstallHint = "wrk is not on PATH. Install it with `apt-get install -y wrk` (Debian's package; as root, or with sudo) and run again.";

    /// <summary>
    /// A wrk script that posts <paramref name="sample"/> as the given systems: each request takes the next credential (the
    /// threads start far apart) and gets a uuid of its own in place of the sample's, so that every body is a different
    /// 6 KB inventory and neither server can skip storing one. The run number (the script's first argument) keeps bodies of
    /// different runs apart.
    /// </summary>
    public static string Script(byte[] sample, IReadOnlyList<string> basicHeaders)
    {
        var text = Encoding.UTF8.GetString(sample);
        var uuid = Regex.Match(text, "\"uuid\"\\s*:\\s*\"([^\"]*)\"");
        if (!uuid.Success) throw new InvalidOperationException("The sample inventory has no \"uuid\" string to vary per request.");
        var prefix = text[..uuid.Groups[1].Index];
        var suffix = text[(uuid.Groups[1].Index + uuid.Groups[1].Length)..];
        var sb = new StringBuilder();
        sb.AppendLine("-- Written by Collect.Bench (intake): POST the sample inventory as many systems, a uuid of its own per request.");
        sb.AppendLine("local creds = {");
        foreach (var header in basicHeaders) sb.AppendLine($"  \"{header}\",");
        sb.AppendLine("}");
        sb.AppendLine($"local prefix = {Long(prefix)}");
        sb.AppendLine($"local suffix = {Long(suffix)}");
        sb.AppendLine("""
            local threads = 0
            function setup(thread)
              thread:set("tid", threads)
              threads = threads + 1
            end

            local run, counter, cred = 0, 0, 0
            local headers = { ["Content-Type"] = "application/json" }
            function init(args)
              run = tonumber(args[1]) or 0
              cred = (tid * 7919) % #creds
            end

            function request()
              counter = counter + 1
              cred = cred % #creds + 1
              headers["Authorization"] = creds[cred]
              local body = prefix .. string.format("%08x-%04x-4000-8000-%012x", run, tid, counter) .. suffix
              return wrk.format("POST", nil, headers, body) -- nil: the path of the URL given to wrk
            end
            """);
        return sb.ToString();
    }

    private static string Long(string text)
    {
        var level = 1;
        while (text.Contains("]" + new string('=', level) + "]", StringComparison.Ordinal)) level++;
        var eq = new string('=', level);
        // A newline right after the opening bracket would be dropped by Lua; the sample is one line, but be exact anyway.
        return $"[{eq}[{(text.StartsWith('\n') ? "\n" : "")}{text}]{eq}]";
    }

    public static async Task<Result> RunAsync(string wrk, string script, Uri url, int threads, int connections, int seconds, int run, CancellationToken ct)
    {
        var args = new[] { $"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, url.ToString(), "--", run.ToString(CultureInfo.InvariantCulture) };
        var command = $"wrk {string.Join(' ', args[..^2].Select(a => a == script ? "script.lua" : a))}";
        var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        var children = IntakeSupport.ReapedChildrenMilliseconds();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wrk did not finish within {seconds + 30} s.");
        }
        var text = await output + await errors;
        var wrkCpu = IntakeSupport.ReapedChildrenMilliseconds() - children;
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk exited with {process.ExitCode}:\n{text}");
        return Parse(command, text, wrkCpu);
    }

    public static Result Parse(string command, string output, double wrkCpuMs)
    {
        double Number(string pattern)
        {
            var m = Regex.Match(output, pattern, RegexOptions.Multiline);
            if (!m.Success) throw new InvalidOperationException($"wrk's output has no match for {pattern}:\n{output}");
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        double Percentile(int p)
        {
            var m = Regex.Match(output, $@"^\s*{p}%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
            if (!m.Success) throw new InvalidOperationException($"wrk's output has no {p}% latency (was --latency given?):\n{output}");
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => value * 60_000 };
        }
        var requests = Regex.Match(output, @"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", RegexOptions.Multiline);
        if (!requests.Success) throw new InvalidOperationException($"wrk's output has no request count:\n{output}");
        var seconds = double.Parse(requests.Groups[2].Value, CultureInfo.InvariantCulture) * requests.Groups[3].Value switch { "us" => 1e-6, "ms" => 1e-3, "s" => 1, _ => 60 };
        var nonSuccess = Regex.Match(output, @"Non-2xx or 3xx responses:\s*(\d+)");
        var socket = Regex.Match(output, @"Socket errors:\s*(.*)$", RegexOptions.Multiline);
        return new Result(command, Number(@"^Requests/sec:\s*([\d.]+)"), long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture), seconds,
            nonSuccess.Success ? long.Parse(nonSuccess.Groups[1].Value, CultureInfo.InvariantCulture) : 0, socket.Success ? socket.Groups[1].Value.Trim() : "none",
            Percentile(50), Percentile(75), Percentile(90), Percentile(99), wrkCpuMs, output.Trim());
    }
}

/// <summary>The bare baseline endpoint (bench/Baseline) as a child process on loopback; killed by its own process id when disposed.</summary>
internal sealed class BaselineServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly bool _keep;
    private readonly string _credentialsPath;

    private BaselineServer(Process process, StreamWriter log, Uri baseAddress, string databasePath, string logPath, string credentialsPath, bool keep)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        DatabasePath = databasePath;
        LogPath = logPath;
        _credentialsPath = credentialsPath;
        _keep = keep;
    }

    public Uri BaseAddress { get; }
    public string DatabasePath { get; }
    public string LogPath { get; }
    public int ProcessId => _process.Id;

    public static string ProjectPath => Path.Combine(ServersBench.RepositoryRoot(), "bench", "Baseline", "Baseline.csproj");

    /// <summary>Builds bench/Baseline in Release (incremental: a few seconds when nothing changed) and answers the dll.</summary>
    public static async Task<string> BuildAsync(CancellationToken ct)
    {
        var project = ProjectPath;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "build", project, "-c", "Release", "--nologo", "-v", "q", "-clp:NoSummary" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet build.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet build {project} failed:\n{await output}{await errors}");
        var dll = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", "Baseline.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing after the build.");
    }

    public static async Task<BaselineServer> StartAsync(string dll, IEnumerable<SystemCredential> credentials, bool keep, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N");
        var databasePath = $"/tmp/collect-bench-baseline-{id}.db";
        var logPath = $"/tmp/collect-bench-baseline-{id}.log";
        var credentialsPath = $"/tmp/collect-bench-baseline-{id}.credentials";
        await File.WriteAllLinesAsync(credentialsPath, credentials.Select(c => $"{c.Key}:{c.Secret}"), ct);
        IntakeSupport.OwnerOnly(credentialsPath);
        var baseAddress = new Uri($"http://127.0.0.1:{IntakeSupport.FreeLoopbackPort()}/");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--urls", baseAddress.ToString().TrimEnd('/'), "--db", databasePath, "--credentials", credentialsPath }) start.ArgumentList.Add(a);
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" }) start.Environment.Remove(name);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        if (!process.Start()) throw new InvalidOperationException("Could not start the baseline.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BaselineServer(process, log, baseAddress, databasePath, logPath, credentialsPath, keep);
        try
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
            var limit = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"The baseline exited with code {process.ExitCode} while starting; see {logPath}.");
                if (limit.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"The baseline did not answer /healthz within 30 s; see {logPath}.");
                try
                {
                    using var response = await client.GetAsync("healthz", ct);
                    if (response.StatusCode == HttpStatusCode.OK) return server;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(100, ct);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Commits and rows the baseline's writer has done so far.</summary>
    public async Task<(long Commits, long Rows)> StatsAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var json = JsonNode.Parse(await client.GetStringAsync("stats", ct))!;
        return (json["commits"]!.GetValue<long>(), json["rows"]!.GetValue<long>());
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
        IntakeSupport.DeleteFiles(_credentialsPath);
        if (!_keep) IntakeSupport.DeleteFiles(DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", LogPath);
    }
}
