using System.Text.Json;
using Microsoft.Playwright;

namespace Collect.Bench;

internal sealed record PageResult(
    string Path, string? Missing, Samples FirstRow, Samples Interactive, int RowsAtFirstRender, bool Prerendered, int? Status,
    IReadOnlyDictionary<string, Samples> Phases, double ServerCpuMsPerLoad, double OthersShare);

/// <summary>
/// Loads a page in Debian's headless chromium (never a downloaded browser) and times, from the navigation's start
/// (performance.timeOrigin), the first frame in which a seeded server row is visible, and the first frame in which
/// the grid comes from the live Blazor circuit. Each load is a new tab in one signed-in browser context, started when
/// the server is idle again after the previous one.
/// </summary>
internal static class PageBench
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private const float ActionTimeoutMs = 15_000;
    /// <summary>The first load also waits for the server to compile the page's code paths.</summary>
    private const float FirstRowTimeoutMs = 15_000;
    private const float InteractiveTimeoutMs = 10_000;

    /// <summary>
    /// Installed before any page script: a MutationObserver notes when a visible row holding a seeded server first exists
    /// (a [data-test=server-row], or any table row or ARIA row whose text has the seed's host marker), then takes the time
    /// in the next animation frame, which the browser only runs once render-blocking CSS is in. Chromium may still hold
    /// that frame back until its first contentful paint, so the measured time is the later of the two.
    /// A grid rendered by the interactive Blazor renderer carries its empty marker comments (&lt;!--!--&gt;), which
    /// prerendered HTML never has; the first frame with them is "interactive".
    /// </summary>
    private static readonly string InitScript = """
        (() => {
          const marker = "__MARKER__";
          const state = window.__collectBench = { firstRow: null, interactive: null, rows: 0, prerendered: null };
          const rows = () => Array.from(document.querySelectorAll('[data-test=server-row], tbody tr, [role=row]'))
            .filter(el => (el.matches('[data-test=server-row]') || el.textContent.includes(marker)) &&
                          el.checkVisibility({ opacityProperty: true, visibilityProperty: true }));
          const live = row => {
            const root = row.closest('table, [role=grid], [data-test=server-grid]') || row.parentElement || row;
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
            while (walker.nextNode()) if (walker.currentNode.data === '!') return true;
            return false;
          };
          let firstPending = false, livePending = false;
          const check = () => {
            if (state.firstRow === null && !firstPending) {
              const found = rows();
              if (found.length === 0) return;
              firstPending = true;
              const isLive = live(found[0]);
              requestAnimationFrame(() => {
                state.firstRow = performance.now();
                state.rows = found.length;
                state.prerendered = !isLive;
                if (isLive) state.interactive = state.firstRow;
              });
            } else if (state.firstRow !== null && state.interactive === null && !livePending) {
              const found = rows();
              if (found.length === 0 || !live(found[0])) return;
              livePending = true;
              requestAnimationFrame(() => { state.interactive = performance.now(); });
            }
          };
          new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
        })();
        """.Replace("__MARKER__", Seeder.HostMarker);

    /// <summary>Milestones of the load from navigation start, read once the grid is live; absent ones are left out.</summary>
    private const string PhasesScript = """
        () => {
          const nav = performance.getEntriesByType('navigation')[0];
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          const negotiate = performance.getEntriesByType('resource').find(e => e.name.includes('/_blazor/negotiate'));
          const phases = {
            ttfb: nav && nav.responseStart, html: nav && nav.responseEnd, firstContentfulPaint: paint && paint.startTime,
            domContentLoaded: nav && nav.domContentLoadedEventEnd, circuitNegotiated: negotiate && negotiate.responseEnd,
          };
          for (const key of Object.keys(phases)) if (!(phases[key] > 0)) delete phases[key];
          return phases;
        }
        """;

    /// <summary>The requests of a load: path, start and end from navigation start, bytes over the wire (0: from the cache).</summary>
    private const string ResourcesScript = """
        () => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
          .sort((a, b) => a.startTime - b.startTime)
          .map(e => `${new URL(e.name).pathname} ${Math.round(e.startTime)}–${Math.round(e.responseEnd)} ms ${e.transferSize} B`).join('; ')
        """;

    public static async Task<PageResult> RunAsync(Uri baseAddress, int serverPid, string userName, string password, string path, int warmup, int loads,
        Action<string> say, CancellationToken ct)
    {
        // Read before the browser closes: its processes end then, and the time of those nobody waits for is no longer ours to see.
        var others = new ProcessCpu.OthersMeter();
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"The page measurement needs Debian's chromium at {ChromiumPath} (apt-get install chromium); Playwright never downloads a browser here.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            Timeout = 30_000,
        });
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = 1440, Height = 900 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);

        await SignInAsync(context, baseAddress, userName, password);
        await context.AddInitScriptAsync(InitScript);

        var firstRows = new List<double>();
        var interactive = new List<double>();
        var phases = new Dictionary<string, List<double>>();
        var rowsAtFirst = 0;
        var prerendered = false;
        var cpu = double.NaN;
        string? lastResources = null;
        for (var i = 0; i < warmup + loads; i++)
        {
            // Each load meets an idle server, as one user opening the page would: the last tab's circuit has wound down.
            await ProcessCpu.WaitIdleAsync(serverPid, TimeSpan.FromSeconds(3), ct, TimeSpan.FromMilliseconds(300));
            if (i == warmup) cpu = ProcessCpu.Milliseconds(serverPid);
            var page = await context.NewPageAsync();
            try
            {
                var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit });
                var status = response?.Status;
                if (status is 404 or >= 500 || page.Url.Contains("/account/login", StringComparison.Ordinal))
                    return Missing(path, status, page.Url.Contains("/account/login", StringComparison.Ordinal)
                        ? "the page sent the signed-in admin to the sign-in page"
                        : $"the page answered HTTP {status}");
                double first;
                try
                {
                    var handle = await page.WaitForFunctionAsync("() => window.__collectBench && window.__collectBench.firstRow",
                        null, new() { Timeout = i == 0 ? FirstRowTimeoutMs : ActionTimeoutMs });
                    first = await handle.JsonValueAsync<double>();
                }
                catch (TimeoutException)
                {
                    return Missing(path, status, $"no visible row with a seeded server (\"{Seeder.HostMarker}…\" or [data-test=server-row]) appeared within " +
                        $"{(i == 0 ? FirstRowTimeoutMs : ActionTimeoutMs) / 1000:0} s of load {i + 1}");
                }
                double? live = null;
                try
                {
                    var handle = await page.WaitForFunctionAsync("() => window.__collectBench.interactive", null, new() { Timeout = InteractiveTimeoutMs });
                    live = await handle.JsonValueAsync<double>();
                }
                catch (TimeoutException)
                {
                }
                if (i < warmup) continue;
                var loadPhases = (await page.EvaluateAsync<JsonElement>(PhasesScript)).EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble());
                // The frame that first had the row may still be held back from the screen (Chromium shows nothing before the
                // first contentful paint); a row already laid out then is painted in that first contentful frame.
                if (loadPhases.TryGetValue("firstContentfulPaint", out var fcp)) first = Math.Max(first, fcp);
                firstRows.Add(first);
                if (live is { } l) interactive.Add(Math.Max(l, first));
                var state = await page.EvaluateAsync<JsonElement>("() => window.__collectBench");
                rowsAtFirst = state.GetProperty("rows").GetInt32();
                prerendered = state.GetProperty("prerendered").GetBoolean();
                foreach (var (name, value) in loadPhases)
                {
                    if (!phases.TryGetValue(name, out var list)) phases[name] = list = [];
                    list.Add(value);
                }
                if (i == warmup + loads - 1) lastResources = await page.EvaluateAsync<string>(ResourcesScript);
            }
            finally
            {
                await page.CloseAsync();
            }
        }
        // What the last tab's circuit does after closing belongs to that load too.
        await ProcessCpu.WaitIdleAsync(serverPid, TimeSpan.FromSeconds(3), ct, TimeSpan.FromMilliseconds(300));
        cpu = ProcessCpu.Milliseconds(serverPid) - cpu;
        say(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"  last load's requests: {lastResources}"));
        say(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"  first row visible, each load in order (ms): {string.Join(", ", firstRows.Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}"));
        return new PageResult(path, null, new Samples(firstRows), new Samples(interactive), rowsAtFirst, prerendered, 200,
            phases.ToDictionary(p => p.Key, p => new Samples(p.Value)), cpu / loads, others.Share());
    }

    private static PageResult Missing(string path, int? status, string why) =>
        new(path, why, new Samples([]), new Samples([]), 0, false, status, new Dictionary<string, Samples>(), double.NaN, double.NaN);

    private static async Task SignInAsync(IBrowserContext context, Uri baseAddress, string userName, string password)
    {
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/account/login");
            await page.Locator("#username").FillAsync(userName);
            await page.Locator("#password").FillAsync(password);
            await page.Locator("[data-test=login-submit]").ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = ActionTimeoutMs });
            var cookies = await context.CookiesAsync([baseAddress.ToString()]);
            if (cookies.Count == 0) throw new InvalidOperationException($"Signing in as {userName} set no cookie (now at {page.Url}).");
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"Signing in as {userName} did not leave /account/login: {e.Message}");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
