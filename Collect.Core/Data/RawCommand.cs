using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Collect.Core.Data;

/// <summary>
/// A prepared statement on a context's connection and transaction, for the few hot paths that write thousands of
/// rows (inventory intake and processing) where EF Core's change tracking costs more than the writes. Parameters are
/// bound by position in the order they were declared; timestamps are stored as EF Core stores them for the provider.
/// </summary>
internal sealed class RawCommand : IDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private readonly bool _ticks;

    public RawCommand(CollectDbContext db, string sql, params string[] parameterNames)
    {
        _ticks = db.Database.IsSqlite();
        _command = db.Database.GetDbConnection().CreateCommand();
        _command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        _command.CommandText = sql;
        _parameters = parameterNames.Select(name =>
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = name;
            _command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
    }

    public Task<int> ExecuteAsync(CancellationToken ct, params object?[] values)
    {
        Bind(values);
        return _command.ExecuteNonQueryAsync(ct);
    }

    public async Task<long> ExecuteScalarAsync(CancellationToken ct, params object?[] values)
    {
        Bind(values);
        return Convert.ToInt64(await _command.ExecuteScalarAsync(ct));
    }

    /// <summary>Runs the statement and reads the first column of every row it answers (e.g. RETURNING ids).</summary>
    public async Task<List<long>> ReadLongsAsync(CancellationToken ct, params object?[] values)
    {
        Bind(values);
        var result = new List<long>();
        await using var reader = await _command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add(reader.GetInt64(0));
        return result;
    }

    private void Bind(object?[] values)
    {
        for (var i = 0; i < _parameters.Length; i++)
            _parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                DateTimeOffset time => _ticks ? time.UtcTicks : time.ToUniversalTime(),
                var value => value,
            };
    }

    public void Dispose() => _command.Dispose();
}
