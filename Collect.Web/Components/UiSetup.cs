using Collect.Core.Access;
using Collect.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;

namespace Collect.Web.Components;

public static class UiSetup
{
    public static IServiceCollection AddCollectUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        services.AddScoped<CircuitClient>();
        services.AddScoped<UserDates>();
        services.AddScoped<CircuitSettings>();
        services.AddScoped<Shared.Branding.BrandContext>();
        return services;
    }

    /// <summary>wwwroot-assets (default logos, favicon, later OS logos and stock templates) under /assets.</summary>
    public static WebApplication UseCollectAssets(this WebApplication app)
    {
        var path = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "wwwroot-assets"),
            Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, "..", "wwwroot-assets")),
        }.FirstOrDefault(Directory.Exists);
        if (path is not null)
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(path), RequestPath = "/assets" });
        return app;
    }

    public static WebApplication MapCollectUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

/// <summary>
/// Signs a circuit out when its user is deleted or disabled, or an owner above it is disabled. The security stamp is left to the cookie's own
/// validator: a circuit changes the stamp itself (password, 2FA) and re-issues its cookie at once.
/// </summary>
internal sealed class RevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, AccessResolver access)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        var userId = Collect.Web.Auth.CollectClaims.UserId(state.User);
        return userId is not null && await access.GetProfileAsync(userId.Value, cancellationToken) is not null;
    }
}
