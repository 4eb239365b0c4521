using Collect.Core.Jobs;
using Collect.Core.Settings;
using Collect.Web.Auth;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace Collect.Web.Jobs;

/// <summary>
/// Hangfire drives background work. Its storage is in memory, so a job is never the only record of
/// work: the work item lives in Collect's database and recurring jobs are registered at every start.
/// </summary>
public static class JobsSetup
{
    public static IServiceCollection AddCollectJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());
        var runServer = configuration.GetValue($"{CollectOptions.Section}:Jobs:RunServer", true);
        if (runServer)
            services.AddHangfireServer(options => options.WorkerCount = Math.Max(2, Environment.ProcessorCount));
        services.AddHostedService<RecurringJobsRegistration>();
        return services;
    }

    /// <summary>The dashboard at /jobs: anonymous visitors are sent to sign in, non-admins are refused.</summary>
    public static WebApplication MapCollectJobs(this WebApplication app)
    {
        app.MapHangfireDashboard("/jobs", new DashboardOptions
            {
                Authorization = [new AdminOnlyDashboardFilter()],
                DisplayStorageConnectionString = false,
                AppPath = "/",
                DashboardTitle = "Collect jobs",
            })
            .RequireAuthorization(CollectClaims.AdminPolicy);
        return app;
    }
}

/// <summary>Hangfire's default filter admits local requests only; Collect admits admins from anywhere, nobody else.</summary>
internal sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.HasClaim(CollectClaims.Level, Collect.Core.Access.RoleLevels.Admin);
    }
}

/// <summary>Registers every recurring job at start-up, since in-memory storage forgets them on restart.</summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager jobs, IOptions<CollectOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, job => job.PruneLogsAsync(CancellationToken.None), options.Value.Jobs.RetentionCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
