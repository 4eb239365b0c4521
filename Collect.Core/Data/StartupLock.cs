using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Collect.Core.Data;

/// <summary>
/// Several nodes starting at once on one PostgreSQL database take turns: the database is created if missing, then a
/// session advisory lock is held while one node migrates and seeds, so two nodes never apply the same migration or
/// create a second first admin. On SQLite (one node) nothing is taken.
/// </summary>
internal sealed class StartupLock : IAsyncDisposable
{
    private const long Key = 0x436f6c6c53747274; // "CollStrt"
    private readonly CollectDbContext _db;

    private StartupLock(CollectDbContext db) => _db = db;

    public static async Task<StartupLock> TakeAsync(IDbContextFactory<CollectDbContext> factory, CancellationToken ct)
    {
        var db = await factory.CreateDbContextAsync(ct);
        if (!db.Database.IsNpgsql()) return new StartupLock(db);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(ct))
        {
            try
            {
                await creator.CreateAsync(ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another node created it a moment ago.
            }
        }
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({Key})", ct);
        return new StartupLock(db);
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the session would release the lock too; unlocking first hands it over at once.
        if (_db.Database.IsNpgsql())
            await _db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({Key})");
        await _db.DisposeAsync();
    }
}
