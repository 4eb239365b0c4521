using System.Globalization;

namespace Collect.Core.ConfigItems;

/// <summary>Checks a value against its field's type and brings it to one stored form.</summary>
public static class ConfigFieldValues
{
    public const int MaxTextLength = 4000;
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd-MM-yyyy", "dd.MM.yyyy", "MM/dd/yyyy", "yyyy/MM/dd"];

    /// <summary>The stored form of <paramref name="raw"/>, or an error naming the field.</summary>
    public static (string? Value, string? Error) Normalize(ConfigFieldDefinition field, string raw)
    {
        var text = raw.Trim();
        switch (field.Type)
        {
            case ConfigFieldTypes.Number:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? (number.ToString(CultureInfo.InvariantCulture), null)
                    : (null, $"The {field.Name} must be a number.");
            case ConfigFieldTypes.Date:
                return DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null)
                    : (null, $"The {field.Name} must be a date (YYYY-MM-DD or DD-MM-YYYY).");
            case ConfigFieldTypes.Boolean:
                return text.ToLowerInvariant() switch
                {
                    "true" or "1" or "on" or "yes" => ("true", null),
                    "false" or "0" or "off" or "no" => ("false", null),
                    _ => (null, $"The {field.Name} must be true or false."),
                };
            case ConfigFieldTypes.Dropdown:
                var option = field.Options?.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase));
                return option is not null
                    ? (option, null)
                    : (null, $"The {field.Name} must be one of: {string.Join(", ", field.Options ?? [])}.");
            default:
                return raw.Length > MaxTextLength ? (null, $"The {field.Name} must not be greater than {MaxTextLength} characters.") : (raw, null);
        }
    }

    /// <summary>Problems with a type's field definitions, keyed "fields" or "fields.N".</summary>
    public static Dictionary<string, string[]> ValidateDefinitions(IReadOnlyList<ConfigFieldDefinition> fields)
    {
        var errors = new Dictionary<string, string[]>();
        if (fields.Count > 100) errors["fields"] = ["A config type has at most 100 fields."];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var key = $"fields.{i}";
            if (string.IsNullOrWhiteSpace(f.Name)) errors.TryAdd(key, ["Each field needs a name."]);
            else if (f.Name.Trim().Length > 100) errors.TryAdd(key, ["A field name must not be greater than 100 characters."]);
            else if (!names.Add(f.Name.Trim())) errors.TryAdd(key, [$"The field name \"{f.Name.Trim()}\" is used twice."]);
            if (!ConfigFieldTypes.All.Contains(f.Type)) errors.TryAdd(key, [$"The field type must be one of: {string.Join(", ", ConfigFieldTypes.All)}."]);
            if (f.Type == ConfigFieldTypes.Dropdown)
            {
                var options = (f.Options ?? []).Select(o => o?.Trim() ?? "").ToList();
                if (options.Count == 0) errors.TryAdd(key, ["A dropdown field needs at least one option."]);
                else if (options.Any(o => o.Length is 0 or > 255)) errors.TryAdd(key, ["Each option must be 1 to 255 characters long."]);
                else if (options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count) errors.TryAdd(key, ["The options of a dropdown must differ."]);
            }
            else if (f.Options is { Count: > 0 }) errors.TryAdd(key, ["Only dropdown fields have options."]);
        }
        return errors;
    }

    /// <summary>Definitions as stored: names and options trimmed, options only on dropdowns.</summary>
    public static List<ConfigFieldDefinition> Clean(IReadOnlyList<ConfigFieldDefinition> fields) =>
        fields.Select(f => new ConfigFieldDefinition(f.Name.Trim(), f.Type, f.Required,
            f.Type == ConfigFieldTypes.Dropdown ? (f.Options ?? []).Select(o => o.Trim()).ToList() : null)).ToList();
}
