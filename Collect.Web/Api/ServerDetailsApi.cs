using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Files;
using Collect.Core.Servers;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Collect.Web.Api;

/// <summary>A server's comments (with attachments), connections, and the attached files.</summary>
internal static class ServerDetailsApi
{
    /// <summary>Room for several attachments of the seed's maximum size in one comment.</summary>
    private const long CommentUploadLimit = 10 * ServerCommentService.MaxAttachmentBytes;

    public static IEndpointRouteBuilder MapServerDetailsApi(this IEndpointRouteBuilder app)
    {
        var comments = app.MapGroup("/api/servers/{serverId:int}/comments").WithTags("Server comments").RequireAuthorization();
        comments.MapGet("", ListCommentsAsync).RequirePermission("servers.comments.index").WithSummary("A server's comments, sticky first");
        comments.MapPost("", CreateCommentAsync).RequirePermission("servers.comments.store")
            .WithMetadata(new RequestSizeLimitAttribute(CommentUploadLimit))
            .WithSummary("Add a comment (multipart with attachments up to 50 MB each, or JSON)");
        comments.MapGet("/{id:int}", GetCommentAsync).RequirePermission("servers.comments.show").WithSummary("One comment");
        comments.MapPut("/{id:int}", UpdateCommentAsync).RequirePermission("servers.comments.update").WithSummary("Change a comment's text, stickiness or author");
        comments.MapDelete("/{id:int}", DeleteCommentAsync).RequirePermission("servers.comments.destroy").WithSummary("Delete a comment and its attachments");

        var connections = app.MapGroup("/api/servers/{serverId:int}/connections").WithTags("Server connections").RequireAuthorization();
        connections.MapGet("", ListConnectionsAsync).RequirePermission("servers.connections.index").WithSummary("How Collect reaches a server (passwords masked)");
        connections.MapPost("", CreateConnectionAsync).RequirePermission("servers.connections.store").WithSummary("Add an IPMI, DHCP, PXE or switch-port connection");
        connections.MapGet("/{id:int}", GetConnectionAsync).RequirePermission("servers.connections.show").WithSummary("One connection");
        connections.MapPut("/{id:int}", UpdateConnectionAsync).RequirePermission("servers.connections.update").WithSummary("Change a connection; a masked password keeps the stored one");
        connections.MapDelete("/{id:int}", DeleteConnectionAsync).RequirePermission("servers.connections.destroy").WithSummary("Remove a connection");

        var files = app.MapGroup("/api/files").WithTags("Files").RequireAuthorization();
        files.MapGet("/{fileId:int}/download", DownloadAsync).RequirePermission("files.download").WithSummary("Download an attached file");
        files.MapDelete("/{fileId:int}", DeleteFileAsync).RequirePermission("files.destroy").WithSummary("Delete an attached file");
        return app;
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>>> ListCommentsAsync(
        int serverId, HttpContext http, ServerCommentService comments, CancellationToken ct)
    {
        var result = await comments.ListAsync(HttpActor.Current(http), serverId, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Select(CommentJson).ToList())) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>>> GetCommentAsync(
        int serverId, int id, HttpContext http, ServerCommentService comments, CancellationToken ct)
    {
        var result = await comments.GetAsync(HttpActor.Current(http), serverId, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(CommentJson(result.Value!))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CreateCommentAsync(
        int serverId, HttpContext http, ServerCommentService comments, CancellationToken ct)
    {
        string? text;
        bool sticky;
        int? userId;
        var uploads = new List<UploadInput>();
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            text = form["comment"];
            sticky = form["sticky"].ToString() is "1" or "true" or "on";
            userId = int.TryParse(form["user_id"], out var u) ? u : null;
            if (!string.IsNullOrEmpty(form["user_id"]) && userId is null) return ApiErrors.Invalid("user_id", "The user_id must be an integer.");
            foreach (var file in form.Files)
            {
                if (file.Length > ServerCommentService.MaxAttachmentBytes)
                    return TypedResults.Json(new ErrorBody($"The attachment {file.FileName} is larger than 50120 kilobytes."), statusCode: StatusCodes.Status413PayloadTooLarge);
                uploads.Add(new UploadInput(file.FileName, file.ContentType, file.OpenReadStream()));
            }
        }
        else if (http.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = await RequestBody.OptionalObjectAsync(http, ct);
            var json = new JsonInput(body);
            text = json.String("comment");
            sticky = json.Bool("sticky") ?? false;
            userId = json.Int("user_id");
            if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        }
        else throw new BadHttpRequestException("Unsupported media type", StatusCodes.Status415UnsupportedMediaType);

        try
        {
            var result = await comments.CreateAsync(HttpActor.Current(http), serverId, text, sticky, userId, uploads, ct);
            return MapComment(result);
        }
        catch (FileTooLargeException)
        {
            return TypedResults.Json(new ErrorBody("An attachment is larger than 50120 kilobytes."), statusCode: StatusCodes.Status413PayloadTooLarge);
        }
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateCommentAsync(
        int serverId, int id, JsonObject body, HttpContext http, ServerCommentService comments, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var text = json.String("comment");
        var sticky = json.Bool("sticky");
        var userId = json.Int("user_id");
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return MapComment(await comments.UpdateAsync(HttpActor.Current(http), serverId, id, text, sticky, userId, ct));
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteCommentAsync(
        int serverId, int id, HttpContext http, ServerCommentService comments, CancellationToken ct)
    {
        var result = await comments.DeleteAsync(HttpActor.Current(http), serverId, id, ct);
        return ApiErrors.Deleted(result);
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, NotFound<ErrorBody>>> ListConnectionsAsync(
        int serverId, HttpContext http, ServerConnectionService connections, CancellationToken ct)
    {
        var result = await connections.ListAsync(HttpActor.Current(http), serverId, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Select(ConnectionJson).ToList())) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>>> GetConnectionAsync(
        int serverId, int id, HttpContext http, ServerConnectionService connections, CancellationToken ct)
    {
        var result = await connections.GetAsync(HttpActor.Current(http), serverId, id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(ConnectionJson(result.Value!))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CreateConnectionAsync(
        int serverId, JsonObject body, HttpContext http, ServerConnectionService connections, CancellationToken ct)
    {
        var (input, errors) = ReadConnection(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return MapConnection(await connections.CreateAsync(HttpActor.Current(http), serverId, input, ct));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateConnectionAsync(
        int serverId, int id, JsonObject body, HttpContext http, ServerConnectionService connections, CancellationToken ct)
    {
        var (input, errors) = ReadConnection(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return MapConnection(await connections.UpdateAsync(HttpActor.Current(http), serverId, id, input, ct));
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteConnectionAsync(
        int serverId, int id, HttpContext http, ServerConnectionService connections, CancellationToken ct)
    {
        var result = await connections.DeleteAsync(HttpActor.Current(http), serverId, id, ct);
        return ApiErrors.Deleted(result);
    }

    /// <summary>The seed's answer when a file may not be had: the same whether it is missing or someone else's.</summary>
    private static readonly object FileDenied = new { message = "Exception", result = "Access to this file denied or file not found." };

    private static async Task<IResult> DownloadAsync(int fileId, HttpContext http, ServerCommentService comments, CancellationToken ct)
    {
        var file = await comments.OpenFileAsync(HttpActor.Current(http), fileId, ct);
        return file is null
            ? TypedResults.Json(FileDenied, statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Stream(file.Content, file.ContentType, file.FileName);
    }

    private static async Task<IResult> DeleteFileAsync(int fileId, HttpContext http, ServerCommentService comments, CancellationToken ct) =>
        await comments.DeleteFileAsync(HttpActor.Current(http), fileId, ct)
            ? TypedResults.Ok(new Envelope<object?>(null))
            : TypedResults.Json(FileDenied, statusCode: StatusCodes.Status404NotFound);

    private static (ConnectionInput, IReadOnlyDictionary<string, string[]>?) ReadConnection(JsonObject body)
    {
        var json = new JsonInput(body);
        var agentId = json.Int("agentId");
        var types = json.StringList("types");
        string? type = null;
        JsonObject? meta = null;
        var metaProvided = false;
        if (body["connectionDetails"] is JsonObject details)
        {
            var dj = new JsonInput(details);
            type = dj.String("type");
            if (details["meta"] is JsonObject m) { meta = m; metaProvided = true; }
            else if (details["meta"] is JsonArray { Count: 0 }) { meta = new JsonObject(); metaProvided = true; }
            else if (details["meta"] is not null) return (default!, new Dictionary<string, string[]> { ["connectionDetails.meta"] = ["The meta must be an object."] });
            if (!dj.IsValid) return (default!, dj.Errors.ToDictionary(e => "connectionDetails." + e.Key, e => e.Value));
        }
        else if (body["connectionDetails"] is not null) return (default!, new Dictionary<string, string[]> { ["connectionDetails"] = ["The connectionDetails must be an object."] });
        return (new ConnectionInput(agentId, types, type, meta, metaProvided), json.IsValid ? null : json.Errors);
    }

    private static Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> MapComment(ServiceResult<CommentView> result) =>
        ApiErrors.From(result, CommentJson);

    private static Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>> MapConnection(ServiceResult<ConnectionView> result) =>
        ApiErrors.From(result, ConnectionJson);

    private static JsonObject CommentJson(CommentView c) => new()
    {
        ["id"] = c.Id,
        ["created_at"] = UsersApi.Timestamp(c.CreatedAt),
        ["updated_at"] = UsersApi.Timestamp(c.UpdatedAt),
        ["comment"] = c.Comment,
        ["sticky"] = c.Sticky ? 1 : 0,
        ["user_id"] = c.UserId,
        ["clientname"] = c.ClientName,
        ["attachments"] = new JsonArray(c.Attachments.Select(a => (JsonNode?)new JsonObject
        {
            ["id"] = a.Id,
            ["filename"] = a.FileName,
            ["contentType"] = a.ContentType,
            ["size"] = a.Size,
            ["download"] = $"/api/files/{a.Id}/download",
        }).ToArray()),
    };

    private static JsonObject ConnectionJson(ConnectionView c) => new()
    {
        ["id"] = c.Id,
        ["agentId"] = c.AgentId,
        ["serverId"] = c.ServerId,
        ["types"] = new JsonArray(c.Types.Select(t => (JsonNode?)t).ToArray()),
        ["agentAssignmentsRelationId"] = c.Id,
        ["agent_details"] = null,
        ["related_data"] = new JsonObject { ["id"] = c.Id, ["type"] = c.Type, ["meta"] = JsonNode.Parse(c.Meta.ToJsonString()) },
    };
}
