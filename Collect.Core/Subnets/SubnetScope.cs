using Collect.Core.Access;

namespace Collect.Core.Subnets;

/// <summary>The tenancy scope for subnets: a subnet given to a reseller is seen by it and those above it.</summary>
public static class SubnetScope
{
    public static IQueryable<Subnet> VisibleTo(this IQueryable<Subnet> subnets, Actor actor)
    {
        if (actor.IsAdmin) return subnets;
        return actor.TreePath is { } path
            ? subnets.Where(s => s.OwnerTreePath.StartsWith(path))
            : subnets.Where(s => s.UserId == actor.ScopeUserId);
    }
}
