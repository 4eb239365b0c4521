using Collect.Core.Data;
using Collect.Core.Jobs;
using Collect.Core.Systems;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Collect.Core.Settings;
using Collect.Web.Auth;
using Hangfire;
using Hangfire.PostgreSql;
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
        // One node keeps Hangfire in memory (Collect's own tables hold the work); several nodes share one queue in
        // PostgreSQL, so a job runs on one node and a recurring job once per period, not once per node.
        var postgres = DatabaseProviders.From(configuration) == DatabaseProvider.Postgres ? DatabaseProviders.PostgresConnectionString(configuration) : null;
        // Each host owns its storage and activator. AddHangfire alone would hand every host the process-wide
        // JobStorage.Current and JobActivator.Current, i.e. whichever host configured Hangfire last: with several hosts in
        // one process (the tests) a host then enqueued into another's storage, failing once that host disposed it.
        services.AddSingleton<JobStorage>(_ => postgres is null
            ? new Hangfire.InMemory.InMemoryStorage()
            : CreatePostgresStorage(postgres));
        services.AddSingleton<JobActivator>(provider => new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>())));
        var runServer = configuration.GetValue($"{CollectOptions.Section}:Jobs:RunServer", true);
        var pollingSeconds = Math.Clamp(configuration.GetValue($"{CollectOptions.Section}:Jobs:SchedulePollingSeconds", 15), 1, 3600);
        if (runServer)
            services.AddHangfireServer(options =>
            {
                options.WorkerCount = Math.Max(2, Environment.ProcessorCount);
                options.SchedulePollingInterval = TimeSpan.FromSeconds(pollingSeconds);
            });
        services.AddHostedService<RecurringJobsRegistration>();
        services.Replace(ServiceDescriptor.Singleton<IInventoryProcessingTrigger, HangfireInventoryTrigger>());
        services.Replace(ServiceDescriptor.Singleton<Collect.Core.Hardware.IHardwareProcessingTrigger, HangfireHardwareTrigger>());
        services.Replace(ServiceDescriptor.Singleton<Collect.Core.Backups.IBackupTrigger, HangfireBackupTrigger>());
        services.AddHostedService<BackupJobsRegistration>();
        return services;
    }

    private static JobStorage CreatePostgresStorage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire" };
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
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
internal sealed class RecurringJobsRegistration(IRecurringJobManager jobs, IOptions<CollectOptions> options, IInventoryProcessingTrigger inventory,
    Collect.Core.Hardware.IHardwareProcessingTrigger hardware) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, job => job.PruneLogsAsync(CancellationToken.None), options.Value.Jobs.RetentionCron);
        jobs.AddOrUpdate<InventoryProcessingJob>(InventoryProcessor.RecurringId, job => job.RunAsync(), options.Value.Inventory.ProcessingCron);
        jobs.AddOrUpdate<InventoryRetentionJob>(InventoryRetentionJob.RecurringId, job => job.ThinAsync(CancellationToken.None), options.Value.Inventory.RetentionCron);
        // Start-up sweep: anything accepted before a restart and not yet processed is processed now.
        inventory.Kick();
        hardware.Kick();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Coalesces processing requests: however many uploads arrive, at most one processing job waits in the queue; a
/// running job picks up whatever arrived before it looked. The records in the database are the queue, so a lost job
/// loses nothing (the recurring run and the start-up sweep pick them up).
/// </summary>
internal sealed class HangfireInventoryTrigger(IBackgroundJobClient jobs) : IInventoryProcessingTrigger
{
    private int _queued;

    public void Kick()
    {
        if (Interlocked.Exchange(ref _queued, 1) == 0) jobs.Enqueue<InventoryProcessingJob>(job => job.RunAsync());
    }

    /// <summary>Called by the job as it starts: uploads from now on need another run.</summary>
    public void Started() => Interlocked.Exchange(ref _queued, 0);
}

public sealed class InventoryProcessingJob(InventoryProcessor processor, IInventoryProcessingTrigger trigger)
{
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync()
    {
        (trigger as HangfireInventoryTrigger)?.Started();
        await processor.RunAsync();
    }
}

/// <summary>Hardware reports are few; each kick enqueues a run that processes whatever is pending.</summary>
internal sealed class HangfireHardwareTrigger(IBackgroundJobClient jobs) : Collect.Core.Hardware.IHardwareProcessingTrigger
{
    public void Kick() => jobs.Enqueue<Collect.Core.Hardware.ServerHardwareService>(service => service.ProcessReportsAsync(CancellationToken.None));
}

/// <summary>Each accepted backup task gets its own job; the task row, not the job, is the record of the work.</summary>
internal sealed class HangfireBackupTrigger(IBackgroundJobClient jobs) : Collect.Core.Backups.IBackupTrigger
{
    public void Start(int taskId) => jobs.Enqueue<Collect.Core.Backups.BackupRunner>(runner => runner.RunAsync(taskId, CancellationToken.None));
}

/// <summary>
/// The backup schedule (Collect:Backups:Schedule, daily by default; empty turns it off) and the start-up sweep: a task a
/// previous process left running is marked failed, and pending ones are started again.
/// </summary>
internal sealed class BackupJobsRegistration(IRecurringJobManager jobs, Collect.Core.Backups.BackupService backups, IOptions<Collect.Core.Backups.BackupOptions> options)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schedule = options.Value.Schedule?.Trim();
        if (string.IsNullOrEmpty(schedule)) jobs.RemoveIfExists(Collect.Core.Backups.BackupRunner.RecurringId);
        else
        {
            try
            {
                jobs.AddOrUpdate<Collect.Core.Backups.BackupRunner>(Collect.Core.Backups.BackupRunner.RecurringId,
                    runner => runner.RunScheduledAsync(CancellationToken.None), schedule);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException($"Collect:Backups:Schedule \"{schedule}\" is not a cron expression: {ex.Message}", ex);
            }
        }
        await backups.RecoverAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
