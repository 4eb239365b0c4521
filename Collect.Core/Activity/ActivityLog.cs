using Collect.Core.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Activity;

/// <summary>A record of one change made through a service: who, from where, to what, and how.</summary>
public sealed class ActivityLog
{
    public long Id { get; set; }
    public int? UserId { get; set; }
    public string UserName { get; set; } = "";
    public int? ImpersonatorId { get; set; }
    public string? Ip { get; set; }
    public string Source { get; set; } = ActivitySources.Web;
    public string? Endpoint { get; set; }
    public string? Method { get; set; }
    public string RootType { get; set; } = "";
    public string? RootId { get; set; }
    public string Description { get; set; } = "";
    /// <summary>JSON <c>{"original": {...}, "new": {...}}</c> with secrets redacted.</summary>
    public string? ModelChanges { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ActivityLogConfiguration : IEntityTypeConfiguration<ActivityLog>
{
    public void Configure(EntityTypeBuilder<ActivityLog> b)
    {
        b.Property(a => a.UserName).HasMaxLength(256);
        b.Property(a => a.Ip).HasMaxLength(64);
        b.Property(a => a.Source).HasMaxLength(16);
        b.Property(a => a.Endpoint).HasMaxLength(2048);
        b.Property(a => a.Method).HasMaxLength(16);
        b.Property(a => a.RootType).HasMaxLength(64);
        b.Property(a => a.RootId).HasMaxLength(64);
        b.HasIndex(a => new { a.RootType, a.RootId });
        b.HasIndex(a => new { a.UserId, a.CreatedAt });
        b.HasIndex(a => a.CreatedAt);
    }
}
