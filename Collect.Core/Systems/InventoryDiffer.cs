using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collect.Core.Settings;

namespace Collect.Core.Systems;

/// <summary>One structural change between two inventories.</summary>
public sealed record InventoryChange(string FieldPath, string? PreviousValue, string? CurrentValue, string DiffType, string Category, string Severity);

/// <summary>
/// Structural JSON diff of two inventories. Objects are compared key by key; items of arrays of objects are matched
/// by their "id" (or "name") so that a module moving in the list is not a change, and are named by it in the path
/// (<c>facts.modules[mail1].version</c>); arrays of plain values are compared as sets. A subtree that appears or
/// disappears is one change. Noise rules drop changes nobody wants to see; category and severity rules classify
/// the rest. All rules are path globs where * matches anything, dots included.
/// </summary>
public sealed class InventoryDiffer
{
    public static readonly IReadOnlyList<string> DefaultNoise =
    [
        "*uptime*", "*.counters.*", "*.load_average*", "*.loadavg*", "*.used_bytes", "*.free_bytes", "*.available_bytes",
        "*.rx_bytes", "*.tx_bytes", "*.rx_packets", "*.tx_packets", "*.timestamp", "*.collected_at", "*.last_check*", "*.boot_time",
    ];

    public static readonly IReadOnlyList<PathRule> DefaultCategories =
    [
        new() { Path = "*modules*", Category = "modules" },
        new() { Path = "*subscription*", Category = "subscription" },
        new() { Path = "*license*", Category = "subscription" },
        new() { Path = "*default_ipv4*", Category = "network" },
        new() { Path = "*default_ipv6*", Category = "network" },
        new() { Path = "*fqdn*", Category = "network" },
        new() { Path = "*hostname*", Category = "network" },
        new() { Path = "*network*", Category = "network" },
        new() { Path = "*public_ip*", Category = "network" },
        new() { Path = "*user_domains*", Category = "users" },
        new() { Path = "*memory*", Category = "hardware" },
        new() { Path = "*cpu*", Category = "hardware" },
        new() { Path = "*disk*", Category = "hardware" },
        new() { Path = "*distro*", Category = "system" },
        new() { Path = "*kernel*", Category = "system" },
        new() { Path = "facts.nodes*", Category = "nodes" },
        new() { Path = "facts.cluster*", Category = "cluster" },
        new() { Path = "*version*", Category = "system" },
    ];

    public static readonly IReadOnlyList<PathRule> DefaultSeverities =
    [
        new() { Path = "*", Category = "subscription", Severity = "critical" },
        new() { Path = "facts.nodes[*]", DiffType = "delete", Severity = "critical" },
        new() { Path = "*cluster_leader*", Severity = "high" },
        new() { Path = "*", Category = "network", Severity = "high" },
        new() { Path = "*", Category = "modules", DiffType = "delete", Severity = "high" },
        new() { Path = "*", DiffType = "delete", Severity = "medium" },
        new() { Path = "*version*", Severity = "medium" },
        new() { Path = "*", Category = "modules", DiffType = "create", Severity = "medium" },
        new() { Path = "*", Category = "hardware", Severity = "medium" },
    ];

    private readonly List<Regex> _noise;
    private readonly List<(Regex Path, PathRule Rule)> _categories;
    private readonly List<(Regex Path, PathRule Rule)> _severities;

    public InventoryDiffer(InventoryOptions options)
    {
        _noise = (options.NoisePaths.Count > 0 ? options.NoisePaths : DefaultNoise).Select(Glob).ToList();
        _categories = (options.Categories.Count > 0 ? options.Categories : DefaultCategories).Select(r => (Glob(r.Path), r)).ToList();
        _severities = (options.Severities.Count > 0 ? options.Severities : DefaultSeverities).Select(r => (Glob(r.Path), r)).ToList();
    }

    public List<InventoryChange> Diff(JsonNode? previous, JsonNode? current)
    {
        var changes = new List<InventoryChange>();
        Walk("", previous, current, changes);
        return changes;
    }

    public bool IsNoise(string path) => _noise.Any(r => r.IsMatch(path));

    private void Walk(string path, JsonNode? before, JsonNode? after, List<InventoryChange> changes)
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (var (key, value) in a)
                if (!b.ContainsKey(key)) Add(Join(path, key), value, null, "delete", changes);
            foreach (var (key, value) in b)
                if (a.TryGetPropertyValue(key, out var old)) Walk(Join(path, key), old, value, changes);
                else Add(Join(path, key), null, value, "create", changes);
            return;
        }
        if (before is JsonArray x && after is JsonArray y)
        {
            if (Keyed(x) is { } left && Keyed(y) is { } right)
            {
                foreach (var (key, item) in left)
                    if (!right.ContainsKey(key)) Add($"{path}[{key}]", item, null, "delete", changes);
                foreach (var (key, item) in right)
                    if (left.TryGetValue(key, out var old)) Walk($"{path}[{key}]", old, item, changes);
                    else Add($"{path}[{key}]", null, item, "create", changes);
                return;
            }
            if (x.All(IsScalar) && y.All(IsScalar))
            {
                var removed = x.Select(Text).Except(y.Select(Text)).ToList();
                var added = y.Select(Text).Except(x.Select(Text)).ToList();
                foreach (var value in removed) Add($"{path}[{value}]", JsonValue.Create(value), null, "delete", changes);
                foreach (var value in added) Add($"{path}[{value}]", null, JsonValue.Create(value), "create", changes);
                return;
            }
            // Arrays of unnamed objects: compare by position.
            for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
            {
                if (i >= y.Count) Add($"{path}[{i}]", x[i], null, "delete", changes);
                else if (i >= x.Count) Add($"{path}[{i}]", null, y[i], "create", changes);
                else Walk($"{path}[{i}]", x[i], y[i], changes);
            }
            return;
        }
        if (!JsonNode.DeepEquals(before, after)) Add(path, before, after, "update", changes);
    }

    /// <summary>Items of an array of objects by their id (or name), or null when they are not all uniquely named.</summary>
    private static Dictionary<string, JsonNode?>? Keyed(JsonArray array)
    {
        if (array.Count == 0) return [];
        foreach (var field in new[] { "id", "name", "uuid", "key" })
        {
            var named = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var item in array)
            {
                if (item is not JsonObject o || o[field] is not JsonValue v || !IsScalar(v)) { named = null; break; }
                if (!named.TryAdd(Text(v), item)) { named = null; break; }
            }
            if (named is not null) return named;
        }
        return null;
    }

    private void Add(string path, JsonNode? before, JsonNode? after, string type, List<InventoryChange> changes)
    {
        if (IsNoise(path)) return;
        var category = _categories.FirstOrDefault(c => c.Path.IsMatch(path)).Rule?.Category ?? "general";
        var severity = _severities.FirstOrDefault(s => s.Path.IsMatch(path) && (s.Rule.DiffType is null || s.Rule.DiffType == type) &&
                                                       (s.Rule.Category is null || s.Rule.Category == category)).Rule?.Severity ?? "low";
        changes.Add(new InventoryChange(path, Value(before), Value(after), type, category, severity));
    }

    private static string? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static bool IsScalar(JsonNode? node) => node is JsonValue;

    private static string Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "null";

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static Regex Glob(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern) regex.Append(c == '*' ? ".*" : Regex.Escape(c.ToString()));
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }
}

/// <summary>The facts a system shows in its list, read from an inventory: NS8 leader node first, then common places.</summary>
public static class InventoryFacts
{
    public sealed record Facts(string? Fqdn, string? Ipv4, string? Ipv6, string? Version);

    public static Facts Read(JsonNode? data)
    {
        var facts = data?["facts"];
        if (facts?["nodes"] is JsonObject nodes && nodes.Count > 0)
        {
            var leaderId = Str(facts["cluster"]?["leader_node_id"]);
            var leader = (leaderId is not null ? nodes[leaderId] : null)
                         ?? nodes.Select(n => n.Value).FirstOrDefault(n => n?["cluster_leader"] is JsonValue v && v.GetValueKind() == JsonValueKind.True)
                         ?? nodes.First().Value;
            return new Facts(Str(leader?["fqdn"]), Str(leader?["default_ipv4"]), Str(leader?["default_ipv6"]), Str(leader?["version"]));
        }
        var network = facts?["network"];
        return new Facts(Str(network?["fqdn"]) ?? Str(network?["hostname"]), Str(network?["public_ip"]) ?? Str(network?["ipv4"]), Str(network?["ipv6"]),
            Str(facts?["distro"]?["version"]) ?? Str(facts?["version"]));
    }

    private static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? v.ToString() is { Length: > 0 and <= 255 } s ? s : null : null;
}
