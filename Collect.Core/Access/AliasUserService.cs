using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Core.Access;

public sealed record AliasUserInput
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? Username { get; init; }
    public int? RoleId { get; init; }
    public string? AccountStatus { get; init; }
    /// <summary>Server ids the alias is limited to; empty for all of the parent's servers.</summary>
    public List<string>? UserAliasAssignments { get; init; }
}

/// <summary>
/// Alias users: extra logins that work inside their parent account's scope with an alias role's permissions,
/// optionally limited to some servers.
/// </summary>
public sealed class AliasUserService(
    IDbContextFactory<CollectDbContext> dbFactory, IServiceScopeFactory scopes, ActivityRecorder activity, AccessResolver access, UserService users)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        var page = await users.ListAsync(actor, new UserListQuery(IncludeAliases: true), new PageRequest(1, int.MaxValue), ct);
        return page.Items.Where(u => u.IsSharedAccess).ToList();
    }

    public async Task<ServiceResult<UserView>> CreateAsync(Actor actor, AliasUserInput input, CancellationToken ct = default)
    {
        if (actor.IsAlias) return ServiceResult<UserView>.Forbidden("Alias users cannot create alias users.");
        var errors = UserService.Validate(new UserInput
        {
            Name = input.Name, Email = input.Email, Password = input.Password, Username = input.Username, AccountStatus = input.AccountStatus,
        }, creating: true);
        if (errors.Count > 0) return ServiceResult<UserView>.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var parent = await db.Users.AsNoTracking().FirstAsync(u => u.Id == actor.ScopeUserId, ct);
        var roleError = await CheckAliasRoleAsync(db, actor, input.RoleId, ct);
        if (roleError is not null) return roleError;

        var settings = await SystemSettingsService.ValuesAsync(db, ct);
        using var scope = scopes.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var alias = new CollectUser
        {
            UserName = input.Username!.Trim(),
            Name = input.Name!.Trim(),
            Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
            RootOwnerId = parent.Id,
            SharedUserId = parent.Id,
            RoleId = input.RoleId!.Value,
            AccountStatus = input.AccountStatus ?? AccountStatuses.Enabled,
            Timezone = settings[SettingNames.DefaultTimezone],
            DatetimeFormat = settings[SettingNames.DefaultDatetimeFormat],
            Language = parent.Language,
            AliasServerIds = Clean(input.UserAliasAssignments),
        };
        var created = await manager.CreateAsync(alias, input.Password!);
        if (!created.Succeeded)
            return ServiceResult<UserView>.Invalid(created.Errors.GroupBy(e => e.Code.StartsWith("Password") ? "password" : "username")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        alias.TreePath = UserScope.ChildPath(parent.TreePath, alias.Id);
        await manager.UpdateAsync(alias);
        activity.Record(db, actor, "alias_user", alias.Id, $"Alias user {alias.UserName} created");
        await db.SaveChangesAsync(ct);
        return await users.GetAsync(actor, alias.Id, ct);
    }

    public async Task<ServiceResult<UserView>> UpdateAsync(Actor actor, int id, AliasUserInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.VisibleTo(actor).AnyAsync(u => u.Id == id && u.SharedUserId != null, ct)) return ServiceResult<UserView>.NotFound();
        if (actor.IsAlias) return ServiceResult<UserView>.Forbidden("Alias users cannot change alias users.");
        var errors = UserService.Validate(new UserInput
        {
            Name = input.Name, Email = input.Email, Username = input.Username, AccountStatus = input.AccountStatus,
        }, creating: false);
        if (errors.Count > 0) return ServiceResult<UserView>.Invalid(errors);
        if (input.RoleId is not null && await CheckAliasRoleAsync(db, actor, input.RoleId, ct) is { } roleError) return roleError;

        using var scope = scopes.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var alias = await manager.Users.FirstAsync(u => u.Id == id, ct);
        if (input.Name is not null) alias.Name = input.Name.Trim();
        if (input.Email is not null) alias.Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim();
        if (input.Username is not null) alias.UserName = input.Username.Trim();
        if (input.RoleId is { } roleId) alias.RoleId = roleId;
        if (input.AccountStatus is not null) alias.AccountStatus = input.AccountStatus;
        if (input.UserAliasAssignments is not null) alias.AliasServerIds = Clean(input.UserAliasAssignments);
        var updated = await manager.UpdateAsync(alias);
        if (!updated.Succeeded) return ServiceResult<UserView>.Invalid("username", updated.Errors.First().Description);
        if (!string.IsNullOrEmpty(input.Password))
        {
            var reset = await manager.ResetPasswordAsync(alias, await manager.GeneratePasswordResetTokenAsync(alias), input.Password);
            if (!reset.Succeeded) return ServiceResult<UserView>.Invalid("password", reset.Errors.First().Description);
        }
        await manager.UpdateSecurityStampAsync(alias);
        access.Invalidate();
        activity.Record(db, actor, "alias_user", alias.Id, $"Alias user {alias.UserName} changed");
        await db.SaveChangesAsync(ct);
        return await users.GetAsync(actor, id, ct);
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alias = await db.Users.VisibleTo(actor).FirstOrDefaultAsync(u => u.Id == id && u.SharedUserId != null, ct);
        if (alias is null) return ServiceResult<bool>.NotFound();
        if (actor.IsAlias) return ServiceResult<bool>.Forbidden("Alias users cannot delete alias users.");
        db.Users.Remove(alias);
        activity.Record(db, actor, "alias_user", id, $"Alias user {alias.UserName} deleted");
        await db.SaveChangesAsync(ct);
        access.Invalidate();
        return ServiceResult<bool>.Ok(true);
    }

    private static async Task<ServiceResult<UserView>?> CheckAliasRoleAsync(CollectDbContext db, Actor actor, int? roleId, CancellationToken ct)
    {
        if (roleId is null) return ServiceResult<UserView>.Invalid("role_id", "The role id field is required.");
        var ok = await db.Roles.AnyAsync(r => r.Id == roleId && r.IsAliasRole && (actor.IsAdmin || r.OwnerUserId == actor.ScopeUserId), ct);
        return ok ? null : ServiceResult<UserView>.Invalid("role_id", "The selected role id is not one of your alias roles.");
    }

    private static List<string> Clean(List<string>? ids) => (ids ?? []).Select(i => i.Trim()).Where(i => i.Length > 0).Distinct().ToList();
}
