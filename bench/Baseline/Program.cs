using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

// The bare inventory endpoint of DESIGN.md §15: what Collect's POST /api/systems/inventory has to do at the least, and
// nothing more. POST /inventory checks HTTP Basic key:secret against an in-memory dictionary of key -> SHA-256(secret),
// reads the body (at most 10 MiB), checks that it is one JSON object, hashes it with SHA-256 and inserts it into SQLite
// (WAL, synchronous=FULL) with group commit: requests that wait together share one transaction, written by a single
// writer behind a channel, as Collect's InventoryIntake does. It answers 202 only after the commit that holds the row.
//
//   dotnet Baseline.dll --urls http://127.0.0.1:PORT --db /tmp/baseline.db --credentials FILE
//
// FILE has one "key:secret" a line. GET /healthz answers "ok"; GET /stats the commits and rows written so far.
const long maxBodyBytes = 10 * 1024 * 1024;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var databasePath = builder.Configuration["db"] ?? throw new ArgumentException("--db PATH is required.");
var credentialsPath = builder.Configuration["credentials"] ?? throw new ArgumentException("--credentials FILE is required.");

var credentials = new Dictionary<string, byte[]>(StringComparer.Ordinal);
foreach (var line in File.ReadLines(credentialsPath))
{
    var colon = line.IndexOf(':');
    if (colon <= 0) continue;
    credentials[line[..colon]] = SHA256.HashData(Encoding.UTF8.GetBytes(line[(colon + 1)..]));
}

await using var store = new GroupCommitStore(databasePath);
var app = builder.Build();

app.MapGet("/healthz", () => Results.Text("ok"));
app.MapGet("/stats", () =>
{
    var (commits, rows) = store.Stats;
    return Results.Text($"{{\"commits\":{commits},\"rows\":{rows}}}", "application/json");
});
app.MapPost("/inventory", async (HttpContext http) =>
{
    var key = Authenticate(http.Request, credentials);
    if (key is null) return Answer(401, "{\"code\":401,\"message\":\"invalid credentials\",\"data\":{}}");
    if (http.Request.ContentLength > maxBodyBytes) return TooLarge(http.Request.ContentLength.Value);

    using var buffer = new MemoryStream(http.Request.ContentLength is { } length ? (int)length : 0);
    var chunk = ArrayPool<byte>.Shared.Rent(81920);
    try
    {
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBodyBytes) return TooLarge(buffer.Length);
        }
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(chunk);
    }
    var body = buffer.ToArray();
    if (!IsJsonObject(body)) return Answer(400, "{\"code\":400,\"message\":\"the body must be one JSON object\",\"data\":{}}");

    var hash = Convert.ToHexStringLower(SHA256.HashData(body));
    var id = await store.SubmitAsync(key, body, hash);
    return Answer(202, string.Create(CultureInfo.InvariantCulture,
        $"{{\"code\":202,\"message\":\"Inventory received\",\"data\":{{\"id\":{id},\"data_size\":{body.Length},\"data_hash\":\"{hash}\",\"system_key\":\"{key}\"}}}}"));
});

app.Run();

static IResult Answer(int status, string json) => Results.Text(json, "application/json", Encoding.UTF8, status);

static IResult TooLarge(long received) => Answer(413, string.Create(CultureInfo.InvariantCulture,
    $"{{\"code\":413,\"message\":\"Request too large\",\"data\":{{\"max_size_bytes\":{maxBodyBytes},\"received_bytes\":{received}}}}}"));

static string? Authenticate(HttpRequest request, Dictionary<string, byte[]> credentials)
{
    var header = request.Headers.Authorization.ToString();
    if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
    string decoded;
    try
    {
        decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
    }
    catch (FormatException)
    {
        return null;
    }
    var colon = decoded.IndexOf(':');
    if (colon <= 0 || !credentials.TryGetValue(decoded[..colon], out var expected)) return null;
    var actual = SHA256.HashData(Encoding.UTF8.GetBytes(decoded[(colon + 1)..]));
    return CryptographicOperations.FixedTimeEquals(actual, expected) ? decoded[..colon] : null;
}

static bool IsJsonObject(byte[] body)
{
    try
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        reader.Skip();
        return !reader.Read();
    }
    catch (JsonException)
    {
        return false;
    }
}

/// <summary>
/// Group commit: a single writer takes everything waiting in the channel (at most <see cref="MaxBatch"/>, as Collect) and
/// inserts it in one transaction; each caller's task completes after that commit.
/// </summary>
internal sealed class GroupCommitStore : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private sealed record Pending(string SystemKey, byte[] Body, string Hash, long ReceivedAt, TaskCompletionSource<long> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Task _writer;
    private long _commits;
    private long _rows;

    public GroupCommitStore(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        var mode = Scalar("PRAGMA journal_mode=WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase)) throw new InvalidOperationException($"SQLite refused WAL (journal_mode={mode}).");
        Scalar("PRAGMA synchronous=FULL;");
        Scalar("""
            CREATE TABLE IF NOT EXISTS inventories (
                id INTEGER PRIMARY KEY,
                system_key TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                hash TEXT NOT NULL,
                size INTEGER NOT NULL,
                body BLOB NOT NULL);
            """);
        _writer = Task.Run(WriteLoopAsync);
    }

    public (long Commits, long Rows) Stats => (Interlocked.Read(ref _commits), Interlocked.Read(ref _rows));

    public Task<long> SubmitAsync(string systemKey, byte[] body, string hash)
    {
        var pending = new Pending(systemKey, body, hash, DateTime.UtcNow.Ticks, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new InvalidOperationException("Shutting down.");
        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO inventories (system_key, received_at, hash, size, body) VALUES ($key, $at, $hash, $size, $body) RETURNING id;";
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var hash = insert.Parameters.Add("$hash", SqliteType.Text);
        var size = insert.Parameters.Add("$size", SqliteType.Integer);
        var body = insert.Parameters.Add("$body", SqliteType.Blob);
        var batch = new List<Pending>(MaxBatch);
        var ids = new long[MaxBatch];
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            try
            {
                using var tx = _connection.BeginTransaction();
                insert.Transaction = tx;
                for (var i = 0; i < batch.Count; i++)
                {
                    key.Value = batch[i].SystemKey;
                    at.Value = batch[i].ReceivedAt;
                    hash.Value = batch[i].Hash;
                    size.Value = batch[i].Body.LongLength;
                    body.Value = batch[i].Body;
                    ids[i] = (long)insert.ExecuteScalar()!;
                }
                tx.Commit();
            }
            catch (Exception ex)
            {
                foreach (var item in batch) item.Done.TrySetException(ex);
                continue;
            }
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _rows, batch.Count);
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(ids[i]);
        }
    }

    private string? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        await _connection.DisposeAsync();
    }
}
