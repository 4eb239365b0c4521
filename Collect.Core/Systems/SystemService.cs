using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Collect.Core.Systems;

public static class SystemStatuses
{
    public static readonly string[] All = ["online", "offline", "maintenance"];
}

public static class HeartbeatStatuses
{
    public const string Alive = "alive";
    public const string Dead = "dead";
    public const string Zombie = "zombie";
    public static readonly string[] All = [Alive, Dead, Zombie];
}

public sealed record SystemInput
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public string? Status { get; init; }
    public JsonObject? CustomData { get; init; }
    public IReadOnlySet<string> Provided { get; init; } = new HashSet<string>();
    public bool Has(string field) => Provided.Contains(field);
}

public sealed record SystemQuery(string? Search = null, string? Type = null, string? Status = null, string? HeartbeatStatus = null, int? CreatedBy = null);

public sealed record CreatorRef(int UserId, string UserName, int OrganizationId, string OrganizationName);

public sealed record SystemView(ManagedSystem System, CreatorRef CreatedBy, string HeartbeatStatus, int? HeartbeatMinutes);

/// <summary>A new system, or one whose secret was just regenerated: the secret is in this answer only.</summary>
public sealed record SystemWithSecret(SystemView View, string Secret);

/// <summary>Scope for systems: the creator's account and everyone above it in the tenant tree see a system.</summary>
public static class SystemScope
{
    public static IQueryable<ManagedSystem> VisibleTo(this IQueryable<ManagedSystem> systems, Actor actor)
    {
        systems = systems.Where(s => s.DeletedAt == null);
        if (actor.IsAdmin) return systems;
        return actor.TreePath is { } path ? systems.Where(s => s.OwnerTreePath.StartsWith(path)) : systems.Where(s => s.OwnerUserId == actor.ScopeUserId);
    }
}

/// <summary>Systems (seed 000): registration, credentials for the agent, heartbeat state, and the list with its filters.</summary>
public sealed class SystemService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, TimeProvider clock, IOptionsMonitor<CollectOptions> options,
    SystemEvents events)
{
    public async Task<Page<SystemView>> ListAsync(Actor actor, SystemQuery query, PageRequest page, CancellationToken ct = default)
    {
        if (!actor.Can("systems.index")) return new Page<SystemView>([], 0, page.Page, page.Size);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var systems = db.Systems.AsNoTracking().VisibleTo(actor);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLower();
            systems = systems.Where(s => s.Name.ToLower().Contains(term) || (s.Fqdn != null && s.Fqdn.ToLower().Contains(term)) || s.SystemKey.ToLower().Contains(term) ||
                                         (s.Ipv4Address != null && s.Ipv4Address.Contains(term)) || (s.Ipv6Address != null && s.Ipv6Address.ToLower().Contains(term)));
        }
        if (!string.IsNullOrWhiteSpace(query.Type)) systems = systems.Where(s => s.Type == query.Type);
        if (!string.IsNullOrWhiteSpace(query.Status)) systems = systems.Where(s => s.Status == query.Status);
        if (query.CreatedBy is { } creator) systems = systems.Where(s => s.CreatedByUserId == creator);
        if (!string.IsNullOrWhiteSpace(query.HeartbeatStatus))
        {
            var cutoff = clock.GetUtcNow().AddMinutes(-AliveMinutes);
            systems = query.HeartbeatStatus switch
            {
                HeartbeatStatuses.Zombie => systems.Where(s => s.LastHeartbeat == null),
                HeartbeatStatuses.Alive => systems.Where(s => s.LastHeartbeat != null && s.LastHeartbeat >= cutoff),
                _ => systems.Where(s => s.LastHeartbeat != null && s.LastHeartbeat < cutoff),
            };
        }
        var total = await systems.CountAsync(ct);
        var rows = await systems.OrderBy(s => s.Name).ThenBy(s => s.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new Page<SystemView>(await ViewsAsync(db, rows, ct), total, page.Page, page.Size);
    }

    public async Task<ServiceResult<SystemView>> GetAsync(Actor actor, string id, CancellationToken ct = default)
    {
        if (!actor.Can("systems.show")) return ServiceResult<SystemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var system = await db.Systems.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        return system is null ? ServiceResult<SystemView>.NotFound() : ServiceResult<SystemView>.Ok((await ViewsAsync(db, [system], ct))[0]);
    }

    public async Task<ServiceResult<SystemWithSecret>> CreateAsync(Actor actor, SystemInput input, CancellationToken ct = default)
    {
        if (!actor.Can("systems.store")) return ServiceResult<SystemWithSecret>.Forbidden();
        var errors = Validate(input, creating: true);
        if (errors.Count > 0) return ServiceResult<SystemWithSecret>.Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var owner = await db.Users.AsNoTracking().FirstAsync(u => u.Id == actor.ScopeUserId, ct);
        var id = Guid.NewGuid().ToString();
        var secret = NewSecret();
        var system = new ManagedSystem
        {
            Id = id, Name = input.Name!.Trim(), Type = input.Type!.Trim(), Status = input.Status ?? "online",
            CustomData = (input.CustomData ?? []).ToJsonString(), SystemKey = "NETH-" + id,
            SecretHash = Hash(secret), SecretHint = secret[^4..], CreatedByUserId = actor.UserId, OwnerUserId = owner.Id, OwnerTreePath = owner.TreePath,
        };
        db.Systems.Add(system);
        activity.Record(db, actor, "system", system.Id, $"System {system.Name} created ({system.SystemKey})");
        await db.SaveChangesAsync(ct);
        events.Changed(system.Id);
        return ServiceResult<SystemWithSecret>.Ok(new SystemWithSecret((await ViewsAsync(db, [system], ct))[0], secret));
    }

    public async Task<ServiceResult<SystemView>> UpdateAsync(Actor actor, string id, SystemInput input, CancellationToken ct = default)
    {
        if (!actor.Can("systems.update")) return ServiceResult<SystemView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var system = await db.Systems.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (system is null) return ServiceResult<SystemView>.NotFound();
        var errors = Validate(input, creating: false);
        if (errors.Count > 0) return ServiceResult<SystemView>.Invalid(errors);
        if (input.Has("name")) system.Name = input.Name!.Trim();
        if (input.Has("type")) system.Type = input.Type!.Trim();
        if (input.Has("status")) system.Status = input.Status!;
        if (input.Has("custom_data")) system.CustomData = (input.CustomData ?? []).ToJsonString();
        activity.Record(db, actor, "system", system.Id, $"System {system.Name} changed");
        await db.SaveChangesAsync(ct);
        events.Changed(system.Id);
        return ServiceResult<SystemView>.Ok((await ViewsAsync(db, [system], ct))[0]);
    }

    /// <summary>
    /// Deletes a system: its credentials stop working at once and it leaves every list and lookup. Its records and
    /// diffs stay in the database as history (nobody can read them through Collect any more).
    /// </summary>
    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, string id, CancellationToken ct = default)
    {
        if (!actor.Can("systems.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var system = await db.Systems.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (system is null) return ServiceResult<bool>.NotFound();
        system.DeletedAt = clock.GetUtcNow();
        system.SecretHash = "";
        _credentials.TryRemove(system.SystemKey, out _);
        activity.Record(db, actor, "system", system.Id, $"System {system.Name} deleted ({system.SystemKey})");
        await db.SaveChangesAsync(ct);
        events.Changed(system.Id);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>A new secret; the old one stops working with this commit.</summary>
    public async Task<ServiceResult<SystemWithSecret>> RegenerateSecretAsync(Actor actor, string id, CancellationToken ct = default)
    {
        if (!actor.Can("systems.regenerateSecret")) return ServiceResult<SystemWithSecret>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var system = await db.Systems.VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (system is null) return ServiceResult<SystemWithSecret>.NotFound();
        var secret = NewSecret();
        system.SecretHash = Hash(secret);
        system.SecretHint = secret[^4..];
        _credentials.TryRemove(system.SystemKey, out _);
        activity.Record(db, actor, "system", system.Id, $"Secret of system {system.Name} regenerated");
        await db.SaveChangesAsync(ct);
        events.Changed(system.Id);
        return ServiceResult<SystemWithSecret>.Ok(new SystemWithSecret((await ViewsAsync(db, [system], ct))[0], secret));
    }

    /// <summary>The system an agent's Basic credentials belong to, or null (wrong key or secret, or a deleted system).</summary>
    public async Task<string?> AuthenticateAsync(string key, string secret, CancellationToken ct = default)
    {
        if (key.Length is 0 or > 64 || secret.Length is 0 or > 256) return null;
        // Agents post often: a known system's key and secret hash are kept for a short while, and dropped at once
        // when its secret is regenerated or it is deleted on this node.
        var now = clock.GetUtcNow();
        if (!_credentials.TryGetValue(key, out var known) || known.Until <= now)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var found = await db.Systems.AsNoTracking().Where(s => s.SystemKey == key && s.DeletedAt == null).Select(s => new { s.Id, s.SecretHash }).FirstOrDefaultAsync(ct);
            if (found is null || found.SecretHash.Length == 0) return null;
            known = (found.Id, found.SecretHash, now.AddSeconds(CredentialCacheSeconds));
            _credentials[key] = known;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(known.Hash)) ? known.Id : null;
    }

    /// <summary>How long another node may still accept a secret this node regenerated (on this node it stops at once).</summary>
    public const int CredentialCacheSeconds = 30;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Id, string Hash, DateTimeOffset Until)> _credentials = new(StringComparer.Ordinal);

    public async Task<DateTimeOffset> HeartbeatAsync(string systemId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Systems.Where(s => s.Id == systemId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastHeartbeat, now), ct);
        events.Changed(systemId);
        return now;
    }

    public int AliveMinutes => Math.Max(1, options.CurrentValue.Inventory.HeartbeatAliveMinutes);

    public (string Status, int? Minutes) Heartbeat(DateTimeOffset? last)
    {
        if (last is null) return (HeartbeatStatuses.Zombie, null);
        var minutes = (int)Math.Max(0, (clock.GetUtcNow() - last.Value).TotalMinutes);
        return (minutes < AliveMinutes ? HeartbeatStatuses.Alive : HeartbeatStatuses.Dead, minutes);
    }

    private async Task<List<SystemView>> ViewsAsync(CollectDbContext db, List<ManagedSystem> systems, CancellationToken ct)
    {
        var ids = systems.SelectMany(s => new[] { s.CreatedByUserId, s.OwnerUserId }).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => (u.UserName ?? "", u.Name), ct);
        return systems.Select(s =>
        {
            var (status, minutes) = Heartbeat(s.LastHeartbeat);
            var creator = users.GetValueOrDefault(s.CreatedByUserId, ("", ""));
            var organization = users.GetValueOrDefault(s.OwnerUserId, ("", ""));
            return new SystemView(s, new CreatorRef(s.CreatedByUserId, creator.Item1, s.OwnerUserId, organization.Item2), status, minutes);
        }).ToList();
    }

    private static Dictionary<string, string[]> Validate(SystemInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if ((creating || input.Has("name")) && string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["required"];
        else if (input.Name?.Trim().Length > 255) errors["name"] = ["max=255"];
        if ((creating || input.Has("type")) && string.IsNullOrWhiteSpace(input.Type)) errors["type"] = ["required"];
        else if (input.Type?.Trim().Length > 64) errors["type"] = ["max=64"];
        if (input.Has("status") && !SystemStatuses.All.Contains(input.Status)) errors["status"] = ["oneof=online offline maintenance"];
        if (input.CustomData is { } data && data.ToJsonString().Length > 64 * 1024) errors["custom_data"] = ["max=65536 bytes"];
        return errors;
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>In-process notice that a system changed (heartbeat, inventory, edit), for pages that show it live.</summary>
public sealed class SystemEvents
{
    public event Action<string>? SystemChanged;

    /// <summary>Tells every listener; one that throws is skipped, so intake and processing never fail because of a page.</summary>
    public void Changed(string systemId)
    {
        foreach (var handler in SystemChanged?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action<string>)handler)(systemId);
            }
            catch (Exception)
            {
                // A listener's failure is its own; the change itself is committed.
            }
        }
    }
}
