using Collect.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Access;

/// <summary>A person or reseller who signs in to Collect. <c>RootOwnerId</c> builds the tenant tree.</summary>
public sealed class CollectUser : IdentityUser<int>, IAuditable
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public int? RootOwnerId { get; set; }
    public CollectUser? RootOwner { get; set; }
    public int RoleId { get; set; }
    public Role? Role { get; set; }
    public string AccountStatus { get; set; } = AccountStatuses.Enabled;
    public string Timezone { get; set; } = "UTC";
    public string DatetimeFormat { get; set; } = "DD.MM.YYYY HH:mm:ss";
    public bool? Darkmode { get; set; }
    public string Language { get; set; } = "en-us";
    public string? SessionTimeout { get; set; }
    public List<string> AllowedHosts { get; set; } = [];
    public DateTimeOffset? LastLoginAt { get; set; }
    public string? LastLoginIp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsEnabled => AccountStatus == AccountStatuses.Enabled;
}

public static class AccountStatuses
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";
}

internal sealed class CollectUserConfiguration : IEntityTypeConfiguration<CollectUser>
{
    public void Configure(EntityTypeBuilder<CollectUser> b)
    {
        b.Property(u => u.Name).HasMaxLength(255);
        b.Property(u => u.AccountStatus).HasMaxLength(16);
        b.Property(u => u.Timezone).HasMaxLength(64);
        b.Property(u => u.DatetimeFormat).HasMaxLength(64);
        b.Property(u => u.Language).HasMaxLength(16);
        b.Property(u => u.AllowedHosts).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasOne(u => u.RootOwner).WithMany().HasForeignKey(u => u.RootOwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(u => u.Role).WithMany().HasForeignKey(u => u.RoleId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.RootOwnerId);
    }
}
