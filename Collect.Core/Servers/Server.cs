using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Servers;

/// <summary>A machine Collect manages. Its owner sits somewhere in the tenant tree; everyone above sees it too.</summary>
public sealed class Server : IAuditable
{
    public int Id { get; set; }
    public string Hostname { get; set; } = "";
    public string Servername { get; set; } = "";
    /// <summary>The end owner (admin, reseller or end user).</summary>
    public int UserId { get; set; }
    /// <summary>The owner's tree path, copied here so a tenant's servers are one indexed prefix query.</summary>
    public string OwnerTreePath { get; set; } = "/";
    public string? Description { get; set; }
    public string? Os { get; set; }
    public string ServerType { get; set; } = ServerTypes.Auto;
    public List<ServerTag> Tags { get; set; } = [];
    public List<ServerAssignment> Assignments { get; set; } = [];
    /// <summary>Owners for whom the server is suspended: they see it but may not act on it.</summary>
    public List<string> SuspendedUserIds { get; set; } = [];
    public string? SuspendPowerAction { get; set; }
    public string? SuspendNetworkPortAction { get; set; }
    public string? PrimaryIp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class ServerTypes
{
    public const string Auto = "auto";
    public const string Dedicated = "dedicated";
    public const string Vps = "vps";
    public static readonly string[] All = [Auto, Dedicated, Vps];
}

/// <summary>One tag on one server; a table of its own so tag queries use an index.</summary>
public sealed class ServerTag
{
    public int ServerId { get; set; }
    public string Tag { get; set; } = "";
}

/// <summary>When a server came into an owner's hands; one row for each user on the owner chain.</summary>
public sealed class ServerAssignment
{
    public int Id { get; set; }
    public int ServerId { get; set; }
    public int UserId { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
}

internal sealed class ServerConfiguration : IEntityTypeConfiguration<Server>
{
    public void Configure(EntityTypeBuilder<Server> b)
    {
        b.Property(s => s.Hostname).HasMaxLength(255);
        b.Property(s => s.Servername).HasMaxLength(255);
        b.Property(s => s.OwnerTreePath).HasMaxLength(512);
        b.Property(s => s.Os).HasMaxLength(255);
        b.Property(s => s.ServerType).HasMaxLength(16);
        b.Property(s => s.SuspendPowerAction).HasMaxLength(32);
        b.Property(s => s.SuspendNetworkPortAction).HasMaxLength(32);
        b.Property(s => s.PrimaryIp).HasMaxLength(64);
        b.Property(s => s.SuspendedUserIds).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(s => s.OwnerTreePath);
        b.HasIndex(s => s.UserId);
        b.HasIndex(s => s.Servername);
        b.HasIndex(s => s.Hostname);
        b.HasIndex(s => s.PrimaryIp);
        b.HasMany(s => s.Tags).WithOne().HasForeignKey(t => t.ServerId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Assignments).WithOne().HasForeignKey(a => a.ServerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Access.CollectUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ServerTagConfiguration : IEntityTypeConfiguration<ServerTag>
{
    public void Configure(EntityTypeBuilder<ServerTag> b)
    {
        b.HasKey(t => new { t.ServerId, t.Tag });
        b.Property(t => t.Tag).HasMaxLength(255);
        b.HasIndex(t => t.Tag);
    }
}

internal sealed class ServerAssignmentConfiguration : IEntityTypeConfiguration<ServerAssignment>
{
    public void Configure(EntityTypeBuilder<ServerAssignment> b)
    {
        b.HasIndex(a => new { a.ServerId, a.UserId }).IsUnique();
    }
}
