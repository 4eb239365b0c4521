using System.Net;
using Collect.Core.Access;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Api;

public sealed class SignInTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private const string Password = "User-Passw0rd!";

    [Fact]
    public async Task The_admin_signs_in_and_the_cookie_opens_the_dashboard_and_the_api()
    {
        var (client, response) = await factory.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var me = await (await client.GetAsync("/api/user")).ReadJsonAsync();
        Assert.Equal(CollectWebFactory.AdminUserName, (string?)me["result"]!["username"]);
    }

    [Fact]
    public async Task Pages_send_anonymous_visitors_to_the_login_page()
    {
        var response = await factory.Anonymous().GetAsync("/profile/tokens");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task An_unknown_page_answers_404_with_a_page_saying_so()
    {
        var response = await factory.Anonymous().GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_recorded_with_address_and_user_agent()
    {
        var user = await factory.CreateUserAsync("wrongpass", Password);

        var (client, response) = await factory.PostLoginAsync("wrongpass", "not-the-password", remoteIp: "10.3.3.3");

        Assert.Contains("error=", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/user")).StatusCode);
        var attempt = await factory.WithDbAsync(db => db.LoginAttempts.SingleAsync(a => a.UserId == user.Id));
        Assert.Equal(LoginOutcomes.Failed, attempt.Outcome);
        Assert.Equal("10.3.3.3", attempt.Ip);
        Assert.Equal(CollectWebFactory.UserAgent, attempt.UserAgent);
        Assert.Equal(factory.Clock.GetUtcNow(), attempt.CreatedAt);
    }

    [Fact]
    public async Task Five_failed_attempts_lock_the_account_for_five_minutes()
    {
        var user = await factory.CreateUserAsync("lockme", Password);
        for (var i = 0; i < 5; i++) await factory.PostLoginAsync("lockme", "wrong-" + i);

        var (lockedClient, locked) = await factory.PostLoginAsync("lockme", Password);

        Assert.Contains("locked", Uri.UnescapeDataString(locked.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.Unauthorized, (await lockedClient.GetAsync("/api/user")).StatusCode);
        var outcomes = await factory.WithDbAsync(db => db.LoginAttempts.Where(a => a.UserId == user.Id).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync());
        Assert.Equal(LoginOutcomes.LockedOut, outcomes[^1]);
        var lockoutEnd = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync());
        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));

        // Once the five minutes are over, the right password works again.
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddSeconds(-1))));
        var (client, after) = await factory.PostLoginAsync("lockme", Password);
        Assert.Equal("/", after.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/user")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        var user = await factory.CreateUserAsync("disabled-login", Password);
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccountStatus, AccountStatuses.Disabled)));

        var (client, response) = await factory.PostLoginAsync("disabled-login", Password);

        Assert.Contains("disabled", Uri.UnescapeDataString(response.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/user")).StatusCode);
        Assert.Equal(LoginOutcomes.Disabled, await factory.WithDbAsync(db => db.LoginAttempts.Where(a => a.UserId == user.Id).Select(a => a.Outcome).SingleAsync()));
    }

    [Fact]
    public async Task The_login_form_never_redirects_to_another_site()
    {
        var client = factory.Anonymous();
        var token = await CollectWebFactory.AntiforgeryTokenAsync(client, "/account/login");

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = CollectWebFactory.AdminUserName,
            ["password"] = CollectWebFactory.AdminPassword,
            ["returnUrl"] = "/\t/evil.example/phish",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused()
    {
        var response = await factory.Anonymous().PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = CollectWebFactory.AdminUserName,
            ["password"] = CollectWebFactory.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_is_in_the_activity_log()
    {
        var user = await factory.CreateUserAsync("signout", Password);
        var (client, _) = await factory.PostLoginAsync("signout", Password);
        var token = await CollectWebFactory.AntiforgeryTokenAsync(client, "/account/login");

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/user")).StatusCode);
        var descriptions = await factory.WithDbAsync(db => db.ActivityLogs.Where(a => a.UserId == user.Id).OrderBy(a => a.Id).Select(a => a.Description).ToListAsync());
        Assert.Equal(["signout signed in", "signout signed out"], descriptions);
    }

    [Fact]
    public async Task With_two_factor_on_a_password_alone_does_not_sign_in_but_the_code_does()
    {
        var user = await factory.CreateUserAsync("twofactor", Password);
        var key = await EnableTwoFactorAsync(user);

        var (client, first) = await factory.PostLoginAsync("twofactor", Password);
        Assert.StartsWith("/account/login-2fa", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/user")).StatusCode);

        var wrong = await PostCodeAsync(client, "code", "000000" == Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000");
        Assert.Contains("error=", wrong.Headers.Location?.OriginalString);

        var right = await PostCodeAsync(client, "code", Totp.Code(key, DateTimeOffset.UtcNow));
        Assert.Equal("/", right.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/user")).StatusCode);
        var outcomes = await factory.WithDbAsync(db => db.LoginAttempts.Where(a => a.UserId == user.Id).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync());
        Assert.Equal([LoginOutcomes.TwoFactorRequired, LoginOutcomes.TwoFactorFailed, LoginOutcomes.Success], outcomes);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var user = await factory.CreateUserAsync("recovery", Password);
        var actor = new Actor(user.Id, user.UserName!, RoleLevels.User);
        var accounts = factory.Services.GetRequiredService<AccountService>();
        var setup = await accounts.StartAuthenticatorSetupAsync(user.Id);
        var codes = (await accounts.EnableTwoFactorAsync(actor, Totp.Code(setup.SharedKey, DateTimeOffset.UtcNow))).Value!;

        var (client, _) = await factory.PostLoginAsync("recovery", Password);
        var used = await PostCodeAsync(client, "recoveryCode", codes[0]);
        Assert.Equal("/", used.Headers.Location?.OriginalString);

        var (again, _) = await factory.PostLoginAsync("recovery", Password);
        var reused = await PostCodeAsync(again, "recoveryCode", codes[0]);
        Assert.Contains("error=", reused.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/user")).StatusCode);
    }

    [Fact]
    public async Task Turning_two_factor_on_needs_a_valid_code_and_is_in_the_activity_log()
    {
        var user = await factory.CreateUserAsync("enabling", Password);
        var actor = new Actor(user.Id, user.UserName!, RoleLevels.User, "10.1.1.1");
        var accounts = factory.Services.GetRequiredService<AccountService>();
        var setup = await accounts.StartAuthenticatorSetupAsync(user.Id);

        var refused = await accounts.EnableTwoFactorAsync(actor, "123");
        Assert.Equal(ResultStatus.Invalid, refused.Status);
        Assert.False((await accounts.GetTwoFactorStatusAsync(user.Id)).Enabled);
        Assert.Contains("otpauth://totp/Collect:enabling?secret=", setup.AuthenticatorUri);

        var enabled = await accounts.EnableTwoFactorAsync(actor, Totp.Code(setup.SharedKey, DateTimeOffset.UtcNow));

        Assert.True(enabled.IsOk);
        Assert.Equal(10, enabled.Value!.Count);
        Assert.Equal(new TwoFactorStatus(true, 10), await accounts.GetTwoFactorStatusAsync(user.Id));
        var entry = await factory.WithDbAsync(db => db.ActivityLogs.SingleAsync(a => a.UserId == user.Id));
        Assert.Equal("Two-factor authentication enabled", entry.Description);
        Assert.Equal("10.1.1.1", entry.Ip);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_is_in_the_activity_log()
    {
        var user = await factory.CreateUserAsync("changer", Password);
        var actor = new Actor(user.Id, user.UserName!, RoleLevels.User);
        var accounts = factory.Services.GetRequiredService<AccountService>();

        var refused = await accounts.ChangePasswordAsync(actor, "wrong-current", "New-Passw0rd!");
        var changed = await accounts.ChangePasswordAsync(actor, Password, "New-Passw0rd!");

        Assert.Equal(ResultStatus.Invalid, refused.Status);
        Assert.True(changed.IsOk);
        var (_, oldLogin) = await factory.PostLoginAsync("changer", Password);
        var (_, newLogin) = await factory.PostLoginAsync("changer", "New-Passw0rd!");
        Assert.Contains("error=", oldLogin.Headers.Location?.OriginalString);
        Assert.Equal("/", newLogin.Headers.Location?.OriginalString);
        var log = await factory.WithDbAsync(db => db.ActivityLogs.Where(a => a.UserId == user.Id).Select(a => a.Description).ToListAsync());
        Assert.Contains("Password changed", log);
        Assert.DoesNotContain(log, d => d.Contains("New-Passw0rd!"));
    }

    private async Task<string> EnableTwoFactorAsync(CollectUser user)
    {
        var accounts = factory.Services.GetRequiredService<AccountService>();
        var setup = await accounts.StartAuthenticatorSetupAsync(user.Id);
        var result = await accounts.EnableTwoFactorAsync(new Actor(user.Id, user.UserName!, RoleLevels.User), Totp.Code(setup.SharedKey, DateTimeOffset.UtcNow));
        Assert.True(result.IsOk);
        return setup.SharedKey;
    }

    private static async Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string field, string code)
    {
        var token = await CollectWebFactory.AntiforgeryTokenAsync(client, "/account/login-2fa");
        return await client.PostAsync("/account/login-2fa", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field] = code,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        }));
    }
}
