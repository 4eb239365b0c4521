using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Access;

/// <summary>A one-time login link (/tokenLogin/{token}); only the SHA-256 of the token is stored.</summary>
public sealed class SsoToken
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public string TokenHash { get; set; } = "";
    public string Endpoint { get; set; } = "/";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public int CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SsoTokenConfiguration : IEntityTypeConfiguration<SsoToken>
{
    public void Configure(EntityTypeBuilder<SsoToken> b)
    {
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.Property(t => t.Endpoint).HasMaxLength(2048);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.ExpiresAt);
        b.HasOne<CollectUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
