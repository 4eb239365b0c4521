namespace Collect.Core.Access;

/// <summary>Who is acting, from where and through which surface. Resolved once per request or circuit.</summary>
public sealed record Actor(
    int UserId,
    string UserName,
    string RoleType,
    string? Ip = null,
    string Source = ActivitySources.Web,
    int? ImpersonatorId = null,
    string? Endpoint = null,
    string? Method = null)
{
    public bool IsAdmin => RoleType == RoleTypes.Admin;

    /// <summary>Collect itself, for recurring jobs and start-up work.</summary>
    public static Actor System { get; } = new(0, "system", RoleTypes.Admin, Source: ActivitySources.System);
}

public static class ActivitySources
{
    public const string Web = "web";
    public const string Api = "api";
    public const string System = "system";
}
