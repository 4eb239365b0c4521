using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Collect.Core;
using Collect.Core.Access;
using Collect.Core.Data;
using Collect.Web.Auth;
using Collect.Web.Components.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Collect.Tests.Components;

/// <summary>
/// bunit with MudBlazor, test authorization and Collect's real Core services over a temporary SQLite file.
/// The database is created on the first sign-in, so a test can still register services before that.
/// </summary>
public abstract class ShellTestContext : BunitContext, IAsyncLifetime
{
    public const string AdminUserName = "admin";
    private const string Password = "Shell-Passw0rd";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "collect-tests", "components-" + Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;
    private bool _databaseReady;

    protected ShellTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();

        _connectionString = $"Data Source={Path.Combine(_directory, "collect.db")}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Collect"] = _connectionString,
            ["Collect:Admin:Username"] = AdminUserName,
            ["Collect:Admin:Password"] = Password,
        }).Build();
        Services.AddCollectCore(configuration, _directory);
        // Identity as the app sets it up: the initializer creates the admin, and sign-in claims come from its factory.
        Services.AddCollectAuth();
        Services.AddScoped<CircuitClient>();
        Services.AddScoped<UserDates>();
        Services.AddScoped<CircuitSettings>();
        // Last, so bunit's authentication state provider wins over anything registered above.
        Auth = AddAuthorization();
    }

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>Signs in as the admin that a fresh database starts with.</summary>
    protected async Task<Actor> SignInAsAdminAsync()
    {
        await EnsureDatabaseAsync();
        return await SignInAsync(AdminUserName);
    }

    /// <summary>Signs in with the claims Collect's own claims factory gives this user at login.</summary>
    protected async Task<Actor> SignInAsync(string userName)
    {
        await EnsureDatabaseAsync();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user {userName}");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<CollectUser>>().CreateAsync(user);

        Auth.SetAuthorized(userName);
        Auth.SetClaims(principal.Claims.Where(c => c.Type != ClaimTypes.Name).ToArray());
        // As Routes does for a circuit: dates are written in the signed-in user's zone and format.
        await Services.GetRequiredService<UserDates>().LoadAsync();
        return principal.ToActor(null, ActivitySources.Web) ?? throw new InvalidOperationException("The principal has no user id.");
    }

    /// <summary>Signs in as someone whose role type is given, without a database, for components that only read claims.</summary>
    protected void SignInWithRoleType(string userName, string roleType)
    {
        Auth.SetAuthorized(userName);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "42"), new Claim(CollectClaims.Level, roleType));
    }

    protected async Task<CollectUser> CreateUserAsync(string userName, int roleId = BuiltInRoles.User)
    {
        await EnsureDatabaseAsync();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = new CollectUser { UserName = userName, Name = userName, RoleId = roleId, RootOwnerId = 1 };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        user.TreePath = UserScope.ChildPath("/1/", user.Id);
        await users.UpdateAsync(user);
        return user;
    }

    protected async Task<T> WithDbAsync<T>(Func<CollectDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CollectDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    private async Task EnsureDatabaseAsync()
    {
        if (_databaseReady) return;
        await Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        _databaseReady = true;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // xunit 2 only calls Dispose on test classes, and MudBlazor's services can only be disposed asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) DeleteDatabase();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        DeleteDatabase();
    }

    private void DeleteDatabase()
    {
        if (!Directory.Exists(_directory)) return;
        using (var connection = new SqliteConnection(_connectionString)) SqliteConnection.ClearPool(connection);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
