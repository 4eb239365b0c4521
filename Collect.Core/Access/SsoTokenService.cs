using System.Net;
using System.Security.Cryptography;
using System.Text;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

public sealed record SsoTokenInput(string? Endpoint, int? ValidForSeconds);

/// <summary>The secret is only ever held by this record, returned once from <see cref="SsoTokenService.CreateAsync"/>.</summary>
public sealed record CreatedSsoToken(string AuthToken, DateTimeOffset ValidUntil, string Endpoint);

public enum SsoOutcome { SignIn, Invalid, AccountDisabled, HostNotAllowed }

/// <summary>What opening a login link led to; the user is known unless the link itself was no good.</summary>
public sealed record SsoRedemption(SsoOutcome Outcome, int? UserId = null, string? UserName = null, string Endpoint = "/");

/// <summary>One-time login links (/tokenLogin/{authToken}): created for a user in scope, redeemed once, before they expire.</summary>
public sealed class SsoTokenService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity, AccessResolver access, TimeProvider clock)
{
    public const int DefaultValidForSeconds = 60;
    public const int MaxValidForSeconds = 86400;
    public const int MaxEndpointLength = 2048;
    private const int SecretBytes = 48;

    public async Task<ServiceResult<CreatedSsoToken>> CreateAsync(Actor actor, int userId, SsoTokenInput input, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors is not null) return ServiceResult<CreatedSsoToken>.Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.Users.AsNoTracking().VisibleTo(actor).Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.UserName }).FirstOrDefaultAsync(ct);
        if (target is null) return ServiceResult<CreatedSsoToken>.NotFound();
        var profile = await access.GetProfileAsync(userId, ct);
        if (profile is null) return ServiceResult<CreatedSsoToken>.Invalid("user", "This account is disabled; a login link would not work.");
        // A link signs in with the target's full rights, so it must not lead above the actor's own level.
        if (RoleLevels.Rank(profile.Level) > RoleLevels.Rank(actor.Level))
            return ServiceResult<CreatedSsoToken>.Forbidden("You cannot create a login link for an account above your own level.");

        var endpoint = string.IsNullOrWhiteSpace(input.Endpoint) ? "/" : input.Endpoint.Trim();
        var now = clock.GetUtcNow();
        // Whole seconds, rounded up, so the expiry is exactly the validUntil the caller is told.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((long)Math.Ceiling(
            (now.AddSeconds(input.ValidForSeconds ?? DefaultValidForSeconds) - DateTimeOffset.UnixEpoch).TotalSeconds));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));
        db.SsoTokens.Add(new SsoToken
        {
            UserId = userId, TokenHash = Hash(secret), Endpoint = endpoint, ExpiresAt = expiresAt,
            CreatedByUserId = actor.UserId, CreatedAt = now,
        });
        activity.Record(db, actor, "user", userId, $"One-time login link created for {target.UserName}",
            updated: new { endpoint, validUntil = expiresAt });
        await db.SaveChangesAsync(ct);
        return ServiceResult<CreatedSsoToken>.Ok(new CreatedSsoToken(secret, expiresAt, endpoint));
    }

    /// <summary>
    /// Uses up a link: at most one caller ever wins it, even when two arrive together. A used link is spent whatever
    /// follows, so a link caught from a wrong address or for a disabled account cannot be retried.
    /// </summary>
    public async Task<SsoRedemption> RedeemAsync(string? authToken, IPAddress? client, CancellationToken ct = default)
    {
        if (authToken is not { Length: SecretBytes * 2 } || !authToken.All(char.IsAsciiHexDigit)) return new(SsoOutcome.Invalid);
        var hash = Hash(authToken.ToLowerInvariant());
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.SsoTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || token.UsedAt is not null || token.ExpiresAt <= now) return new(SsoOutcome.Invalid);
        var claimed = await db.SsoTokens.Where(t => t.Id == token.Id && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        if (claimed != 1) return new(SsoOutcome.Invalid);

        var user = await db.Users.AsNoTracking().Where(u => u.Id == token.UserId)
            .Select(u => new { u.Id, u.UserName, u.AllowedHosts }).FirstOrDefaultAsync(ct);
        if (user is null) return new(SsoOutcome.Invalid);
        if (await access.GetProfileAsync(user.Id, ct) is null) return new(SsoOutcome.AccountDisabled, user.Id, user.UserName);
        if (!ApiTokenService.HostAllowed(user.AllowedHosts, client)) return new(SsoOutcome.HostNotAllowed, user.Id, user.UserName);
        return new(SsoOutcome.SignIn, user.Id, user.UserName, token.Endpoint);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Only a path on this site: "//host" and "/\host" are other sites to a browser.</summary>
    public static bool IsLocalPath(string path) =>
        path.StartsWith('/') && !path.StartsWith("//") && !path.StartsWith("/\\") && !path.Any(char.IsControl);

    private static Dictionary<string, string[]>? Validate(SsoTokenInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(input.Endpoint))
        {
            var endpoint = input.Endpoint.Trim();
            if (endpoint.Length > MaxEndpointLength) errors["endpoint"] = [$"The endpoint must not be greater than {MaxEndpointLength} characters."];
            else if (!IsLocalPath(endpoint)) errors["endpoint"] = ["The endpoint must be a path on this site starting with \"/\", such as \"/servers\"."];
        }
        if (input.ValidForSeconds is < 1 or > MaxValidForSeconds)
            errors["validForSeconds"] = [$"The validForSeconds must be between 1 and {MaxValidForSeconds}."];
        return errors.Count == 0 ? null : errors;
    }
}
