using System.Net.Mail;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Core.Access;

/// <summary>Fields of a user as the API and the UI send them; <see cref="Provided"/> says which were sent.</summary>
public sealed record UserInput
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? Username { get; init; }
    public int? RootOwner { get; init; }
    public string? Description { get; init; }
    public int? RoleId { get; init; }
    public string? AccountStatus { get; init; }
    public string? Timezone { get; init; }
    public string? DatetimeFormat { get; init; }
    public bool? Darkmode { get; init; }
    public string? Prefs { get; init; }
    public List<string>? AllowedHosts { get; init; }
    public string? Language { get; init; }
    public string? SessionTimeout { get; init; }
    /// <summary>API field names present in the request (e.g. "role_id"), for field permissions and partial updates.</summary>
    public IReadOnlySet<string> Provided { get; init; } = new HashSet<string>();

    public bool Has(string field) => Provided.Contains(field);
}

public sealed record LastLogin(DateTimeOffset? At, string? Ip);

/// <summary>A user as the API shows it (seed 002), before field permissions are applied.</summary>
public sealed record UserView(
    int Id, string Name, string? Email, bool TwoFactorConfirmed, DateTimeOffset CreatedAt, int? RootOwner, string Username,
    string AccountStatus, bool IsParentAccountSuspended, string Timezone, string DatetimeFormat, bool? Darkmode, string? Prefs,
    IReadOnlyList<string> AllowedHosts, bool IsSharedAccess, int? SharedUserId, int RealOrSharedUserId, int RoleId, string RoleName,
    string RoleLevel, string? RootOwnerUsername, LastLogin LastLogin, bool CanCreateSubUsers, string? Description,
    IReadOnlyList<int> SubUsers, IReadOnlyList<string> Permissions, string Language, string? SessionTimeout,
    IReadOnlyList<string> AliasServerIds);

public sealed record UserListQuery(string? Search = null, int? RoleId = null, string? AccountStatus = null, bool IncludeAliases = false,
    int? RootOwner = null, bool? CanOwnUsers = null);

public sealed record AccessLogView(long Id, string? Request, string? Response, string Endpoint, string Method, int StatusCode,
    string? Ip, string? UserAgent, DateTimeOffset CreatedAt, string RequestSource);

public sealed record LoginCheck(string Result, bool TwoFactorAuthEnabled, bool? TwoFactorAuthPassed, int? UserId);

/// <summary>Users in the tenant tree: listing, creating, changing and deleting them within the actor's scope.</summary>
public sealed class UserService(
    IDbContextFactory<CollectDbContext> dbFactory,
    IServiceScopeFactory scopes,
    ActivityRecorder activity,
    AccessResolver access)
{
    public const string Resource = "users";

    public async Task<Page<UserView>> ListAsync(Actor actor, UserListQuery query, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking().VisibleTo(actor);
        if (!query.IncludeAliases) users = users.Where(u => u.SharedUserId == null);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLower();
            users = users.Where(u => u.UserName!.ToLower().Contains(term) || u.Name.ToLower().Contains(term) ||
                                     (u.Email != null && u.Email.ToLower().Contains(term)));
        }
        if (query.RoleId is { } roleId) users = users.Where(u => u.RoleId == roleId);
        if (!string.IsNullOrEmpty(query.AccountStatus)) users = users.Where(u => u.AccountStatus == query.AccountStatus);
        if (query.RootOwner is { } owner) users = users.Where(u => u.RootOwnerId == owner && u.Id != owner);
        if (query.CanOwnUsers is { } canOwn) users = users.Where(u => (u.Role!.Level != RoleLevels.User) == canOwn && u.SharedUserId == null);
        var total = await users.CountAsync(ct);
        var rows = await users.OrderBy(u => u.Id).Skip(page.Skip).Take(page.Size).Include(u => u.Role).ToListAsync(ct);
        return new Page<UserView>(await ViewsAsync(db, rows, ct), total, page.Page, page.Size);
    }

    public async Task<ServiceResult<UserView>> GetAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().VisibleTo(actor).Include(u => u.Role).FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? ServiceResult<UserView>.NotFound() : ServiceResult<UserView>.Ok((await ViewsAsync(db, [user], ct))[0]);
    }

    public async Task<ServiceResult<UserView>> CreateAsync(Actor actor, UserInput input, CancellationToken ct = default)
    {
        if (!actor.Can("users.store")) return ServiceResult<UserView>.Forbidden();
        if (FieldPolicy.FirstForbiddenWrite(input.Provided, Resource, actor) is { } field)
            return ServiceResult<UserView>.Forbidden(FieldPolicy.ForbiddenMessage(field));
        var errors = Validate(input, creating: true);
        if (errors.Count > 0) return ServiceResult<UserView>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ownerId = input.RootOwner ?? actor.ScopeUserId;
        var owner = await db.Users.VisibleTo(actor).Include(u => u.Role).FirstOrDefaultAsync(u => u.Id == ownerId, ct);
        if (owner is null) return ServiceResult<UserView>.Invalid("root_owner", "The selected root owner is invalid.");
        if (owner.IsAlias || owner.Role!.Level == RoleLevels.User)
            return ServiceResult<UserView>.Invalid("root_owner", "The selected root owner cannot own users.");

        var roleId = input.RoleId ?? (actor.IsAdmin ? BuiltInRoles.User : null);
        if (roleId is null) return ServiceResult<UserView>.Invalid("role_id", "The role id field is required.");
        var roleCheck = await CheckAssignableAsync(db, actor, owner, roleId.Value, ct);
        if (roleCheck is not null) return roleCheck.As<UserView>();

        // A new account writes dates the installation's way until its user chooses otherwise.
        var settings = await SystemSettingsService.ValuesAsync(db, ct);
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = new CollectUser
        {
            UserName = input.Username!.Trim(),
            Name = input.Name!.Trim(),
            Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
            RootOwnerId = owner.Id,
            RoleId = roleId.Value,
            Description = input.Description,
            AccountStatus = input.AccountStatus ?? AccountStatuses.Enabled,
            Timezone = input.Timezone ?? settings[SettingNames.DefaultTimezone],
            DatetimeFormat = input.DatetimeFormat ?? settings[SettingNames.DefaultDatetimeFormat],
            Darkmode = input.Darkmode,
            Prefs = input.Prefs,
            AllowedHosts = input.AllowedHosts ?? [],
            Language = input.Language ?? owner.Language,
            SessionTimeout = input.SessionTimeout,
        };
        var created = await users.CreateAsync(user, input.Password!);
        if (!created.Succeeded) return ServiceResult<UserView>.Invalid(IdentityErrors(created));
        user.TreePath = UserScope.ChildPath(owner.TreePath, user.Id);
        await users.UpdateAsync(user);
        if (await db.Roles.AnyAsync(r => r.Id == user.RoleId && r.Level == RoleLevels.Reseller, ct))
            await RoleService.CopyTemplatesAsync(db, user.Id, ct);

        activity.Record(db, actor, "user", user.Id, $"User {user.UserName} created", updated: Snapshot(user));
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, user.Id, ct);
    }

    public async Task<ServiceResult<UserView>> UpdateAsync(Actor actor, int id, UserInput input, CancellationToken ct = default)
    {
        if (!actor.Can("users.update")) return ServiceResult<UserView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, id, ct)) return ServiceResult<UserView>.NotFound();
        if (FieldPolicy.FirstForbiddenWrite(input.Provided, Resource, actor) is { } field)
            return ServiceResult<UserView>.Forbidden(FieldPolicy.ForbiddenMessage(field));
        var errors = Validate(input, creating: false);
        if (errors.Count > 0) return ServiceResult<UserView>.Invalid(errors);

        if (actor.IsAlias && id == actor.ScopeUserId)
            return ServiceResult<UserView>.Forbidden("Alias users cannot change the account they work for.");
        var self = id == actor.UserId || id == actor.ScopeUserId;
        if (self && input.Has("role_id")) return ServiceResult<UserView>.Invalid("role_id", "You cannot change your own role.");
        if (self && input.Has("accountstatus") && input.AccountStatus != AccountStatuses.Enabled)
            return ServiceResult<UserView>.Invalid("accountstatus", "You cannot disable your own account.");
        if (self && input.Has("root_owner")) return ServiceResult<UserView>.Invalid("root_owner", "You cannot move your own account.");

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.Users.Include(u => u.Role).FirstAsync(u => u.Id == id, ct);
        var original = Snapshot(user);
        var ownerForRole = user;
        string? oldPath = null;

        if (input.Has("root_owner") && input.RootOwner is { } newOwnerId && newOwnerId != user.RootOwnerId)
        {
            var owner = await db.Users.VisibleTo(actor).Include(u => u.Role).FirstOrDefaultAsync(u => u.Id == newOwnerId, ct);
            if (owner is null || owner.IsAlias || owner.Role!.Level == RoleLevels.User)
                return ServiceResult<UserView>.Invalid("root_owner", "The selected root owner is invalid.");
            if (owner.TreePath.StartsWith(user.TreePath, StringComparison.Ordinal))
                return ServiceResult<UserView>.Invalid("root_owner", "A user cannot be moved below itself or its own sub-users.");
            // The subtree moves only once everything else has been accepted (below).
            oldPath = user.TreePath;
            user.RootOwnerId = owner.Id;
            user.TreePath = UserScope.ChildPath(owner.TreePath, user.Id);
            ownerForRole = owner;
        }
        else if (user.RootOwnerId is { } ownerId && ownerId != user.Id)
        {
            ownerForRole = await db.Users.AsNoTracking().Include(u => u.Role).FirstAsync(u => u.Id == ownerId, ct);
        }
        if (input.Has("role_id") && input.RoleId is { } roleId && roleId != user.RoleId)
        {
            var roleCheck = await CheckAssignableAsync(db, actor, ownerForRole, roleId, ct);
            if (roleCheck is not null) return roleCheck.As<UserView>();
            var newRole = await db.Roles.AsNoTracking().FirstAsync(r => r.Id == roleId, ct);
            if (RoleLevels.Rank(newRole.Level) < RoleLevels.Rank(user.Role!.Level) &&
                await db.Users.AnyAsync(u => u.RootOwnerId == user.Id && u.Id != user.Id, ct))
                return ServiceResult<UserView>.Invalid("role_id", "This user owns sub-users; move them before giving it a role that cannot own users.");
            user.RoleId = roleId;
        }

        if (input.Has("name") && input.Name is not null) user.Name = input.Name.Trim();
        if (input.Has("username") && input.Username is not null) user.UserName = input.Username.Trim();
        if (input.Has("email")) user.Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim();
        if (input.Has("description")) user.Description = input.Description;
        if (input.Has("accountstatus") && input.AccountStatus is not null) user.AccountStatus = input.AccountStatus;
        if (input.Has("timezone") && input.Timezone is not null) user.Timezone = input.Timezone;
        if (input.Has("datetimeFormat") && input.DatetimeFormat is not null) user.DatetimeFormat = input.DatetimeFormat;
        if (input.Has("darkmode")) user.Darkmode = input.Darkmode;
        if (input.Has("prefs")) user.Prefs = input.Prefs;
        if (input.Has("allowedHosts")) user.AllowedHosts = input.AllowedHosts ?? [];
        if (input.Has("language") && input.Language is not null) user.Language = input.Language;
        if (input.Has("sessionTimeout")) user.SessionTimeout = input.SessionTimeout;

        if (input.Has("password") && !string.IsNullOrEmpty(input.Password))
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, user, input.Password);
                if (!check.Succeeded) return ServiceResult<UserView>.Invalid(IdentityErrors(check));
            }
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded) return ServiceResult<UserView>.Invalid(IdentityErrors(updated));
        if (oldPath is not null) await MoveSubtreeAsync(db, oldPath, user.TreePath, ct);
        if (input.Has("password") && !string.IsNullOrEmpty(input.Password))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, input.Password);
            if (!reset.Succeeded) return ServiceResult<UserView>.Invalid(IdentityErrors(reset));
        }
        // A disabled account or a new role must take effect at once, for cookies and tokens alike.
        if (input.Has("accountstatus") || input.Has("role_id") || input.Has("root_owner")) await users.UpdateSecurityStampAsync(user);
        access.Invalidate();

        activity.Record(db, actor, "user", user.Id, $"User {user.UserName} changed", original, Snapshot(user));
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("users.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.VisibleTo(actor).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return ServiceResult<bool>.NotFound();
        if (id == actor.UserId || id == actor.ScopeUserId) return ServiceResult<bool>.Invalid("id", "You cannot delete your own account.");
        var subUsers = await db.Users.CountAsync(u => u.RootOwnerId == id && u.Id != id && u.SharedUserId == null, ct);
        if (subUsers > 0)
            return ServiceResult<bool>.Invalid("id", $"This user owns {subUsers} sub-user(s); move or delete them first.");
        if (user.RoleId == BuiltInRoles.Admin && await db.Users.CountAsync(u => u.RoleId == BuiltInRoles.Admin, ct) == 1)
            return ServiceResult<bool>.Invalid("id", "The last admin cannot be deleted.");
        var ownedRoles = await db.Roles.Where(r => r.OwnerUserId == id).ToListAsync(ct);
        var ownedIds = ownedRoles.Select(r => r.Id).ToList();
        if (await db.Users.AnyAsync(u => ownedIds.Contains(u.RoleId) && u.Id != id && u.SharedUserId != id, ct))
            return ServiceResult<bool>.Invalid("id", "Roles this user owns are still assigned to other users; reassign them first.");

        await db.Users.Where(u => u.SharedUserId == id).ExecuteDeleteAsync(ct);
        db.Users.Remove(user);
        db.Roles.RemoveRange(ownedRoles);
        activity.Record(db, actor, "user", id, $"User {user.UserName} deleted", Snapshot(user));
        await db.SaveChangesAsync(ct);
        access.Invalidate();
        return ServiceResult<bool>.Ok(true);
    }

    public async Task<ServiceResult<IReadOnlyList<AccessLogView>>> AccessLogAsync(Actor actor, int userId, int limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<IReadOnlyList<AccessLogView>>.NotFound();
        var rows = await db.ApiRequestLogs.AsNoTracking().Where(l => l.UserId == userId)
            .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(Math.Clamp(limit, 1, 1000))
            .Select(l => new AccessLogView(l.Id, l.RequestBody, l.ResponseBody, l.Endpoint, l.Method, l.Status, l.Ip, l.UserAgent,
                l.CreatedAt, l.TokenId == null ? ActivitySources.Web : ActivitySources.Api))
            .ToListAsync(ct);
        return ServiceResult<IReadOnlyList<AccessLogView>>.Ok(rows);
    }

    /// <summary>Checks a username (or email) and password, and the 2FA code when 2FA is on; failures count towards lockout.</summary>
    public async Task<LoginCheck> TestLoginDetailsAsync(Actor actor, string? identify, string? password, string? twoFactorCode, CancellationToken ct = default)
    {
        var failed = new LoginCheck("failed", false, null, null);
        if (string.IsNullOrWhiteSpace(identify) || string.IsNullOrEmpty(password)) return failed;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var needle = identify.Trim().ToUpperInvariant();
        var userId = await db.Users.VisibleTo(actor)
            .Where(u => u.NormalizedUserName == needle || u.NormalizedEmail == needle)
            .Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);
        if (userId is null) return failed;

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = (await users.FindByIdAsync(userId.Value.ToString()))!;
        if (await access.GetProfileAsync(user.Id, ct) is null || await users.IsLockedOutAsync(user)) return failed with { UserId = user.Id };
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            return failed with { UserId = user.Id, TwoFactorAuthEnabled = user.TwoFactorEnabled };
        }
        if (!user.TwoFactorEnabled)
        {
            await users.ResetAccessFailedCountAsync(user);
            return new LoginCheck("success", false, null, user.Id);
        }
        var code = (twoFactorCode ?? "").Replace(" ", "");
        var passed = code.Length > 0 && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
        if (passed) await users.ResetAccessFailedCountAsync(user);
        else await users.AccessFailedAsync(user);
        return new LoginCheck(passed ? "success" : "failed", true, passed, user.Id);
    }

    /// <summary>Turns 2FA off for a user in scope, e.g. one who lost the device.</summary>
    public async Task<ServiceResult<bool>> DisableTwoFactorAsync(Actor actor, int userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<bool>.NotFound();
        if (actor.IsAlias && userId == actor.ScopeUserId)
            return ServiceResult<bool>.Forbidden("Alias users cannot change the account they work for.");
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        activity.Record(db, actor, "user", userId, $"Two-factor authentication disabled for {user.UserName}");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>
    /// Checks that the actor may give this role to a user owned by <paramref name="owner"/>: the role is in the actor's
    /// reach, assignable, not above the owner's level, and grants nothing the actor lacks.
    /// </summary>
    private static async Task<ServiceResult<bool>?> CheckAssignableAsync(CollectDbContext db, Actor actor, CollectUser owner, int roleId, CancellationToken ct)
    {
        var role = await db.Roles.AsNoTracking().VisibleTo(db, actor).FirstOrDefaultAsync(r => r.Id == roleId, ct);
        if (role is null || role.IsAliasRole) return ServiceResult<bool>.Invalid("role_id", "The selected role id is invalid.");
        if (role.NotAssignable) return ServiceResult<bool>.Invalid("role_id", $"The role \"{role.Name}\" cannot be assigned to users.");
        var ownerLevel = owner.Role?.Level ?? (await db.Roles.Where(r => r.Id == owner.RoleId).Select(r => r.Level).FirstAsync(ct));
        // The admin owns admins; everyone else owns accounts below its own level or, for resellers, sub-resellers.
        if (ownerLevel != RoleLevels.Admin && RoleLevels.Rank(role.Level) > RoleLevels.Rank(ownerLevel))
            return ServiceResult<bool>.Invalid("role_id", "The role's level is above what the owner may hand out.");
        if (!actor.IsAdmin && role.Level == RoleLevels.Admin)
            return ServiceResult<bool>.Forbidden("You are not allowed to assign admin roles.");
        var missing = RoleService.FirstMissingPermission(actor, AccessResolver.Effective(role));
        return missing is null ? null : ServiceResult<bool>.Forbidden($"You cannot grant the permission {missing}, which you do not hold.");
    }

    private static async Task MoveSubtreeAsync(CollectDbContext db, string oldPath, string newPath, CancellationToken ct)
    {
        var below = await db.Users.Where(u => u.TreePath.StartsWith(oldPath) && u.TreePath != oldPath).ToListAsync(ct);
        foreach (var user in below) user.TreePath = newPath + user.TreePath[oldPath.Length..];
        // Servers follow their owners, so the new owners above see them and the old ones no longer do.
        var servers = await db.Servers.Include(s => s.Assignments).Where(s => s.OwnerTreePath.StartsWith(oldPath)).ToListAsync(ct);
        foreach (var server in servers) server.OwnerTreePath = newPath + server.OwnerTreePath[oldPath.Length..];
        await db.SaveChangesAsync(ct);
    }

    private async Task<List<UserView>> ViewsAsync(CollectDbContext db, List<CollectUser> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var ownerIds = users.Where(u => u.RootOwnerId is not null).Select(u => u.RootOwnerId!.Value).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
        var children = await db.Users.AsNoTracking().Where(u => u.RootOwnerId != null && ids.Contains(u.RootOwnerId.Value) && u.RootOwnerId != u.Id && u.SharedUserId == null)
            .Select(u => new { u.Id, Owner = u.RootOwnerId!.Value }).ToListAsync(ct);
        // Few accounts are disabled: one query for them answers "is an owner above suspended" for the whole page.
        var disabled = (await db.Users.AsNoTracking().Where(u => u.AccountStatus != AccountStatuses.Enabled).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        var views = new List<UserView>(users.Count);
        foreach (var u in users)
        {
            var profile = u.IsAlias ? await access.GetProfileAsync(u.Id, ct) : null;
            var suspended = UserScope.Ids(u.TreePath).Any(id => id != u.Id && disabled.Contains(id)) ||
                            u.RootOwnerId is { } ownerId && ownerId != u.Id && disabled.Contains(ownerId);
            var role = u.Role!;
            var permissions = AccessResolver.Effective(role) ?? PermissionCatalog.AllPermissions;
            views.Add(new UserView(
                u.Id, u.Name, u.Email, u.TwoFactorEnabled, u.CreatedAt, u.RootOwnerId, u.UserName ?? "", u.AccountStatus, suspended,
                u.Timezone, u.DatetimeFormat, u.Darkmode, u.Prefs, u.AllowedHosts, u.IsAlias, u.SharedUserId, u.SharedUserId ?? u.Id,
                u.RoleId, role.Name, role.Level, u.RootOwnerId is { } o ? owners.GetValueOrDefault(o) : null,
                new LastLogin(u.LastLoginAt, u.LastLoginIp), !u.IsAlias && role.Level != RoleLevels.User, u.Description,
                children.Where(c => c.Owner == u.Id).Select(c => c.Id).OrderBy(i => i).ToList(),
                (profile?.Permissions ?? permissions).OrderBy(p => p, StringComparer.Ordinal).ToList(),
                u.Language, u.SessionTimeout, u.AliasServerIds));
        }
        return views;
    }

    internal static Dictionary<string, string[]> Validate(UserInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors.TryAdd(field, [message]);
        bool Present(string field) => creating || input.Has(field);

        if (Present("name") && string.IsNullOrWhiteSpace(input.Name)) Fail("name", "The name field is required.");
        else if (input.Name?.Length > 255) Fail("name", "The name must not be greater than 255 characters.");
        if (Present("username") && string.IsNullOrWhiteSpace(input.Username)) Fail("username", "The username field is required.");
        else if (input.Username?.Length > 255) Fail("username", "The username must not be greater than 255 characters.");
        if (creating && string.IsNullOrEmpty(input.Password)) Fail("password", "The password field is required.");
        if (!string.IsNullOrWhiteSpace(input.Email) && !MailAddress.TryCreate(input.Email.Trim(), out _))
            Fail("email", "The email must be a valid email address.");
        if (input.AccountStatus is not null && input.AccountStatus is not (AccountStatuses.Enabled or AccountStatuses.Disabled))
            Fail("accountstatus", "The selected accountstatus is invalid: use enabled or disabled.");
        if (input.Timezone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(input.Timezone, out _))
            Fail("timezone", "The timezone must be a valid time zone, such as Europe/Berlin.");
        if (input.DatetimeFormat?.Length > 64) Fail("datetimeFormat", "The datetime format must not be greater than 64 characters.");
        if (input.Language?.Length > 16) Fail("language", "The language must not be greater than 16 characters.");
        if (input.SessionTimeout is { Length: > 0 } timeout && (!int.TryParse(timeout, out var minutes) || minutes is < 1 or > 525_600))
            Fail("sessionTimeout", "The session timeout must be a number of minutes between 1 and 525600.");
        if (input.Prefs?.Length > 65_536) Fail("prefs", "The prefs must not be greater than 64 KiB.");
        var badHost = input.AllowedHosts?.FirstOrDefault(h => !ApiTokenService.IsHost(h));
        if (input.AllowedHosts is not null && (badHost is not null || input.AllowedHosts.Any(string.IsNullOrWhiteSpace)))
            Fail("allowedHosts", $"The allowedHosts must be an array of valid IP addresses: \"{badHost}\" is not one.");
        return errors;
    }

    private static Dictionary<string, string[]> IdentityErrors(IdentityResult result)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var error in result.Errors)
        {
            var field = error.Code switch
            {
                var c when c.Contains("UserName", StringComparison.Ordinal) => "username",
                var c when c.Contains("Email", StringComparison.Ordinal) => "email",
                var c when c.StartsWith("Password", StringComparison.Ordinal) => "password",
                _ => "user",
            };
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, error.Description] : [error.Description];
        }
        return errors;
    }

    private static object Snapshot(CollectUser u) => new
    {
        u.Name, u.Email, username = u.UserName, root_owner = u.RootOwnerId, role_id = u.RoleId, accountstatus = u.AccountStatus,
        u.Timezone, u.DatetimeFormat, u.Language, u.Description, allowedHosts = u.AllowedHosts.ToList(),
    };
}

public static class ServiceResultExtensions
{
    /// <summary>Carries a failure over to another result type.</summary>
    public static ServiceResult<TOut> As<TOut>(this ServiceResult<bool> result) => new(result.Status, default, result.Errors);
}
