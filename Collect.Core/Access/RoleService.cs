using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

public sealed record RoleInput
{
    public string? Name { get; init; }
    public List<string>? PermissionList { get; init; }
    public List<string>? PermissionSets { get; init; }
    public bool? ServersIndexDisablePermissionChecks { get; init; }
    /// <summary>admin, reseller or user; only when creating.</summary>
    public string? Level { get; init; }
}

public sealed record RoleUserRef(int UserId, string Fullname, string Username);

public sealed record RoleView(
    int Id, string Name, bool IsAliasRole, IReadOnlyList<RoleUserRef> AssignedUsers, bool NotDeleteable, bool NotAssignable,
    bool ServersIndexDisablePermissionChecks, RoleUserRef? OwnedBy, int? OwnerUserId, string Kind, string Level,
    IReadOnlyList<string> PermissionList, IReadOnlyList<string> PermissionSets, IReadOnlyList<string> EffectivePermissions, bool CanEdit);

public static class RoleScope
{
    /// <summary>Admins see every role; others see roles owned inside their subtree and the role they hold.</summary>
    public static IQueryable<Role> VisibleTo(this IQueryable<Role> roles, CollectDbContext db, Actor actor)
    {
        if (actor.IsAdmin) return roles;
        var users = db.Users.VisibleTo(actor);
        return roles.Where(r => users.Any(u => u.Id == r.OwnerUserId) || db.Users.Any(u => u.Id == actor.ScopeUserId && u.RoleId == r.Id));
    }
}

/// <summary>Roles and alias roles: who may see, create, change and delete them, and what they may grant.</summary>
public sealed class RoleService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, AccessResolver access)
{
    public async Task<IReadOnlyList<RoleView>> ListAsync(Actor actor, bool aliasRoles, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await db.Roles.AsNoTracking().VisibleTo(db, actor).Where(r => r.IsAliasRole == aliasRoles)
            .Where(r => !aliasRoles || actor.IsAdmin || r.OwnerUserId == actor.ScopeUserId)
            .OrderBy(r => r.Id).ToListAsync(ct);
        return await ViewsAsync(db, actor, roles, ct);
    }

    public async Task<ServiceResult<RoleView>> GetAsync(Actor actor, int id, bool aliasRole, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var role = await db.Roles.AsNoTracking().VisibleTo(db, actor).FirstOrDefaultAsync(r => r.Id == id && r.IsAliasRole == aliasRole, ct);
        return role is null ? ServiceResult<RoleView>.NotFound() : ServiceResult<RoleView>.Ok((await ViewsAsync(db, actor, [role], ct))[0]);
    }

    public async Task<ServiceResult<RoleView>> CreateAsync(Actor actor, RoleInput input, bool aliasRole, CancellationToken ct = default)
    {
        if (!actor.Can(aliasRole ? "aliasRoles.store" : "roles.store")) return ServiceResult<RoleView>.Forbidden();
        var errors = Validate(input, creating: true);
        if (errors.Count > 0) return ServiceResult<RoleView>.Invalid(errors);
        var level = aliasRole ? RoleLevels.User : input.Level ?? RoleLevels.User;
        if (!actor.IsAdmin && (level == RoleLevels.Admin || RoleLevels.Rank(level) > RoleLevels.Rank(actor.Level)))
            return ServiceResult<RoleView>.Forbidden($"You cannot create roles of level {level}.");
        var permissions = PermissionCatalog.Expand(input.PermissionList ?? [], input.PermissionSets ?? []);
        if (FirstMissingPermission(actor, permissions) is { } missing)
            return ServiceResult<RoleView>.Forbidden($"You cannot grant the permission {missing}, which you do not hold.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var role = new Role
        {
            Name = input.Name!.Trim(),
            Level = level,
            Kind = RoleKinds.UserCreated,
            OwnerUserId = actor.ScopeUserId,
            IsAliasRole = aliasRole,
            Permissions = Distinct(input.PermissionList),
            PermissionSets = CanonicalSets(input.PermissionSets),
            ServersIndexDisablePermissionChecks = input.ServersIndexDisablePermissionChecks ?? false,
        };
        db.Roles.Add(role);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, aliasRole ? "alias_role" : "role", role.Id, $"Role \"{role.Name}\" created", updated: Snapshot(role));
        await db.SaveChangesAsync(ct);
        return ServiceResult<RoleView>.Ok((await ViewsAsync(db, actor, [role], ct))[0]);
    }

    public async Task<ServiceResult<RoleView>> UpdateAsync(Actor actor, int id, RoleInput input, bool aliasRole, CancellationToken ct = default)
    {
        if (!actor.Can(aliasRole ? "aliasRoles.update" : "roles.update")) return ServiceResult<RoleView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var role = await db.Roles.VisibleTo(db, actor).FirstOrDefaultAsync(r => r.Id == id && r.IsAliasRole == aliasRole, ct);
        if (role is null) return ServiceResult<RoleView>.NotFound();
        if (!await CanEditAsync(db, actor, role, ct)) return ServiceResult<RoleView>.Forbidden("You may not change this role.");
        if (role.Id == BuiltInRoles.Admin)
            return ServiceResult<RoleView>.Invalid("id", "The admin role always holds every permission and cannot be changed.");
        var errors = Validate(input, creating: false);
        if (errors.Count > 0) return ServiceResult<RoleView>.Invalid(errors);
        var permissions = PermissionCatalog.Expand(input.PermissionList ?? role.Permissions, input.PermissionSets ?? role.PermissionSets);
        if (FirstMissingPermission(actor, permissions) is { } missing)
            return ServiceResult<RoleView>.Forbidden($"You cannot grant the permission {missing}, which you do not hold.");

        var original = Snapshot(role);
        if (input.Name is not null) role.Name = input.Name.Trim();
        if (input.PermissionList is not null) role.Permissions = Distinct(input.PermissionList);
        if (input.PermissionSets is not null) role.PermissionSets = CanonicalSets(input.PermissionSets);
        if (input.ServersIndexDisablePermissionChecks is { } disable) role.ServersIndexDisablePermissionChecks = disable;
        activity.Record(db, actor, aliasRole ? "alias_role" : "role", role.Id, $"Role \"{role.Name}\" changed", original, Snapshot(role));
        await db.SaveChangesAsync(ct);
        access.Invalidate();
        return ServiceResult<RoleView>.Ok((await ViewsAsync(db, actor, [role], ct))[0]);
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int id, bool aliasRole, CancellationToken ct = default)
    {
        if (!actor.Can(aliasRole ? "aliasRoles.destroy" : "roles.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var role = await db.Roles.VisibleTo(db, actor).FirstOrDefaultAsync(r => r.Id == id && r.IsAliasRole == aliasRole, ct);
        if (role is null) return ServiceResult<bool>.NotFound();
        if (!await CanEditAsync(db, actor, role, ct)) return ServiceResult<bool>.Forbidden("You may not delete this role.");
        if (role.NotDeleteable || BuiltInRoles.IsBuiltIn(role.Id))
            return ServiceResult<bool>.Invalid("id", "This role is built in and cannot be deleted.");
        var holders = await db.Users.CountAsync(u => u.RoleId == id, ct);
        if (holders > 0) return ServiceResult<bool>.Invalid("id", $"This role is assigned to {holders} user(s); give them another role first.");
        db.Roles.Remove(role);
        activity.Record(db, actor, aliasRole ? "alias_role" : "role", role.Id, $"Role \"{role.Name}\" deleted", Snapshot(role));
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>A new reseller gets its own copies of the admin's template roles, to hand out to its users.</summary>
    internal static async Task CopyTemplatesAsync(CollectDbContext db, int resellerId, CancellationToken ct)
    {
        var templates = await db.Roles.AsNoTracking()
            .Where(r => r.Id == BuiltInRoles.SubresellerTemplate || r.Id == BuiltInRoles.UserTemplate).ToListAsync(ct);
        foreach (var template in templates)
            db.Roles.Add(new Role
            {
                Name = template.Kind == RoleKinds.ResellerTemplate ? "Sub-reseller" : "User",
                Level = template.Level,
                Kind = RoleKinds.UserCreated,
                OwnerUserId = resellerId,
                Permissions = template.Permissions.ToList(),
                PermissionSets = template.PermissionSets.ToList(),
                ServersIndexDisablePermissionChecks = template.ServersIndexDisablePermissionChecks,
            });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The first permission in <paramref name="granted"/> the actor does not hold itself; null if none.</summary>
    public static string? FirstMissingPermission(Actor actor, IReadOnlySet<string>? granted)
    {
        if (actor.Permissions is null && actor.IsAdmin) return null;
        if (granted is null) return PermissionCatalog.AllPermissions.First(p => !actor.Can(p));
        return granted.Where(p => !actor.Can(p)).OrderBy(p => p, StringComparer.Ordinal).FirstOrDefault();
    }

    private static async Task<bool> CanEditAsync(CollectDbContext db, Actor actor, Role role, CancellationToken ct) =>
        actor.IsAdmin && actor.Permissions is null || await db.Users.VisibleTo(actor).AnyAsync(u => u.Id == role.OwnerUserId, ct);

    private static Dictionary<string, string[]> Validate(RoleInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if ((creating || input.Name is not null) && string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["The name field is required."];
        else if (input.Name?.Length > 255) errors["name"] = ["The name must not be greater than 255 characters."];
        if (input.PermissionList?.FirstOrDefault(p => !PermissionCatalog.Exists(p)) is { } unknown)
            errors["permissionlist"] = [$"The permission \"{unknown}\" does not exist."];
        if (input.PermissionSets?.FirstOrDefault(s => PermissionCatalog.Find(s) is null) is { } unknownSet)
            errors["permissionsets"] = [$"The permission set \"{unknownSet}\" does not exist."];
        if (input.Level is not null && input.Level is not (RoleLevels.Admin or RoleLevels.Reseller or RoleLevels.User))
            errors["level"] = ["The level must be admin, reseller or user."];
        return errors;
    }

    private static List<string> Distinct(List<string>? values) => (values ?? []).Select(v => v.Trim()).Distinct().ToList();

    private static List<string> CanonicalSets(List<string>? names) =>
        (names ?? []).Select(n => PermissionCatalog.Find(n)!.Name).Distinct().ToList();

    private static object Snapshot(Role r) => new { r.Name, r.Level, permissionlist = r.Permissions.ToList(), permissionsets = r.PermissionSets.ToList() };

    private static async Task<List<RoleView>> ViewsAsync(CollectDbContext db, Actor actor, List<Role> roles, CancellationToken ct)
    {
        var ids = roles.Select(r => r.Id).ToList();
        var ownerIds = roles.Where(r => r.OwnerUserId is not null).Select(r => r.OwnerUserId!.Value).Distinct().ToList();
        var holders = await db.Users.AsNoTracking().VisibleTo(actor).Where(u => ids.Contains(u.RoleId))
            .Select(u => new { u.RoleId, Ref = new RoleUserRef(u.Id, u.Name, u.UserName!) }).ToListAsync(ct);
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new RoleUserRef(u.Id, u.Name, u.UserName!)).ToDictionaryAsync(o => o.UserId, ct);
        var views = new List<RoleView>();
        foreach (var r in roles)
        {
            var effective = AccessResolver.Effective(r) ?? PermissionCatalog.AllPermissions;
            views.Add(new RoleView(r.Id, r.Name, r.IsAliasRole, holders.Where(h => h.RoleId == r.Id).Select(h => h.Ref).ToList(),
                r.NotDeleteable, r.NotAssignable, r.ServersIndexDisablePermissionChecks,
                r.OwnerUserId is { } o ? owners.GetValueOrDefault(o) : null, r.OwnerUserId, r.Kind, r.Level,
                r.Permissions, r.PermissionSets, effective.OrderBy(p => p, StringComparer.Ordinal).ToList(),
                r.Id != BuiltInRoles.Admin && await CanEditAsync(db, actor, r, ct)));
        }
        return views;
    }
}
