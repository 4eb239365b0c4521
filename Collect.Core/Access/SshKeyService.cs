using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Access;

/// <summary>Null fields are left as they are on update; on create name and pubkey are required.</summary>
public sealed record SshKeyInput(string? Name, string? PublicKey, string? Description);

public sealed record SshKeyView(
    int Id, int UserId, string Name, string PublicKey, string? Description, string Type, int Bits, string Fingerprint, DateTimeOffset CreatedAt);

/// <summary>Users' public SSH keys: parsed and checked on the way in, one copy of a key per user.</summary>
public sealed class SshKeyService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public const int MaxDescriptionLength = 1000;

    public async Task<ServiceResult<Page<SshKeyView>>> ListAsync(Actor actor, int userId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<Page<SshKeyView>>.NotFound();
        var query = db.SshKeys.AsNoTracking().Where(k => k.UserId == userId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(k => k.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return ServiceResult<Page<SshKeyView>>.Ok(new Page<SshKeyView>(items.Select(View).ToList(), total, page.Page, page.Size));
    }

    public async Task<ServiceResult<SshKeyView>> GetAsync(Actor actor, int userId, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<SshKeyView>.NotFound();
        var key = await db.SshKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, ct);
        return key is null ? ServiceResult<SshKeyView>.NotFound() : ServiceResult<SshKeyView>.Ok(View(key));
    }

    public async Task<ServiceResult<SshKeyView>> CreateAsync(Actor actor, int userId, SshKeyInput input, CancellationToken ct = default)
    {
        // Scope first: a user outside it answers 404 whatever the body holds.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<SshKeyView>.NotFound();
        var (errors, parsed) = Validate(input, creating: true);
        if (errors.Count > 0) return ServiceResult<SshKeyView>.Invalid(errors);
        if (await DuplicateAsync(db, userId, parsed!.Fingerprint, exceptId: null, ct) is { } duplicate)
            return ServiceResult<SshKeyView>.Invalid("pubkey", duplicate);

        var key = new SshKey { UserId = userId, Name = input.Name!.Trim(), Description = Clean(input.Description) };
        Apply(key, parsed);
        db.SshKeys.Add(key);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, "ssh_key", key.Id, $"SSH key \"{key.Name}\" added for user {userId}", updated: Audit(key));
        await db.SaveChangesAsync(ct);
        return ServiceResult<SshKeyView>.Ok(View(key));
    }

    public async Task<ServiceResult<SshKeyView>> UpdateAsync(Actor actor, int userId, int id, SshKeyInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<SshKeyView>.NotFound();
        var key = await db.SshKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, ct);
        if (key is null) return ServiceResult<SshKeyView>.NotFound();
        var (errors, parsed) = Validate(input, creating: false);
        if (errors.Count > 0) return ServiceResult<SshKeyView>.Invalid(errors);
        if (parsed is not null && await DuplicateAsync(db, userId, parsed.Fingerprint, exceptId: id, ct) is { } duplicate)
            return ServiceResult<SshKeyView>.Invalid("pubkey", duplicate);

        var original = Audit(key);
        if (input.Name is not null) key.Name = input.Name.Trim();
        if (input.Description is not null) key.Description = Clean(input.Description);
        if (parsed is not null) Apply(key, parsed);
        activity.Record(db, actor, "ssh_key", key.Id, $"SSH key \"{key.Name}\" changed", original, Audit(key));
        await db.SaveChangesAsync(ct);
        return ServiceResult<SshKeyView>.Ok(View(key));
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int userId, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.IsVisibleAsync(actor, userId, ct)) return ServiceResult<bool>.NotFound();
        var key = await db.SshKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, ct);
        if (key is null) return ServiceResult<bool>.NotFound();
        db.SshKeys.Remove(key);
        activity.Record(db, actor, "ssh_key", key.Id, $"SSH key \"{key.Name}\" removed from user {userId}", original: Audit(key));
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    private static (Dictionary<string, string[]> Errors, SshPublicKey? Key) Validate(SshKeyInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if (creating || input.Name is not null)
        {
            if (string.IsNullOrWhiteSpace(input.Name)) errors["name"] = ["The name field is required."];
            else if (input.Name.Trim().Length > 255) errors["name"] = ["The name must not be greater than 255 characters."];
        }
        SshPublicKey? key = null;
        if (creating || input.PublicKey is not null)
        {
            if (!SshPublicKey.TryParse(input.PublicKey, out key, out var problem)) errors["pubkey"] = [problem];
        }
        if (input.Description is { Length: > MaxDescriptionLength })
            errors["description"] = [$"The description must not be greater than {MaxDescriptionLength} characters."];
        return (errors, key);
    }

    private static async Task<string?> DuplicateAsync(CollectDbContext db, int userId, string fingerprint, int? exceptId, CancellationToken ct)
    {
        var name = await db.SshKeys.AsNoTracking()
            .Where(k => k.UserId == userId && k.Fingerprint == fingerprint && k.Id != exceptId)
            .Select(k => k.Name).FirstOrDefaultAsync(ct);
        return name is null ? null : $"This key is already on the account as \"{name}\".";
    }

    private static void Apply(SshKey key, SshPublicKey parsed)
    {
        key.PublicKey = parsed.ToString();
        key.KeyType = parsed.Type;
        key.Bits = parsed.Bits;
        key.Fingerprint = parsed.Fingerprint;
    }

    private static string? Clean(string? description) => string.IsNullOrWhiteSpace(description) ? null : description.Trim();

    // Property names avoid "key", which the activity log redacts as a secret; the fingerprint identifies the key.
    private static object Audit(SshKey k) => new { name = k.Name, fingerprint = k.Fingerprint, type = k.KeyType, bits = k.Bits, description = k.Description };

    private static SshKeyView View(SshKey k) =>
        new(k.Id, k.UserId, k.Name, k.PublicKey, k.Description, k.KeyType, k.Bits, k.Fingerprint, k.CreatedAt);
}
