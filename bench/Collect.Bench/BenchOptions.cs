using System.Globalization;

namespace Collect.Bench;

/// <summary>Command-line settings; the defaults are the ones the results in bench/results were measured with.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/Collect.Bench -- servers|subnets [options]

          servers              the server list: GET /api/servers?per_page=50 and the /servers page, 10,000 servers
          subnets              IP management: next free address in a /8 and an IPv6 /32, 10,000 assignments, listFreeIps,
                               a /48 split into 65,536 /64s
        options:
          --servers N          servers to seed (10000; subnets: servers created to assign to, 100)
          --requests N         measured API requests per scenario (500; subnets: next-free and listFreeIps repeats, 200)
          --warmup N           API warm-up requests per scenario (50)
          --jit-warmup N       requests per list URL before any scenario, to reach steady-state JIT (500; subnets: warm-up
                               requests per call shape on scratch subnets, 100)
          --addresses N        subnets: addresses assigned by explicit lists (10000)
          --per-call N         subnets: addresses per explicit call, at most 1000 (100)
          --next-free N        subnets: single next-free assignments after the explicit ones (1000)
          --children N         subnets: /64 children the /48 split creates, at most 65536 (65536)
          --date YYYY-MM-DD    subnets: the date in the results file's name and title (today, UTC)
          --clients N          concurrent clients for the concurrent scenarios (8)
          --loads N            measured page loads (20)
          --page-warmup N      page loads before measuring (2)
          --page PATH          the page to load (/servers)
          --no-browser         skip the page measurement
          --no-write           print only; do not write bench/results/servers-<date>.md
          --keep               keep the database and the server log in /tmp
          --env NAME=VALUE     extra environment for the Collect process, e.g. DOTNET_gcServer=0 (repeatable)
        """;

    public string Scenario { get; private init; } = "";
    public int Servers { get; private set; } = 10_000;
    public int Requests { get; private set; } = 500;
    public int Warmup { get; private set; } = 50;
    public int JitWarmup { get; private set; } = 500;
    public int Clients { get; private set; } = 8;
    public int Loads { get; private set; } = 20;
    public int PageWarmup { get; private set; } = 2;
    public string PagePath { get; private set; } = "/servers";
    public int Addresses { get; private set; } = 10_000;
    public int PerCall { get; private set; } = 100;
    public int NextFreeRun { get; private set; } = 1_000;
    public int Children { get; private set; } = 65_536;
    public bool Browser { get; private set; } = true;
    public bool Write { get; private set; } = true;
    public bool Keep { get; private set; }
    public Dictionary<string, string> ServerEnvironment { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<string> Arguments { get; private init; } = [];
    /// <summary>The date that names the results file (subnets); today in UTC unless --date gives another.</summary>
    public string Date { get; private set; } = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The command line as a results file shows it: --date only names the file, so it is left out.</summary>
    public string CommandLine
    {
        get
        {
            var kept = new List<string>();
            for (var i = 0; i < Arguments.Count; i++)
            {
                if (Arguments[i] == "--date") i++;
                else kept.Add(Arguments[i]);
            }
            return string.Join(' ', kept);
        }
    }

    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help") return null;
        if (args[0] is not ("servers" or "subnets"))
        {
            error = $"Unknown benchmark \"{args[0]}\".";
            return null;
        }
        var o = new BenchOptions { Scenario = args[0], Arguments = args };
        if (o.Scenario == "subnets")
        {
            o.Servers = 100;
            o.Requests = 200;
            o.JitWarmup = 100;
        }
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min = 1)
            {
                var name = args[i];
                var text = Next();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v
                    : throw new ArgumentException($"{name} needs an integer of at least {min}, not \"{text}\".");
            }
            try
            {
                switch (args[i])
                {
                    case "--servers": o.Servers = Int(); break;
                    case "--requests": o.Requests = Int(); break;
                    case "--warmup": o.Warmup = Int(); break;
                    case "--jit-warmup": o.JitWarmup = Int(min: 0); break;
                    case "--clients": o.Clients = Int(); break;
                    case "--loads": o.Loads = Int(); break;
                    case "--page-warmup": o.PageWarmup = Int(); break;
                    case "--page": o.PagePath = Next(); break;
                    case "--addresses": o.Addresses = Int(); break;
                    case "--per-call": o.PerCall = Int(); break;
                    case "--next-free": o.NextFreeRun = Int(min: 0); break;
                    case "--children": o.Children = Int(); break;
                    case "--date":
                        var date = Next();
                        o.Date = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                            ? date
                            : throw new ArgumentException($"--date needs YYYY-MM-DD, not \"{date}\".");
                        break;
                    case "--no-browser": o.Browser = false; break;
                    case "--no-write": o.Write = false; break;
                    case "--keep": o.Keep = true; break;
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
        // The API assigns at most 1,000 addresses a call and a split creates at most 65,536 children; the rest bounds the run.
        if (o.PerCall > 1000) error = "--per-call is at most 1000 (the API's limit per call).";
        else if (o.Children > 65_536) error = "--children is at most 65536 (a split's limit).";
        else if (o.Addresses > 200_000) error = "--addresses is at most 200000.";
        else if (o.NextFreeRun > 10_000) error = "--next-free is at most 10000.";
        else if (o.Scenario == "subnets" && (o.Servers > 1_000 || o.Requests > 5_000)) error = "subnets: --servers is at most 1000 and --requests at most 5000.";
        return error is null ? o : null;
    }
}
