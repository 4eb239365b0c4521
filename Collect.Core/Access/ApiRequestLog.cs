using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Access;

/// <summary>One management-API request by a signed-in user: the user's access log.</summary>
public sealed class ApiRequestLog
{
    public long Id { get; set; }
    public int UserId { get; set; }
    public int? TokenId { get; set; }
    public string Method { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public int Status { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string? RequestBody { get; set; }
    public string? ResponseBody { get; set; }
    public int DurationMs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ApiRequestLogConfiguration : IEntityTypeConfiguration<ApiRequestLog>
{
    public void Configure(EntityTypeBuilder<ApiRequestLog> b)
    {
        b.Property(l => l.Method).HasMaxLength(16);
        b.Property(l => l.Endpoint).HasMaxLength(2048);
        b.Property(l => l.Ip).HasMaxLength(64);
        b.Property(l => l.UserAgent).HasMaxLength(512);
        b.HasIndex(l => new { l.UserId, l.CreatedAt });
        b.HasIndex(l => l.CreatedAt);
    }
}
