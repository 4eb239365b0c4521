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
    /// <summary>
    /// Ids from the root of the tenant tree down to this user, e.g. "/1/7/12/": a subtree is one prefix query,
    /// the same on every database engine.
    /// </summary>
    public string TreePath { get; set; } = "/";
    /// <summary>For an alias user: the account whose scope it works in.</summary>
    public int? SharedUserId { get; set; }
    /// <summary>For an alias user: the servers it is limited to; empty means all of its parent's.</summary>
    public List<string> AliasServerIds { get; set; } = [];
    /// <summary>Table preferences and similar UI state, as the client sends it (JSON).</summary>
    public string? Prefs { get; set; }
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
    public bool IsAlias => SharedUserId is not null;
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
        b.Property(u => u.AliasServerIds).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.Property(u => u.TreePath).HasMaxLength(512);
        b.HasIndex(u => u.TreePath);
        b.HasIndex(u => u.SharedUserId);
        b.HasOne(u => u.RootOwner).WithMany().HasForeignKey(u => u.RootOwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(u => u.Role).WithMany().HasForeignKey(u => u.RoleId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.RootOwnerId);
    }
}
