using System.Net;
using System.Security.Cryptography;
using System.Text;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

public sealed record ApiTokenInput(string? Name, List<string>? AllowedHosts);

public sealed record ApiTokenView(int Id, int UserId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsed, IReadOnlyList<string> AllowedHosts);

/// <summary>The secret is only ever held by this record, returned once from <see cref="ApiTokenService.CreateAsync"/>.</summary>
public sealed record CreatedApiToken(ApiTokenView Token, string Secret);

/// <summary>Who a valid bearer token belongs to.</summary>
public sealed record TokenIdentity(int TokenId, int UserId, string UserName, string Level, int? ImpersonatingUserId);

public enum TokenCheck { Valid, Unknown, HostNotAllowed, AccountDisabled }

/// <summary>Creates, lists, changes and revokes API tokens, and authenticates bearer secrets.</summary>
public sealed class ApiTokenService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, TimeProvider clock)
{
    /// <summary>last_used is written at most this often per token, so busy scripts do not write on every call.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
    private const int SecretBytes = 40;

    public async Task<ServiceResult<Page<ApiTokenView>>> ListAsync(Actor actor, int userId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<Page<ApiTokenView>>.NotFound();
        var query = db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(t => t.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return ServiceResult<Page<ApiTokenView>>.Ok(new Page<ApiTokenView>(items.Select(View).ToList(), total, page.Page, page.Size));
    }

    public async Task<ServiceResult<ApiTokenView>> GetAsync(Actor actor, int userId, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<ApiTokenView>.NotFound();
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        return token is null ? ServiceResult<ApiTokenView>.NotFound() : ServiceResult<ApiTokenView>.Ok(View(token));
    }

    public async Task<ServiceResult<CreatedApiToken>> CreateAsync(Actor actor, int userId, ApiTokenInput input, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors is not null) return ServiceResult<CreatedApiToken>.Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<CreatedApiToken>.NotFound();

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));
        var token = new ApiToken { UserId = userId, Name = input.Name!.Trim(), TokenHash = Hash(secret), AllowedHosts = NormalizeHosts(input.AllowedHosts) };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, "api_token", token.Id, $"API token \"{token.Name}\" created for user {userId}",
            updated: new { token.Name, allowedHosts = token.AllowedHosts });
        await db.SaveChangesAsync(ct);
        return ServiceResult<CreatedApiToken>.Ok(new CreatedApiToken(View(token), secret));
    }

    public async Task<ServiceResult<ApiTokenView>> UpdateAsync(Actor actor, int userId, int id, ApiTokenInput input, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors is not null) return ServiceResult<ApiTokenView>.Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<ApiTokenView>.NotFound();
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (token is null) return ServiceResult<ApiTokenView>.NotFound();

        var original = new { token.Name, allowedHosts = token.AllowedHosts.ToList() };
        token.Name = input.Name!.Trim();
        token.AllowedHosts = NormalizeHosts(input.AllowedHosts);
        activity.Record(db, actor, "api_token", token.Id, $"API token \"{token.Name}\" changed",
            original, new { token.Name, allowedHosts = token.AllowedHosts });
        await db.SaveChangesAsync(ct);
        return ServiceResult<ApiTokenView>.Ok(View(token));
    }

    public async Task<ServiceResult<bool>> RevokeAsync(Actor actor, int userId, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<bool>.NotFound();
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (token is null) return ServiceResult<bool>.NotFound();
        db.ApiTokens.Remove(token);
        activity.Record(db, actor, "api_token", token.Id, $"API token \"{token.Name}\" revoked");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>Checks a bearer secret from a client address; on success notes when it was last used.</summary>
    public async Task<(TokenCheck Check, TokenIdentity? Identity)> AuthenticateAsync(string secret, IPAddress? client, CancellationToken ct = default)
    {
        var hash = Hash(secret);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new
            {
                t.Id, t.UserId, t.AllowedHosts, t.LastUsed, t.ImpersonatingUserId,
                t.User!.UserName, t.User.AccountStatus, t.User.SecurityStamp, Level = t.User.Role!.Level,
                UserHosts = t.User.AllowedHosts,
                OwnerStatus = t.User.RootOwner == null ? AccountStatuses.Enabled : t.User.RootOwner.AccountStatus,
            })
            .FirstOrDefaultAsync(ct);
        if (row is null) return (TokenCheck.Unknown, null);
        if (row.AccountStatus != AccountStatuses.Enabled || row.OwnerStatus != AccountStatuses.Enabled)
            return (TokenCheck.AccountDisabled, null);
        if (!HostAllowed(row.AllowedHosts, client) || !HostAllowed(row.UserHosts, client))
            return (TokenCheck.HostNotAllowed, null);

        var now = clock.GetUtcNow();
        if (row.LastUsed is null || now - row.LastUsed.Value > LastUsedResolution)
            await db.ApiTokens.Where(t => t.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsed, now), ct);
        return (TokenCheck.Valid, new TokenIdentity(row.Id, row.UserId, row.UserName ?? "", row.Level, row.ImpersonatingUserId));
    }

    /// <summary>Makes requests with this token act as another user (or stop doing so, with null).</summary>
    public async Task SetImpersonationAsync(int tokenId, int? targetUserId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.ApiTokens.Where(t => t.Id == tokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.ImpersonatingUserId, targetUserId), ct);
    }

    /// <summary>Creates a token with a given secret for the bootstrap admin, unless one already has that secret.</summary>
    internal static async Task EnsureTokenAsync(CollectDbContext db, int userId, string name, string secret, CancellationToken ct)
    {
        var hash = Hash(secret);
        if (await db.ApiTokens.AnyAsync(t => t.TokenHash == hash, ct)) return;
        db.ApiTokens.Add(new ApiToken { UserId = userId, Name = name, TokenHash = hash });
        await db.SaveChangesAsync(ct);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>An empty list allows every address; otherwise the client must match one IP or network.</summary>
    public static bool HostAllowed(IReadOnlyCollection<string> allowed, IPAddress? client)
    {
        if (allowed.Count == 0) return true;
        if (client is null) return false;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        foreach (var entry in allowed)
        {
            if (IPNetwork.TryParse(entry, out var network) && network.Contains(client)) return true;
            if (IPAddress.TryParse(entry, out var address) && address.Equals(client)) return true;
        }
        return false;
    }

    private static Dictionary<string, string[]>? Validate(ApiTokenInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["The name field is required."];
        else if (input.Name.Length > 255) errors["name"] = ["The name must not be greater than 255 characters."];
        var bad = (input.AllowedHosts ?? []).Where(h => !IsHost(h)).ToList();
        if (bad.Count > 0) errors["allowedHosts"] = [$"The allowedHosts must be an array of valid IP addresses: \"{bad[0]}\" is not one."];
        return errors.Count == 0 ? null : errors;
    }

    public static bool IsHost(string? value) =>
        !string.IsNullOrWhiteSpace(value) && (IPAddress.TryParse(value.Trim(), out _) || (value.Contains('/') && IPNetwork.TryParse(value.Trim(), out _)));

    private static List<string> NormalizeHosts(List<string>? hosts) =>
        (hosts ?? []).Select(h => h.Trim()).Distinct().ToList();

    private static ApiTokenView View(ApiToken t) => new(t.Id, t.UserId, t.Name, t.CreatedAt, t.LastUsed, t.AllowedHosts);
}
