using Collect.Core.Access;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Collect.Web.Components.Shared;

/// <summary>Per circuit: the browser's address, and the acting user built from the authentication state.</summary>
public sealed class CircuitClient(AuthenticationStateProvider authentication)
{
    public string? Ip { get; set; }

    public async Task<Actor> GetActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.ToActor(Ip, ActivitySources.Web)
               ?? throw new InvalidOperationException("This page requires a signed-in user.");
    }
}
