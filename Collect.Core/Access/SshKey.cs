using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Access;

/// <summary>A user's public SSH key, put on machines Collect installs.</summary>
public sealed class SshKey : IAuditable
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public string Name { get; set; } = "";
    public string PublicKey { get; set; } = "";
    public string? Description { get; set; }
    public string KeyType { get; set; } = "";
    public int Bits { get; set; }
    /// <summary>SHA256:… as ssh-keygen -lf prints it.</summary>
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SshKeyConfiguration : IEntityTypeConfiguration<SshKey>
{
    public void Configure(EntityTypeBuilder<SshKey> b)
    {
        b.Property(k => k.Name).HasMaxLength(255);
        b.Property(k => k.PublicKey).HasMaxLength(16384);
        b.Property(k => k.KeyType).HasMaxLength(64);
        b.Property(k => k.Fingerprint).HasMaxLength(128);
        b.HasIndex(k => k.UserId);
        b.HasOne<CollectUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
