using System.Globalization;
using Collect.Core.Subnets;
using MudBlazor;

namespace Collect.Web.Components.Pages.Subnets.Components;

/// <summary>How subnets and address counts read in the UI. An IPv6 /48 holds 2^80 addresses, more than any long.</summary>
public static class SubnetFormat
{
    private static readonly UInt128 Exact = 10_000_000;
    private static readonly (double Limit, double Divisor, string Suffix)[] Suffixes =
    [
        (1e9, 1e6, "M"),
        (1e12, 1e9, "G"),
        (1e15, 1e12, "T"),
    ];

    /// <summary>A count short enough for a table cell: exact below ten million, then 2^n, M/G/T, or scientific notation.</summary>
    public static string Count(UInt128 value)
    {
        if (value < Exact) return ((ulong)value).ToString("N0", CultureInfo.InvariantCulture);
        if (UInt128.IsPow2(value)) return $"2^{(int)UInt128.Log2(value)}";
        var number = (double)value;
        foreach (var (limit, divisor, suffix) in Suffixes)
            if (number < limit) return (number / divisor).ToString("0.##", CultureInfo.InvariantCulture) + " " + suffix;
        // IPv6 counts sit just below a power of two (a /64 less its reservations): "≈2^64" reads better than 1.84e19.
        var power = (int)UInt128.Log2(value) + 1;
        var nearest = power < 128 ? UInt128.One << power : UInt128.MaxValue;
        if ((double)(nearest - value) / (double)nearest < 0.001) return $"≈2^{power}";
        var exponent = (int)Math.Floor(Math.Log10(number));
        return (number / Math.Pow(10, exponent)).ToString("0.##", CultureInfo.InvariantCulture) + "e" + exponent;
    }

    /// <summary>The exact count with digit grouping, for tooltips.</summary>
    public static string ExactCount(UInt128 value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>Green while there is room, amber from 70%, red from 90%.</summary>
    public static Color UsageColor(double usedPercentage) => usedPercentage switch
    {
        >= 90 => Color.Error,
        >= 70 => Color.Warning,
        _ => Color.Success,
    };

    public static string Name(Subnet subnet) => $"{subnet.Network}/{subnet.Cidr}";

    public static string TypeLabel(string type) => type == "v6" ? "IPv6" : "IPv4";

    /// <summary>The subnet's end owner: the last link of its owner chain.</summary>
    public static OwnerRef? Owner(SubnetView view) => view.OwnerChain.LastOrDefault(o => o.UserId == view.Subnet.UserId);

    /// <summary>Tags, resolvers or addresses typed as one text: commas, semicolons, spaces and new lines all separate.</summary>
    public static List<string> SplitList(string? text) =>
        (text ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    /// <summary>The first message of a failed service call, or a fallback.</summary>
    public static string FirstError(IReadOnlyDictionary<string, string[]>? errors, string fallback) =>
        errors?.Values.SelectMany(e => e).FirstOrDefault() ?? fallback;
}
