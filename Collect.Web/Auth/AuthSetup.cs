using Microsoft.AspNetCore.DataProtection;
using Collect.Core.Access;
using Collect.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Collect.Web.Auth;

public static class AuthSetup
{
    public const string PolicyScheme = "Collect";

    /// <summary>Identity with cookies for the UI, bearer tokens for scripts, one policy scheme picking between them.</summary>
    public static IServiceCollection AddCollectAuth(this IServiceCollection services)
    {
        // The key ring lives in the database: sign-in cookies survive a restart and are valid on every node.
        services.AddDataProtection().SetApplicationName("Collect").PersistKeysToDbContext<CollectDbContext>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = PolicyScheme;
                options.DefaultChallengeScheme = PolicyScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(PolicyScheme, "Cookie or bearer token", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? ApiTokenAuthenticationHandler.SchemeName
                        : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(options =>
            {
                options.Cookie.Name = "collect.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/access-denied";
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                // The API answers 401/403 in its own shape instead of redirecting to the login page.
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = ValidatePrincipalAsync;
            }));

        services.AddIdentityCore<CollectUser>(options =>
            {
                options.User.RequireUniqueEmail = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<CollectDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<CollectClaimsFactory>()
            .AddDefaultTokenProviders();

        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // Re-issuing the cookie must not end an impersonation.
            o.OnRefreshingPrincipal = context =>
            {
                var impersonator = context.CurrentPrincipal?.FindFirst(CollectClaims.Impersonator);
                if (impersonator is not null && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                    identity.AddClaim(new System.Security.Claims.Claim(CollectClaims.Impersonator, impersonator.Value));
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(CollectClaims.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(CollectClaims.Level, RoleLevels.Admin));
        return services;
    }

    /// <summary>
    /// Besides Identity's security-stamp check, a cookie stops working as soon as its account, or any owner above it,
    /// is disabled or deleted.
    /// </summary>
    private static async Task ValidatePrincipalAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal?.UserId() is not { } userId) return;
        var access = context.HttpContext.RequestServices.GetRequiredService<AccessResolver>();
        if (await access.GetProfileAsync(userId, context.HttpContext.RequestAborted) is not null) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
