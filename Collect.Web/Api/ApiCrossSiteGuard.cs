namespace Collect.Web.Api;

/// <summary>
/// The browser cookie works for the API too, so another site must not be able to make a signed-in browser call it
/// (some seed endpoints change state on GET, e.g. impersonation). Browsers say where a request comes from in
/// Sec-Fetch-Site; cross-site cookie calls are refused. Bearer-token calls carry no ambient credentials and pass.
/// </summary>
internal sealed class ApiCrossSiteGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api") &&
            !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
            context.Request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            await ApiErrorMiddleware.WriteAsync(context, StatusCodes.Status403Forbidden,
                new ErrorBody("Requests from other sites cannot use your Collect session."));
            return;
        }
        await next(context);
    }
}
