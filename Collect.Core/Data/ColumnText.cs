namespace Collect.Core.Data;

/// <summary>Text cut to a column's length: PostgreSQL refuses longer values where SQLite would keep them.</summary>
internal static class ColumnText
{
    public static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
