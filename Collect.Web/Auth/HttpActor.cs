using Collect.Core.Access;
using Collect.Web.Api;

namespace Collect.Web.Auth;

/// <summary>The acting user of an HTTP request, resolved once and kept on the request.</summary>
public static class HttpActor
{
    private static readonly object Key = new();

    /// <summary>Null when nobody is signed in, or the account is disabled or under a disabled owner.</summary>
    public static async Task<Actor?> ResolveAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(Key, out var cached)) return (Actor?)cached;
        Actor? actor = null;
        if (http.User.UserId() is { } userId)
        {
            var resolver = http.RequestServices.GetRequiredService<AccessResolver>();
            var source = http.Request.Path.StartsWithSegments("/api") && http.User.HasClaim(c => c.Type == CollectClaims.TokenId)
                ? ActivitySources.Api
                : ActivitySources.Web;
            actor = await resolver.ResolveAsync(userId, http.User.ImpersonatorId(), ClientAddress.TextOf(http), source,
                http.Request.Path, http.Request.Method, http.RequestAborted);
        }
        http.Items[Key] = actor;
        return actor;
    }

    /// <summary>The actor an endpoint filter already resolved; endpoints behind <see cref="RequirePermission"/> always have one.</summary>
    public static Actor Current(HttpContext http) =>
        http.Items.TryGetValue(Key, out var actor) && actor is Actor a
            ? a
            : throw new InvalidOperationException("The endpoint has no RequirePermission or RequireActor filter.");

    /// <summary>The caller must be signed in (401) and hold the permission (403).</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var actor = await ResolveAsync(context.HttpContext);
            if (actor is null) return TypedResults.Json(new ErrorBody(ApiErrors.Unauthenticated), statusCode: 401);
            if (!actor.Can(permission)) return ApiErrors.Forbidden();
            return await next(context);
        });

    /// <summary>The caller must be signed in (401); the handler checks what it may do.</summary>
    public static TBuilder RequireActor<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var actor = await ResolveAsync(context.HttpContext);
            if (actor is null) return TypedResults.Json(new ErrorBody(ApiErrors.Unauthenticated), statusCode: 401);
            return await next(context);
        });
}
