namespace Collect.Core.Access;

/// <summary>
/// Who is acting, from where and through which surface. Resolved once per request or circuit by
/// <see cref="AccessResolver"/>; services decide scope and permissions from it alone.
/// </summary>
public sealed record Actor(
    int UserId,
    string UserName,
    string Level,
    string? Ip = null,
    string Source = ActivitySources.Web,
    int? ImpersonatorId = null,
    string? Endpoint = null,
    string? Method = null)
{
    /// <summary>The account whose tenant scope applies: the user itself, or an alias user's parent.</summary>
    public int ScopeUserId { get; init; } = UserId;

    /// <summary>The scope account's path in the tenant tree ("/1/7/"); its subtree is what a reseller sees.</summary>
    public string? TreePath { get; init; }

    /// <summary>Effective permissions; null means every permission (an admin-level role).</summary>
    public IReadOnlySet<string>? Permissions { get; init; }

    /// <summary>For alias users limited to some servers: their ids; null means no limit.</summary>
    public IReadOnlyList<string>? AliasServerIds { get; init; }

    public bool IsAlias => ScopeUserId != UserId;

    /// <summary>Acts at admin level: sees every tenant.</summary>
    public bool IsAdmin => Level == RoleLevels.Admin;

    public bool Can(string permission) => Permissions is null ? IsAdmin : Permissions.Contains(permission);

    /// <summary>Collect itself, for recurring jobs and start-up work.</summary>
    public static Actor System { get; } = new(0, "system", RoleLevels.Admin, Source: ActivitySources.System);
}

public static class ActivitySources
{
    public const string Web = "web";
    public const string Api = "api";
    public const string System = "system";
}
