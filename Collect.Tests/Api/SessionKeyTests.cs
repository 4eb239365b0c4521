using System.Net;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Api;

/// <summary>The keys that protect sign-in cookies live in the database, not on one machine's disk.</summary>
public sealed class SessionKeyTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    [Fact]
    public async Task A_sign_in_cookie_stays_valid_after_a_restart_and_on_another_process_over_the_same_database()
    {
        var (_, login) = await factory.PostLoginAsync(CollectWebFactory.AdminUserName, CollectWebFactory.AdminPassword);
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        await using var other = new ReopenedCollectFactory(factory);
        var client = other.Anonymous();

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        request.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(request);
        var forged = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        forged.Headers.Add("Cookie", cookie[..^8] + "AAAAAAAA");
        var refused = await client.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CollectWebFactory.AdminUserName, (string?)(await response.ReadJsonAsync())["result"]!["username"]);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.DataProtectionKeys)));
    }
}
