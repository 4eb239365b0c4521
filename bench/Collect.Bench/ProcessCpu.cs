using System.Globalization;

namespace Collect.Bench;

/// <summary>
/// CPU time a process has used (user + system, from /proc), and the machine's load average. Server CPU per request
/// moves much less than latency when other work shares the machine, so it is reported beside the latencies.
/// </summary>
internal static class ProcessCpu
{
    /// <summary>
    /// Measures how much of the machine processes outside this run used meanwhile: everything busy on the machine minus
    /// this process and its children. Others' work on the same 2 cores shows up in latencies, so the report states it.
    /// </summary>
    /// <param name="alsoOurs">CPU milliseconds of processes of the run that are not below this one (the bench's PostgreSQL server).</param>
    public sealed class OthersMeter(Func<double>? alsoOurs = null)
    {
        private readonly double _machine = MachineBusyMilliseconds();
        private readonly double _ours = TreeMilliseconds(Environment.ProcessId) + (alsoOurs?.Invoke() ?? 0);
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

        /// <summary>Others' share of all cores since the meter started, 0 to 1.</summary>
        public double Share()
        {
            var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalMilliseconds * Environment.ProcessorCount;
            var others = MachineBusyMilliseconds() - _machine - (TreeMilliseconds(Environment.ProcessId) + (alsoOurs?.Invoke() ?? 0) - _ours);
            return wall <= 0 ? double.NaN : Math.Clamp(others / wall, 0, 1);
        }
    }

    private static readonly Lazy<double> TicksPerSecond = new(() =>
    {
        var text = Run("getconf", "CLK_TCK");
        return double.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
    });

    /// <summary>CPU milliseconds used so far by the process and its threads; NaN where /proc is not readable.</summary>
    public static double Milliseconds(int pid) => Milliseconds(pid, withReapedChildren: false);

    private static double Milliseconds(int pid, bool withReapedChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15,
            // and the time of children that ended and were waited for, cutime 16 and cstime 17.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (withReapedChildren) ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            return ticks * 1000 / TicksPerSecond.Value;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>CPU milliseconds used so far by a process and every process below it (the server, the browser, the Playwright driver).</summary>
    public static double TreeMilliseconds(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
            {
            }
        }
        bool Below(int pid)
        {
            for (var hops = 0; pid > 1 && hops < 64; hops++)
            {
                if (pid == root) return true;
                if (!parents.TryGetValue(pid, out pid)) return false;
            }
            return false;
        }
        // Browser tabs' processes end during the run; their parents count them once they are waited for.
        return parents.Keys.Where(Below).Select(pid => Milliseconds(pid, withReapedChildren: true)).Where(v => !double.IsNaN(v)).Sum();
    }

    /// <summary>Busy CPU milliseconds of the whole machine so far (all cores; idle and I/O wait left out).</summary>
    public static double MachineBusyMilliseconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is already inside user).
            var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields.Length > 7 ? fields[7] : 0);
            return busy * 1000 / TicksPerSecond.Value;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException or InvalidOperationException)
        {
            return double.NaN;
        }
    }

    /// <summary>
    /// Waits until the process has used under 5% of a core for <paramref name="quietFor"/> (default a second: the JIT compiles
    /// the methods a warm-up made hot in the background, for seconds after it), or until the limit. Answers how long it waited.
    /// </summary>
    public static async Task<TimeSpan> WaitIdleAsync(int pid, TimeSpan limit, CancellationToken ct, TimeSpan? quietFor = null)
    {
        var quiet = quietFor ?? TimeSpan.FromSeconds(1);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var quietSince = TimeSpan.Zero;
        var last = Milliseconds(pid);
        while (waited.Elapsed < limit && !double.IsNaN(last))
        {
            await Task.Delay(100, ct);
            var now = Milliseconds(pid);
            if (now - last > 100 * 0.05) quietSince = waited.Elapsed;
            else if (waited.Elapsed - quietSince >= quiet) break;
            last = now;
        }
        return waited.Elapsed;
    }

    /// <summary>The 1-minute load average, NaN where unknown.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    private static string Run(string file, string args)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args)
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5_000);
            return output.Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "";
        }
    }
}
