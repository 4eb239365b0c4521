using System.Text.Json;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.ConfigItems;

/// <summary>A kind of configuration item (licence, contract, rack, service) with its named, typed fields.</summary>
public sealed class ConfigType : IAuditable
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>The field definitions as JSON (a list of <see cref="ConfigFieldDefinition"/>), in display order.</summary>
    public string FieldsJson { get; set; } = "[]";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlyList<ConfigFieldDefinition> Fields =>
        JsonSerializer.Deserialize<List<ConfigFieldDefinition>>(FieldsJson, ConfigJson.Options) ?? [];
}

/// <summary>One field of a config type. Options only for dropdowns.</summary>
public sealed record ConfigFieldDefinition(string Name, string Type, bool Required = false, IReadOnlyList<string>? Options = null);

public static class ConfigFieldTypes
{
    public const string Text = "text";
    public const string Number = "number";
    public const string Date = "date";
    public const string Boolean = "boolean";
    public const string Dropdown = "dropdown";
    public static readonly string[] All = [Text, Number, Date, Boolean, Dropdown];
}

/// <summary>How two items relate, e.g. "runs on", "depends on", "licensed to".</summary>
public sealed class ConfigRelationshipType : IAuditable
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A configuration item. Owned like a server: its owner sits in the tenant tree and everyone above sees it too.
/// Field values are kept as normalised text (numbers invariant, dates yyyy-MM-dd, booleans true/false).
/// </summary>
public sealed class ConfigItem : IAuditable
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int ConfigTypeId { get; set; }
    public int UserId { get; set; }
    /// <summary>The owner's tree path, copied here so a tenant's items are one indexed prefix query.</summary>
    public string OwnerTreePath { get; set; } = "/";
    public string? Description { get; set; }
    /// <summary>When set, changes to the item appear in the activity feed of everyone watching it.</summary>
    public bool NotifyWatchlisted { get; set; }
    public string TypeFieldsJson { get; set; } = "{}";
    public string AdditionalFieldsJson { get; set; } = "{}";
    public List<ConfigRelationship> Relationships { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Dictionary<string, string> TypeFields => ConfigJson.Map(TypeFieldsJson);
    public Dictionary<string, string> AdditionalFields => ConfigJson.Map(AdditionalFieldsJson);
}

/// <summary>A relationship from an item to exactly one other thing: a config item, a server or a system.</summary>
public sealed class ConfigRelationship
{
    public int Id { get; set; }
    public int ConfigItemId { get; set; }
    public int RelationshipTypeId { get; set; }
    public int? OtherConfigItemId { get; set; }
    public int? ServerId { get; set; }
    public string? SystemId { get; set; }
}

/// <summary>Someone watching an item: its changes reach their activity feed while the item notifies watchers.</summary>
public sealed class ConfigItemWatcher
{
    public int ConfigItemId { get; set; }
    public int UserId { get; set; }
}

internal static class ConfigJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static Dictionary<string, string> Map(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Options) ?? [];

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);
}

internal sealed class ConfigTypeConfiguration : IEntityTypeConfiguration<ConfigType>
{
    public void Configure(EntityTypeBuilder<ConfigType> b)
    {
        b.Property(t => t.Name).HasMaxLength(255);
        b.Property(t => t.Description).HasMaxLength(4000);
        b.HasIndex(t => t.Name).IsUnique();
        b.Ignore(t => t.Fields);
    }
}

internal sealed class ConfigRelationshipTypeConfiguration : IEntityTypeConfiguration<ConfigRelationshipType>
{
    public void Configure(EntityTypeBuilder<ConfigRelationshipType> b)
    {
        b.Property(t => t.Name).HasMaxLength(255);
        b.Property(t => t.Description).HasMaxLength(4000);
        b.HasIndex(t => t.Name).IsUnique();
    }
}

internal sealed class ConfigItemConfiguration : IEntityTypeConfiguration<ConfigItem>
{
    public void Configure(EntityTypeBuilder<ConfigItem> b)
    {
        b.Property(i => i.Name).HasMaxLength(255);
        b.Property(i => i.Description).HasMaxLength(10000);
        b.Property(i => i.OwnerTreePath).HasMaxLength(512);
        b.Ignore(i => i.TypeFields);
        b.Ignore(i => i.AdditionalFields);
        b.HasIndex(i => i.OwnerTreePath);
        b.HasIndex(i => new { i.ConfigTypeId, i.Name });
        b.HasIndex(i => i.UserId);
        // A type in use cannot be deleted: the service refuses with 422 first.
        b.HasOne<ConfigType>().WithMany().HasForeignKey(i => i.ConfigTypeId).OnDelete(DeleteBehavior.Restrict);
        // A deleted account takes its items along, as the rest of its tenant data goes with it.
        b.HasOne<Access.CollectUser>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Relationships).WithOne().HasForeignKey(r => r.ConfigItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConfigRelationshipConfiguration : IEntityTypeConfiguration<ConfigRelationship>
{
    public void Configure(EntityTypeBuilder<ConfigRelationship> b)
    {
        b.Property(r => r.SystemId).HasMaxLength(36);
        // Whatever the relationship points at, its removal removes the relationship too (both ends).
        b.HasOne<ConfigItem>().WithMany().HasForeignKey(r => r.OtherConfigItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Servers.Server>().WithMany().HasForeignKey(r => r.ServerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Systems.ManagedSystem>().WithMany().HasForeignKey(r => r.SystemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ConfigRelationshipType>().WithMany().HasForeignKey(r => r.RelationshipTypeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => r.OtherConfigItemId);
        b.HasIndex(r => r.ServerId);
        b.HasIndex(r => r.SystemId);
    }
}

internal sealed class ConfigItemWatcherConfiguration : IEntityTypeConfiguration<ConfigItemWatcher>
{
    public void Configure(EntityTypeBuilder<ConfigItemWatcher> b)
    {
        b.HasKey(w => new { w.ConfigItemId, w.UserId });
        b.HasOne<ConfigItem>().WithMany().HasForeignKey(w => w.ConfigItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Access.CollectUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(w => w.UserId);
    }
}
