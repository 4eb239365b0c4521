using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Collect.Core.Subnets;

/// <summary>
/// Address arithmetic on <see cref="UInt128"/>: IPv4 addresses live in the low 32 bits, IPv6 use all 128.
/// Keys are fixed-width hex so that the database orders and compares them as numbers, on any engine.
/// </summary>
public static class IpMath
{
    /// <summary>The family of a subnet's type ("v4" or "v6").</summary>
    public static AddressFamily FamilyOf(string type) => type == "v4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    public static int Bits(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    public static UInt128 ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        UInt128 value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        return value;
    }

    public static IPAddress ToAddress(UInt128 value, AddressFamily family)
    {
        var length = family == AddressFamily.InterNetwork ? 4 : 16;
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }

    /// <summary>
    /// The database's sortable form of an address: the family ("4" or "6") and 32 hex digits. The family keeps
    /// 10.0.0.5 and ::a00:5 apart, which share their numeric value.
    /// </summary>
    public static string Key(UInt128 value, AddressFamily family) =>
        (family == AddressFamily.InterNetwork ? "4" : "6") + value.ToString("x32", CultureInfo.InvariantCulture);

    public static UInt128 FromKey(string key) => UInt128.Parse(key.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static string Key(IPAddress address) => Key(ToNumber(address), address.AddressFamily);

    /// <summary>
    /// Parses an address as people write it in a panel: dotted-quad IPv4 or IPv6 without a zone. Forms like "10.1"
    /// (inet_aton) or "fe80::1%eth0" (host-specific scope) are refused.
    /// </summary>
    public static bool TryParseStrict(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (!IPAddress.TryParse(text, out var parsed)) return false;
        if (parsed.AddressFamily == AddressFamily.InterNetwork && text.Split('.').Length != 4) return false;
        if (parsed.AddressFamily == AddressFamily.InterNetworkV6 && (parsed.ScopeId != 0 || text.Contains('%'))) return false;
        address = parsed;
        return true;
    }

    /// <summary>How many addresses a prefix holds (2^(bits - prefix)); a /0 of IPv6 does not fit and is refused elsewhere.</summary>
    public static UInt128 Size(int prefix, AddressFamily family) => UInt128.One << (Bits(family) - prefix);

    public static UInt128 Mask(int prefix, AddressFamily family)
    {
        var bits = Bits(family);
        var all = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        return prefix == 0 ? 0 : all ^ ((UInt128.One << (bits - prefix)) - 1);
    }

    /// <summary>The dotted netmask of an IPv4 prefix ("255.255.255.0"); empty for IPv6, as the seed shows.</summary>
    public static string Netmask(int prefix, AddressFamily family) =>
        family == AddressFamily.InterNetwork ? ToAddress(Mask(prefix, family), family).ToString() : "";

    /// <summary>The prefix of a dotted IPv4 netmask, or null when it is not a contiguous mask.</summary>
    public static int? PrefixOfNetmask(string netmask)
    {
        if (!IPAddress.TryParse(netmask, out var mask) || mask.AddressFamily != AddressFamily.InterNetwork) return null;
        var value = (uint)ToNumber(mask);
        var prefix = System.Numerics.BitOperations.PopCount(value);
        return Mask(prefix, AddressFamily.InterNetwork) == value ? prefix : null;
    }

    public static (UInt128 First, UInt128 Last) Range(UInt128 network, int prefix, AddressFamily family) =>
        (network, network + Size(prefix, family) - 1);

    public static bool IsNetworkAddress(UInt128 address, int prefix, AddressFamily family) => (address & Mask(prefix, family)) == address;

    public static bool Contains(UInt128 network, int prefix, AddressFamily family, UInt128 address) =>
        (address & Mask(prefix, family)) == network;
}
