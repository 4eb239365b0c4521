using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Collect.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without the web host.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CollectDbContext>
{
    public CollectDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CollectDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsAssembly(typeof(CollectDbContext).Assembly.GetName().Name))
            .Options);
}
