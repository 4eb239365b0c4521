using Collect.Core.Access;
using Collect.Core.Servers;

namespace Collect.Web.Components.Pages.Servers.Components;

/// <summary>A user who can own servers, as the owner pickers show it.</summary>
public sealed record OwnerOption(int Id, string Name, string Username)
{
    public string Label => Name == Username || Username.Length == 0 ? Name : $"{Name} ({Username})";

    public static OwnerOption From(UserView user) => new(user.Id, user.Name, user.Username);

    /// <summary>The server's end owner: the last link of its owner chain.</summary>
    public static OwnerOption? OwnerOf(ServerView server) =>
        server.OwnerChain.LastOrDefault(l => l.UserId == server.UserId) is { } link ? new(link.UserId, link.Name, link.Username) : null;
}
