namespace Collect.Web.Api;

internal static class PingApi
{
    public static IEndpointRouteBuilder MapPingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ping", Ping)
            .AllowAnonymous()
            .WithTags("System")
            .WithSummary("Check that the API is reachable")
            .WithDescription("Answers without authentication and without touching the database.");
        return app;
    }

    private static Ok<Envelope<string>> Ping() => TypedResults.Ok(new Envelope<string>("pong"));
}
