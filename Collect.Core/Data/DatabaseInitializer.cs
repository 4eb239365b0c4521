using System.Security.Cryptography;
using Collect.Core.Access;
using Collect.Core.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Collect.Core.Data;

/// <summary>Start-up work: migrate the database, switch SQLite to WAL, create the first admin and the stock data.</summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IDbContextFactory<CollectDbContext> dbFactory,
    IOptions<CollectOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    public const int MinimumApiTokenLength = 32;

    /// <summary>
    /// Migrates and seeds; with several nodes on PostgreSQL, one at a time. <paramref name="underLock"/> runs last, still
    /// holding the start-up lock (the host prepares Hangfire's schema there).
    /// </summary>
    public async Task InitializeAsync(Action? underLock = null, CancellationToken ct = default)
    {
        await using var startup = await StartupLock.TakeAsync(dbFactory, ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (db.Database.IsSqlite())
            {
                var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
                var directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            }
            await db.Database.MigrateAsync(ct);
            if (db.Database.IsSqlite())
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        await EnsureBuiltInRoleDefaultsAsync(ct);
        await EnsureAdminAsync(ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await Hardware.ComponentCatalogService.EnsureDefaultsAsync(db, ct);
            await Provisioning.PxeLibraryService.EnsureStockAsync(db, options.Value.AssetsPath, ct);
            await Branding.BrandService.EnsureDefaultAsync(db, ct);
        }
        underLock?.Invoke();
    }

    /// <summary>Built-in roles other than admin start with the catalog's sets for their level, once.</summary>
    private async Task EnsureBuiltInRoleDefaultsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await db.Roles.Where(r => r.Id > BuiltInRoles.Admin && r.Id <= BuiltInRoles.UserTemplate).ToListAsync(ct);
        foreach (var role in roles.Where(r => r.Permissions.Count == 0 && r.PermissionSets.Count == 0))
            role.PermissionSets = PermissionCatalog.DefaultsFor(role.Level).Select(s => s.Name).ToList();
        foreach (var role in roles) role.OwnerUserId ??= 1;
        await db.SaveChangesAsync(ct);
    }

    private async Task EnsureAdminAsync(CancellationToken ct)
    {
        var admin = options.Value.Admin;
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var db = scope.ServiceProvider.GetRequiredService<CollectDbContext>();

        var existing = await db.Users.OrderBy(u => u.Id).FirstOrDefaultAsync(u => u.RoleId == BuiltInRoles.Admin, ct);
        if (existing is null)
        {
            var generated = string.IsNullOrEmpty(admin.Password);
            var password = generated ? GeneratePassword() : admin.Password!;
            var user = new CollectUser
            {
                UserName = admin.Username,
                Name = admin.Username,
                Email = string.IsNullOrWhiteSpace(admin.Email) ? null : admin.Email,
                RoleId = BuiltInRoles.Admin,
            };
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded)
                throw new InvalidOperationException("Could not create the first admin: " +
                    string.Join(" ", result.Errors.Select(e => e.Description)));
            // Self-owned, as the seed shows the admin as its own root owner; the root of the tenant tree.
            user.RootOwnerId = user.Id;
            user.TreePath = UserScope.ChildPath("/", user.Id);
            await users.UpdateAsync(user);
            logger.LogInformation("Created the first admin account {UserName}", user.UserName);
            if (generated)
            {
                // Printed once to the console on purpose, never to the log.
                Console.WriteLine($"Collect: first admin \"{user.UserName}\" created with password: {password}");
                Console.WriteLine("Collect: sign in and change it under Profile; it will not be shown again.");
            }
            existing = user;
        }

        if (!string.IsNullOrEmpty(admin.ApiToken))
        {
            if (admin.ApiToken.Length < MinimumApiTokenLength)
                throw new InvalidOperationException($"Collect:Admin:ApiToken must be at least {MinimumApiTokenLength} characters long.");
            await ApiTokenService.EnsureTokenAsync(db, existing.Id, "bootstrap", admin.ApiToken, ct);
        }
    }

    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        // Identity's default rules want a digit, upper, lower and a symbol.
        return new string(chars) + "-7aA";
    }
}
