using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Systems;

/// <summary>A machine whose agent posts its inventory (seed 000). Its key and secret are the agent's Basic credentials.</summary>
public sealed class ManagedSystem : IAuditable
{
    /// <summary>A UUID, as the seed shows; the key is "NETH-" and the same UUID.</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    /// <summary>online, offline or maintenance.</summary>
    public string Status { get; set; } = "online";
    public string? Fqdn { get; set; }
    public string? Ipv4Address { get; set; }
    public string? Ipv6Address { get; set; }
    public string? Version { get; set; }
    public DateTimeOffset? LastSeen { get; set; }
    public DateTimeOffset? LastHeartbeat { get; set; }
    /// <summary>The custom_data object as JSON text.</summary>
    public string CustomData { get; set; } = "{}";
    public string SystemKey { get; set; } = "";
    /// <summary>SHA-256 (hex) of the secret; the secret itself is shown once and never stored.</summary>
    public string SecretHash { get; set; } = "";
    public string SecretHint { get; set; } = "";
    public int CreatedByUserId { get; set; }
    /// <summary>The creator's account (scope user) and its place in the tenant tree: who may see the system.</summary>
    public int OwnerUserId { get; set; }
    public string OwnerTreePath { get; set; } = "/";
    /// <summary>Set when deleted: the agent's credentials stop working and the system leaves every list.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An inventory body, stored once however many records point at it (content-addressed by its SHA-256).</summary>
public sealed class InventoryBlob
{
    public string Hash { get; set; } = "";
    public byte[] Data { get; set; } = [];
    public long Size { get; set; }
}

/// <summary>
/// An upload as the intake stores it: one row, appended, with no index but its id, so that answering an agent costs
/// one small write (DESIGN §8). The processor moves it into a content-addressed <see cref="InventoryBlob"/> and an
/// <see cref="InventoryRecord"/> with the same id; until then the reading API shows it as a pending record.
/// </summary>
public sealed class InventoryInboxItem
{
    /// <summary>Becomes the record's id: ids only grow (AUTOINCREMENT), and start above every record's.</summary>
    public long Id { get; set; }
    public string SystemId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public string Hash { get; set; } = "";
    public long Size { get; set; }
    public byte[] Body { get; set; } = [];
}

/// <summary>One upload of a system's inventory (seed 003): pending until the processor has diffed it.</summary>
public sealed class InventoryRecord
{
    public long Id { get; set; }
    public string SystemId { get; set; } = "";
    /// <summary>When the inventory was received.</summary>
    public DateTimeOffset Timestamp { get; set; }
    public string DataHash { get; set; } = "";
    public long DataSize { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public bool HasChanges { get; set; }
    public int ChangeCount { get; set; }
    /// <summary>How many times processing this record failed; at <see cref="InventoryProcessor.MaxAttempts"/> it is marked failed.</summary>
    public int Attempts { get; set; }
    public bool Failed { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One change between two inventories of a system. Diffs outlive the records that retention thins away.</summary>
public sealed class InventoryDiff
{
    public long Id { get; set; }
    public string SystemId { get; set; } = "";
    public long? InventoryId { get; set; }
    public long? PreviousInventoryId { get; set; }
    public string FieldPath { get; set; } = "";
    public string? PreviousValue { get; set; }
    public string? CurrentValue { get; set; }
    /// <summary>create, update or delete.</summary>
    public string DiffType { get; set; } = "";
    public string Category { get; set; } = "";
    /// <summary>low, medium, high or critical.</summary>
    public string Severity { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ManagedSystemConfiguration : IEntityTypeConfiguration<ManagedSystem>
{
    public void Configure(EntityTypeBuilder<ManagedSystem> b)
    {
        b.ToTable("Systems");
        b.Property(s => s.Id).HasMaxLength(36);
        b.Property(s => s.Name).HasMaxLength(255);
        b.Property(s => s.Type).HasMaxLength(64);
        b.Property(s => s.Status).HasMaxLength(16);
        b.Property(s => s.Fqdn).HasMaxLength(255);
        b.Property(s => s.Ipv4Address).HasMaxLength(64);
        b.Property(s => s.Ipv6Address).HasMaxLength(64);
        b.Property(s => s.Version).HasMaxLength(64);
        b.Property(s => s.SystemKey).HasMaxLength(64);
        b.Property(s => s.SecretHash).HasMaxLength(64);
        b.Property(s => s.SecretHint).HasMaxLength(8);
        b.Property(s => s.OwnerTreePath).HasMaxLength(512);
        b.HasIndex(s => s.SystemKey).IsUnique();
        b.HasIndex(s => s.OwnerTreePath);
        b.HasIndex(s => s.Name);
    }
}

internal sealed class InventoryBlobConfiguration : IEntityTypeConfiguration<InventoryBlob>
{
    public void Configure(EntityTypeBuilder<InventoryBlob> b)
    {
        b.HasKey(x => x.Hash);
        b.Property(x => x.Hash).HasMaxLength(64);
    }
}

internal sealed class InventoryInboxItemConfiguration : IEntityTypeConfiguration<InventoryInboxItem>
{
    public void Configure(EntityTypeBuilder<InventoryInboxItem> b)
    {
        b.ToTable("InventoryInbox");
        b.Property(i => i.SystemId).HasMaxLength(36);
        b.Property(i => i.Hash).HasMaxLength(64);
    }
}

internal sealed class InventoryRecordConfiguration : IEntityTypeConfiguration<InventoryRecord>
{
    public void Configure(EntityTypeBuilder<InventoryRecord> b)
    {
        b.Property(r => r.SystemId).HasMaxLength(36);
        b.Property(r => r.DataHash).HasMaxLength(64);
        b.Property(r => r.Error).HasMaxLength(2000);
        b.HasIndex(r => new { r.SystemId, r.Id });
        // The processor's queue: pending records in arrival order.
        b.HasIndex(r => new { r.ProcessedAt, r.Id });
        b.HasIndex(r => r.DataHash);
        b.HasOne<ManagedSystem>().WithMany().HasForeignKey(r => r.SystemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<InventoryBlob>().WithMany().HasForeignKey(r => r.DataHash).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InventoryDiffConfiguration : IEntityTypeConfiguration<InventoryDiff>
{
    public void Configure(EntityTypeBuilder<InventoryDiff> b)
    {
        b.Property(d => d.SystemId).HasMaxLength(36);
        b.Property(d => d.FieldPath).HasMaxLength(1024);
        b.Property(d => d.DiffType).HasMaxLength(8);
        b.Property(d => d.Category).HasMaxLength(32);
        b.Property(d => d.Severity).HasMaxLength(8);
        b.HasIndex(d => new { d.SystemId, d.Id });
        b.HasIndex(d => d.InventoryId);
        b.HasOne<ManagedSystem>().WithMany().HasForeignKey(d => d.SystemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<InventoryRecord>().WithMany().HasForeignKey(d => d.InventoryId).OnDelete(DeleteBehavior.SetNull);
    }
}
