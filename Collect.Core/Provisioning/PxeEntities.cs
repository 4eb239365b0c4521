using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Provisioning;

public static class PxeKinds
{
    public const string Profile = "profile";
    public const string DiskLayout = "disklayout";
    public const string Script = "script";
}

/// <summary>
/// An entry of the PXE library: an OS profile, a disk layout or a post-install script. Name, tags and the flags that
/// lists filter on are columns; every other field of the seed lives in <see cref="Settings"/>, validated by
/// <see cref="PxeSchema"/>.
/// </summary>
public sealed class PxeItem : IAuditable
{
    public int Id { get; set; }
    public string Kind { get; set; } = PxeKinds.Profile;
    public string Name { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public bool IsDisabled { get; set; }
    public bool IsStockTemplate { get; set; }
    /// <summary>The stock template this entry came from ("debian12"), for restore.</summary>
    public string? InternalKey { get; set; }
    /// <summary>The other fields as a JSON object.</summary>
    public string Settings { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class InstallationStatuses
{
    public const string Pending = "pending";
    public const string Booting = "booting";
    public const string Installing = "installing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Aborted = "aborted";
    public static bool IsFinished(string status) => status is Completed or Failed or Aborted;
}

/// <summary>A reinstallation of a server: what to install, its token for the booting machine, and its progress.</summary>
public sealed class Installation : IAuditable
{
    public int Id { get; set; }
    public int ServerId { get; set; }
    public int ProfileId { get; set; }
    public int? DiskLayoutId { get; set; }
    public List<string> ScriptIds { get; set; } = [];
    public string? Hostname { get; set; }
    public List<string> SshKeys { get; set; } = [];
    /// <summary>SHA-512 crypt of the root password; the password itself is never stored.</summary>
    public string RootPasswordHash { get; set; } = "";
    public string? UserDiskLayout { get; set; }
    public bool ConfigureAllIpv4 { get; set; }
    public bool ConfigureAllIpv6 { get; set; }
    public string PowerAction { get; set; } = "noRestart";
    /// <summary>The booting machine's credential for this installation's files and callbacks.</summary>
    public string Token { get; set; } = "";
    public string Status { get; set; } = InstallationStatuses.Pending;
    public int Step { get; set; } = 1;
    /// <summary>Progress entries as "unix-ms|step|message".</summary>
    public List<string> Progress { get; set; } = [];
    public int StartedByUserId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ProvisioningConfiguration : IEntityTypeConfiguration<PxeItem>, IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<PxeItem> b)
    {
        b.Property(p => p.Kind).HasMaxLength(16);
        b.Property(p => p.Name).HasMaxLength(255);
        b.Property(p => p.InternalKey).HasMaxLength(64);
        b.Property(p => p.Tags).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(p => new { p.Kind, p.Name });
    }

    public void Configure(EntityTypeBuilder<Installation> b)
    {
        b.Property(i => i.Hostname).HasMaxLength(255);
        b.Property(i => i.RootPasswordHash).HasMaxLength(128);
        b.Property(i => i.PowerAction).HasMaxLength(32);
        b.Property(i => i.Token).HasMaxLength(64);
        b.Property(i => i.Status).HasMaxLength(16);
        foreach (var list in new[] { nameof(Installation.ScriptIds), nameof(Installation.SshKeys), nameof(Installation.Progress) })
            b.Property<List<string>>(list).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(i => i.Token).IsUnique();
        b.HasIndex(i => new { i.ServerId, i.Id });
        b.HasOne<Servers.Server>().WithMany().HasForeignKey(i => i.ServerId).OnDelete(DeleteBehavior.Cascade);
    }
}
