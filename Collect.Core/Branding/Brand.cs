using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Branding;

/// <summary>
/// A reseller's panel on its own domain: texts, colour schemes, theme options, logos and language overrides. The
/// request's host picks the brand; the default brand answers every other host.
/// </summary>
public sealed class Brand : IAuditable
{
    public int Id { get; set; }
    /// <summary>Lower-case host name, unique.</summary>
    public string Domain { get; set; } = "";
    public int UserId { get; set; }
    public string OwnerTreePath { get; set; } = "/";
    public bool IsDefault { get; set; }
    /// <summary>The other fields of seed 002 as a JSON object (texts, flags, sizes, color_scheme, languageOverrides).</summary>
    public string Settings { get; set; } = "{}";
    /// <summary>Stored logo files by slot (lightlogo, darklogo, favicon) as "slot:file-name".</summary>
    public List<string> Logos { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string? LogoFile(string slot) => Logos.FirstOrDefault(l => l.StartsWith(slot + ":", StringComparison.Ordinal))?[(slot.Length + 1)..];
}

internal sealed class BrandConfiguration : IEntityTypeConfiguration<Brand>
{
    public void Configure(EntityTypeBuilder<Brand> b)
    {
        b.Property(x => x.Domain).HasMaxLength(255);
        b.Property(x => x.OwnerTreePath).HasMaxLength(512);
        b.Property(x => x.Logos).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(x => x.Domain).IsUnique();
        b.HasIndex(x => x.OwnerTreePath);
        b.HasOne<Access.CollectUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
