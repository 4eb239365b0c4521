using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Collect.Core.Data;

/// <summary>
/// Inserts many new rows of one entity type with one prepared statement on the context's connection and transaction,
/// without change tracking (which costs far more than the writes at tens of thousands of rows), and sets each row's
/// generated id. Columns, names and value conversions come from the EF Core model, so the rows are stored exactly as
/// SaveChanges would store them; <see cref="IAuditable"/> rows are stamped with the given time.
/// </summary>
internal static class BulkInsert
{
    public static async Task InsertAsync<T>(CollectDbContext db, IReadOnlyList<T> rows, DateTimeOffset now, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p != key).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var bindings = new List<(IProperty Property, DbParameter Parameter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter)>();
            for (var i = 0; i < columns.Count; i++)
            {
                var mapping = (RelationalTypeMapping)columns[i].GetRelationalTypeMapping();
                var parameter = mapping.CreateParameter(command, "@p" + i, null, columns[i].IsNullable);
                command.Parameters.Add(parameter);
                bindings.Add((columns[i], parameter, mapping.Converter));
            }
            command.CommandText =
                $"INSERT INTO {tableName} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!)))}) " +
                $"VALUES ({string.Join(", ", bindings.Select(b => b.Parameter.ParameterName))}) RETURNING {sql.DelimitIdentifier(key.GetColumnName(table)!)}";
            await command.PrepareAsync(ct);

            foreach (var row in rows)
            {
                if (row is IAuditable audited)
                {
                    audited.CreatedAt = now;
                    audited.UpdatedAt = now;
                }
                foreach (var (property, parameter, converter) in bindings)
                {
                    var value = property.PropertyInfo!.GetValue(row);
                    if (converter is not null && value is not null) value = converter.ConvertToProvider(value);
                    parameter.Value = value switch
                    {
                        null => DBNull.Value,
                        DateTimeOffset time => time.ToUniversalTime(),
                        _ => value,
                    };
                }
                var id = await command.ExecuteScalarAsync(ct);
                key.PropertyInfo!.SetValue(row, Convert.ChangeType(id, key.ClrType));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
