using Fluid;

namespace Collect.Core.Provisioning;

public sealed record RenderResult(string? Output, string? Error)
{
    public bool IsOk => Error is null;
}

/// <summary>
/// Renders PXE templates with Fluid (Liquid). The model is plain dictionaries, lists and strings, and no .NET type is
/// registered for member access, so a template sees only the documented variables. Loops and output are bounded.
/// A parse error comes back with its line and column.
/// </summary>
public sealed class TemplateRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { MaxSteps = 200_000, MaxRecursion = 20 };

    public RenderResult Render(string? source, IReadOnlyDictionary<string, object?> model, string what)
    {
        if (string.IsNullOrEmpty(source)) return new RenderResult("", null);
        if (!Parser.TryParse(source, out var template, out var error)) return new RenderResult(null, $"{what}: {error}");
        var context = new TemplateContext(Options);
        foreach (var (name, value) in model) context.SetValue(name, value);
        try
        {
            var output = template.Render(context);
            return output.Length > 1_000_000 ? new RenderResult(null, $"{what}: the rendered text is larger than 1 MB.") : new RenderResult(output, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
        {
            return new RenderResult(null, $"{what}: {ex.Message}");
        }
    }
}
