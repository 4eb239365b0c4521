using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Branding;
using MudBlazor;

namespace Collect.Web.Components.Shared.Branding;

/// <summary>
/// The brand of the request's host for one request (static pages) or one circuit: its texts, MudTheme, theme options and
/// logos. App.razor resolves it from the request's Host; the circuit resolves it again from the host that Routes received
/// while prerendering, and Routes cascades it to every page.
/// </summary>
public sealed class BrandContext
{
    private readonly BrandService? _brands;
    private readonly ILogger<BrandContext>? _logger;
    private BrandView _view = null!;
    private Dictionary<string, string> _light = null!;
    private Dictionary<string, string> _dark = null!;

    public BrandContext(BrandService brands, ILogger<BrandContext> logger)
    {
        _brands = brands;
        _logger = logger;
    }

    private BrandContext(BrandView view) => Apply(view);

    /// <summary>Shown where no brand was cascaded (components rendered on their own, as in tests): the built-in look and texts.</summary>
    public static BrandContext Default { get; } = Of(new BrandView(new Brand { Domain = "default", IsDefault = true }, new JsonObject(),
        new Dictionary<string, string>(), new Dictionary<string, string>()));

    /// <summary>A context for a brand as given, e.g. an unsaved draft in the brand editor's preview.</summary>
    public static BrandContext Of(BrandView view) => new(view);

    public bool IsResolved => _view is not null;
    public BrandView View => _view ?? throw new InvalidOperationException("The brand has not been resolved for this request yet.");
    public MudTheme Theme { get; private set; } = null!;

    /// <summary>Resolves the brand once; later calls (the same request or circuit) keep the first host's brand.</summary>
    public async Task InitializeAsync(string? host, CancellationToken ct = default)
    {
        if (_view is not null) return;
        try
        {
            Apply(await _brands!.ForHostAsync(host, ct));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The error page renders through here too: without a brand it must still render, in the built-in look.
            _logger?.LogError(ex, "The brand of host {Host} could not be loaded; showing the built-in look", host);
            Apply(Default.View);
        }
    }

    /// <summary>The brand's text for a language key; the fallback (or the key) when neither the file nor the brand has it.</summary>
    public string T(string key, string? fallback = null) => View.Language.TryGetValue(key, out var text) ? text : fallback ?? key;

    public string PageTitle => Text("page_title", "Collect");
    public string HeaderTitle => Text("top_navbar_header_title", "Collect");
    public string LoginPageText => Text("login_page_text", "");

    public bool DefaultDark => Text("default_theme_mode", "light") == "dark";
    public bool FlatButtons => Flag("theme_flat_buttons", false);
    public int CardElevation => Math.Clamp(Number("theme_cards_elevation", 3), 0, 25);
    public bool CardsOutlined => Flag("theme_cards_outlined", false);
    public bool TopBarFullLength => Flag("theme_top_bar_full_length", false);
    /// <summary>For the server page: important notes above the other notes.</summary>
    public bool ImportantNotesOnTop => Flag("theme_serverpage_notes_importantNotes_showOnTop", false);

    public bool NavbarTextInsteadOfLogo => Flag("navbar_text_instead_logo", false);
    public int NavbarLogoMaxHeight => Math.Clamp(Number("navbar_logo_max_height", 30), 1, 500);
    public bool LoginTextInsteadOfLogo => Flag("loginpage_text_instead_logo", false);
    public bool LoginLogoAboveForm => Flag("loginpage_logo_above_form", false);
    public bool LoginTextWithinForm => Flag("loginpage_show_text_within_form", false);
    public int LoginLogoMaxHeight => Math.Clamp(Number("loginpage_logo_max_height", 40), 1, 500);

    /// <summary>The colours of one scheme, every key present (the defaults fill gaps), each a safe #RRGGBB or #RRGGBBAA.</summary>
    public IReadOnlyDictionary<string, string> Colors(bool dark) => dark ? _dark : _light;

    /// <summary>The app bar's logo, or null when the brand shows its title there (by choice, or because it has no logo).</summary>
    public string? NavbarLogo(bool darkMode) =>
        NavbarTextInsteadOfLogo ? null : Logo(Flag("navbar_logo_always_dark", true) || darkMode);

    /// <summary>The login page's uploaded logo, or null when the brand shows text or has none (then the shipped logo is shown).</summary>
    public string? LoginLogo => LoginTextInsteadOfLogo ? null : Logo(Flag("loginpage_logo_always_dark", false) || DefaultDark);

    public string FaviconHref => View.LogoPaths.TryGetValue("favicon", out var path) ? path : "assets/favicon.svg";

    public string FaviconType => Path.GetExtension(FaviconHref).ToLowerInvariant() switch
    {
        ".png" => "image/png", ".ico" => "image/x-icon", ".jpg" => "image/jpeg", ".gif" => "image/gif", ".webp" => "image/webp", _ => "image/svg+xml",
    };

    /// <summary>Classes on the app's layout that apply the brand's card and button options to the pages' MudBlazor components (see app.css).</summary>
    public string LayoutClass => "brand-shell" + (FlatButtons ? " brand-flat-buttons" : "") + (CardsOutlined ? " brand-cards-outlined" : "");

    public string LayoutStyle => $"--brand-card-shadow: {(CardElevation == 0 ? "none" : $"var(--mud-elevation-{CardElevation})")}";

    /// <summary>The static sign-in pages have no MudThemeProvider: their colours come from these CSS variables (scheme of the default mode).</summary>
    public string LoginStyle
    {
        get
        {
            var c = Colors(DefaultDark);
            return string.Join("; ",
                $"--brand-primary: {c["primary"]}", $"--brand-on-primary: {BrandColors.Readable(c["primary"])}", $"--brand-background: {c["background"]}",
                $"--brand-surface: {c["surface"]}", $"--brand-text: {c["text"]}", $"--brand-error: {c["error"]}",
                $"color-scheme: {(DefaultDark ? "dark" : "light")}");
        }
    }

    private string? Logo(bool dark)
    {
        var (first, second) = dark ? ("darklogo", "lightlogo") : ("lightlogo", "darklogo");
        return View.LogoPaths.TryGetValue(first, out var path) || View.LogoPaths.TryGetValue(second, out path) ? path : null;
    }

    private void Apply(BrandView view)
    {
        _view = view;
        _light = BrandColors.Scheme(view.Settings["color_scheme"]?["light"], "light");
        _dark = BrandColors.Scheme(view.Settings["color_scheme"]?["dark"], "dark");
        Theme = BrandColors.Theme(_light, _dark);
    }

    private string Text(string name, string fallback) =>
        View.Settings[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : fallback;

    private bool Flag(string name, bool fallback) => View.Settings[name] switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.TryGetValue<int>(out var number) => number != 0,
        _ => fallback,
    };

    private int Number(string name, int fallback) => View.Settings[name] is JsonValue v && v.TryGetValue<int>(out var number) ? number : fallback;
}

/// <summary>Brand colours: complete schemes over the defaults, readable text on a colour, and the MudTheme they make.</summary>
public static class BrandColors
{
    /// <summary>A scheme's colours with every key, defaults where the brand has none or an unusable value.</summary>
    public static Dictionary<string, string> Scheme(JsonNode? given, string mode)
    {
        var scheme = new Dictionary<string, string>();
        foreach (var key in BrandService.ColorKeys)
        {
            var value = given?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? Normalize(v.GetValue<string>()) : null;
            scheme[key] = value ?? Normalize((string?)BrandService.DefaultColorScheme[mode]![key]) ?? "#000000";
        }
        return scheme;
    }

    /// <summary>#RGB, #RRGGBB or #RRGGBBAA as upper-case #RRGGBB(AA); anything else is null, so only hex ever reaches inline CSS.</summary>
    public static string? Normalize(string? color)
    {
        var hex = color?.Trim().TrimStart('#');
        if (hex is null || !hex.All(Uri.IsHexDigit)) return null;
        return hex.Length switch
        {
            3 => "#" + string.Concat(hex.Select(c => $"{c}{c}")).ToUpperInvariant(),
            6 or 8 => "#" + hex.ToUpperInvariant(),
            _ => null,
        };
    }

    /// <summary>Black or white text, whichever reads better on the colour (WCAG contrast).</summary>
    public static string Readable(string background) => Contrast(background, "#FFFFFF") >= Contrast(background, "#1F1F1F") ? "#FFFFFF" : "#1F1F1F";

    /// <summary>The brand's own text colour where it reads on the background, else black or white.</summary>
    public static string TextOn(string background, string text) => Contrast(background, text) >= 4.5 ? text : Readable(background);

    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    public static MudTheme Theme(IReadOnlyDictionary<string, string> light, IReadOnlyDictionary<string, string> dark) => new()
    {
        PaletteLight = Fill(new PaletteLight(), light),
        PaletteDark = Fill(new PaletteDark(), dark),
    };

    private static T Fill<T>(T palette, IReadOnlyDictionary<string, string> c) where T : Palette
    {
        palette.Primary = c["primary"];
        palette.PrimaryContrastText = Readable(c["primary"]);
        palette.Secondary = c["secondary"];
        palette.SecondaryContrastText = Readable(c["secondary"]);
        palette.Tertiary = c["tertiary"];
        palette.TertiaryContrastText = Readable(c["tertiary"]);
        palette.Info = c["info"];
        palette.InfoContrastText = Readable(c["info"]);
        palette.Success = c["success"];
        palette.SuccessContrastText = Readable(c["success"]);
        palette.Warning = c["warning"];
        palette.WarningContrastText = Readable(c["warning"]);
        palette.Error = c["error"];
        palette.ErrorContrastText = Readable(c["error"]);
        palette.Background = c["background"];
        palette.Surface = c["surface"];
        palette.AppbarBackground = c["appbar"];
        palette.AppbarText = Readable(c["appbar"]);
        palette.DrawerBackground = c["drawer"];
        palette.DrawerText = TextOn(c["drawer"], c["text"]);
        palette.DrawerIcon = TextOn(c["drawer"], c["text"]);
        palette.TextPrimary = c["text"];
        palette.TextSecondary = new MudBlazor.Utilities.MudColor(c["text"]).SetAlpha(0.7);
        return palette;
    }

    private static double Luminance(string color)
    {
        var hex = (Normalize(color) ?? "#000000")[1..];
        double Channel(int index)
        {
            var value = int.Parse(hex.AsSpan(index, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return value <= 0.03928 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(0) + 0.7152 * Channel(2) + 0.0722 * Channel(4);
    }
}
