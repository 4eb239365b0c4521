using Collect.Core.Access;
using Collect.Core.Data;
using Collect.Core.Servers;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Search;

/// <summary>One quick-search hit, as seed 002 shows it.</summary>
public sealed record SearchHit(int Id, string Match, IReadOnlyList<string> MatchedFields, string? Desc, string Path, string Group, string Uuid);

/// <summary>
/// The quick search of the app bar: servers, users and (with IP management) subnets and addresses, only ever
/// among what the actor may see.
/// </summary>
public sealed class SearchService(IDbContextFactory<CollectDbContext> dbFactory, IEnumerable<ISearchProvider> providers)
{
    public const int PerGroup = 10;

    public async Task<ServiceResult<IReadOnlyList<SearchHit>>> QuickSearchAsync(Actor actor, string? text, CancellationToken ct = default)
    {
        var term = text?.Trim() ?? "";
        if (term.Length == 0) return ServiceResult<IReadOnlyList<SearchHit>>.Invalid("text", "The text field is required.");
        if (term.Length > 255) return ServiceResult<IReadOnlyList<SearchHit>>.Invalid("text", "The text must not be greater than 255 characters.");
        var hits = new List<SearchHit>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (actor.Can("servers.index")) hits.AddRange(await ServersAsync(db, actor, term, ct));
            if (actor.Can("users.index")) hits.AddRange(await UsersAsync(db, actor, term, ct));
        }
        foreach (var provider in providers) hits.AddRange(await provider.SearchAsync(actor, term, PerGroup, ct));
        return ServiceResult<IReadOnlyList<SearchHit>>.Ok(hits);
    }

    private static async Task<IEnumerable<SearchHit>> ServersAsync(CollectDbContext db, Actor actor, string term, CancellationToken ct)
    {
        var lower = term.ToLower();
        var rows = await db.Servers.AsNoTracking().VisibleTo(actor)
            .Where(s => s.Hostname.ToLower().Contains(lower) || s.Servername.ToLower().Contains(lower) ||
                        (s.PrimaryIp != null && s.PrimaryIp.Contains(lower)) || s.Tags.Any(t => t.Tag.ToLower().Contains(lower)))
            .OrderBy(s => s.Id).Take(PerGroup)
            .Select(s => new { s.Id, s.Hostname, s.Servername, s.PrimaryIp, Tags = s.Tags.Select(t => t.Tag).ToList() })
            .ToListAsync(ct);
        return rows.Select(s =>
        {
            var fields = new List<string>();
            if (s.Servername.Contains(term, StringComparison.OrdinalIgnoreCase)) fields.Add("Servername");
            if (s.Hostname.Contains(term, StringComparison.OrdinalIgnoreCase)) fields.Add("Hostname");
            if (s.PrimaryIp?.Contains(term, StringComparison.OrdinalIgnoreCase) == true) fields.Add("IP address");
            if (s.Tags.Any(t => t.Contains(term, StringComparison.OrdinalIgnoreCase))) fields.Add("Tags");
            var match = fields.FirstOrDefault() switch { "Hostname" => s.Hostname, "IP address" => s.PrimaryIp!, "Tags" => s.Tags.First(t => t.Contains(term, StringComparison.OrdinalIgnoreCase)), _ => s.Servername };
            return new SearchHit(s.Id, match, fields, s.Hostname, $"/servers/{s.Id}", "Servers", $"servers-{s.Id}");
        });
    }

    private static async Task<IEnumerable<SearchHit>> UsersAsync(CollectDbContext db, Actor actor, string term, CancellationToken ct)
    {
        var lower = term.ToLower();
        var rows = await db.Users.AsNoTracking().VisibleTo(actor).Where(u => u.SharedUserId == null)
            .Where(u => u.UserName!.ToLower().Contains(lower) || u.Name.ToLower().Contains(lower) || (u.Email != null && u.Email.ToLower().Contains(lower)))
            .OrderBy(u => u.Id).Take(PerGroup).Select(u => new { u.Id, u.UserName, u.Name, u.Email }).ToListAsync(ct);
        return rows.Select(u =>
        {
            var fields = new List<string>();
            if (u.UserName!.Contains(term, StringComparison.OrdinalIgnoreCase)) fields.Add("Username");
            if (u.Name.Contains(term, StringComparison.OrdinalIgnoreCase)) fields.Add("Name");
            if (u.Email?.Contains(term, StringComparison.OrdinalIgnoreCase) == true) fields.Add("Email");
            var match = fields.FirstOrDefault() switch { "Name" => u.Name, "Email" => u.Email!, _ => u.UserName! };
            return new SearchHit(u.Id, match, fields, u.Name, $"/users/{u.Id}", "Users", $"users-{u.Id}");
        });
    }
}

/// <summary>Features that add a group to the quick search (subnets, addresses, ...) register one of these.</summary>
public interface ISearchProvider
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(Actor actor, string term, int limit, CancellationToken ct);
}
