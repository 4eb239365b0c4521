using Collect.Core.Access;
using Collect.Core.Subnets;
using Collect.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Subnets;

/// <summary>The sparse subnet model: address math at the edges, overlap refusal, counters after each change, gaps.</summary>
public sealed class SubnetServiceTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private SubnetService Subnets => factory.Services.GetRequiredService<SubnetService>();
    private static readonly Actor Admin = new(1, "admin", RoleLevels.Admin) { TreePath = "/1/" };

    private async Task<SubnetView> CreateAsync(string network, int cidr, string type = "v4", string? gw = null, bool generate = false)
    {
        var result = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = network, Cidr = cidr, Type = type, Gw = gw, GenerateIps = generate });
        Assert.True(result.IsOk, string.Join("; ", result.Errors?.SelectMany(e => e.Value) ?? []));
        return result.Value!;
    }

    [Fact]
    public async Task Generating_ips_reserves_network_gateway_and_broadcast_of_a_v4_subnet()
    {
        var subnet = await CreateAsync("192.0.2.0", 24, gw: "192.0.2.1", generate: true);

        Assert.Equal(new SubnetUsage(253, 3, 0, 256, 1.17), subnet.Usage);
        Assert.Equal("255.255.255.0", subnet.Netmask);
        Assert.Equal("192.0.2.2", await Subnets.NextFreeAsync(subnet.Subnet.Id));
    }

    [Theory]
    [InlineData("198.51.100.0", 31, "v4", 2)]
    [InlineData("198.51.100.9", 32, "v4", 1)]
    [InlineData("2001:db8:ff::", 127, "v6", 2)]
    [InlineData("2001:db8:ff::9", 128, "v6", 1)]
    public async Task Point_to_point_and_host_subnets_keep_every_address_usable(string network, int cidr, string type, int total)
    {
        var subnet = await CreateAsync(network, cidr, type, generate: true);

        Assert.Equal((UInt128)total, subnet.Usage.TotalIps);
        Assert.Equal(0, subnet.Usage.Reserved);
        Assert.Equal(network, await Subnets.NextFreeAsync(subnet.Subnet.Id));
    }

    [Theory]
    [InlineData("10.1.2.3", 24, "v4", null, "subnet", "did you mean 10.1.2.0")]
    [InlineData("0.0.0.0", 0, "v4", null, "cidr", "between 1 and 32")]
    [InlineData("::", 4, "v6", null, "cidr", "between 8 and 128")]
    [InlineData("10.9.0.0", 33, "v4", null, "cidr", "between 1 and 32")]
    [InlineData("10.9.0.0", 24, "v4", "10.9.1.1", "gw", "outside the subnet")]
    [InlineData("10.9.0.0", 24, "v6", null, "subnet", "valid IPv6")]
    [InlineData("2001:db8::", 32, "v6", "10.0.0.1", "gw", "family")]
    public async Task Bad_subnets_are_refused_naming_the_problem(string network, int cidr, string type, string? gw, string field, string message)
    {
        var result = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = network, Cidr = cidr, Type = type, Gw = gw });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(message, result.Errors![field][0]);
    }

    [Fact]
    public async Task A_netmask_stands_in_for_the_prefix_and_a_broken_one_is_refused()
    {
        var ok = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = "172.20.0.0", Netmask = "255.255.0.0", Type = "v4" });
        var bad = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = "172.21.0.0", Netmask = "255.0.255.0", Type = "v4" });

        Assert.Equal(16, ok.Value!.Subnet.Cidr);
        Assert.Equal(ResultStatus.Invalid, bad.Status);
        Assert.True(bad.Errors!.ContainsKey("netmask"));
    }

    [Fact]
    public async Task A_subnet_overlapping_a_sibling_is_refused_and_one_inside_becomes_its_child()
    {
        var parent = await CreateAsync("10.50.0.0", 16);
        var child = await CreateAsync("10.50.1.0", 24);

        var overlapping = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = "10.50.0.0", Cidr = 23, Type = "v4" });
        var duplicate = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = "10.50.0.0", Cidr = 16, Type = "v4" });

        Assert.Equal(parent.Subnet.Id, child.Subnet.ParentId);
        Assert.Equal(ResultStatus.Invalid, overlapping.Status);
        Assert.Contains("overlaps 10.50.1.0/24", overlapping.Errors!["subnet"][0]);
        Assert.Equal(ResultStatus.Invalid, duplicate.Status);
        var reread = (await Subnets.GetAsync(Admin, parent.Subnet.Id)).Value!;
        Assert.Equal((UInt128)256, reread.Usage.Used);
        Assert.Equal((UInt128)(65536 - 256), reread.Usage.Free);
    }

    [Fact]
    public async Task Free_addresses_skip_reserved_ones_and_child_subnets_and_page()
    {
        var parent = await CreateAsync("10.60.0.0", 29, gw: "10.60.0.1", generate: true); // .0 network, .1 gateway, .7 broadcast
        await CreateAsync("10.60.0.4", 31); // a child holding .4 and .5

        var first = (await Subnets.ListFreeAsync(Admin, parent.Subnet.Id, new PageRequest(1, 2))).Value!;
        var second = (await Subnets.ListFreeAsync(Admin, parent.Subnet.Id, new PageRequest(2, 2))).Value!;

        Assert.Equal(["10.60.0.2", "10.60.0.3"], first.Items.Select(f => f.Ip));
        Assert.Equal(["10.60.0.6"], second.Items.Select(f => f.Ip));
        Assert.Equal(3, first.Total);
    }

    [Fact]
    public async Task Reserving_and_unreserving_keeps_the_counters_current()
    {
        var subnet = await CreateAsync("10.70.0.0", 24);

        await Subnets.SetReservedAsync(Admin, ["10.70.0.10", "10.70.0.11", "10.70.0.10"], reserved: true);
        var reserved = (await Subnets.GetAsync(Admin, subnet.Subnet.Id)).Value!;
        await Subnets.SetReservedAsync(Admin, ["10.70.0.10"], reserved: false);
        var after = (await Subnets.GetAsync(Admin, subnet.Subnet.Id)).Value!;

        Assert.Equal(2, reserved.Usage.Reserved);
        Assert.Equal((UInt128)254, reserved.Usage.Free);
        Assert.Equal(1, after.Usage.Reserved);
        Assert.Equal("10.70.0.0", await Subnets.NextFreeAsync(subnet.Subnet.Id));
    }

    [Fact]
    public async Task A_slash_8_and_an_ipv6_slash_32_cost_nothing_until_addresses_carry_state()
    {
        var big = await CreateAsync("11.0.0.0", 8, gw: "11.0.0.1", generate: true);
        var v6 = await CreateAsync("2a0b:4d00::", 32, "v6", gw: "2a0b:4d00::1", generate: true);

        Assert.Equal((UInt128)16_777_216, big.Usage.TotalIps);
        Assert.Equal(UInt128.One << 96, v6.Usage.TotalIps);
        Assert.Equal("11.0.0.2", await Subnets.NextFreeAsync(big.Subnet.Id));
        Assert.Equal("2a0b:4d00::2", await Subnets.NextFreeAsync(v6.Subnet.Id));
        var rows = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.IpAddresses, a => a.SubnetId == big.Subnet.Id));
        Assert.Equal(3, rows);
    }

    [Fact]
    public async Task An_ipv6_address_never_stands_for_the_ipv4_address_with_the_same_number()
    {
        await CreateAsync("10.0.0.0", 24);
        await CreateAsync("::", 96, "v6");
        await Subnets.SetReservedAsync(Admin, ["10.0.0.5"], reserved: true);

        var unreserved = await Subnets.SetReservedAsync(Admin, ["::a00:5"], reserved: false);
        var reservedV6 = await Subnets.SetReservedAsync(Admin, ["::a00:5"], reserved: true);

        Assert.Equal(0, unreserved.Value);
        Assert.Equal(1, reservedV6.Value);
        var v4 = IpMath.Key(System.Net.IPAddress.Parse("10.0.0.5"));
        var v6 = IpMath.Key(System.Net.IPAddress.Parse("::a00:5"));
        var rows = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            System.Linq.Queryable.Where(db.IpAddresses, a => a.Key == v4 || a.Key == v6)));
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.Reserved));
    }

    [Theory]
    [InlineData("10.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("010.000.000.001x")]
    public async Task Unusual_address_forms_are_refused(string ip)
    {
        var result = await Subnets.SetReservedAsync(Admin, [ip], reserved: true);

        Assert.Equal(ResultStatus.Invalid, result.Status);
    }

    [Fact]
    public async Task Deleting_a_child_gives_its_space_back_to_the_parent()
    {
        var parent = await CreateAsync("10.80.0.0", 16);
        var child = await CreateAsync("10.80.5.0", 24);

        var deleted = await Subnets.DeleteAsync(Admin, child.Subnet.Id);
        var refusedParent = await Subnets.DeleteAsync(Admin, parent.Subnet.Id);

        Assert.True(deleted.IsOk);
        Assert.True(refusedParent.IsOk);
        var again = await CreateAsync("10.80.0.0", 16);
        Assert.Equal((UInt128)65536, again.Usage.Free);
    }

    [Theory]
    [InlineData(new[] { "1.1.1.1" }, "two to three")]
    [InlineData(new[] { "1.1.1.1", "1.1.1.1" }, "unique")]
    [InlineData(new[] { "1.1.1.1", "8.8.8.8", "9.9.9.9", "1.0.0.1" }, "two to three")]
    [InlineData(new[] { "1.1.1.1", "dns.example" }, "valid IP")]
    public async Task Dns_resolvers_are_none_or_two_to_three_unique_addresses(string[] resolvers, string message)
    {
        var result = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = "10.90.0.0", Cidr = 24, Type = "v4", DnsResolvers = resolvers.ToList() });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Contains(message, result.Errors!["dns_resolvers"][0]);
    }

    [Fact]
    public async Task Vlan_ids_outside_1_to_4094_are_refused()
    {
        var result = await Subnets.CreateAsync(Admin, new SubnetInput { Subnet = "10.91.0.0", Cidr = 24, Type = "v4", StaticAccessVlanId = 4095, TrunkVlans = [0] });

        Assert.True(result.Errors!.ContainsKey("static_access_vlan_id"));
        Assert.True(result.Errors.ContainsKey("trunk_vlans"));
    }
}
