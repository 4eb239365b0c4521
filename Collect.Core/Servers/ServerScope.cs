using Collect.Core.Access;

namespace Collect.Core.Servers;

/// <summary>The tenancy scope for servers: the owner's subtree sees a server, an alias only its listed servers.</summary>
public static class ServerScope
{
    public static IQueryable<Server> VisibleTo(this IQueryable<Server> servers, Actor actor)
    {
        if (!actor.IsAdmin)
            servers = actor.TreePath is { } path
                ? servers.Where(s => s.OwnerTreePath.StartsWith(path))
                : servers.Where(s => s.UserId == actor.ScopeUserId);
        if (actor.AliasServerIds is { Count: > 0 } allowed)
        {
            var ids = allowed.Select(a => int.TryParse(a, out var id) ? id : -1).ToList();
            servers = servers.Where(s => ids.Contains(s.Id));
        }
        return servers;
    }

    /// <summary>Suspended for the actor when the actor, or an owner above it, is in the server's suspended list.</summary>
    public static bool IsSuspendedFor(Server server, Actor actor)
    {
        if (actor.IsAdmin || server.SuspendedUserIds.Count == 0) return false;
        var chain = actor.TreePath is { } path ? UserScope.Ids(path) : [actor.ScopeUserId];
        return chain.Any(id => server.SuspendedUserIds.Contains(id.ToString()));
    }
}
