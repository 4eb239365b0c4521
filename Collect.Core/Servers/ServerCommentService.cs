using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Files;
using Ganss.Xss;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Servers;

public sealed record UploadInput(string FileName, string ContentType, Stream Content);

public sealed record AttachmentView(int Id, string FileName, string ContentType, long Size);

public sealed record CommentView(int Id, int ServerId, string Comment, bool Sticky, int UserId, string? ClientName,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<AttachmentView> Attachments);

public sealed record FileDownload(Stream Content, string FileName, string ContentType, long Size);

/// <summary>Comments on servers, sanitised HTML with attachments; and access to attached files.</summary>
public sealed class ServerCommentService(IDbContextFactory<CollectDbContext> dbFactory, FileStore files, ActivityRecorder activity, TimeProvider clock)
{
    /// <summary>The seed's limit: 50,120 KB per attachment.</summary>
    public const long MaxAttachmentBytes = 50_120L * 1024;
    public const string OwnerType = "server_comment";

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public async Task<ServiceResult<IReadOnlyList<CommentView>>> ListAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<IReadOnlyList<CommentView>>.NotFound();
        var rows = await db.ServerComments.AsNoTracking().Where(c => c.ServerId == serverId)
            .OrderByDescending(c => c.Sticky).ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<CommentView>>.Ok(await ViewsAsync(db, rows, ct));
    }

    public async Task<ServiceResult<CommentView>> GetAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<CommentView>.NotFound();
        var row = await db.ServerComments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.ServerId == serverId, ct);
        return row is null ? ServiceResult<CommentView>.NotFound() : ServiceResult<CommentView>.Ok((await ViewsAsync(db, [row], ct))[0]);
    }

    public async Task<ServiceResult<CommentView>> CreateAsync(Actor actor, int serverId, string? comment, bool sticky, int? userId,
        IReadOnlyList<UploadInput> attachments, CancellationToken ct = default)
    {
        if (!actor.Can("servers.comments.store")) return ServiceResult<CommentView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<CommentView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<CommentView>.Forbidden("This server is suspended.");
        var clean = Sanitize(comment);
        if (clean.Length == 0) return ServiceResult<CommentView>.Invalid("comment", "The comment field is required.");
        var author = userId ?? actor.UserId;
        if (author != actor.UserId && !await db.Users.IsVisibleAsync(actor, author, ct))
            return ServiceResult<CommentView>.Invalid("user_id", "The selected user id is invalid.");
        if (attachments.FirstOrDefault(a => string.IsNullOrWhiteSpace(a.FileName)) is not null)
            return ServiceResult<CommentView>.Invalid("attachments", "Each attachment needs a file name.");

        var row = new ServerComment { ServerId = serverId, UserId = author, Comment = clean, Sticky = sticky };
        db.ServerComments.Add(row);
        await db.SaveChangesAsync(ct);
        var saved = new List<string>();
        try
        {
            foreach (var upload in attachments)
            {
                var (name, size, sha) = await files.SaveAsync(upload.Content, MaxAttachmentBytes, ct);
                saved.Add(name);
                db.Files.Add(new StoredFile
                {
                    OwnerType = OwnerType, OwnerId = row.Id, ServerId = serverId, FileName = Path.GetFileName(upload.FileName).Trim(),
                    ContentType = string.IsNullOrWhiteSpace(upload.ContentType) ? "application/octet-stream" : upload.ContentType,
                    Size = size, Sha256 = sha, StorageName = name, UploadedByUserId = actor.UserId, CreatedAt = clock.GetUtcNow(),
                });
            }
            activity.Record(db, actor, "server", serverId, $"Comment #{row.Id} added" + (attachments.Count > 0 ? $" with {attachments.Count} attachment(s)" : ""));
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // Nothing half-done: the comment goes, and so do files already written.
            foreach (var name in saved) files.Delete(name);
            await db.ServerComments.Where(c => c.Id == row.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
        return ServiceResult<CommentView>.Ok((await ViewsAsync(db, [row], ct))[0]);
    }

    public async Task<ServiceResult<CommentView>> UpdateAsync(Actor actor, int serverId, int id, string? comment, bool? sticky, int? userId, CancellationToken ct = default)
    {
        if (!actor.Can("servers.comments.update")) return ServiceResult<CommentView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<CommentView>.NotFound();
        var row = await db.ServerComments.FirstOrDefaultAsync(c => c.Id == id && c.ServerId == serverId, ct);
        if (row is null) return ServiceResult<CommentView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<CommentView>.Forbidden("This server is suspended.");
        if (comment is not null)
        {
            var clean = Sanitize(comment);
            if (clean.Length == 0) return ServiceResult<CommentView>.Invalid("comment", "The comment must not be empty.");
            row.Comment = clean;
        }
        if (sticky is { } s) row.Sticky = s;
        if (userId is { } author)
        {
            if (author != actor.UserId && !await db.Users.IsVisibleAsync(actor, author, ct))
                return ServiceResult<CommentView>.Invalid("user_id", "The selected user id is invalid.");
            row.UserId = author;
        }
        activity.Record(db, actor, "server", serverId, $"Comment #{row.Id} changed");
        await db.SaveChangesAsync(ct);
        return ServiceResult<CommentView>.Ok((await ViewsAsync(db, [row], ct))[0]);
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        if (!actor.Can("servers.comments.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<bool>.NotFound();
        var row = await db.ServerComments.FirstOrDefaultAsync(c => c.Id == id && c.ServerId == serverId, ct);
        if (row is null) return ServiceResult<bool>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<bool>.Forbidden("This server is suspended.");
        var attached = await db.Files.Where(f => f.OwnerType == OwnerType && f.OwnerId == id).ToListAsync(ct);
        db.Files.RemoveRange(attached);
        db.ServerComments.Remove(row);
        activity.Record(db, actor, "server", serverId, $"Comment #{row.Id} deleted");
        await db.SaveChangesAsync(ct);
        foreach (var file in attached) files.Delete(file.StorageName);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>An attached file, if the actor can see the server it belongs to.</summary>
    public async Task<FileDownload?> OpenFileAsync(Actor actor, int fileId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await FindFileAsync(db, actor, fileId, ct);
        return file is null ? null : new FileDownload(files.Open(file.StorageName), file.FileName, file.ContentType, file.Size);
    }

    public async Task<bool> DeleteFileAsync(Actor actor, int fileId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await FindFileAsync(db, actor, fileId, ct);
        if (file is null) return false;
        db.Files.Remove(file);
        activity.Record(db, actor, "server", file.ServerId, $"File {file.FileName} deleted");
        await db.SaveChangesAsync(ct);
        files.Delete(file.StorageName);
        return true;
    }

    /// <summary>Keeps formatting and links; drops scripts, event handlers, styles that run code, and javascript: URLs.</summary>
    public static string Sanitize(string? html) => string.IsNullOrWhiteSpace(html) ? "" : Sanitizer.Sanitize(html).Trim();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" }) sanitizer.AllowedSchemes.Add(scheme);
        return sanitizer;
    }

    private static async Task<StoredFile?> FindFileAsync(CollectDbContext db, Actor actor, int fileId, CancellationToken ct)
    {
        var visible = db.Servers.VisibleTo(actor).Select(s => s.Id);
        return await db.Files.FirstOrDefaultAsync(f => f.Id == fileId && f.ServerId != null && visible.Contains(f.ServerId.Value), ct);
    }

    private static async Task<List<CommentView>> ViewsAsync(CollectDbContext db, List<ServerComment> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var authors = rows.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authors.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var attached = await db.Files.AsNoTracking().Where(f => f.OwnerType == OwnerType && ids.Contains(f.OwnerId)).ToListAsync(ct);
        return rows.Select(r => new CommentView(r.Id, r.ServerId, r.Comment, r.Sticky, r.UserId, names.GetValueOrDefault(r.UserId),
            r.CreatedAt, r.UpdatedAt,
            attached.Where(f => f.OwnerId == r.Id).Select(f => new AttachmentView(f.Id, f.FileName, f.ContentType, f.Size)).ToList())).ToList();
    }
}
