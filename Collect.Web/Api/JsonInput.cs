using System.Text.Json;
using System.Text.Json.Nodes;

namespace Collect.Web.Api;

/// <summary>
/// Reads fields from a JSON object body leniently (numbers may come as strings, booleans as "0"/"1", as the seeds show)
/// and collects a 422 error naming each field of the wrong type. Knows which fields were sent, for partial updates.
/// </summary>
public sealed class JsonInput(JsonObject body)
{
    private readonly Dictionary<string, string[]> _errors = new();

    public IReadOnlyDictionary<string, string[]> Errors => _errors;
    public bool IsValid => _errors.Count == 0;
    public IReadOnlySet<string> Provided { get; } = body.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

    public string? String(string field)
    {
        var node = body[field];
        if (node is null) return null;
        if (node is JsonValue value)
        {
            if (value.TryGetValue<string>(out var s)) return s.Contains('\0') ? Fail<string>(field, NulMessage(field)) : s;
            if (value.GetValueKind() is JsonValueKind.Number) return value.ToJsonString();
        }
        return Fail<string>(field, $"The {field} must be a string.");
    }

    /// <summary>No text Collect keeps may hold a NUL character (PostgreSQL cannot store one).</summary>
    private static string NulMessage(string field) => $"The {field} must not contain NUL characters.";

    public int? Int(string field)
    {
        var node = body[field];
        if (node is null) return null;
        if (node is JsonValue value)
        {
            if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var i)) return i;
            if (value.TryGetValue<string>(out var s) && int.TryParse(s, out var parsed)) return parsed;
        }
        _errors.TryAdd(field, [$"The {field} must be an integer."]);
        return null;
    }

    public bool? Bool(string field)
    {
        var node = body[field];
        if (node is null) return null;
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Number when value.TryGetValue<int>(out var n) && n is 0 or 1: return n == 1;
                case JsonValueKind.String when value.GetValue<string>() is "0" or "1" or "true" or "false":
                    return value.GetValue<string>() is "1" or "true";
            }
        }
        _errors.TryAdd(field, [$"The {field} must be true or false (or 1/0)."]);
        return null;
    }

    public List<string>? StringList(string field)
    {
        var node = body[field];
        if (node is null) return null;
        if (node is JsonArray array)
        {
            var list = new List<string>();
            foreach (var item in array)
            {
                if (item is JsonValue v && (v.TryGetValue<string>(out var s) || v.GetValueKind() == JsonValueKind.Number && (s = v.ToJsonString()) is not null))
                {
                    if (s.Contains('\0')) return Fail<List<string>>(field, NulMessage(field));
                    list.Add(s);
                }
                else return Fail<List<string>>(field, $"The {field} must be an array of strings.");
            }
            return list;
        }
        return Fail<List<string>>(field, $"The {field} must be an array.");
    }

    /// <summary>Any JSON value kept as its JSON text (e.g. UI preferences).</summary>
    public string? Raw(string field) => body[field]?.ToJsonString();

    private T? Fail<T>(string field, string message) where T : class
    {
        _errors.TryAdd(field, [message]);
        return null;
    }
}
