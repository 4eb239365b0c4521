using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Servers;

/// <summary>A note on a server; HTML, sanitised before it is stored. Sticky comments are listed first.</summary>
public sealed class ServerComment : IAuditable
{
    public int Id { get; set; }
    public int ServerId { get; set; }
    public int UserId { get; set; }
    public string Comment { get; set; } = "";
    public bool Sticky { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>How Collect reaches a server: IPMI, DHCP/PXE, a switch port. Typed details live in <see cref="Meta"/> (JSON).</summary>
public sealed class ServerConnection : IAuditable
{
    public int Id { get; set; }
    public int ServerId { get; set; }
    public int AgentId { get; set; }
    public string Type { get; set; } = "";
    public List<string> Types { get; set; } = [];
    /// <summary>JSON object of the type's fields; secrets inside are masked on output.</summary>
    public string Meta { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ServerCommentConfiguration : IEntityTypeConfiguration<ServerComment>
{
    public void Configure(EntityTypeBuilder<ServerComment> b)
    {
        b.HasIndex(c => c.ServerId);
        b.HasOne<Server>().WithMany().HasForeignKey(c => c.ServerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ServerConnectionConfiguration : IEntityTypeConfiguration<ServerConnection>
{
    public void Configure(EntityTypeBuilder<ServerConnection> b)
    {
        b.Property(c => c.Type).HasMaxLength(32);
        b.Property(c => c.Types).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(c => c.ServerId);
        b.HasOne<Server>().WithMany().HasForeignKey(c => c.ServerId).OnDelete(DeleteBehavior.Cascade);
    }
}
