using System.Reflection;
using System.Text.Json.Serialization;
using Collect.Web.Auth;

namespace Collect.Web.Api;

public sealed record VersionView(
    [property: JsonPropertyName("app_version")] string AppVersion,
    [property: JsonPropertyName("updateAvailable")] int UpdateAvailable,
    [property: JsonPropertyName("updateVersion")] string UpdateVersion);

internal static class SystemApi
{
    public static readonly string AppVersion =
        typeof(SystemApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system").WithTags("System").RequireAuthorization();
        group.MapGet("/version", GetVersion).RequirePermission("system.version").WithSummary("The running Collect version");
        return app;
    }

    // No update channel exists yet, so the running version is the newest known one.
    private static Ok<Envelope<VersionView>> GetVersion() =>
        TypedResults.Ok(new Envelope<VersionView>(new VersionView(AppVersion, 0, AppVersion)));
}
