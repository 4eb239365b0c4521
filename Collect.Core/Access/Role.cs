using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Collect.Core.Data;

namespace Collect.Core.Access;

/// <summary>
/// A named set of permissions, owned by the user who made it. The built-in roles admin, reseller and user and
/// the two templates for resellers always exist.
/// </summary>
public sealed class Role : IAuditable
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>admin, reseller or user: the level the role acts at, which decides the holder's scope.</summary>
    public string Level { get; set; } = RoleLevels.User;
    /// <summary>The seed's "type": user_created, reseller_template or user_template.</summary>
    public string Kind { get; set; } = RoleKinds.UserCreated;
    public int? OwnerUserId { get; set; }
    public bool NotDeleteable { get; set; }
    public bool NotAssignable { get; set; }
    public bool IsAliasRole { get; set; }
    public bool ServersIndexDisablePermissionChecks { get; set; }
    /// <summary>Single permissions, e.g. servers.update.param.tags.</summary>
    public List<string> Permissions { get; set; } = [];
    /// <summary>Names of permission sets from the catalog, e.g. "Manage Server Description".</summary>
    public List<string> PermissionSets { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class RoleKinds
{
    public const string UserCreated = "user_created";
    public const string ResellerTemplate = "reseller_template";
    public const string UserTemplate = "user_template";
}

public static class RoleLevels
{
    public static int Rank(string level) => level switch { Admin => 3, Reseller => 2, _ => 1 };

    public const string Admin = "admin";
    public const string Reseller = "reseller";
    public const string User = "user";
}

public static class BuiltInRoles
{
    public const int Admin = 1;
    public const int Reseller = 2;
    public const int User = 3;
    public const int SubresellerTemplate = 4;
    public const int UserTemplate = 5;

    public static bool IsBuiltIn(int id) => id is >= Admin and <= UserTemplate;
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> b)
    {
        b.Property(r => r.Name).HasMaxLength(255);
        b.Property(r => r.Level).HasMaxLength(16);
        b.Property(r => r.Kind).HasMaxLength(32);
        b.Property(r => r.Permissions).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.Property(r => r.PermissionSets).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(r => r.OwnerUserId);
        // Permissions of the built-in roles are filled from the catalog's defaults at start-up (DatabaseInitializer).
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        b.HasData(
            new Role { Id = BuiltInRoles.Admin, Name = "admin", Level = RoleLevels.Admin, NotDeleteable = true, CreatedAt = epoch, UpdatedAt = epoch },
            new Role { Id = BuiltInRoles.Reseller, Name = "reseller", Level = RoleLevels.Reseller, NotDeleteable = true, CreatedAt = epoch, UpdatedAt = epoch },
            new Role { Id = BuiltInRoles.User, Name = "user", Level = RoleLevels.User, NotDeleteable = true, CreatedAt = epoch, UpdatedAt = epoch },
            new Role
            {
                Id = BuiltInRoles.SubresellerTemplate, Name = "Default Subreseller Template Role For Resellers", Level = RoleLevels.Reseller,
                Kind = RoleKinds.ResellerTemplate, NotDeleteable = true, NotAssignable = true, CreatedAt = epoch, UpdatedAt = epoch,
            },
            new Role
            {
                Id = BuiltInRoles.UserTemplate, Name = "Default User Role Template For Resellers", Level = RoleLevels.User,
                Kind = RoleKinds.UserTemplate, NotDeleteable = true, NotAssignable = true, CreatedAt = epoch, UpdatedAt = epoch,
            });
    }
}
