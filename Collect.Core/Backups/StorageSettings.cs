using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Activity;

namespace Collect.Core.Backups;

/// <summary>
/// A storage's configuration per provider (local: folder; sftp: host, port, username, password or private_key with an
/// optional passphrase, root; ftp: host, port, username, password, ssl, timeout, root): checked, normalised, and masked
/// for every answer. A secret sent back masked, or left out, keeps the stored one.
/// </summary>
public static class StorageSettings
{
    public const string Masked = ActivityRecorder.Redacted;
    private static readonly string[] Secrets = ["password", "private_key", "passphrase"];

    public static IReadOnlyList<string> FieldsOf(string provider) => provider switch
    {
        BackupProviders.Local => ["folder"],
        BackupProviders.Sftp => ["host", "port", "username", "password", "private_key", "passphrase", "root"],
        BackupProviders.Ftp => ["host", "port", "username", "password", "ssl", "timeout", "root"],
        _ => [],
    };

    public static bool IsSecret(string field) => Secrets.Contains(field);

    /// <summary>A copy with every secret that is set replaced by the mask (and unset ones as null).</summary>
    public static JsonObject Mask(JsonObject configuration)
    {
        var copy = configuration.DeepClone().AsObject();
        foreach (var secret in Secrets)
            if (copy.ContainsKey(secret))
                copy[secret] = copy[secret] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? Masked : null;
        return copy;
    }

    /// <summary>
    /// The configuration to store: <paramref name="incoming"/> over <paramref name="existing"/> (fields not sent keep their
    /// values), checked for the provider. Errors are keyed <c>configuration.field</c>.
    /// </summary>
    public static JsonObject? Check(string provider, JsonObject? incoming, JsonObject? existing, IReadOnlyCollection<string> forbiddenFolders,
        Dictionary<string, string[]> errors)
    {
        var fields = FieldsOf(provider);
        var merged = new JsonObject();
        foreach (var field in fields)
        {
            var sent = incoming is not null && incoming.TryGetPropertyValue(field, out var node) ? node : null;
            var wasSent = incoming?.ContainsKey(field) == true;
            if (IsSecret(field) && (!wasSent || sent is JsonValue m && m.TryGetValue<string>(out var masked) && masked == Masked))
                merged[field] = existing?[field]?.DeepClone();
            else if (wasSent) merged[field] = sent?.DeepClone();
            else merged[field] = existing?[field]?.DeepClone();
        }
        foreach (var (name, _) in incoming ?? [])
            if (!fields.Contains(name)) Fail(errors, name, $"The configuration field {name} is not used by the {provider} provider.");

        var result = new JsonObject();
        switch (provider)
        {
            case BackupProviders.Local:
                var folder = Text(merged, "folder", errors, required: true);
                if (folder is not null)
                {
                    if (!Path.IsPathFullyQualified(folder)) Fail(errors, "folder", "The folder must be an absolute path, e.g. /var/backups/collect.");
                    else
                    {
                        folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
                        if (forbiddenFolders.Any(f => IsWithin(folder, f) || IsWithin(f, folder)))
                            Fail(errors, "folder", "The folder must lie outside Collect's file store and its backup work folder.");
                    }
                }
                result["folder"] = folder;
                break;
            case BackupProviders.Sftp:
                result["host"] = Host(merged, errors);
                result["port"] = Number(merged, "port", 22, 1, 65535, errors);
                result["username"] = Text(merged, "username", errors, required: true);
                result["password"] = Text(merged, "password", errors) ?? "";
                result["private_key"] = Text(merged, "private_key", errors) ?? "";
                result["passphrase"] = Text(merged, "passphrase", errors) ?? "";
                result["root"] = Root(merged, errors);
                if ((string?)result["password"] == "" && (string?)result["private_key"] == "")
                    Fail(errors, "password", "Give a password or a private key.");
                else if ((string?)result["private_key"] is { Length: > 0 } key && SftpTarget.KeyProblem(key, (string?)result["passphrase"]) is { } problem)
                    Fail(errors, "private_key", problem);
                break;
            case BackupProviders.Ftp:
                result["host"] = Host(merged, errors);
                result["port"] = Number(merged, "port", 21, 1, 65535, errors);
                result["username"] = Text(merged, "username", errors, required: true);
                result["password"] = Text(merged, "password", errors, required: true);
                result["ssl"] = Flag(merged, "ssl", errors);
                result["timeout"] = Number(merged, "timeout", 30, 1, 600, errors);
                result["root"] = Root(merged, errors);
                break;
        }
        return errors.Keys.Any(k => k.StartsWith("configuration", StringComparison.Ordinal)) ? null : result;
    }

    private static bool IsWithin(string path, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static void Fail(Dictionary<string, string[]> errors, string field, string message) => errors.TryAdd($"configuration.{field}", [message]);

    private static string? Text(JsonObject config, string field, Dictionary<string, string[]> errors, bool required = false)
    {
        var node = config[field];
        string? value = null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) value = s.Trim();
        else if (node is not null)
        {
            Fail(errors, field, $"The {field} must be a string.");
            return null;
        }
        if (required && string.IsNullOrEmpty(value))
        {
            Fail(errors, field, $"The {field} field is required.");
            return null;
        }
        if (value is not null && value.Any(char.IsControl) && field != "private_key")
        {
            Fail(errors, field, $"The {field} must not contain control characters.");
            return null;
        }
        return value;
    }

    private static string? Host(JsonObject config, Dictionary<string, string[]> errors)
    {
        var host = Text(config, "host", errors, required: true);
        if (host is not null && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            Fail(errors, "host", "The host must be a host name or an IP address.");
            return null;
        }
        return host;
    }

    private static string Root(JsonObject config, Dictionary<string, string[]> errors)
    {
        var root = Text(config, "root", errors) ?? "";
        if (root.Split('/').Any(segment => segment == ".."))
        {
            Fail(errors, "root", "The root must not contain .. segments.");
            return "";
        }
        return root.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : root.StartsWith('/') ? "/" : "";
    }

    private static int? Number(JsonObject config, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        var node = config[field];
        if (node is null) return fallback;
        int? value = node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i
            : node is JsonValue sv && sv.TryGetValue<string>(out var s) && int.TryParse(s, out var parsed) ? parsed : null;
        if (value is null || value < min || value > max)
        {
            Fail(errors, field, $"The {field} must be an integer from {min} to {max}.");
            return null;
        }
        return value;
    }

    private static bool Flag(JsonObject config, string field, Dictionary<string, string[]> errors)
    {
        var node = config[field];
        if (node is null) return false;
        if (node is JsonValue v)
            switch (v.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Number when v.TryGetValue<int>(out var n) && n is 0 or 1: return n == 1;
                case JsonValueKind.String when v.GetValue<string>() is "0" or "1" or "true" or "false": return v.GetValue<string>() is "1" or "true";
            }
        Fail(errors, field, $"The {field} must be true or false (or 1/0).");
        return false;
    }
}
