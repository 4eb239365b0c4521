using System.Collections.Concurrent;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

/// <summary>What an account may do, independent of the request: level, scope, permissions.</summary>
public sealed record AccessProfile(
    int UserId, string UserName, string Level, int ScopeUserId, string TreePath,
    IReadOnlySet<string>? Permissions, IReadOnlyList<string>? AliasServerIds);

/// <summary>
/// Turns a signed-in user id into an <see cref="Actor"/>: refuses disabled accounts (or accounts under a disabled
/// owner), applies alias users' parent scope, and expands role permissions. Profiles are cached briefly and
/// dropped when users or roles change.
/// </summary>
public sealed class AccessResolver(IDbContextFactory<CollectDbContext> dbFactory, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<int, (AccessProfile? Profile, DateTimeOffset At, long Version)> _cache = new();
    private long _version;

    /// <summary>Forget every cached profile: a user, role or status changed.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    public async Task<Actor?> ResolveAsync(int userId, int? impersonatorId, string? ip, string source,
        string? endpoint = null, string? method = null, CancellationToken ct = default)
    {
        var profile = await GetProfileAsync(userId, ct);
        if (profile is null) return null;
        // An impersonation lasts only while the real user may still start it and the target is still below it.
        if (impersonatorId is { } realId)
        {
            var real = await GetProfileAsync(realId, ct);
            var allowed = real is not null && real.UserId == real.ScopeUserId &&
                          (real.Permissions is null ? real.Level == RoleLevels.Admin : real.Permissions.Contains("impersonate.start")) &&
                          (real.Level == RoleLevels.Admin || profile.TreePath.StartsWith(real.TreePath, StringComparison.Ordinal));
            if (!allowed) return null;
        }
        return new Actor(profile.UserId, profile.UserName, profile.Level, ip, source, impersonatorId, endpoint, method)
        {
            ScopeUserId = profile.ScopeUserId,
            TreePath = profile.TreePath,
            Permissions = profile.Permissions,
            AliasServerIds = profile.AliasServerIds,
        };
    }

    /// <summary>Null when the account does not exist, is disabled, or sits under a disabled owner.</summary>
    public async Task<AccessProfile?> GetProfileAsync(int userId, CancellationToken ct = default)
    {
        var version = Interlocked.Read(ref _version);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(userId, out var hit) && hit.Version == version && now - hit.At < CacheFor) return hit.Profile;
        var profile = await LoadAsync(userId, ct);
        _cache[userId] = (profile, now, version);
        return profile;
    }

    private async Task<AccessProfile?> LoadAsync(int userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Include(u => u.Role).FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user?.Role is null || !user.IsEnabled) return null;

        var scope = user;
        if (user.SharedUserId is { } parentId)
        {
            scope = await db.Users.AsNoTracking().Include(u => u.Role).FirstOrDefaultAsync(u => u.Id == parentId, ct);
            if (scope?.Role is null || !scope.IsEnabled) return null;
        }
        if (await IsUnderSuspendedOwnerAsync(db, scope, ct)) return null;

        var scopePermissions = Effective(scope.Role!);
        IReadOnlySet<string>? permissions = scopePermissions;
        IReadOnlyList<string>? servers = null;
        if (user.IsAlias)
        {
            // An alias never holds more than the account it works for.
            var own = Effective(user.Role);
            permissions = scopePermissions is null ? own : own!.Where(scopePermissions.Contains).ToHashSet(StringComparer.Ordinal);
            servers = user.AliasServerIds.Count == 0 ? null : user.AliasServerIds;
        }
        return new AccessProfile(user.Id, user.UserName ?? "", scope.Role!.Level, scope.Id, scope.TreePath, permissions, servers);
    }

    /// <summary>Null means every permission: an admin-level role.</summary>
    public static IReadOnlySet<string>? Effective(Role role) =>
        role.Level == RoleLevels.Admin && !role.IsAliasRole
            ? null
            : PermissionCatalog.Expand(role.Permissions, role.PermissionSets);

    /// <summary>True when any owner above the account (not the account itself) is disabled.</summary>
    public static async Task<bool> IsUnderSuspendedOwnerAsync(CollectDbContext db, CollectUser user, CancellationToken ct)
    {
        var owners = UserScope.Ids(user.TreePath).Where(id => id != user.Id).ToList();
        if (user.RootOwnerId is { } owner && owner != user.Id && !owners.Contains(owner)) owners.Add(owner);
        return owners.Count > 0 && await db.Users.AnyAsync(u => owners.Contains(u.Id) && u.AccountStatus != AccountStatuses.Enabled, ct);
    }
}
