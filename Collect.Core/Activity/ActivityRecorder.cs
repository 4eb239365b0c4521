using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Data;

namespace Collect.Core.Activity;

/// <summary>
/// Adds activity rows to the same context as the change they describe, so both commit together.
/// </summary>
public sealed class ActivityRecorder(TimeProvider clock)
{
    private static readonly string[] SecretWords = ["password", "secret", "token", "key", "recovery"];
    public const string Redacted = "**************";

    public void Record(CollectDbContext db, Actor actor, string rootType, object? rootId, string description,
        object? original = null, object? updated = null)
    {
        db.ActivityLogs.Add(new ActivityLog
        {
            UserId = actor.UserId == 0 ? null : actor.UserId,
            // A tag or a path may be longer than its column.
            UserName = ColumnText.Cut(actor.UserName, 256)!,
            ImpersonatorId = actor.ImpersonatorId,
            Ip = ColumnText.Cut(actor.Ip, 64),
            Source = ColumnText.Cut(actor.Source, 16)!,
            Endpoint = ColumnText.Cut(actor.Endpoint, 2048),
            Method = ColumnText.Cut(actor.Method, 16),
            RootType = ColumnText.Cut(rootType, 64)!,
            RootId = ColumnText.Cut(rootId?.ToString(), 64),
            Description = description,
            ModelChanges = original is null && updated is null ? null : Changes(original, updated),
            CreatedAt = clock.GetUtcNow(),
        });
    }

    private static string Changes(object? original, object? updated)
    {
        var node = new JsonObject
        {
            ["original"] = Redact(JsonSerializer.SerializeToNode(original)),
            ["new"] = Redact(JsonSerializer.SerializeToNode(updated)),
        };
        return node.ToJsonString();
    }

    /// <summary>Replaces the value of every property whose name suggests a secret.</summary>
    public static JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (IsSecretName(name) && value is not null) obj[name] = Redacted;
                    else Redact(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array) Redact(item);
                break;
        }
        return node;
    }

    public static bool IsSecretName(string name) =>
        SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
}
