using System.Globalization;

namespace Collect.Bench;

/// <summary>Command line of the `intake` and `processing` benchmarks; the defaults are the ones bench/results was measured with.</summary>
internal sealed class IntakeOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Collect.Bench -- intake|processing [options]

          intake               POST /api/systems/inventory with wrk (6 KB bodies, 64 connections, 1,000 systems) against the
                               bare baseline endpoint in bench/Baseline: throughput ratio (>= 0.70) and Collect's p99 (< 50 ms)
          processing           records diffed a second by Collect's processing job (>= 1,000), on records sent through the intake
        options:
          --systems N          systems created through POST /api/systems (1000)
          --duration N         intake: seconds of each measured wrk run (20)
          --warmup N           intake: seconds of wrk warm-up against each server before it is measured, 0 for none (3)
          --connections N      intake: wrk connections (64)
          --threads N          intake: wrk threads (2)
          --records N          processing: inventories sent and then processed (5000)
          --clients N          processing: concurrent uploaders while sending the records (16)
          --batch N            processing: Collect__Inventory__ProcessingBatchSize for the processing run (Collect's default)
          --intake-only        processing: stop once the records are in and keep that database (its path is printed), to profile
                               the processing job by hand (bench/README.md)
          --postgres           intake: also measure Collect on a private PostgreSQL server (Debian's postgresql, durability on)
                               in the same run, with the same load; its own section of the results file
          --sample PATH        the inventory body (bench/samples/ns8-inventory-sample.json)
          --date YYYY-MM-DD    the date in the results file's name (today, UTC)
          --no-write           print only; do not write bench/results/intake-<date>.md
          --keep               keep the databases, logs and the wrk script in /tmp (their paths are printed)
          --env NAME=VALUE     extra environment for the Collect process (repeatable)
        """;

    public string Scenario { get; private init; } = "";
    public int Systems { get; private set; } = 1_000;
    public int DurationSeconds { get; private set; } = 20;
    public int WarmupSeconds { get; private set; } = 3;
    public int Connections { get; private set; } = 64;
    public int Threads { get; private set; } = 2;
    public int Records { get; private set; } = 5_000;
    public int Clients { get; private set; } = 16;
    public int? BatchSize { get; private set; }
    public string? SamplePath { get; private set; }
    public string Date { get; private set; } = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public bool Write { get; private set; } = true;
    public bool Keep { get; private set; }
    public bool IntakeOnly { get; private set; }
    /// <summary>intake: Collect on PostgreSQL too, beside Collect on SQLite and the baseline.</summary>
    public bool Postgres { get; private set; }
    public Dictionary<string, string> ServerEnvironment { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<string> Arguments { get; private init; } = [];

    /// <summary>The command line as the results file shows it: --date only names the file, so it is left out.</summary>
    public string CommandLine
    {
        get
        {
            var shown = new List<string>();
            for (var i = 0; i < Arguments.Count; i++)
            {
                if (Arguments[i] == "--date") i++;
                else shown.Add(Arguments[i]);
            }
            return string.Join(' ', shown);
        }
    }

    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "intake" or "processing";

    public static IntakeOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var o = new IntakeOptions { Scenario = args[0], Arguments = args };
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help") return null;
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min, int max)
            {
                var name = args[i];
                var text = Next();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v
                    : throw new ArgumentException($"{name} needs an integer from {min} to {max}, not \"{text}\".");
            }
            try
            {
                switch (args[i])
                {
                    case "--systems": o.Systems = Int(1, 10_000); break;
                    case "--duration": o.DurationSeconds = Int(1, 60); break;
                    case "--warmup": o.WarmupSeconds = Int(0, 30); break;
                    case "--connections": o.Connections = Int(1, 1024); break;
                    case "--threads": o.Threads = Int(1, 16); break;
                    case "--records": o.Records = Int(2, 50_000); break;
                    case "--clients": o.Clients = Int(1, 256); break;
                    case "--batch": o.BatchSize = Int(1, 5_000); break;
                    case "--sample": o.SamplePath = Next(); break;
                    case "--date":
                        var date = Next();
                        o.Date = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                            ? date
                            : throw new ArgumentException($"--date needs YYYY-MM-DD, not \"{date}\".");
                        break;
                    case "--no-write": o.Write = false; break;
                    case "--keep": o.Keep = true; break;
                    case "--intake-only": o.IntakeOnly = true; break;
                    case "--postgres": o.Postgres = true; break;
                    case "--env":
                        var pair = Next();
                        var eq = pair.IndexOf('=', StringComparison.Ordinal);
                        if (eq <= 0) throw new ArgumentException($"--env needs NAME=VALUE, not \"{pair}\".");
                        o.ServerEnvironment[pair[..eq]] = pair[(eq + 1)..];
                        break;
                    default: throw new ArgumentException($"Unknown option {args[i]}.");
                }
            }
            catch (ArgumentException e)
            {
                error = e.Message;
                return null;
            }
        }
        if (o.Threads > o.Connections) error = "--threads cannot exceed --connections (wrk needs a connection per thread).";
        else if (o.Postgres && o.Scenario != "intake") error = "--postgres is an option of intake only.";
        return error is null ? o : null;
    }
}
