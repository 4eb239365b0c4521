using Microsoft.Extensions.Configuration;

namespace Collect.Core.Data;

/// <summary>
/// Which database Collect runs on (<c>Database:Provider</c>): the embedded SQLite file (one node, the default) or
/// PostgreSQL (several nodes on one database, DESIGN §3). The connection string is <c>ConnectionStrings:Collect</c>
/// either way.
/// </summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseProviders
{
    public const string Setting = "Database:Provider";

    /// <summary>The configured provider; an unknown name stops the start with a message naming the choices.</summary>
    public static DatabaseProvider From(IConfiguration configuration)
    {
        var name = configuration[Setting];
        if (string.IsNullOrWhiteSpace(name) || name.Equals("Sqlite", StringComparison.OrdinalIgnoreCase)) return DatabaseProvider.Sqlite;
        if (name.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || name.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase)) return DatabaseProvider.Postgres;
        throw new InvalidOperationException($"{Setting} is \"{name}\"; it must be Sqlite (the default) or Postgres.");
    }

    /// <summary>The PostgreSQL connection string; there is no default, since there is no server to assume.</summary>
    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Collect") is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException($"{Setting} is Postgres but ConnectionStrings:Collect is empty; give e.g. \"Host=db;Database=collect;Username=collect;Password=…\".");

    /// <summary>The assembly that holds the PostgreSQL migrations (the SQLite ones live in Collect.Core).</summary>
    public const string PostgresMigrationsAssembly = "Collect.Migrations.Postgres";
}
