using Microsoft.Playwright;

namespace Collect.Tests.Browser;

/// <summary>
/// One Collect server on loopback Kestrel and one headless Debian chromium, shared by a test class.
/// Every step has a time limit, so a hung browser or server fails the test instead of stalling the run.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    /// <summary>
    /// For one browser action or assertion. Generous: the whole suite runs its classes in parallel on two cores (real
    /// sshd, vsftpd, PostgreSQL and qemu included), and a page load then took over 15 s now and then.
    /// </summary>
    public const float ActionTimeoutMs = 30_000;
    /// <summary>For starting the server, the Playwright driver or the browser; launch gets its own, shorter limit.</summary>
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(40);
    private const float LaunchTimeoutMs = 30_000;
    private static readonly TimeSpan ShutdownLimit = TimeSpan.FromSeconds(15);

    private readonly KestrelCollectFactory _factory = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Browser tests need Debian's chromium at {ChromiumPath}, which is missing. Run ./test.sh once: it installs " +
                "chromium with apt-get (Playwright never downloads a browser here).");

        BaseAddress = await WithinStartupLimit(Task.Run(_factory.Start), "Starting Collect on Kestrel");
        // The Playwright driver (node and its package) ships in the NuGet package under .playwright; no `playwright install`.
        _playwright = await WithinStartupLimit(Playwright.CreateAsync(), "Starting the Playwright driver");
        _browser = await WithinStartupLimit(_playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            Timeout = LaunchTimeoutMs,
        }), $"Launching {ChromiumPath}");
        Assertions.SetDefaultExpectTimeout(ActionTimeoutMs);
    }

    /// <summary>A fresh browser context (its own cookies) with relative URLs resolved against the server.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await _browser!.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new() { Width = 1440, Height = 900 },
            ColorScheme = ColorScheme.Light,
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        return context;
    }

    private static async Task<T> WithinStartupLimit<T>(Task<T> task, string step)
    {
        try
        {
            return await task.WaitAsync(StartupLimit);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"{step} took longer than {StartupLimit.TotalSeconds:0} s.");
        }
    }

    /// <summary>
    /// Prerendered HTML looks like the live page but ignores clicks. Blazor's interactive renderer marks component
    /// boundaries with empty comments (<c>&lt;!--!--&gt;</c>), which prerendering never writes, so one inside the
    /// element shows it now comes from the Blazor Server circuit.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page, string selector) =>
        page.WaitForFunctionAsync("""
            selector => {
                const root = document.querySelector(selector);
                if (!root) return false;
                const comments = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
                while (comments.nextNode()) if (comments.currentNode.data === '!') return true;
                return false;
            }
            """, selector);

    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("[data-test=login-submit]").ClickAsync();
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public async Task DisposeAsync()
    {
        try
        {
            if (_browser is not null) await _browser.CloseAsync().WaitAsync(ShutdownLimit);
        }
        finally
        {
            _playwright?.Dispose();
            await _factory.DisposeAsync().AsTask().WaitAsync(ShutdownLimit);
        }
    }
}
