using Collect.Core.Access;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Collect.Web.Components.Shared;

/// <summary>Per circuit: the browser's address, and the acting user built from the authentication state.</summary>
public sealed class CircuitClient(AuthenticationStateProvider authentication, AccessResolver resolver)
{
    public string? Ip { get; set; }

    /// <summary>The signed-in user as an actor, or null when the account is gone or disabled.</summary>
    public async Task<Actor?> TryGetActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.UserId() is { } userId
            ? await resolver.ResolveAsync(userId, state.User.ImpersonatorId(), Ip, ActivitySources.Web)
            : null;
    }

    /// <summary>The signed-in user as an actor; throws when the account is gone or disabled, which ends the page's work.</summary>
    public async Task<Actor> GetActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var userId = state.User.UserId() ?? throw new InvalidOperationException("This page requires a signed-in user.");
        return await resolver.ResolveAsync(userId, state.User.ImpersonatorId(), Ip, ActivitySources.Web)
               ?? throw new InvalidOperationException("This account is disabled.");
    }
}
