using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Collect.Bench;

internal sealed record SeedResult(
    int Users, int Servers, int Tags, int Assignments, int AdminVisible,
    string ResellerUserName, string ResellerToken, int ResellerVisible, TimeSpan UsersTime, TimeSpan InsertTime);

/// <summary>
/// Users through the API (so passwords, tree paths and the resellers' role copies are Collect's own), then the servers
/// straight into SQLite in one transaction: the owner's tree path copied onto each server, tags, and one assignment
/// row per user on the owner chain, as ServerService writes them.
/// </summary>
internal static class Seeder
{
    public const string HostMarker = "bench-srv-";
    public const string UserPassword = "Bench-User-Passw0rd!";
    private const int Resellers = 3;
    private const int UsersPerReseller = 4;
    private const int AdminUsers = 3;

    private static readonly string[] TagPool =
    [
        "dc-fra1", "dc-ams2", "dc-nyc3", "rack-a01", "rack-a02", "rack-b07", "rack-c12", "gpu", "nvme", "ssd", "hdd", "10g",
        "25g", "ipmi", "kvm", "windows", "linux", "backup", "monitoring", "customer-acme", "customer-globex", "legacy", "staging", "prod",
    ];
    private static readonly string?[] Systems = ["Debian 12", "Ubuntu 24.04", "Rocky Linux 9", "Windows Server 2022", "Proxmox VE 8", null];
    private static readonly string[] Types = ["auto", "dedicated", "vps"];

    /// <summary>Columns this seeder fills; any other NOT NULL column without a default means the schema moved on.</summary>
    private static readonly string[] ServerColumns =
    [
        "Id", "Hostname", "Servername", "UserId", "OwnerTreePath", "Description", "Os", "ServerType", "SuspendedUserIds",
        "SuspendPowerAction", "SuspendNetworkPortAction", "PrimaryIp", "CreatedAt", "UpdatedAt",
    ];

    public static async Task<SeedResult> SeedAsync(CollectServer server, HttpClient http, int serverCount, CancellationToken ct)
    {
        var usersTime = Stopwatch.StartNew();
        var admin = new Api(http, server.AdminToken);
        var resellerIds = new List<int>();
        for (var r = 1; r <= Resellers; r++)
            resellerIds.Add(await admin.CreateUserAsync($"bench-reseller-{r}", roleId: 2, owner: null, ct));
        var roles = await admin.GetAsync("api/roles", ct);
        foreach (var (resellerId, r) in resellerIds.Select((id, i) => (id, i + 1)))
        {
            var userRole = roles["result"]!.AsArray().Select(x => x!.AsObject())
                .FirstOrDefault(x => x["ownerUserId"]?.GetValue<int?>() == resellerId && x["name"]?.GetValue<string>() == "User")
                ?? throw new InvalidOperationException($"GET /api/roles has no \"User\" role owned by reseller {resellerId}.");
            var roleId = userRole["id"]!.GetValue<int>();
            for (var u = 1; u <= UsersPerReseller; u++) await admin.CreateUserAsync($"bench-r{r}-user-{u}", roleId, resellerId, ct);
        }
        for (var u = 1; u <= AdminUsers; u++) await admin.CreateUserAsync($"bench-admin-user-{u}", roleId: 3, owner: null, ct);

        var resellerUserName = "bench-reseller-1";
        var created = await admin.PostAsync($"api/users/{resellerIds[0]}/tokens", new JsonObject { ["name"] = "bench" }, ct);
        var resellerToken = created["result"]!["token"]!.GetValue<string>();
        usersTime.Stop();

        var insertTime = Stopwatch.StartNew();
        var (owners, tags, assignments) = await InsertServersAsync(server.DatabasePath, serverCount, ct);
        insertTime.Stop();

        var resellerPath = owners.Single(o => o.Id == resellerIds[0]).Path;
        var expectedReseller = Enumerable.Range(0, serverCount).Count(i => owners[i % owners.Count].Path.StartsWith(resellerPath, StringComparison.Ordinal));
        var adminTotal = (await admin.GetAsync("api/servers?per_page=1", ct))["meta"]!["total"]!.GetValue<int>();
        var resellerTotal = (await new Api(http, resellerToken).GetAsync("api/servers?per_page=1", ct))["meta"]!["total"]!.GetValue<int>();
        if (adminTotal != serverCount) throw new InvalidOperationException($"The admin sees {adminTotal} servers, not the {serverCount} seeded.");
        if (resellerTotal != expectedReseller)
            throw new InvalidOperationException($"{resellerUserName} sees {resellerTotal} servers, not the {expectedReseller} in its subtree.");

        return new SeedResult(owners.Count, serverCount, tags, assignments, adminTotal, resellerUserName, resellerToken, resellerTotal,
            usersTime.Elapsed, insertTime.Elapsed);
    }

    private sealed record Owner(int Id, string Path);

    private static async Task<(List<Owner> Owners, int Tags, int Assignments)> InsertServersAsync(string databasePath, int count, CancellationToken ct)
    {
        // The server writes too (access log rows), so wait for its locks rather than fail.
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = 30 }.ToString());
        await db.OpenAsync(ct);
        await CheckSchemaAsync(db, ct);

        var owners = new List<Owner>();
        await using (var read = db.CreateCommand())
        {
            read.CommandText = "SELECT Id, TreePath FROM AspNetUsers WHERE SharedUserId IS NULL ORDER BY Id";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) owners.Add(new Owner(reader.GetInt32(0), reader.GetString(1)));
        }

        await using var tx = db.BeginTransaction(deferred: false);
        await using var insertServer = Command(db, tx,
            $"INSERT INTO Servers ({string.Join(", ", ServerColumns)}) VALUES ({string.Join(", ", ServerColumns.Select(c => "$" + c))})",
            ServerColumns);
        await using var insertTag = Command(db, tx, "INSERT INTO ServerTags (ServerId, Tag) VALUES ($ServerId, $Tag)", "ServerId", "Tag");
        await using var insertAssignment = Command(db, tx,
            "INSERT INTO ServerAssignments (ServerId, UserId, AssignedAt) VALUES ($ServerId, $UserId, $AssignedAt)", "ServerId", "UserId", "AssignedAt");

        var random = new Random(20261123);
        var now = DateTimeOffset.UtcNow;
        int tags = 0, assignments = 0;
        for (var i = 0; i < count; i++)
        {
            var id = i + 1;
            var owner = owners[i % owners.Count];
            var created = now.AddMinutes(-(count - i) * 7).UtcTicks;
            var p = insertServer.Parameters;
            p["$Id"].Value = id;
            p["$Hostname"].Value = $"{HostMarker}{id:D5}.example.net";
            p["$Servername"].Value = $"{HostMarker}{id:D5}";
            p["$UserId"].Value = owner.Id;
            p["$OwnerTreePath"].Value = owner.Path;
            p["$Description"].Value = i % 3 == 0 ? DBNull.Value : $"Bench server {id} in {TagPool[i % 3]}, seeded for the list benchmark.";
            p["$Os"].Value = (object?)Systems[i % Systems.Length] ?? DBNull.Value;
            p["$ServerType"].Value = Types[i % Types.Length];
            p["$SuspendedUserIds"].Value = "[]";
            p["$SuspendPowerAction"].Value = DBNull.Value;
            p["$SuspendNetworkPortAction"].Value = DBNull.Value;
            p["$PrimaryIp"].Value = i % 10 == 9 ? DBNull.Value : $"10.{(id >> 16) & 255}.{(id >> 8) & 255}.{id & 255}";
            p["$CreatedAt"].Value = created;
            p["$UpdatedAt"].Value = created;
            await insertServer.ExecuteNonQueryAsync(ct);

            foreach (var tag in TagPool.OrderBy(_ => random.Next()).Take(i % 5))
            {
                insertTag.Parameters["$ServerId"].Value = id;
                insertTag.Parameters["$Tag"].Value = tag;
                await insertTag.ExecuteNonQueryAsync(ct);
                tags++;
            }
            foreach (var userId in owner.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
            {
                insertAssignment.Parameters["$ServerId"].Value = id;
                insertAssignment.Parameters["$UserId"].Value = userId;
                insertAssignment.Parameters["$AssignedAt"].Value = created;
                await insertAssignment.ExecuteNonQueryAsync(ct);
                assignments++;
            }
        }
        await tx.CommitAsync(ct);
        return (owners, tags, assignments);
    }

    private static async Task CheckSchemaAsync(SqliteConnection db, CancellationToken ct)
    {
        await using var info = db.CreateCommand();
        info.CommandText = "SELECT name, \"notnull\", dflt_value FROM pragma_table_info('Servers')";
        var unknown = new List<string>();
        var seen = 0;
        await using var reader = await info.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            seen++;
            var name = reader.GetString(0);
            if (!ServerColumns.Contains(name) && reader.GetInt64(1) == 1 && reader.IsDBNull(2)) unknown.Add(name);
        }
        if (seen == 0) throw new InvalidOperationException("The database has no Servers table: did the migrations run?");
        if (unknown.Count > 0)
            throw new InvalidOperationException($"Servers has required columns the bench does not fill: {string.Join(", ", unknown)}. Update bench/Collect.Bench/Seeder.cs.");
    }

    private static SqliteCommand Command(SqliteConnection db, SqliteTransaction tx, string sql, params string[] parameters)
    {
        var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter("$" + name, null));
        command.Prepare();
        return command;
    }

    /// <summary>JSON calls with a bearer token that fail loudly with the answer's body.</summary>
    private sealed class Api(HttpClient http, string token)
    {
        public async Task<int> CreateUserAsync(string userName, int roleId, int? owner, CancellationToken ct)
        {
            var body = new JsonObject
            {
                ["name"] = userName,
                ["username"] = userName,
                ["email"] = $"{userName}@example.net",
                ["password"] = UserPassword,
                ["role_id"] = roleId,
            };
            if (owner is not null) body["root_owner"] = owner;
            return (await PostAsync("api/users", body, ct))["result"]!["id"]!.GetValue<int>();
        }

        public Task<JsonObject> GetAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);

        public Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken ct) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, ct);

        private async Task<JsonObject> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            using (request)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{request.Method} /{request.RequestUri} answered {(int)response.StatusCode}: {text}");
                return JsonNode.Parse(text)!.AsObject();
            }
        }
    }
}
