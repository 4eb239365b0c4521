namespace Collect.Core.Settings;

/// <summary>The <c>Collect</c> section of appsettings; every key is listed in appsettings.sample.json.</summary>
public sealed class CollectOptions
{
    public const string Section = "Collect";

    public AdminOptions Admin { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public JobsOptions Jobs { get; set; } = new();
    public ApiOptions Api { get; set; } = new();
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
