using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Collect.Core.Access;
using Collect.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Collect.Tests.Infrastructure;

/// <summary>
/// Collect on a temporary SQLite file, with the Hangfire server off, a clock the test moves, and helpers to act
/// as the admin (bearer token or browser cookie) or as other users.
/// </summary>
public class CollectWebFactory : WebApplicationFactory<Program>
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "Admin-Passw0rd!";
    public const string AdminToken = "test-admin-token-0123456789abcdef0123456789abcdef";
    /// <summary>Requests carrying this header appear to come from that address.</summary>
    public const string RemoteIpHeader = "X-Test-Remote-Ip";
    public const string UserAgent = "CollectTests/1.0";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "collect-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Starts on a whole second: PostgreSQL keeps microseconds, so times compare the same on both databases.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    public string DatabasePath => Path.Combine(_directory, "collect.db");

    /// <summary>
    /// With COLLECT_TEST_DATABASE=postgres every factory gets a fresh database on a PostgreSQL server the test run
    /// starts once (see <see cref="SharedPostgres"/>); otherwise a temporary SQLite file.
    /// </summary>
    public static bool OnPostgres { get; } = string.Equals(Environment.GetEnvironmentVariable("COLLECT_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase);

    protected virtual Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Collect"] = ConnectionString,
            ["Collect:Admin:Username"] = AdminUserName,
            ["Collect:Admin:Password"] = AdminPassword,
            ["Collect:Admin:ApiToken"] = AdminToken,
            ["Collect:Jobs:RunServer"] = "false",
        };
        if (OnPostgres) settings["Database:Provider"] = "Postgres";
        return settings;
    }

    private string? _connectionString;

    /// <summary>This factory's database: its SQLite file, or its own database on the shared PostgreSQL server.</summary>
    public string ConnectionString => _connectionString ??= OnPostgres ? SharedPostgres.CreateDatabase() : $"Data Source={DatabasePath}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Development");
        foreach (var (key, value) in Settings()) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(ServerErrors));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, RemoteIpStartupFilter>();
        });
    }

    /// <summary>What the server logged at error level, with exceptions: a test that sees a 500 says why.</summary>
    public ServerErrorLog ServerErrors { get; } = new();

    public HttpClient AdminApi() => ApiClient(AdminToken);

    public HttpClient ApiClient(string token, string? remoteIp = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (remoteIp is not null) client.DefaultRequestHeaders.Add(RemoteIpHeader, remoteIp);
        return client;
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<T> WithDbAsync<T>(Func<CollectDbContext, Task<T>> work)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<CollectDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await work(db);
    }

    /// <summary>Creates a user directly, as later issues' user API will.</summary>
    public async Task<CollectUser> CreateUserAsync(string userName, string password, int roleId = BuiltInRoles.User, int? ownerId = 1)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = new CollectUser { UserName = userName, Name = userName, RoleId = roleId, RootOwnerId = ownerId };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        var ownerPath = ownerId is null ? "/" : await WithDbAsync(db => db.Users.Where(u => u.Id == ownerId).Select(u => u.TreePath).SingleAsync());
        user.TreePath = UserScope.ChildPath(ownerPath, user.Id);
        await users.UpdateAsync(user);
        return user;
    }

    public async Task<string> CreateTokenAsync(int userId, string name = "test", List<string>? allowedHosts = null)
    {
        var tokens = Services.GetRequiredService<ApiTokenService>();
        var actor = new Actor(userId, "test", RoleLevels.Admin);
        var result = await tokens.CreateAsync(actor, userId, new ApiTokenInput(name, allowedHosts ?? []));
        return result.Value!.Secret;
    }

    /// <summary>Signs in through the login form like a browser; the client keeps the cookie.</summary>
    public async Task<(HttpClient Client, HttpResponseMessage Response)> PostLoginAsync(string userName, string password, string? remoteIp = null)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        if (remoteIp is not null) client.DefaultRequestHeaders.Add(RemoteIpHeader, remoteIp);
        var token = await AntiforgeryTokenAsync(client, "/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = userName,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        }));
        return (client, response);
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        if (!match.Success) match = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        if (!match.Success) throw new InvalidOperationException($"No antiforgery token on {page}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>The in-memory test server has no client address; give it one, or the one a test asks for.</summary>
    private sealed class RemoteIpStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, Func<Task> nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(RemoteIpHeader, out var ip) && IPAddress.TryParse(ip, out var address))
                    context.Connection.RemoteIpAddress = address;
                else context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return nextMiddleware();
            });
            next(app);
        };
    }
}
