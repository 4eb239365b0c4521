using Collect.Core.Backups;
using Collect.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Api;

/// <summary>
/// Several Collect hosts in one process (the tests; two nodes in the scale-out test) each keep their own Hangfire
/// storage and run jobs with their own services, whatever other hosts started or stopped meanwhile.
/// </summary>
public sealed class JobHostsTests
{
    [Fact]
    public async Task A_host_keeps_its_own_job_storage_and_activator_when_another_host_starts_after_it()
    {
        using var first = new CollectWebFactory();
        _ = first.Services;
        using var second = new CollectWebFactory();
        _ = second.Services;

        var storage = first.Services.GetRequiredService<JobStorage>();
        Assert.NotSame(second.Services.GetRequiredService<JobStorage>(), storage);
        // A job the first host runs gets the first host's services, not those of the host configured last.
        using var scope = first.Services.GetRequiredService<JobActivator>().BeginScope((JobActivatorContext)null!);
        Assert.Same(first.Services.GetRequiredService<BackupRunner>(), scope.Resolve(typeof(BackupRunner)));

        var response = await first.AdminApi().PostAsync("/api/system/backups/create", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync() + first.ServerErrors.Describe());
        Assert.Contains(storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100), j => j.Value.Job.Type == typeof(BackupRunner));
    }

    [Fact]
    public async Task A_host_still_enqueues_jobs_after_another_host_in_the_process_stopped()
    {
        using var first = new CollectWebFactory();
        _ = first.Services;
        var second = new CollectWebFactory();
        _ = second.Services;
        second.Dispose();

        var response = await first.AdminApi().PostAsync("/api/system/backups/create", null);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync() + first.ServerErrors.Describe());
    }
}
