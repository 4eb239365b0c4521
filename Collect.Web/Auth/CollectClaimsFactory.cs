using System.Security.Claims;
using Collect.Core.Access;
using Collect.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Collect.Web.Auth;

/// <summary>Adds the role type to the sign-in cookie so that policies need no database read.</summary>
internal sealed class CollectClaimsFactory(UserManager<CollectUser> users, IOptions<IdentityOptions> options, IDbContextFactory<CollectDbContext> dbFactory)
    : UserClaimsPrincipalFactory<CollectUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CollectUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        await using var db = await dbFactory.CreateDbContextAsync();
        var type = await db.Roles.Where(r => r.Id == user.RoleId).Select(r => r.Level).FirstOrDefaultAsync() ?? RoleLevels.User;
        identity.AddClaim(new Claim(CollectClaims.Level, type));
        return identity;
    }
}
