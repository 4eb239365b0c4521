using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Collect.Core.Hardware;

public sealed record InventoryItemInput(string? Model, string? Value, string? Serial, int? ComponentId, string? Description,
    List<(int FieldId, string Value)>? CustomFields, IReadOnlySet<string> Provided);

public sealed record InventoryItemView(ServerInventoryItem Item, InventoryComponent Component);

/// <summary>One component's line of the hardware summary.</summary>
public sealed record HardwareSummaryLine(string Model, string Value, int Count, string ValueType, IReadOnlyList<(string Model, string Size)> Details,
    string? Cores = null, string? Threads = null, long? MhzTurbo = null);

/// <summary>Asks for hardware-report processing soon; the web host backs it with a Hangfire job.</summary>
public interface IHardwareProcessingTrigger
{
    void Kick();
}

public sealed class NoHardwareProcessingTrigger : IHardwareProcessingTrigger
{
    public void Kick() { }
}

/// <summary>
/// A server's hardware: items entered by hand or collected by the hwdetect script, the seed's summary, and the
/// one-line collection command with its per-server callback token.
/// </summary>
public sealed class ServerHardwareService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, TimeProvider clock,
    IHardwareProcessingTrigger trigger, ILogger<ServerHardwareService> logger)
{
    public const int MaxReportBytes = 1024 * 1024;

    public async Task<ServiceResult<IReadOnlyList<InventoryItemView>>> ItemsAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        if (!actor.Can("servers.inventory.index")) return ServiceResult<IReadOnlyList<InventoryItemView>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<IReadOnlyList<InventoryItemView>>.NotFound();
        return ServiceResult<IReadOnlyList<InventoryItemView>>.Ok(await ViewsAsync(db, serverId, null, ct));
    }

    public async Task<ServiceResult<InventoryItemView>> ItemAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        if (!actor.Can("servers.inventory.show")) return ServiceResult<InventoryItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<InventoryItemView>.NotFound();
        var view = (await ViewsAsync(db, serverId, id, ct)).FirstOrDefault();
        return view is null ? ServiceResult<InventoryItemView>.NotFound() : ServiceResult<InventoryItemView>.Ok(view);
    }

    public async Task<ServiceResult<InventoryItemView>> SaveItemAsync(Actor actor, int serverId, int? id, InventoryItemInput input, CancellationToken ct = default)
    {
        if (!actor.Can(id is null ? "servers.inventory.store" : "servers.inventory.update")) return ServiceResult<InventoryItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<InventoryItemView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<InventoryItemView>.Forbidden("This server is suspended.");
        var item = id is null ? new ServerInventoryItem { ServerId = serverId } : await db.ServerInventoryItems.FirstOrDefaultAsync(i => i.Id == id && i.ServerId == serverId, ct);
        if (item is null) return ServiceResult<InventoryItemView>.NotFound();
        bool Set(string field) => id is null || input.Provided.Contains(field);
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, value) in new[] { ("model", input.Model), ("value", input.Value), ("serial", input.Serial) })
            if (value?.Length > 255) errors[field] = [$"The {field} must not be greater than 255 characters."];
        if (input.Description?.Length > 1000) errors["description"] = ["The description must not be greater than 1000 characters."];
        InventoryComponent? component = null;
        if (Set("inventorycomponent_id"))
        {
            component = input.ComponentId is { } cid ? await db.InventoryComponents.FirstOrDefaultAsync(c => c.Id == cid, ct) : null;
            if (component is null) errors["inventorycomponent_id"] = [input.ComponentId is null ? "The inventorycomponent_id field is required." : "The selected inventorycomponent_id is invalid."];
        }
        else component = await db.InventoryComponents.FirstAsync(c => c.Id == item.ComponentId, ct);
        List<string>? fields = null;
        if (component is not null && Set("customfields") && input.CustomFields is { } given)
        {
            var allowed = await db.InventoryCustomFields.Where(f => component.CustomFieldIds.Contains(f.Id.ToString())).ToDictionaryAsync(f => f.Id, ct);
            fields = [];
            foreach (var (fieldId, value) in given)
            {
                if (!allowed.TryGetValue(fieldId, out var field)) { errors["customfields"] = [$"The custom field {fieldId} does not belong to the component {component.ComponentName}."]; break; }
                var ok = field.Type switch
                {
                    "checkbox" => value is "0" or "1" or "true" or "false",
                    "dropdown" => field.Values().Any(v => v.Id == value),
                    _ => value.Length <= 255,
                };
                if (!ok)
                {
                    errors["customfields"] = [field.Type == "dropdown"
                        ? $"The value of {field.Name} must be one of the ids {string.Join(", ", field.Values().Select(v => $"{v.Id} ({v.Value})"))}."
                        : $"The value of {field.Name} is not valid for a {field.Type} field."];
                    break;
                }
                fields.Add($"{fieldId}:{(field.Type == "checkbox" ? (value is "1" or "true" ? "1" : "0") : value)}");
            }
        }
        if (errors.Count > 0) return ServiceResult<InventoryItemView>.Invalid(errors);
        if (Set("model")) item.Model = input.Model;
        if (Set("value"))
        {
            item.Value = input.Value;
            item.Amount = HardwareAmount.Of(input.Value);
        }
        if (Set("serial")) item.Serial = input.Serial;
        if (Set("description")) item.Description = input.Description;
        if (Set("inventorycomponent_id")) item.ComponentId = component!.Id;
        if (fields is not null) item.CustomFields = fields;
        else if (Set("customfields") && input.CustomFields is null) item.CustomFields = [];
        // An item someone edits is theirs: the next collection leaves it alone.
        item.Source = HardwareSources.Manual;
        if (id is null) db.ServerInventoryItems.Add(item);
        activity.Record(db, actor, "server", serverId, $"Hardware item {component!.ComponentName} {(id is null ? "added" : "changed")}: {item.Model}");
        await db.SaveChangesAsync(ct);
        return ServiceResult<InventoryItemView>.Ok(new InventoryItemView(item, component));
    }

    public async Task<ServiceResult<bool>> DeleteItemAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        if (!actor.Can("servers.inventory.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<bool>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<bool>.Forbidden("This server is suspended.");
        var item = await db.ServerInventoryItems.FirstOrDefaultAsync(i => i.Id == id && i.ServerId == serverId, ct);
        if (item is null) return ServiceResult<bool>.NotFound();
        db.ServerInventoryItems.Remove(item);
        activity.Record(db, actor, "server", serverId, $"Hardware item {item.Model} removed");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>The seed's summary: per component, the model ("multiple" when parts differ), summed size for mb/mib, counts, CPU details.</summary>
    public async Task<ServiceResult<IReadOnlyDictionary<string, HardwareSummaryLine>>> SummaryAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        if (!actor.Can("servers.hwsummary")) return ServiceResult<IReadOnlyDictionary<string, HardwareSummaryLine>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<IReadOnlyDictionary<string, HardwareSummaryLine>>.NotFound();
        var summaries = await SummariesAsync(db, [serverId], ct);
        return ServiceResult<IReadOnlyDictionary<string, HardwareSummaryLine>>.Ok(summaries.GetValueOrDefault(serverId) ?? new Dictionary<string, HardwareSummaryLine>());
    }

    /// <summary>Summaries of many servers in two queries (the server list and its hardware columns use this).</summary>
    public static async Task<Dictionary<int, IReadOnlyDictionary<string, HardwareSummaryLine>>> SummariesAsync(CollectDbContext db, IReadOnlyCollection<int> serverIds, CancellationToken ct)
    {
        var items = await db.ServerInventoryItems.AsNoTracking().Where(i => serverIds.Contains(i.ServerId)).OrderBy(i => i.Id).ToListAsync(ct);
        var result = new Dictionary<int, IReadOnlyDictionary<string, HardwareSummaryLine>>();
        // Servers without a hardware report (most of a list page, often) need neither catalog.
        if (items.Count == 0) return result;
        var components = await db.InventoryComponents.AsNoTracking().ToDictionaryAsync(c => c.Id, ct);
        var fields = await db.InventoryCustomFields.AsNoTracking().ToDictionaryAsync(f => f.Id.ToString(), f => f.Name, ct);
        foreach (var server in items.GroupBy(i => i.ServerId))
        {
            var lines = new Dictionary<string, HardwareSummaryLine>();
            foreach (var part in server.GroupBy(i => i.ComponentId).Where(g => components.ContainsKey(g.Key)))
            {
                var component = components[part.Key];
                var list = part.ToList();
                var models = list.Select(i => i.Model ?? "").Distinct().ToList();
                var model = models.Count == 1 ? models[0] : "multiple";
                var summed = component.ValueType is "mb" or "mib";
                var value = summed
                    ? list.Sum(i => i.Amount ?? 0).ToString(CultureInfo.InvariantCulture)
                    : list[0].Value ?? "";
                var details = list.Select(i => (i.Model ?? "", i.Value ?? "")).ToList();
                if (component.ComponentName == "cpu")
                {
                    string? Field(string name) => list[0].CustomFields.Select(f => f.Split(':', 2)).FirstOrDefault(f => fields.GetValueOrDefault(f[0]) == name)?[1];
                    lines[component.ComponentName] = new HardwareSummaryLine(model, value, list.Count, component.ValueType, details, Field("Cores"), Field("Threads"),
                        long.TryParse(Field("MHz Turbo"), out var turbo) ? turbo : null);
                }
                else lines[component.ComponentName] = new HardwareSummaryLine(model, value, list.Count, component.ValueType, details);
            }
            result[server.Key] = lines;
        }
        return result;
    }

    /// <summary>
    /// The one-line collection command. Each call issues a new callback token for the server (the previous command
    /// stops working), so the token is never stored in a form that could be shown again.
    /// </summary>
    public async Task<ServiceResult<string>> CommandAsync(Actor actor, int serverId, string baseUrl, CancellationToken ct = default)
    {
        if (!actor.Can("servers.inventory.getInventoryCommand")) return ServiceResult<string>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<string>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<string>.Forbidden("This server is suspended.");
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var row = await db.HardwareTokens.FirstOrDefaultAsync(t => t.ServerId == serverId, ct);
        if (row is null) db.HardwareTokens.Add(row = new HardwareToken { ServerId = serverId });
        row.TokenHash = Hash(token);
        row.CreatedAt = clock.GetUtcNow();
        activity.Record(db, actor, "server", serverId, "Hardware collection command issued");
        await db.SaveChangesAsync(ct);
        var root = baseUrl.TrimEnd('/');
        return ServiceResult<string>.Ok($"wget -qO - {root}/api/scripts/hwdetect | bash -s '{root}/api/servers/inventory/callback/{token}'");
    }

    /// <summary>Stores what the script posted for the token's server and asks for processing; null for an unknown token.</summary>
    public async Task<long?> AcceptReportAsync(string token, JsonObject body, CancellationToken ct = default)
    {
        if (token.Length is < 8 or > 128) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = Hash(token);
        var serverId = await db.HardwareTokens.Where(t => t.TokenHash == hash).Select(t => (int?)t.ServerId).FirstOrDefaultAsync(ct);
        if (serverId is null) return null;
        var report = new HardwareReport { ServerId = serverId.Value, Body = body.ToJsonString(), ReceivedAt = clock.GetUtcNow() };
        db.HardwareReports.Add(report);
        await db.SaveChangesAsync(ct);
        trigger.Kick();
        return report.Id;
    }

    /// <summary>
    /// Turns pending reports into inventory items: a server's collected items are replaced by the new ones, items
    /// entered by hand stay. A report that cannot be read is set aside after three tries.
    /// </summary>
    public async Task<int> ProcessReportsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reports = await db.HardwareReports.Where(r => r.ProcessedAt == null && r.Attempts < 3).OrderBy(r => r.Id).Take(100).ToListAsync(ct);
        if (reports.Count == 0) return 0;
        var components = await db.InventoryComponents.AsNoTracking().ToDictionaryAsync(c => c.ComponentName, ct);
        var fields = await db.InventoryCustomFields.AsNoTracking().ToListAsync(ct);
        var done = 0;
        foreach (var report in reports)
        {
            try
            {
                var items = HardwareReportReader.Read(JsonNode.Parse(report.Body) as JsonObject ?? [], components, fields);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await db.ServerInventoryItems.Where(i => i.ServerId == report.ServerId && i.Source == HardwareSources.Collected).ExecuteDeleteAsync(ct);
                foreach (var item in items)
                {
                    item.ServerId = report.ServerId;
                    db.ServerInventoryItems.Add(item);
                }
                report.ProcessedAt = clock.GetUtcNow();
                activity.Record(db, Actor.System, "server", report.ServerId, $"Hardware collected: {items.Count} item(s)");
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                done++;
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or DbUpdateException)
            {
                db.ChangeTracker.Clear();
                await db.HardwareReports.Where(r => r.Id == report.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                    .SetProperty(r => r.Error, $"{ex.GetType().Name}: {ex.Message}"), ct);
                logger.LogWarning(ex, "Hardware report {Id} of server {Server} could not be processed", report.Id, report.ServerId);
            }
        }
        return done;
    }

    private static async Task<List<InventoryItemView>> ViewsAsync(CollectDbContext db, int serverId, int? id, CancellationToken ct)
    {
        var items = db.ServerInventoryItems.AsNoTracking().Where(i => i.ServerId == serverId);
        if (id is { } only) items = items.Where(i => i.Id == only);
        var list = await items.OrderBy(i => i.ComponentId).ThenBy(i => i.Id).ToListAsync(ct);
        var components = await db.InventoryComponents.AsNoTracking().ToDictionaryAsync(c => c.Id, ct);
        return list.Select(i => new InventoryItemView(i, components[i.ComponentId])).ToList();
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
