using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

/// <summary>The tenancy scope for users: which accounts an actor may see and act upon.</summary>
public static class UserScope
{
    /// <summary>Admins see everyone; others see their scope account and the subtree it owns.</summary>
    public static IQueryable<CollectUser> VisibleTo(this IQueryable<CollectUser> users, Actor actor)
    {
        if (actor.IsAdmin) return users;
        if (actor.TreePath is { } path) return users.Where(u => u.TreePath.StartsWith(path));
        return users.Where(u => u.Id == actor.ScopeUserId);
    }

    public static Task<bool> IsVisibleAsync(this IQueryable<CollectUser> users, Actor actor, int userId, CancellationToken ct = default) =>
        users.VisibleTo(actor).AnyAsync(u => u.Id == userId, ct);

    /// <summary>Ids on a tree path, root first: "/1/7/12/" gives 1, 7, 12.</summary>
    public static IReadOnlyList<int> Ids(string treePath) =>
        treePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    public static string ChildPath(string parentPath, int id) => $"{parentPath}{id}/";
}
