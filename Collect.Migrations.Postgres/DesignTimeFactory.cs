using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Collect.Migrations.Postgres;

/// <summary>
/// Lets <c>dotnet ef migrations add X --project Collect.Migrations.Postgres --startup-project Collect.Migrations.Postgres</c>
/// build the PostgreSQL model; adding a migration does not connect, so the connection string is a placeholder.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CollectDbContext>
{
    public CollectDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CollectDbContext>()
            .UseNpgsql("Host=localhost;Database=collect_design", o => o.MigrationsAssembly(DatabaseProviders.PostgresMigrationsAssembly))
            .Options);
}
