using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Files;

/// <summary>A file attached to an object (e.g. a server comment). The bytes live in the file store under <see cref="StorageName"/>.</summary>
public sealed class StoredFile
{
    public int Id { get; set; }
    /// <summary>What the file belongs to, e.g. "server_comment", and that object's id.</summary>
    public string OwnerType { get; set; } = "";
    public int OwnerId { get; set; }
    /// <summary>The server whose access decides who may download it.</summary>
    public int? ServerId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string StorageName { get; set; } = "";
    public int UploadedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> b)
    {
        b.Property(f => f.OwnerType).HasMaxLength(32);
        b.Property(f => f.FileName).HasMaxLength(255);
        b.Property(f => f.ContentType).HasMaxLength(128);
        b.Property(f => f.Sha256).HasMaxLength(64);
        b.Property(f => f.StorageName).HasMaxLength(128);
        b.HasIndex(f => new { f.OwnerType, f.OwnerId });
        b.HasIndex(f => f.ServerId);
    }
}
