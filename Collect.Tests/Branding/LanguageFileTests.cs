using Collect.Tests.Infrastructure;
using System.Text.Json;
using System.Text.RegularExpressions;
using Collect.Web.Components.Pages.Brands;
using Collect.Web.Components.Pages.Pxe;
using Collect.Web.Components.Shared;
using Collect.Web.Components.Shared.Branding;

namespace Collect.Tests.Branding;

/// <summary>
/// The shipped language file and the English fallbacks in the components say the same thing: a brand's override of a
/// key can only show if the key is in the file, and a fallback that drifted from the file would read differently on
/// pages rendered without a brand.
/// </summary>
public sealed partial class LanguageFileTests
{
    private static readonly string Root = RepositoryRoot.Path;
    private static readonly IReadOnlyDictionary<string, string> Language =
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Root, "wwwroot-assets", "lang", "en-us.json")))!;

    [Fact]
    public void Every_text_the_components_key_is_in_the_language_file_with_the_same_English()
    {
        var calls = ComponentFiles()
            .SelectMany(file => TranslationCall().Matches(File.ReadAllText(file))
                .Select(m => (File: Path.GetRelativePath(Root, file), Key: m.Groups["key"].Value, Text: Regex.Unescape(m.Groups["text"].Value))))
            .ToList();

        var problems = calls
            .Where(c => !Language.TryGetValue(c.Key, out var text) || text != c.Text)
            .Select(c => Language.TryGetValue(c.Key, out var text)
                ? $"{c.File}: {c.Key} is \"{c.Text}\" there but \"{text}\" in en-us.json"
                : $"{c.File}: {c.Key} (\"{c.Text}\") is missing from en-us.json")
            .Distinct()
            .ToList();

        // Hundreds of keyed texts: a pattern that stopped matching would make this test pass on nothing.
        Assert.True(calls.Count > 500, $"Only {calls.Count} keyed texts found");
        Assert.Empty(problems);
    }

    [Fact]
    public void Texts_whose_keys_are_built_in_code_are_in_the_language_file_too()
    {
        var texts = FeatureAreas.All.Select(a => (Key: BrandTexts.NavKey(a), Text: a.Title))
            .Concat(FeatureAreas.All.Select(a => a.Group).Distinct().Select(g => (Key: BrandTexts.NavGroupKey(g), Text: g)))
            .Concat(FeatureAreas.All.Where(a => a.Summary is not null).Select(a => (Key: BrandTexts.SummaryKey(a), Text: a.Summary!)))
            .Concat(FeatureAreas.ProfilePages.Select(p => (Key: BrandTexts.ProfileKey(p.Key), Text: p.Value)))
            .Concat(BrandDraft.LogoFlags.Concat(BrandDraft.ThemeFlags)
                .SelectMany(f => new[] { (Key: BrandDraft.LabelKey(f), Text: f.Label), (Key: BrandDraft.HelpKey(f), Text: f.Help) }))
            .Concat(PxeUi.Texts());

        var problems = texts
            .Where(t => !Language.TryGetValue(t.Key, out var text) || text != t.Text)
            .Select(t => $"{t.Key}: \"{t.Text}\" in code, \"{Language.GetValueOrDefault(t.Key)}\" in en-us.json")
            .ToList();

        Assert.Empty(problems);
    }

    private static IEnumerable<string> ComponentFiles()
    {
        var components = Path.Combine(Root, "Collect.Web", "Components");
        return Directory.EnumerateFiles(components, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal));
    }

    /// <summary>B.T("key", "English") and brand.T(...) with a literal key and a literal fallback.</summary>
    [GeneratedRegex("""\bT\(\s*"(?<key>[A-Za-z0-9_.]+)"\s*,\s*"(?<text>(?:[^"\\]|\\.)*)"\s*\)""")]
    private static partial Regex TranslationCall();
}
