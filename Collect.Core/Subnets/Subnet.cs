using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Subnets;

/// <summary>
/// A network and prefix. Only addresses that carry state are rows (<see cref="IpAddress"/>); free addresses are the
/// gaps, so a /8 or an IPv6 /32 costs the same as a /24. Usage counters are kept current on every change.
/// </summary>
public sealed class Subnet : IAuditable
{
    public int Id { get; set; }
    public int? ParentId { get; set; }
    public string Network { get; set; } = "";
    public int Cidr { get; set; }
    /// <summary>v4 or v6.</summary>
    public string Type { get; set; } = "v4";
    /// <summary>First and last address as sortable keys (see <see cref="IpMath.Key(UInt128, System.Net.Sockets.AddressFamily)"/>).</summary>
    public string StartKey { get; set; } = "";
    public string EndKey { get; set; } = "";
    public string? Gateway { get; set; }
    public int UserId { get; set; }
    public string OwnerTreePath { get; set; } = "/";
    public string? Description { get; set; }
    public int? Priority { get; set; }
    public List<string> OfferIfServerHasTag { get; set; } = [];
    public List<string> DontOfferIfServerHasTag { get; set; } = [];
    public List<string> OnlyIfServerHasRemoteAgents { get; set; } = [];
    public bool ApplyRestrictionsToChilds { get; set; }
    public List<string> DnsResolvers { get; set; } = [];
    public bool? EnableSwitchAutomation { get; set; }
    public bool? CopyNetworkAutomationConfigurationToChilds { get; set; }
    public string? VlanMode { get; set; }
    public string? AccessVlanGenerationMode { get; set; }
    public int? StaticAccessVlanId { get; set; }
    public int? RangeStartAccessVlanId { get; set; }
    public int? RangeEndAccessVlanId { get; set; }
    public List<string> TrunkVlans { get; set; } = [];
    public string? VlanLayer3Mode { get; set; }
    public string? VlanLayer3Ip { get; set; }
    public bool? ReuseAccessVlan { get; set; }
    public bool? UseExistingPortAccessVlan { get; set; }
    public bool? VlanRemoveLayer3IpOnUnassign { get; set; }
    public bool? ExcludeFromDynamicIpAssignments { get; set; }
    public int? RdnsServerId { get; set; }
    /// <summary>An IPv6 child subnet given whole to a server.</summary>
    public int? AssignedServerId { get; set; }
    /// <summary>Held back as a whole: nothing is assigned from it and it is not offered to servers.</summary>
    public bool Reserved { get; set; }
    /// <summary>Addresses assigned to servers (rows with a server).</summary>
    public long UsedCount { get; set; }
    /// <summary>Addresses reserved (network, gateway, broadcast, or by hand).</summary>
    public long ReservedCount { get; set; }
    /// <summary>Addresses covered by direct child subnets, as a decimal UInt128 (an IPv6 /48 holds more than a long).</summary>
    public string ChildSpan { get; set; } = "0";
    public int DirectChildCount { get; set; }
    /// <summary>
    /// Where the search for free addresses starts: no free address lies below this key (null: the subnet's start).
    /// Raised inside the write transactions that take addresses, lowered by every release, so finding the next free
    /// address does not walk everything already taken.
    /// </summary>
    public string? FreeFromKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One address that carries state: reserved, assigned to a server, commented or with reverse DNS.</summary>
public sealed class IpAddress : IAuditable
{
    public int Id { get; set; }
    public int SubnetId { get; set; }
    /// <summary>Unique across Collect: an address belongs to one subnet row and at most one server.</summary>
    public string Key { get; set; } = "";
    public string Address { get; set; } = "";
    public bool Reserved { get; set; }
    public int? ServerId { get; set; }
    public bool IsPrimary { get; set; }
    public string? Description { get; set; }
    public string? Rdns { get; set; }
    /// <summary>Listed by a singleIps split: shown in the subnet's address table while still free.</summary>
    public bool Listed { get; set; }
    /// <summary>True when nothing about the address is worth a row any more; such rows are deleted.</summary>
    public bool CarriesNothing => !Reserved && ServerId is null && Description is null && Rdns is null && !Listed;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SubnetConfiguration : IEntityTypeConfiguration<Subnet>
{
    public void Configure(EntityTypeBuilder<Subnet> b)
    {
        b.Property(s => s.Network).HasMaxLength(64);
        b.Property(s => s.Type).HasMaxLength(2);
        b.Property(s => s.StartKey).HasMaxLength(33);
        b.Property(s => s.EndKey).HasMaxLength(33);
        b.Property(s => s.Gateway).HasMaxLength(64);
        b.Property(s => s.OwnerTreePath).HasMaxLength(512);
        b.Property(s => s.ChildSpan).HasMaxLength(40);
        b.Property(s => s.VlanMode).HasMaxLength(32);
        b.Property(s => s.AccessVlanGenerationMode).HasMaxLength(32);
        b.Property(s => s.VlanLayer3Mode).HasMaxLength(32);
        b.Property(s => s.VlanLayer3Ip).HasMaxLength(64);
        foreach (var list in new[] { nameof(Subnet.OfferIfServerHasTag), nameof(Subnet.DontOfferIfServerHasTag), nameof(Subnet.OnlyIfServerHasRemoteAgents), nameof(Subnet.DnsResolvers), nameof(Subnet.TrunkVlans) })
            b.Property<List<string>>(list).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.Property(s => s.FreeFromKey).HasMaxLength(33);
        // The deepest subnet holding an address: the last start at or below it, the longest prefix first.
        b.HasIndex(s => new { s.Type, s.StartKey, s.Cidr });
        b.HasIndex(s => new { s.ParentId, s.StartKey });
        b.HasIndex(s => s.OwnerTreePath);
        b.HasIndex(s => s.AssignedServerId);
        b.HasOne<Subnet>().WithMany().HasForeignKey(s => s.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Access.CollectUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IpAddressConfiguration : IEntityTypeConfiguration<IpAddress>
{
    public void Configure(EntityTypeBuilder<IpAddress> b)
    {
        b.Property(a => a.Key).HasMaxLength(33);
        b.Property(a => a.Address).HasMaxLength(64);
        b.Property(a => a.Rdns).HasMaxLength(255);
        b.HasIndex(a => a.Key).IsUnique();
        // Covering the free-space walk: the keys of a subnet's taken addresses in order, without touching the rows.
        b.HasIndex(a => new { a.SubnetId, a.Key, a.Reserved, a.ServerId });
        b.HasIndex(a => a.ServerId);
        b.HasOne<Subnet>().WithMany().HasForeignKey(a => a.SubnetId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Servers.Server>().WithMany().HasForeignKey(a => a.ServerId).OnDelete(DeleteBehavior.SetNull);
    }
}
