using Collect.Core.Access;
using Collect.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Collect.Tests.Core;

public sealed class AuditInterceptorTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public AuditInterceptorTests() => _connection.Open();

    private CollectDbContext NewContext() => new(new DbContextOptionsBuilder<CollectDbContext>()
        .UseSqlite(_connection)
        .AddInterceptors(new AuditInterceptor(_clock))
        .Options);

    [Fact]
    public async Task New_rows_get_created_and_updated_times_from_the_injected_clock()
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync();

        var role = new Role { Name = "support", Level = RoleLevels.User };
        db.Roles.Add(role);
        await db.SaveChangesAsync();

        Assert.Equal(_clock.GetUtcNow(), role.CreatedAt);
        Assert.Equal(_clock.GetUtcNow(), role.UpdatedAt);
    }

    [Fact]
    public async Task A_change_moves_updated_at_and_keeps_created_at()
    {
        await using (var db = NewContext())
        {
            await db.Database.MigrateAsync();
            db.Roles.Add(new Role { Name = "billing", Level = RoleLevels.User });
            await db.SaveChangesAsync();
        }
        var created = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromHours(3));

        await using (var db = NewContext())
        {
            var role = await db.Roles.SingleAsync(r => r.Name == "billing");
            role.Name = "billing-team";
            role.CreatedAt = DateTimeOffset.MinValue; // a stray write must not rewrite history
            await db.SaveChangesAsync();
        }

        await using var check = NewContext();
        var stored = await check.Roles.AsNoTracking().SingleAsync(r => r.Name == "billing-team");
        Assert.Equal(created, stored.CreatedAt);
        Assert.Equal(created.AddHours(3), stored.UpdatedAt);
    }

    public void Dispose() => _connection.Dispose();
}
