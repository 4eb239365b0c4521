using System.Net;
using Collect.Core.Access;
using Collect.Core.Jobs;
using Collect.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Api;

public sealed class JobsTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    [Fact]
    public async Task The_jobs_dashboard_sends_anonymous_visitors_to_sign_in()
    {
        var response = await factory.Anonymous().GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task The_jobs_dashboard_refuses_non_admins()
    {
        await factory.CreateUserAsync("not-admin", "User-Passw0rd!");
        var (client, _) = await factory.PostLoginAsync("not-admin", "User-Passw0rd!");

        var response = await client.GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task The_jobs_dashboard_opens_for_admins_from_any_address()
    {
        var (client, _) = await factory.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword, remoteIp: "203.0.113.9");

        var response = await client.GetAsync("/jobs/recurring");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(RetentionJob.RecurringId, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_retention_job_is_registered_as_recurring_at_start_up()
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();

        var jobs = connection.GetRecurringJobs();

        Assert.Contains(jobs, j => j.Id == RetentionJob.RecurringId && j.Job.Type == typeof(RetentionJob));
    }

    [Fact]
    public async Task Retention_prunes_login_history_and_access_logs_older_than_the_setting()
    {
        var now = factory.Clock.GetUtcNow();
        await factory.WithDbAsync(async db =>
        {
            db.LoginAttempts.AddRange(
                new LoginAttempt { UserName = "old-login", Outcome = LoginOutcomes.Failed, CreatedAt = now.AddDays(-91) },
                new LoginAttempt { UserName = "recent-login", Outcome = LoginOutcomes.Failed, CreatedAt = now.AddDays(-89) });
            db.ApiRequestLogs.AddRange(
                new ApiRequestLog { UserId = 1, Method = "GET", Endpoint = "/api/old", CreatedAt = now.AddDays(-31) },
                new ApiRequestLog { UserId = 1, Method = "GET", Endpoint = "/api/recent", CreatedAt = now.AddDays(-29) });
            return await db.SaveChangesAsync();
        });

        var outcome = await factory.Services.GetRequiredService<RetentionJob>().PruneLogsAsync();

        Assert.True(outcome.LoginAttemptsDeleted >= 1);
        Assert.True(outcome.ApiRequestLogsDeleted >= 1);
        var logins = await factory.WithDbAsync(db => db.LoginAttempts.Select(a => a.UserName).ToListAsync());
        var requests = await factory.WithDbAsync(db => db.ApiRequestLogs.Select(l => l.Endpoint).ToListAsync());
        Assert.DoesNotContain("old-login", logins);
        Assert.Contains("recent-login", logins);
        Assert.DoesNotContain("/api/old", requests);
        Assert.Contains("/api/recent", requests);
    }
}
