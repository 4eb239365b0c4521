using System.Text;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Core.Access;

public sealed record AuthenticatorSetup(string SharedKey, string AuthenticatorUri);

public sealed record TwoFactorStatus(bool Enabled, int RecoveryCodesLeft);

public sealed record CurrentUserView(
    int Id, string Name, string UserName, string? Email, string RoleName, string Level, string Timezone,
    string DatetimeFormat, bool? Darkmode, string Language, bool TwoFactorEnabled, IReadOnlyList<string> AllowedHosts);

/// <summary>
/// The signed-in user's own account: password, two-factor authentication, preferences.
/// Each call opens its own scope, because Identity's stores hold a DbContext and circuits live long.
/// </summary>
public sealed class AccountService(IServiceScopeFactory scopes, IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public const string AuthenticatorIssuer = "Collect";

    public async Task<CurrentUserView?> GetCurrentAsync(int userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new CurrentUserView(u.Id, u.Name, u.UserName ?? "", u.Email, u.Role!.Name, u.Role.Level, u.Timezone,
                u.DatetimeFormat, u.Darkmode, u.Language, u.TwoFactorEnabled, u.AllowedHosts))
            .FirstOrDefaultAsync(ct);
    }

    public async Task<ServiceResult<bool>> ChangePasswordAsync(Actor actor, string? current, string? next, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(current)) return ServiceResult<bool>.Invalid("current_password", "The current password is required.");
        if (string.IsNullOrEmpty(next)) return ServiceResult<bool>.Invalid("password", "The new password is required.");
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByIdAsync(actor.UserId.ToString());
        if (user is null) return ServiceResult<bool>.NotFound();
        var result = await users.ChangePasswordAsync(user, current, next);
        if (!result.Succeeded) return ServiceResult<bool>.Invalid(IdentityErrors(result, "password"));
        await RecordAsync(actor, "Password changed", ct);
        return ServiceResult<bool>.Ok(true);
    }

    public async Task<TwoFactorStatus> GetTwoFactorStatusAsync(int userId)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("Unknown user");
        return new TwoFactorStatus(user.TwoFactorEnabled, await users.CountRecoveryCodesAsync(user));
    }

    public async Task<bool> HasAuthenticatorKeyAsync(int userId)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        return user is not null && !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>Makes a fresh authenticator key (unless 2FA is already on) and the otpauth URI for its QR code.</summary>
    public async Task<AuthenticatorSetup> StartAuthenticatorSetupAsync(int userId)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("Unknown user");
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || !user.TwoFactorEnabled)
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        var uri = $"otpauth://totp/{Uri.EscapeDataString(AuthenticatorIssuer)}:{Uri.EscapeDataString(user.UserName ?? "")}" +
                  $"?secret={key}&issuer={Uri.EscapeDataString(AuthenticatorIssuer)}&digits=6";
        return new AuthenticatorSetup(FormatKey(key!), uri);
    }

    /// <summary>Turns 2FA on once the user proves the authenticator works; answers the recovery codes, shown once.</summary>
    public async Task<ServiceResult<IReadOnlyList<string>>> EnableTwoFactorAsync(Actor actor, string? code, CancellationToken ct = default)
    {
        var clean = (code ?? "").Replace(" ", "").Replace("-", "");
        if (clean.Length == 0) return ServiceResult<IReadOnlyList<string>>.Invalid("code", "The code field is required.");
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByIdAsync(actor.UserId.ToString());
        if (user is null) return ServiceResult<IReadOnlyList<string>>.NotFound();
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, clean))
            return ServiceResult<IReadOnlyList<string>>.Invalid("code", "The verification code is invalid.");
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        await RecordAsync(actor, "Two-factor authentication enabled", ct);
        return ServiceResult<IReadOnlyList<string>>.Ok(codes);
    }

    public async Task<ServiceResult<IReadOnlyList<string>>> RegenerateRecoveryCodesAsync(Actor actor, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByIdAsync(actor.UserId.ToString());
        if (user is null) return ServiceResult<IReadOnlyList<string>>.NotFound();
        if (!user.TwoFactorEnabled) return ServiceResult<IReadOnlyList<string>>.Invalid("two_factor", "Two-factor authentication is not enabled.");
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        await RecordAsync(actor, "Two-factor recovery codes regenerated", ct);
        return ServiceResult<IReadOnlyList<string>>.Ok(codes);
    }

    public async Task<ServiceResult<bool>> DisableTwoFactorAsync(Actor actor, CancellationToken ct = default)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CollectUser>>();
        var user = await users.FindByIdAsync(actor.UserId.ToString());
        if (user is null) return ServiceResult<bool>.NotFound();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await RecordAsync(actor, "Two-factor authentication disabled", ct);
        return ServiceResult<bool>.Ok(true);
    }

    public async Task SetDarkModeAsync(Actor actor, bool dark, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == actor.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Darkmode, dark), ct);
    }

    private async Task RecordAsync(Actor actor, string description, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        activity.Record(db, actor, "user", actor.UserId, description);
        await db.SaveChangesAsync(ct);
    }

    private static Dictionary<string, string[]> IdentityErrors(IdentityResult result, string field) =>
        new() { [field] = result.Errors.Select(e => e.Description).ToArray() };

    private static string FormatKey(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return sb.ToString().ToLowerInvariant();
    }
}
