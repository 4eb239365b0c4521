using Collect.Core;
using Collect.Core.Data;
using Collect.Web;
using Collect.Web.Api;
using Collect.Web.Auth;
using Collect.Web.Components;
using Collect.Web.Jobs;

// `restore <archive>` brings data back from a backup instead of starting the web host.
if (args is ["restore", ..])
{
    Environment.ExitCode = await Collect.Web.Backups.RestoreCommand.RunAsync(args[1..]);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddCollectCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddCollectAuth();
builder.Services.AddCollectApi(builder.Configuration);
builder.Services.AddCollectJobs(builder.Configuration);
builder.Services.AddCollectUi();

var app = builder.Build();

// Hangfire's storage (its PostgreSQL schema with several nodes) is prepared under the same start-up lock.
await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(underLock: () => app.Services.GetRequiredService<Hangfire.JobStorage>());

app.UseCollectErrors();
app.UseCollectAssets();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseCollectApiPipeline();
app.UseAntiforgery();

app.MapCollectApi();
app.MapAccountEndpoints();
app.MapCollectJobs();
app.MapCollectUi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
