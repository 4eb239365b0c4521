using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Hardware;

/// <summary>A kind of hardware part (cpu, memory, disk, …): the root component of inventory items.</summary>
public sealed class InventoryComponent : IAuditable
{
    public int Id { get; set; }
    public string ComponentName { get; set; } = "";
    public string Description { get; set; } = "";
    public string GroupName { get; set; } = "Hardware";
    /// <summary>text, mb or MHz (the built-in disk component uses mib, as the seed shows).</summary>
    public string ValueType { get; set; } = "text";
    public bool NotDeletable { get; set; }
    /// <summary>Ids of the custom fields attached to the component, in order.</summary>
    public List<string> CustomFieldIds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A named extra field of components: free input, a checkbox, or a dropdown of values with stable ids.</summary>
public sealed class InventoryCustomField : IAuditable
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>input, checkbox or dropdown.</summary>
    public string Type { get; set; } = "input";
    /// <summary>Dropdown values as "id:value"; ids stay when the list is edited, so stored choices keep their meaning.</summary>
    public List<string> AvailableValues { get; set; } = [];
    public bool NotDeletable { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public IEnumerable<(string Id, string Value)> Values() => AvailableValues.Select(v =>
    {
        var colon = v.IndexOf(':');
        return (v[..colon], v[(colon + 1)..]);
    });
}

/// <summary>One part of one server, entered by hand or collected from the machine.</summary>
public sealed class ServerInventoryItem : IAuditable
{
    public int Id { get; set; }
    public int ServerId { get; set; }
    public int ComponentId { get; set; }
    public string? Model { get; set; }
    public string? Value { get; set; }
    /// <summary>The value as a whole number when it is one (sizes, MHz): what sums and the server list's filters use.</summary>
    public long? Amount { get; set; }
    public string? Serial { get; set; }
    public string? Description { get; set; }
    /// <summary>Custom field values as "fieldId:value".</summary>
    public List<string> CustomFields { get; set; } = [];
    /// <summary>manual, or collected (replaced by the next collection).</summary>
    public string Source { get; set; } = HardwareSources.Manual;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class HardwareAmount
{
    public static long? Of(string? value) =>
        long.TryParse(value?.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
}

public static class HardwareSources
{
    public const string Manual = "manual";
    public const string Collected = "collected";
}

/// <summary>What the hwdetect script posted for a server, kept until the job has turned it into inventory items.</summary>
public sealed class HardwareReport
{
    public long Id { get; set; }
    public int ServerId { get; set; }
    public string Body { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
}

/// <summary>The callback token of a server's collection command, stored as its SHA-256.</summary>
public sealed class HardwareToken
{
    public int ServerId { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class HardwareConfiguration :
    IEntityTypeConfiguration<InventoryComponent>, IEntityTypeConfiguration<InventoryCustomField>, IEntityTypeConfiguration<ServerInventoryItem>,
    IEntityTypeConfiguration<HardwareReport>, IEntityTypeConfiguration<HardwareToken>
{
    public void Configure(EntityTypeBuilder<InventoryComponent> b)
    {
        b.Property(c => c.ComponentName).HasMaxLength(255);
        b.Property(c => c.Description).HasMaxLength(255);
        b.Property(c => c.GroupName).HasMaxLength(255);
        b.Property(c => c.ValueType).HasMaxLength(16);
        b.Property(c => c.CustomFieldIds).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
    }

    public void Configure(EntityTypeBuilder<InventoryCustomField> b)
    {
        b.Property(f => f.Name).HasMaxLength(255);
        b.Property(f => f.Type).HasMaxLength(16);
        b.Property(f => f.AvailableValues).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
    }

    public void Configure(EntityTypeBuilder<ServerInventoryItem> b)
    {
        b.Property(i => i.Model).HasMaxLength(255);
        b.Property(i => i.Value).HasMaxLength(255);
        b.Property(i => i.Serial).HasMaxLength(255);
        b.Property(i => i.Description).HasMaxLength(1000);
        b.Property(i => i.Source).HasMaxLength(16);
        b.Property(i => i.CustomFields).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(i => new { i.ServerId, i.ComponentId });
        b.HasIndex(i => new { i.ComponentId, i.Model });
        b.HasOne<Servers.Server>().WithMany().HasForeignKey(i => i.ServerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<InventoryComponent>().WithMany().HasForeignKey(i => i.ComponentId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<HardwareReport> b)
    {
        b.HasIndex(r => new { r.ProcessedAt, r.Id });
        b.HasOne<Servers.Server>().WithMany().HasForeignKey(r => r.ServerId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<HardwareToken> b)
    {
        b.HasKey(t => t.ServerId);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasOne<Servers.Server>().WithOne().HasForeignKey<HardwareToken>(t => t.ServerId).OnDelete(DeleteBehavior.Cascade);
    }
}
