namespace Collect.Core.Settings;

/// <summary>The <c>Collect</c> section of appsettings; every key is listed in appsettings.sample.json.</summary>
public sealed class CollectOptions
{
    public const string Section = "Collect";

    public AdminOptions Admin { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public JobsOptions Jobs { get; set; } = new();
    public ApiOptions Api { get; set; } = new();
    public InventoryOptions Inventory { get; set; } = new();
    public ProvisioningOptions Provisioning { get; set; } = new();
    public BrandingOptions Branding { get; set; } = new();
    /// <summary>Where the shipped assets are (stock PXE templates, hwdetect); empty: wwwroot-assets beside the program.</summary>
    public string? AssetsDirectory { get; set; }

    public string AssetsPath => string.IsNullOrWhiteSpace(AssetsDirectory) ? Path.Combine(AppContext.BaseDirectory, "wwwroot-assets") : AssetsDirectory;
}

public sealed class BrandingOptions
{
    /// <summary>
    /// The provider's own host names, which resellers may not claim for a brand (the default brand's domain is always
    /// reserved too). Admins may still use them, e.g. to bind the default brand to one.
    /// </summary>
    public List<string> ReservedDomains { get; set; } = [];
}

public sealed class ProvisioningOptions
{
    /// <summary>How long a reinstallation's token works: the machine must boot and finish within this time.</summary>
    public int TokenHours { get; set; } = 6;
    /// <summary>
    /// The address booting machines use to reach Collect (e.g. http://10.0.0.5:5000). Empty: the address the
    /// request that started the installation came to.
    /// </summary>
    public string? PublicUrl { get; set; }
}

public sealed class AdminOptions
{
    public string Username { get; set; } = "admin";
    /// <summary>Empty: a password is generated on first start and printed once to the console.</summary>
    public string? Password { get; set; }
    public string? Email { get; set; }
    /// <summary>When set, first start also creates an admin API token with exactly this value.</summary>
    public string? ApiToken { get; set; }
}

public sealed class RetentionOptions
{
    public int LoginHistoryDays { get; set; } = 90;
    public int ApiRequestLogDays { get; set; } = 30;
}

public sealed class JobsOptions
{
    /// <summary>Run the Hangfire server in this process (tests turn it off and drive jobs directly).</summary>
    public bool RunServer { get; set; } = true;
    public string RetentionCron { get; set; } = "17 * * * *";
}

public sealed class ApiOptions
{
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;
    /// <summary>Request and response bodies kept in the access log are cut to this many characters.</summary>
    public int AccessLogBodyChars { get; set; } = 4096;
}

/// <summary>Agent inventory: intake limits, heartbeat, and the rules that name, classify and filter changes.</summary>
public sealed class InventoryOptions
{
    /// <summary>Bodies larger than this are refused with 413 before they are read.</summary>
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>A system is alive while its last heartbeat (or inventory) is younger than this.</summary>
    public int HeartbeatAliveMinutes { get; set; } = 15;
    /// <summary>How many records one processing batch takes.</summary>
    public int ProcessingBatchSize { get; set; } = 500;
    public string ProcessingCron { get; set; } = "* * * * *";
    public string RetentionCron { get; set; } = "41 3 * * *";
    /// <summary>Every record of the last this-many days is kept; older ones are thinned to one a day, week, then month.</summary>
    public int KeepAllDays { get; set; } = 7;
    /// <summary>Changes whose path matches one of these globs are noise and not recorded (* matches anything, dots included).</summary>
    public List<string> NoisePaths { get; set; } = [];
    /// <summary>Category of a change by path glob, first match wins; unmatched changes are "general".</summary>
    public List<PathRule> Categories { get; set; } = [];
    /// <summary>Severity of a change, first match wins (path glob, optional diff type and category); unmatched changes are "low".</summary>
    public List<PathRule> Severities { get; set; } = [];
}

public sealed class PathRule
{
    public string Path { get; set; } = "*";
    public string? DiffType { get; set; }
    public string? Category { get; set; }
    public string? Severity { get; set; }
}
