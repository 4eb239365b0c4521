using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

/// <summary>The tenancy scope for users: which accounts an actor may see and act upon.</summary>
public static class UserScope
{
    /// <summary>Admins see everyone; others see themselves and the subtree they own.</summary>
    public static IQueryable<CollectUser> VisibleTo(this IQueryable<CollectUser> users, Actor actor) =>
        actor.IsAdmin ? users : users.Where(u => u.Id == actor.UserId || u.RootOwnerId == actor.UserId);

    public static Task<bool> IsVisibleAsync(this IQueryable<CollectUser> users, Actor actor, int userId, CancellationToken ct = default) =>
        users.VisibleTo(actor).AnyAsync(u => u.Id == userId, ct);
}
