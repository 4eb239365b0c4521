using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Collect.Core.Branding;

/// <summary>A brand with every field resolved: its settings over the defaults, its language data and logo paths.</summary>
public sealed record BrandView(Brand Brand, JsonObject Settings, IReadOnlyDictionary<string, string> Language, IReadOnlyDictionary<string, string> LogoPaths);

public sealed record LogoUpload(string Slot, string FileName, Stream Content, long Length);

/// <summary>
/// Brands (seed 002, DESIGN §11): CRUD within the tenant scope (resellers own theirs; the admin all), logos checked by
/// content, and the brand of a request's host with its texts, theme and language, cached briefly.
/// </summary>
public sealed partial class BrandService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, IOptions<CollectOptions> options, TimeProvider clock,
    Files.FileStore files)
{
    public const long MaxLogoBytes = 512 * 1024;
    public static readonly string[] LogoSlots = ["lightlogo", "darklogo", "favicon"];
    public static readonly string[] ColorKeys = ["primary", "secondary", "tertiary", "info", "success", "warning", "error", "background", "surface", "appbar", "drawer", "text"];

    public static readonly JsonObject DefaultColorScheme = new()
    {
        ["light"] = new JsonObject { ["primary"] = "#0C47A0", ["secondary"] = "#00897B", ["tertiary"] = "#5E35B1", ["info"] = "#0288D1", ["success"] = "#2E7D32",
            ["warning"] = "#ED6C02", ["error"] = "#D32F2F", ["background"] = "#F5F6FA", ["surface"] = "#FFFFFF", ["appbar"] = "#0C47A0", ["drawer"] = "#FFFFFF", ["text"] = "#1F2937" },
        ["dark"] = new JsonObject { ["primary"] = "#536DFE", ["secondary"] = "#4DB6AC", ["tertiary"] = "#B39DDB", ["info"] = "#4FC3F7", ["success"] = "#81C784",
            ["warning"] = "#FFB74D", ["error"] = "#E57373", ["background"] = "#121212", ["surface"] = "#1E1E1E", ["appbar"] = "#1E1E1E", ["drawer"] = "#1A1A1A", ["text"] = "#E5E7EB" },
    };

    private static readonly (string Name, JsonNode? Default, string Kind)[] Fields =
    [
        ("login_page_text", "Server Management", "text"), ("page_title", "Collect", "text"), ("top_navbar_header_title", "Collect", "text"),
        ("navbar_text_instead_logo", false, "bool"), ("navbar_logo_always_dark", true, "bool"), ("loginpage_text_instead_logo", false, "bool"),
        ("loginpage_logo_always_dark", false, "bool"), ("loginpage_logo_above_form", false, "bool"), ("loginpage_show_text_within_form", false, "bool"),
        ("navbar_logo_max_height", 30, "height"), ("loginpage_logo_max_height", 40, "height"), ("theme_flat_buttons", false, "bool"),
        ("theme_cards_elevation", 3, "elevation"), ("theme_cards_outlined", false, "bool"), ("theme_top_bar_full_length", false, "bool"),
        ("theme_serverpage_notes_importantNotes_showOnTop", false, "bool"), ("default_theme_mode", "light", "mode"),
    ];

    /// <summary>Every brand by domain and the default, reloaded every ten seconds or after a change: bounded by the number of brands.</summary>
    private volatile HostCache? _cache;

    private sealed record HostCache(IReadOnlyDictionary<string, BrandView> ByDomain, BrandView Default, DateTimeOffset Until);
    private IReadOnlyDictionary<string, string>? _baseLanguage;

    private string LanguagePath => Path.Combine(options.Value.AssetsPath, "lang");

    /// <summary>The shipped language file for a code (en-us), keys to texts.</summary>
    public IReadOnlyDictionary<string, string> BaseLanguage(string code = "en-us")
    {
        if (code == "en-us" && _baseLanguage is { } cached) return cached;
        var path = Path.Combine(LanguagePath, $"{code}.json");
        var texts = File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [] : new Dictionary<string, string>();
        if (code == "en-us") _baseLanguage = texts;
        return texts;
    }

    public static IReadOnlyList<(string Code, string Name)> AvailableLanguages { get; } = [("en-us", "English")];

    public async Task<IReadOnlyList<BrandView>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Can("system.brands.index")) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var brands = await Visible(db, actor).AsNoTracking().OrderBy(b => b.Id).ToListAsync(ct);
        return brands.Select(View).ToList();
    }

    public async Task<ServiceResult<BrandView>> GetAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("system.brands.show")) return ServiceResult<BrandView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var brand = await Visible(db, actor).AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        return brand is null ? ServiceResult<BrandView>.NotFound() : ServiceResult<BrandView>.Ok(View(brand));
    }

    public async Task<ServiceResult<BrandView>> CreateAsync(Actor actor, string? domain, CancellationToken ct = default)
    {
        if (!actor.Can("system.brands.store")) return ServiceResult<BrandView>.Forbidden();
        var host = NormalizeDomain(domain);
        if (host is null) return ServiceResult<BrandView>.Invalid("domain", "The domain must be a host name such as panel.example.com.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ReservedAsync(db, actor, host, ct)) return ServiceResult<BrandView>.Invalid("domain", ReservedMessage);
        if (await db.Brands.AnyAsync(b => b.Domain == host, ct)) return ServiceResult<BrandView>.Invalid("domain", "The domain has already been taken.");
        var owner = await db.Users.AsNoTracking().FirstAsync(u => u.Id == actor.ScopeUserId, ct);
        var brand = new Brand { Domain = host, UserId = owner.Id, OwnerTreePath = owner.TreePath, Settings = Defaults().ToJsonString() };
        db.Brands.Add(brand);
        activity.Record(db, actor, "brand", null, $"Brand {host} created");
        await db.SaveChangesAsync(ct);
        Forget();
        return ServiceResult<BrandView>.Ok(View(brand));
    }

    public async Task<ServiceResult<BrandView>> UpdateAsync(Actor actor, int id, JsonObject body, CancellationToken ct = default)
    {
        if (!actor.Can("system.brands.update")) return ServiceResult<BrandView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var brand = await Visible(db, actor).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (brand is null) return ServiceResult<BrandView>.NotFound();
        var settings = Merge(JsonNode.Parse(brand.Settings) as JsonObject);
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, _, kind) in Fields)
        {
            if (!body.TryGetPropertyValue(name, out var node)) continue;
            var (value, error) = Check(name, kind, node);
            if (error is not null) errors[name] = [error];
            else settings[name] = value;
        }
        if (body.TryGetPropertyValue("color_scheme", out var scheme) && CheckScheme(scheme, errors) is { } checkedScheme)
        {
            // Colours not sent keep their saved values.
            foreach (var (mode, colors) in checkedScheme)
                foreach (var (key, value) in colors!.AsObject()) settings["color_scheme"]![mode]![key] = value?.DeepClone();
        }
        if (body.TryGetPropertyValue("languageOverrides", out var overrides))
        {
            if (CheckOverrides(overrides, errors) is { } checkedOverrides) settings["languageOverrides"] = checkedOverrides;
        }
        if (body.TryGetPropertyValue("domain", out var domainNode))
        {
            var host = NormalizeDomain(domainNode is JsonValue dv && dv.GetValueKind() == JsonValueKind.String ? dv.GetValue<string>() : null);
            if (host is null) errors["domain"] = ["The domain must be a host name such as panel.example.com."];
            else if (host != brand.Domain && await ReservedAsync(db, actor, host, ct)) errors["domain"] = [ReservedMessage];
            else if (await db.Brands.AnyAsync(b => b.Domain == host && b.Id != id, ct)) errors["domain"] = ["The domain has already been taken."];
            else brand.Domain = host;
        }
        if (body.TryGetPropertyValue("user_id", out var userNode))
        {
            var ownerId = userNode is JsonValue uv && uv.TryGetValue<int>(out var u) ? u : (int?)null;
            var owner = ownerId is null ? null : await db.Users.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(x => x.Id == ownerId && x.SharedUserId == null, ct);
            if (owner is null) errors["user_id"] = ["The selected user id is invalid."];
            else
            {
                brand.UserId = owner.Id;
                brand.OwnerTreePath = owner.TreePath;
            }
        }
        if (errors.Count > 0) return ServiceResult<BrandView>.Invalid(errors);
        brand.Settings = settings.ToJsonString();
        activity.Record(db, actor, "brand", brand.Id, $"Brand {brand.Domain} changed");
        await db.SaveChangesAsync(ct);
        Forget();
        return ServiceResult<BrandView>.Ok(View(brand));
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int id, CancellationToken ct = default)
    {
        if (!actor.Can("system.brands.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var brand = await Visible(db, actor).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (brand is null) return ServiceResult<bool>.NotFound();
        if (brand.IsDefault) return ServiceResult<bool>.Invalid("id", "The default brand cannot be deleted.");
        foreach (var slot in LogoSlots) if (brand.LogoFile(slot) is { } file) File.Delete(LogoPath(brand.Id, file));
        db.Brands.Remove(brand);
        activity.Record(db, actor, "brand", id, $"Brand {brand.Domain} deleted");
        await db.SaveChangesAsync(ct);
        Forget();
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>Stores uploaded logos after checking each is a PNG, JPEG, GIF, WebP, ICO or SVG by its content; all or none.</summary>
    public async Task<ServiceResult<BrandView>> StoreLogosAsync(Actor actor, int id, IReadOnlyList<LogoUpload> uploads, CancellationToken ct = default)
    {
        if (!actor.Can("system.brands.logos.store")) return ServiceResult<BrandView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var brand = await Visible(db, actor).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (brand is null) return ServiceResult<BrandView>.NotFound();
        if (uploads.Count == 0) return ServiceResult<BrandView>.Invalid("lightlogo", "Upload at least one of lightlogo, darklogo or favicon.");
        var checkedFiles = new List<(string Slot, byte[] Bytes, string Extension)>();
        foreach (var upload in uploads)
        {
            if (!LogoSlots.Contains(upload.Slot)) return ServiceResult<BrandView>.Invalid(upload.Slot, $"Unknown logo field {upload.Slot}.");
            if (upload.Length > MaxLogoBytes) return ServiceResult<BrandView>.Invalid(upload.Slot, "The logo must not be greater than 512 kilobytes.");
            using var buffer = new MemoryStream();
            await upload.Content.CopyToAsync(buffer, ct);
            if (buffer.Length > MaxLogoBytes) return ServiceResult<BrandView>.Invalid(upload.Slot, "The logo must not be greater than 512 kilobytes.");
            var bytes = buffer.ToArray();
            var extension = ImageExtension(bytes);
            if (extension is null) return ServiceResult<BrandView>.Invalid(upload.Slot, "The logo must be an image (PNG, JPEG, GIF, WebP, ICO or SVG).");
            checkedFiles.Add((upload.Slot, bytes, extension));
        }
        Directory.CreateDirectory(LogoDirectory(brand.Id));
        foreach (var (slot, bytes, extension) in checkedFiles)
        {
            var name = $"{slot}_{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(7))}.{extension}";
            await File.WriteAllBytesAsync(LogoPath(brand.Id, name), bytes, ct);
            if (brand.LogoFile(slot) is { } old) File.Delete(LogoPath(brand.Id, old));
            brand.Logos = [.. brand.Logos.Where(l => !l.StartsWith(slot + ":", StringComparison.Ordinal)), $"{slot}:{name}"];
        }
        activity.Record(db, actor, "brand", brand.Id, $"Logos of brand {brand.Domain} uploaded: {string.Join(", ", checkedFiles.Select(f => f.Slot))}");
        await db.SaveChangesAsync(ct);
        Forget();
        return ServiceResult<BrandView>.Ok(View(brand));
    }

    public async Task<ServiceResult<BrandView>> DeleteLogosAsync(Actor actor, int id, IReadOnlyCollection<string> slots, CancellationToken ct = default)
    {
        if (!actor.Can("system.brands.logos.delete")) return ServiceResult<BrandView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var brand = await Visible(db, actor).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (brand is null) return ServiceResult<BrandView>.NotFound();
        foreach (var slot in slots)
            if (brand.LogoFile(slot) is { } file)
            {
                File.Delete(LogoPath(brand.Id, file));
                brand.Logos = [.. brand.Logos.Where(l => !l.StartsWith(slot + ":", StringComparison.Ordinal))];
            }
        activity.Record(db, actor, "brand", brand.Id, $"Logos of brand {brand.Domain} removed: {string.Join(", ", slots)}");
        await db.SaveChangesAsync(ct);
        Forget();
        return ServiceResult<BrandView>.Ok(View(brand));
    }

    /// <summary>The brand for a request's host (port ignored), else the default brand; cached for ten seconds.</summary>
    public async Task<BrandView> ForHostAsync(string? host, CancellationToken ct = default)
    {
        var key = (host ?? "").Split(':')[0].Trim().TrimEnd('.').ToLowerInvariant();
        var now = clock.GetUtcNow();
        var cache = _cache;
        if (cache is null || cache.Until <= now)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var brands = await db.Brands.AsNoTracking().ToListAsync(ct);
            var byDomain = brands.ToDictionary(b => b.Domain, View, StringComparer.OrdinalIgnoreCase);
            var fallback = brands.FirstOrDefault(b => b.IsDefault) is { } d ? byDomain[d.Domain]
                : View(new Brand { Domain = "default", IsDefault = true, Settings = Defaults().ToJsonString() });
            cache = new HostCache(byDomain, fallback, now.AddSeconds(10));
            _cache = cache;
        }
        return cache.ByDomain.TryGetValue(key, out var view) ? view : cache.Default;
    }

    /// <summary>The default brand, created on first start and owned by the first admin.</summary>
    public static async Task EnsureDefaultAsync(CollectDbContext db, CancellationToken ct)
    {
        if (await db.Brands.AnyAsync(b => b.IsDefault, ct)) return;
        var admin = await db.Users.OrderBy(u => u.Id).FirstAsync(u => u.RoleId == BuiltInRoles.Admin, ct);
        db.Brands.Add(new Brand { Domain = "default", UserId = admin.Id, OwnerTreePath = admin.TreePath, IsDefault = true, Settings = Defaults().ToJsonString() });
        await db.SaveChangesAsync(ct);
    }

    public string LogoDirectory(int brandId) => Path.Combine(files.Directory, "brands", brandId.ToString(System.Globalization.CultureInfo.InvariantCulture), "logos");

    /// <summary>The file of a logo by its public name, or null (names are ours: slot, underscore, hex, extension).</summary>
    public string? LogoFilePath(int brandId, string name) => LogoNamePattern().IsMatch(name) && File.Exists(LogoPath(brandId, name)) ? LogoPath(brandId, name) : null;

    private string LogoPath(int brandId, string name) => Path.Combine(LogoDirectory(brandId), name);

    private void Forget() => _cache = null;

    private const string ReservedMessage = "The domain is reserved for the provider's own panel; use a domain of your own.";

    /// <summary>
    /// A reseller must not take over the provider's own host: the default brand's domain and Collect:Branding:ReservedDomains
    /// are refused to everyone but admins, who configure the provider's panel itself.
    /// </summary>
    private async Task<bool> ReservedAsync(CollectDbContext db, Actor actor, string host, CancellationToken ct)
    {
        if (actor.IsAdmin) return false;
        if (options.Value.Branding.ReservedDomains.Any(d => NormalizeDomain(d) == host)) return true;
        return await db.Brands.AnyAsync(b => b.IsDefault && b.Domain == host, ct);
    }

    private static IQueryable<Brand> Visible(CollectDbContext db, Actor actor) =>
        actor.IsAdmin ? db.Brands : actor.TreePath is { } path ? db.Brands.Where(b => b.OwnerTreePath.StartsWith(path)) : db.Brands.Where(b => b.UserId == actor.ScopeUserId);

    private BrandView View(Brand brand)
    {
        var settings = Merge(JsonNode.Parse(brand.Settings) as JsonObject);
        var language = new Dictionary<string, string>(BaseLanguage());
        if (settings["languageOverrides"]?["en-us"] is JsonObject overrides)
            foreach (var (key, value) in overrides)
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String) language[key] = v.GetValue<string>();
        var logos = LogoSlots.Where(s => brand.LogoFile(s) is not null).ToDictionary(s => s, s => $"/storage/brands/{brand.Id}/logos/{brand.LogoFile(s)}");
        return new BrandView(brand, settings, language, logos);
    }

    private static JsonObject Defaults()
    {
        var settings = new JsonObject();
        foreach (var (name, value, _) in Fields) settings[name] = value?.DeepClone();
        settings["color_scheme"] = DefaultColorScheme.DeepClone();
        settings["languageOverrides"] = new JsonObject();
        return settings;
    }

    /// <summary>Stored settings over the defaults, so brands made before a field existed still have it.</summary>
    private static JsonObject Merge(JsonObject? stored)
    {
        var settings = Defaults();
        foreach (var (key, value) in stored ?? []) settings[key] = value?.DeepClone();
        var scheme = (JsonObject)DefaultColorScheme.DeepClone();
        foreach (var mode in new[] { "light", "dark" })
            if (settings["color_scheme"]?[mode] is JsonObject given)
                foreach (var (key, value) in given) scheme[mode]![key] = value?.DeepClone();
        settings["color_scheme"] = scheme;
        return settings;
    }

    private static (JsonNode? Value, string? Error) Check(string name, string kind, JsonNode? node)
    {
        switch (kind)
        {
            case "bool":
                if (node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return (b.GetValue<bool>(), null);
                if (node is JsonValue n && n.TryGetValue<int>(out var i) && i is 0 or 1) return (i == 1, null);
                return (null, $"The {name} field must be true or false.");
            case "height":
            case "elevation":
                var (min, max) = kind == "elevation" ? (0, 25) : (1, 500);
                if (node is not JsonValue v || !v.TryGetValue<int>(out var number)) return (null, $"The {name} must be an integer.");
                if (number < min) return (null, $"The {name} must be at least {min}.");
                if (number > max) return (null, $"The {name} must not be greater than {max}.");
                return (number, null);
            case "mode":
                return node is JsonValue m && m.GetValueKind() == JsonValueKind.String && m.GetValue<string>() is "light" or "dark"
                    ? (m.GetValue<string>(), null) : (null, $"The {name} must be light or dark.");
            default:
                if (node is not JsonValue s || s.GetValueKind() != JsonValueKind.String) return (null, $"The {name} must be a string.");
                var text = s.GetValue<string>();
                return text.Length > 1000 ? (null, $"The {name} must not be greater than 1000 characters.") : (text, null);
        }
    }

    private static JsonObject? CheckScheme(JsonNode? node, Dictionary<string, string[]> errors)
    {
        if (node is not JsonObject scheme) { errors["color_scheme"] = ["The color_scheme must be an object with light and dark."]; return null; }
        var result = new JsonObject();
        foreach (var (mode, colors) in scheme)
        {
            if (mode is not ("light" or "dark")) { errors["color_scheme"] = ["The color_scheme has light and dark only."]; return null; }
            if (colors is not JsonObject map) { errors[$"color_scheme.{mode}"] = ["Each scheme must be an object of colours."]; return null; }
            var checkedColors = new JsonObject();
            foreach (var (key, value) in map)
            {
                if (!ColorKeys.Contains(key)) { errors[$"color_scheme.{mode}.{key}"] = [$"Unknown colour {key}; use {string.Join(", ", ColorKeys)}."]; return null; }
                if (value is not JsonValue c || c.GetValueKind() != JsonValueKind.String || !ColorPattern().IsMatch(c.GetValue<string>()))
                { errors[$"color_scheme.{mode}.{key}"] = ["Colours are hex values such as #0C47A0."]; return null; }
                checkedColors[key] = c.GetValue<string>().ToUpperInvariant();
            }
            result[mode] = checkedColors;
        }
        return result;
    }

    private JsonObject? CheckOverrides(JsonNode? node, Dictionary<string, string[]> errors)
    {
        if (node is JsonArray { Count: 0 }) return new JsonObject(); // the seed's "no overrides" is []
        if (node is not JsonObject languages) { errors["languageOverrides"] = ["The languageOverrides must be an object of language codes."]; return null; }
        var result = new JsonObject();
        foreach (var (code, texts) in languages)
        {
            if (AvailableLanguages.All(l => l.Code != code)) { errors["languageOverrides"] = [$"Unknown language {code}."]; return null; }
            if (texts is not JsonObject map) { errors["languageOverrides"] = ["Each language maps keys to texts."]; return null; }
            var keys = BaseLanguage(code);
            var checkedTexts = new JsonObject();
            foreach (var (key, value) in map)
            {
                if (!keys.ContainsKey(key)) { errors[$"languageOverrides.{code}.{key}"] = [$"Unknown text key {key}."]; return null; }
                if (value is not JsonValue t || t.GetValueKind() != JsonValueKind.String || t.GetValue<string>().Length > 1000)
                { errors[$"languageOverrides.{code}.{key}"] = ["Each text must be a string of at most 1000 characters."]; return null; }
                checkedTexts[key] = t.GetValue<string>();
            }
            result[code] = checkedTexts;
        }
        return result;
    }

    private static string? NormalizeDomain(string? domain)
    {
        var host = domain?.Trim().TrimEnd('.').ToLowerInvariant();
        return host is { Length: > 0 and <= 253 } && DomainPattern().IsMatch(host) ? host : null;
    }

    /// <summary>The file type by its first bytes (never by the name the browser sent).</summary>
    internal static string? ImageExtension(byte[] bytes)
    {
        bool Starts(params byte[] magic) => bytes.Length >= magic.Length && bytes.AsSpan(0, magic.Length).SequenceEqual(magic);
        if (Starts(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)) return "png";
        if (Starts(0xFF, 0xD8, 0xFF)) return "jpg";
        if (Starts(0x47, 0x49, 0x46, 0x38)) return "gif";
        if (bytes.Length >= 12 && Starts(0x52, 0x49, 0x46, 0x46) && bytes.AsSpan(8, 4).SequenceEqual("WEBP"u8)) return "webp";
        if (Starts(0x00, 0x00, 0x01, 0x00)) return "ico";
        // SVG: XML whose root is <svg>, without scripts or event handlers.
        var head = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 4096)).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if ((head.StartsWith("<svg", StringComparison.OrdinalIgnoreCase) || (head.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && head.Contains("<svg", StringComparison.OrdinalIgnoreCase))))
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            return UnsafeSvgPattern().IsMatch(text) ? null : "svg";
        }
        return null;
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")]
    private static partial Regex ColorPattern();

    [GeneratedRegex(@"^(lightlogo|darklogo|favicon)_[0-9a-f]{14}\.(png|jpg|gif|webp|ico|svg)$")]
    private static partial Regex LogoNamePattern();

    [GeneratedRegex(@"<script|\son[a-z]+\s*=|javascript:|<foreignObject", RegexOptions.IgnoreCase)]
    private static partial Regex UnsafeSvgPattern();
}
