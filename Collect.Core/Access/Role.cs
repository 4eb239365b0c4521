using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Collect.Core.Data;

namespace Collect.Core.Access;

/// <summary>A named set of permissions. The built-in roles admin, reseller and user always exist.</summary>
public sealed class Role : IAuditable
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>admin, reseller or user: the level the role acts at.</summary>
    public string Type { get; set; } = RoleTypes.User;
    public int? OwnerUserId { get; set; }
    public bool NotDeleteable { get; set; }
    public bool NotAssignable { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class RoleTypes
{
    public const string Admin = "admin";
    public const string Reseller = "reseller";
    public const string User = "user";
}

public static class BuiltInRoles
{
    public const int Admin = 1;
    public const int Reseller = 2;
    public const int User = 3;
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> b)
    {
        b.Property(r => r.Name).HasMaxLength(255);
        b.Property(r => r.Type).HasMaxLength(16);
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        b.HasData(
            new Role { Id = BuiltInRoles.Admin, Name = "admin", Type = RoleTypes.Admin, NotDeleteable = true, CreatedAt = epoch, UpdatedAt = epoch },
            new Role { Id = BuiltInRoles.Reseller, Name = "reseller", Type = RoleTypes.Reseller, NotDeleteable = true, CreatedAt = epoch, UpdatedAt = epoch },
            new Role { Id = BuiltInRoles.User, Name = "user", Type = RoleTypes.User, NotDeleteable = true, CreatedAt = epoch, UpdatedAt = epoch });
    }
}
