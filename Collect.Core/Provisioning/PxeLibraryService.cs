using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Collect.Core.Provisioning;

public sealed record PxeItemView(PxeItem Item, JsonObject Settings, IReadOnlyList<PxeItem> DiskLayouts, IReadOnlyList<PxeItem> Scripts);

/// <summary>
/// The PXE library: OS profiles, disk layouts and scripts, linked by tags. Stock entries come from
/// wwwroot-assets/pxe/stock.json (with their template files beside it), are created on first start, and can be
/// restored to stock.
/// </summary>
public sealed class PxeLibraryService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, IOptions<CollectOptions> options)
{
    private static string Permission(string kind, string action) => kind switch
    {
        PxeKinds.Profile => $"pxe.profiles.{action}",
        PxeKinds.DiskLayout => $"pxe.disklayouts.{action}",
        _ => $"pxe.scripts.{action}",
    };

    public async Task<IReadOnlyList<PxeItemView>> ListAsync(string kind, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.PxeItems.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct);
        return all.Where(p => p.Kind == kind).Select(p => View(p, all)).ToList();
    }

    public async Task<ServiceResult<PxeItemView>> GetAsync(string kind, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.PxeItems.AsNoTracking().ToListAsync(ct);
        var item = all.FirstOrDefault(p => p.Id == id && p.Kind == kind);
        return item is null ? ServiceResult<PxeItemView>.NotFound() : ServiceResult<PxeItemView>.Ok(View(item, all));
    }

    /// <summary>Creates (id null) or changes an entry from the seed's JSON body; every field is validated first.</summary>
    public async Task<ServiceResult<PxeItemView>> SaveAsync(Actor actor, string kind, int? id, JsonObject body, CancellationToken ct = default)
    {
        if (!actor.Can(Permission(kind, id is null ? "store" : "update"))) return ServiceResult<PxeItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = id is null ? new PxeItem { Kind = kind } : await db.PxeItems.FirstOrDefaultAsync(p => p.Id == id && p.Kind == kind, ct);
        if (item is null) return ServiceResult<PxeItemView>.NotFound();
        var creating = id is null;
        var errors = new Dictionary<string, string[]>();
        var nameField = kind == PxeKinds.Profile ? "osName" : "name";
        string? name = null;
        if (creating || body.ContainsKey(nameField))
        {
            name = body[nameField] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>().Trim() : null;
            if (string.IsNullOrEmpty(name)) errors[nameField] = [$"The {nameField} field is required."];
            else if (name.Length > 255) errors[nameField] = [$"The {nameField} must not be greater than 255 characters."];
        }
        List<string>? tags = null;
        if (creating || body.ContainsKey("tags"))
        {
            tags = body["tags"] is JsonArray array
                ? array.Select(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : "").ToList()
                : null;
            if (tags is null || tags.Count == 0) errors["tags"] = ["The tags must have at least 1 item."];
            else if (tags.Any(t => t.Length is 0 or > 64)) errors["tags"] = ["Each tag must have 1 to 64 characters."];
        }
        bool? disabled = null;
        if (body.TryGetPropertyValue("isDisabled", out var d) && d is not null)
        {
            if (d is JsonValue dv && dv.GetValueKind() is JsonValueKind.True or JsonValueKind.False) disabled = dv.GetValue<bool>();
            else if (d is JsonValue di && di.TryGetValue<int>(out var i) && i is 0 or 1) disabled = i == 1;
            else errors["isDisabled"] = ["The isDisabled field must be true or false."];
        }
        var settings = JsonNode.Parse(item.Settings) as JsonObject ?? [];
        foreach (var (field, messages) in PxeSchema.Apply(kind, body, settings, creating)) errors.TryAdd(field, messages);
        if (kind == PxeKinds.Profile && errors.Count == 0)
            await CheckReferencesAsync(db, settings, errors, ct);
        if (errors.Count > 0) return ServiceResult<PxeItemView>.Invalid(errors);
        if (name is not null) item.Name = name;
        if (tags is not null) item.Tags = tags.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (disabled is not null) item.IsDisabled = disabled.Value;
        item.Settings = settings.ToJsonString();
        if (creating) db.PxeItems.Add(item);
        activity.Record(db, actor, "pxe" + kind, item.Id, $"PXE {kind} {item.Name} {(creating ? "created" : "changed")}");
        await db.SaveChangesAsync(ct);
        return await GetAsync(kind, item.Id, ct);
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, string kind, int id, CancellationToken ct = default)
    {
        if (!actor.Can(Permission(kind, "destroy"))) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PxeItems.FirstOrDefaultAsync(p => p.Id == id && p.Kind == kind, ct);
        if (item is null) return ServiceResult<bool>.NotFound();
        if (kind == PxeKinds.Profile && await db.Installations.AnyAsync(i => i.ProfileId == id && i.Status != InstallationStatuses.Completed &&
                                                                          i.Status != InstallationStatuses.Failed && i.Status != InstallationStatuses.Aborted, ct))
            return ServiceResult<bool>.Invalid("id", "An installation with this profile is running; abort or finish it first.");
        db.PxeItems.Remove(item);
        if (kind != PxeKinds.Profile)
        {
            // Profiles that named it as their default forget it, so they stay valid.
            var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var profile in await db.PxeItems.Where(p => p.Kind == PxeKinds.Profile).ToListAsync(ct))
            {
                var settings = JsonNode.Parse(profile.Settings) as JsonObject ?? [];
                var changed = false;
                if (kind == PxeKinds.DiskLayout && settings["default_disklayout_template"] is JsonValue v && v.TryGetValue<int>(out var layout) && layout == id)
                {
                    settings["default_disklayout_template"] = null;
                    changed = true;
                }
                if (kind == PxeKinds.Script && settings["default_run_scripts"] is JsonArray runs && runs.Any(r => r?.ToString() == key))
                {
                    settings["default_run_scripts"] = new JsonArray(runs.Where(r => r?.ToString() != key).Select(r => r?.DeepClone()).ToArray());
                    changed = true;
                }
                if (changed) profile.Settings = settings.ToJsonString();
            }
        }
        activity.Record(db, actor, "pxe" + kind, id, $"PXE {kind} {item.Name} deleted");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    public async Task<ServiceResult<PxeItemView>> DuplicateAsync(Actor actor, string kind, int id, string? name, CancellationToken ct = default)
    {
        if (!actor.Can(Permission(kind, "duplicate"))) return ServiceResult<PxeItemView>.Forbidden();
        if (string.IsNullOrWhiteSpace(name)) return ServiceResult<PxeItemView>.Invalid("name", "The name field is required.");
        if (name.Trim().Length > 255) return ServiceResult<PxeItemView>.Invalid("name", "The name must not be greater than 255 characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.PxeItems.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.Kind == kind, ct);
        if (source is null) return ServiceResult<PxeItemView>.NotFound();
        var copy = new PxeItem { Kind = kind, Name = name.Trim(), Tags = [.. source.Tags], IsDisabled = source.IsDisabled, Settings = source.Settings };
        db.PxeItems.Add(copy);
        activity.Record(db, actor, "pxe" + kind, source.Id, $"PXE {kind} {source.Name} duplicated as {copy.Name}");
        await db.SaveChangesAsync(ct);
        return await GetAsync(kind, copy.Id, ct);
    }

    /// <summary>Puts a stock profile back to what ships with Collect.</summary>
    public async Task<ServiceResult<PxeItemView>> RestoreAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("pxe.profiles.restore")) return ServiceResult<PxeItemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.PxeItems.FirstOrDefaultAsync(p => p.Id == id && p.Kind == PxeKinds.Profile, ct);
        if (item is null) return ServiceResult<PxeItemView>.NotFound();
        var stock = PxeStock.Load(AssetsDirectory).FirstOrDefault(s => s.Kind == PxeKinds.Profile && s.Key == item.InternalKey);
        if (!item.IsStockTemplate || stock is null) return ServiceResult<PxeItemView>.Invalid("id", "Only stock profiles can be restored.");
        var all = await db.PxeItems.AsNoTracking().ToListAsync(ct);
        item.Name = stock.Name;
        item.Tags = [.. stock.Tags];
        item.IsDisabled = false;
        item.Settings = stock.SettingsWithIds(all).ToJsonString();
        activity.Record(db, actor, "pxeprofile", id, $"PXE profile {item.Name} restored to stock");
        await db.SaveChangesAsync(ct);
        return await GetAsync(PxeKinds.Profile, id, ct);
    }

    public async Task<IReadOnlyList<string>> TagsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tags = await db.PxeItems.AsNoTracking().Select(p => p.Tags).ToListAsync(ct);
        return tags.SelectMany(t => t).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Profiles carrying any of the tags.</summary>
    public async Task<IReadOnlyList<PxeItemView>> ProfilesByTagsAsync(IReadOnlyList<string> tags, CancellationToken ct = default) =>
        (await ListAsync(PxeKinds.Profile, ct)).Where(p => p.Item.Tags.Any(t => tags.Contains(t, StringComparer.OrdinalIgnoreCase))).ToList();

    public string AssetsDirectory => options.Value.AssetsPath;

    /// <summary>
    /// Creates the stock entries on first start (an empty library). Stock entries an operator deletes stay deleted;
    /// a profile can always be put back to stock with restore.
    /// </summary>
    public static async Task EnsureStockAsync(CollectDbContext db, string assetsDirectory, CancellationToken ct)
    {
        if (await db.PxeItems.AnyAsync(p => p.IsStockTemplate, ct)) return;
        var stock = PxeStock.Load(assetsDirectory);
        if (stock.Count == 0) return;
        var existing = (await db.PxeItems.Where(p => p.InternalKey != null).Select(p => p.Kind + "/" + p.InternalKey).ToListAsync(ct)).ToHashSet();
        // Layouts and scripts first: profiles refer to them by id.
        foreach (var entry in stock.Where(s => s.Kind != PxeKinds.Profile && !existing.Contains(s.Kind + "/" + s.Key)))
            db.PxeItems.Add(new PxeItem { Kind = entry.Kind, Name = entry.Name, Tags = [.. entry.Tags], IsStockTemplate = true, InternalKey = entry.Key, Settings = entry.Settings.ToJsonString() });
        await db.SaveChangesAsync(ct);
        var all = await db.PxeItems.AsNoTracking().ToListAsync(ct);
        foreach (var entry in stock.Where(s => s.Kind == PxeKinds.Profile && !existing.Contains(s.Kind + "/" + s.Key)))
            db.PxeItems.Add(new PxeItem { Kind = entry.Kind, Name = entry.Name, Tags = [.. entry.Tags], IsStockTemplate = true, InternalKey = entry.Key, Settings = entry.SettingsWithIds(all).ToJsonString() });
        await db.SaveChangesAsync(ct);
    }

    private static async Task CheckReferencesAsync(CollectDbContext db, JsonObject settings, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var layouts = await db.PxeItems.Where(p => p.Kind == PxeKinds.DiskLayout).Select(p => p.Id).ToListAsync(ct);
        var scripts = (await db.PxeItems.Where(p => p.Kind == PxeKinds.Script).Select(p => p.Id).ToListAsync(ct)).Select(i => i.ToString()).ToHashSet();
        if (settings["default_disklayout_template"] is JsonValue v && v.TryGetValue<int>(out var layout) && !layouts.Contains(layout))
            errors["default_disklayout_template"] = [$"The disk layout {layout} does not exist."];
        if (settings["default_run_scripts"] is JsonArray runs && runs.Select(r => r?.ToString()).FirstOrDefault(r => r is null || !scripts.Contains(r)) is { } missing)
            errors["default_run_scripts"] = [$"The script {missing} does not exist."];
    }

    /// <summary>A profile lists the enabled layouts and scripts that share one of its tags.</summary>
    private static PxeItemView View(PxeItem item, List<PxeItem> all)
    {
        var settings = JsonNode.Parse(item.Settings) as JsonObject ?? [];
        if (item.Kind != PxeKinds.Profile) return new PxeItemView(item, settings, [], []);
        bool Shares(PxeItem other) => !other.IsDisabled && other.Tags.Any(t => item.Tags.Contains(t, StringComparer.OrdinalIgnoreCase));
        return new PxeItemView(item, settings,
            all.Where(p => p.Kind == PxeKinds.DiskLayout && Shares(p)).ToList(),
            all.Where(p => p.Kind == PxeKinds.Script && Shares(p)).ToList());
    }
}

/// <summary>A stock library entry as shipped in wwwroot-assets/pxe/stock.json.</summary>
public sealed record PxeStockEntry(string Kind, string Key, string Name, IReadOnlyList<string> Tags, JsonObject Settings,
    string? DefaultDiskLayoutKey, IReadOnlyList<string> DefaultScriptKeys)
{
    /// <summary>The settings with the default layout and scripts turned from stock keys into the ids they have here.</summary>
    public JsonObject SettingsWithIds(IReadOnlyList<PxeItem> all)
    {
        var settings = (JsonObject)Settings.DeepClone();
        if (DefaultDiskLayoutKey is not null)
            settings["default_disklayout_template"] = all.FirstOrDefault(p => p.Kind == PxeKinds.DiskLayout && p.InternalKey == DefaultDiskLayoutKey)?.Id;
        settings["default_run_scripts"] = new JsonArray(DefaultScriptKeys
            .Select(k => all.FirstOrDefault(p => p.Kind == PxeKinds.Script && p.InternalKey == k)?.Id.ToString())
            .Where(id => id is not null).Select(id => (JsonNode?)id).ToArray());
        return settings;
    }
}

public static class PxeStock
{
    /// <summary>Reads stock.json; a field named in "files" takes its value from that file beside stock.json.</summary>
    public static IReadOnlyList<PxeStockEntry> Load(string assetsDirectory)
    {
        var directory = Path.Combine(assetsDirectory, "pxe");
        var path = Path.Combine(directory, "stock.json");
        if (!File.Exists(path)) return [];
        var entries = new List<PxeStockEntry>();
        foreach (var node in JsonNode.Parse(File.ReadAllText(path))!.AsArray())
        {
            var kind = (string)node!["kind"]!;
            var settings = new JsonObject();
            // Every schema field starts at its default, so stock entries read like ones made through the API.
            foreach (var field in PxeSchema.For(kind)) settings[field.Name] = field.Default?.DeepClone();
            foreach (var (key, value) in node["settings"]?.AsObject() ?? []) settings[key] = value?.DeepClone();
            foreach (var (key, file) in node["files"]?.AsObject() ?? []) settings[key] = File.ReadAllText(Path.Combine(directory, (string)file!));
            entries.Add(new PxeStockEntry(kind, (string)node["key"]!, (string)node["name"]!,
                node["tags"]!.AsArray().Select(t => (string)t!).ToList(), settings, (string?)node["defaultDiskLayout"],
                node["defaultScripts"]?.AsArray().Select(t => (string)t!).ToList() ?? []));
        }
        return entries;
    }
}
