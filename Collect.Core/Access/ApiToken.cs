using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Access;

/// <summary>A bearer token for the management API. Only the SHA-256 of the secret is stored.</summary>
public sealed class ApiToken : IAuditable
{
    public int Id { get; set; }
    public int UserId { get; set; }
    public CollectUser? User { get; set; }
    public string Name { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public List<string> AllowedHosts { get; set; } = [];
    public DateTimeOffset? LastUsed { get; set; }
    /// <summary>While set, requests with this token act as that user (impersonation started through the API).</summary>
    public int? ImpersonatingUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(255);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.Property(t => t.AllowedHosts).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
