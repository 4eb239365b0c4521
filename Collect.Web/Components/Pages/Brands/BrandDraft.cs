using System.Text.Json;
using System.Text.Json.Nodes;
using Collect.Core.Branding;

namespace Collect.Web.Components.Pages.Brands;

/// <summary>One of a brand's on/off options as the editor shows it.</summary>
public sealed record BrandFlag(string Field, string Label, string Help);

/// <summary>
/// The brand editor's working copy of a brand: every seed field, sent whole on save so Core validates it at once.
/// Colours stay as typed until then; the preview shows the defaults for anything that is not a colour yet.
/// </summary>
public sealed class BrandDraft
{
    /// <summary>The language keys of a flag's label and help (brands_flag_theme_flat_buttons, ..._help), so a brand can reword its own editor.</summary>
    public static string LabelKey(BrandFlag flag) => "brands_flag_" + flag.Field;

    public static string HelpKey(BrandFlag flag) => LabelKey(flag) + "_help";

    public static readonly IReadOnlyList<BrandFlag> LogoFlags =
    [
        new("navbar_text_instead_logo", "Title instead of a logo in the top bar", "Shows the top bar title even when a logo is uploaded."),
        new("navbar_logo_always_dark", "Dark logo in the top bar in both modes", "For top bars coloured dark in the light theme too."),
        new("loginpage_text_instead_logo", "Title instead of a logo on the login page", "Shows the top bar title in place of the logo."),
        new("loginpage_logo_always_dark", "Dark logo on the login page", "Uses the dark logo even when the login page is light."),
        new("loginpage_logo_above_form", "Logo above the login form", "Otherwise the logo sits inside the form's card."),
        new("loginpage_show_text_within_form", "Login text within the form", "Otherwise the login text sits above the form's card."),
    ];

    public static readonly IReadOnlyList<BrandFlag> ThemeFlags =
    [
        new("theme_flat_buttons", "Flat buttons", "Filled buttons without a shadow."),
        new("theme_cards_outlined", "Outlined cards", "A thin border around cards and tables."),
        new("theme_top_bar_full_length", "Top bar across the full width", "Otherwise the navigation drawer runs the full height beside it."),
        new("theme_serverpage_notes_importantNotes_showOnTop", "Important notes first on the server page", "Sticky notes above the others."),
    ];

    public string Domain { get; set; } = "";
    public int UserId { get; set; }
    public string PageTitle { get; set; } = "";
    public string HeaderTitle { get; set; } = "";
    public string LoginPageText { get; set; } = "";
    public int NavbarLogoMaxHeight { get; set; }
    public int LoginLogoMaxHeight { get; set; }
    public int CardElevation { get; set; }
    public string DefaultThemeMode { get; set; } = "light";
    public Dictionary<string, bool> Flags { get; } = [];
    public Dictionary<string, string> Light { get; } = [];
    public Dictionary<string, string> Dark { get; } = [];
    /// <summary>en-us overrides; an empty text means none.</summary>
    public Dictionary<string, string> Overrides { get; } = [];

    public Dictionary<string, string> Colors(string mode) => mode == "dark" ? Dark : Light;

    public static BrandDraft From(BrandView view)
    {
        var s = view.Settings;
        var draft = new BrandDraft
        {
            Domain = view.Brand.Domain,
            UserId = view.Brand.UserId,
            PageTitle = Text(s, "page_title"),
            HeaderTitle = Text(s, "top_navbar_header_title"),
            LoginPageText = Text(s, "login_page_text"),
            NavbarLogoMaxHeight = Number(s, "navbar_logo_max_height"),
            LoginLogoMaxHeight = Number(s, "loginpage_logo_max_height"),
            CardElevation = Number(s, "theme_cards_elevation"),
            DefaultThemeMode = Text(s, "default_theme_mode") is "dark" ? "dark" : "light",
        };
        foreach (var flag in LogoFlags.Concat(ThemeFlags)) draft.Flags[flag.Field] = Flag(s, flag.Field);
        foreach (var mode in new[] { "light", "dark" })
            foreach (var key in BrandService.ColorKeys)
                draft.Colors(mode)[key] = s["color_scheme"]?[mode]?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        if (s["languageOverrides"]?["en-us"] is JsonObject overrides)
            foreach (var (key, value) in overrides)
                if (value is JsonValue t && t.GetValueKind() == JsonValueKind.String) draft.Overrides[key] = t.GetValue<string>();
        return draft;
    }

    /// <summary>The settings in the seed's shape (what UpdateAsync takes), without domain and owner.</summary>
    public JsonObject Settings()
    {
        var json = new JsonObject
        {
            ["page_title"] = PageTitle,
            ["top_navbar_header_title"] = HeaderTitle,
            ["login_page_text"] = LoginPageText,
            ["navbar_logo_max_height"] = NavbarLogoMaxHeight,
            ["loginpage_logo_max_height"] = LoginLogoMaxHeight,
            ["theme_cards_elevation"] = CardElevation,
            ["default_theme_mode"] = DefaultThemeMode,
            ["color_scheme"] = new JsonObject
            {
                ["light"] = new JsonObject(Light.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value.Trim()))),
                ["dark"] = new JsonObject(Dark.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value.Trim()))),
            },
            ["languageOverrides"] = new JsonObject
            {
                ["en-us"] = new JsonObject(Overrides.Where(o => o.Value.Length > 0).OrderBy(o => o.Key, StringComparer.Ordinal)
                    .Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            },
        };
        foreach (var (field, value) in Flags) json[field] = value;
        return json;
    }

    /// <summary>The body for UpdateAsync: the settings, plus domain and owner when they changed.</summary>
    public JsonObject Body(BrandView saved)
    {
        var body = Settings();
        if (!string.Equals(Domain.Trim(), saved.Brand.Domain, StringComparison.OrdinalIgnoreCase)) body["domain"] = Domain;
        if (UserId != saved.Brand.UserId) body["user_id"] = UserId;
        return body;
    }

    /// <summary>The brand as it would look with this draft saved, for the live preview.</summary>
    public BrandView Preview(BrandView saved, IReadOnlyDictionary<string, string> baseLanguage)
    {
        var language = new Dictionary<string, string>(baseLanguage);
        foreach (var (key, text) in Overrides)
            if (text.Length > 0) language[key] = text;
        return saved with { Settings = Settings(), Language = language };
    }

    private static string Text(JsonObject s, string name) => s[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    private static int Number(JsonObject s, string name) => s[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;

    private static bool Flag(JsonObject s, string name) => s[name] switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.TryGetValue<int>(out var n) => n != 0,
        _ => false,
    };
}
