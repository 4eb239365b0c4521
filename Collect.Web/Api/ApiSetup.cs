using Collect.Core.Data;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Collect.Web.Api;

public static class ApiSetup
{
    public static IServiceCollection AddCollectApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new UtcTimestampConverter());
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        // Binding failures become exceptions that ApiErrorMiddleware turns into documented 4xx answers.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(options => options
            .AddPagingParameters()
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Collect management API";
                document.Info.Version = SystemApi.AppVersion;
                return Task.CompletedTask;
            }));
        // Comment attachments: several files of up to 50 MB each in one form.
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = 512L * 1024 * 1024);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddHostedService<ApiRequestLogWriter>();
        return services;
    }

    /// <summary>Outermost: API errors in their documented shape; pages get a plain error page.</summary>
    public static WebApplication UseCollectErrors(this WebApplication app)
    {
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), branch => branch
            .UseExceptionHandler("/error", createScopeForErrors: true)
            .UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseStatusCodePages(async (Microsoft.AspNetCore.Diagnostics.StatusCodeContext context) =>
        {
            var http = context.HttpContext;
            if (!http.Request.Path.StartsWithSegments("/api") || http.Response.HasStarted) return;
            var status = http.Response.StatusCode;
            if (http.Request.Path.StartsWithSegments("/api/systems"))
            {
                // The systems API answers in the seeds' own envelope.
                var message = status switch { 401 => "invalid token", 403 => "insufficient permissions", 404 => "not found", 405 => "method not allowed", _ => ApiErrors.MessageFor(status) };
                await http.Response.WriteAsJsonAsync(new System.Text.Json.Nodes.JsonObject { ["code"] = status, ["message"] = message, ["data"] = new System.Text.Json.Nodes.JsonObject() }, ApiErrorMiddleware.JsonOptions);
                return;
            }
            await http.Response.WriteAsJsonAsync(new ErrorBody(ApiErrors.MessageFor(status)), ApiErrorMiddleware.JsonOptions);
        });
        return app;
    }

    /// <summary>After authentication: body limits and the per-user access log.</summary>
    public static WebApplication UseCollectApiPipeline(this WebApplication app)
    {
        app.UseMiddleware<ApiCrossSiteGuard>();
        app.UseMiddleware<ApiBodyLimitMiddleware>();
        app.UseMiddleware<ApiAccessLogMiddleware>();
        return app;
    }

    public static WebApplication MapCollectApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app).AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapPingApi();
        app.MapSystemApi();
        app.MapCurrentUserApi();
        app.MapTokensApi();
        app.MapSshKeysApi(); app.MapSsoApi();
        app.MapUsersApi();
        app.MapRolesApi();
        app.MapAccessApi();
        app.MapServersApi();
        app.MapServerDetailsApi();
        app.MapSubnetsApi();
        app.MapIpAssignmentsApi();
        app.MapIpApi();
        app.MapSystemsApi();
        app.MapHardwareApi();
        app.MapPxeApi();
        app.MapProvisioningApi();
        app.MapBrandsApi();
        app.MapBackupsApi();
        app.MapConfigItemsApi();
        app.MapActivityApi();
        app.MapSettingsApi();
        return app;
    }
}

/// <summary>Healthy when the database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<CollectDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("The database answers.")
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
