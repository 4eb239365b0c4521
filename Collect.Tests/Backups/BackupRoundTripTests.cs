using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Backups;
using Collect.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static Collect.Tests.Infrastructure.Json;

namespace Collect.Tests.Backups;

/// <summary>
/// Backups to real storages (a folder, sshd's SFTP, vsftpd's FTP on loopback) and back: the round trip, retention,
/// a failing storage among good ones, and archives that must be refused.
/// </summary>
[Collection(LoopbackServersCollection.Name)]
public sealed class BackupRoundTripTests(LoopbackServers servers) : IDisposable
{
    private static readonly byte[] Attachment = Encoding.UTF8.GetBytes("serial: ABC123\nrack: 4, unit 12\n");
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "collect-tests", "roundtrip-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }

    /// <summary>A storage of the given kind in a new folder, and where its archives land on this machine.</summary>
    private (object Body, string Folder) Storage(string provider, int retention = 5, string? password = null)
    {
        if (provider == "local")
        {
            var folder = Path.Combine(_scratch, "local-" + Guid.NewGuid().ToString("N"));
            return (new { name = "local", provider, configuration = new { folder }, retention, enabled = true }, folder);
        }
        var (root, path) = servers.NewFolder(provider);
        object configuration = provider == "sftp"
            ? new { host = "127.0.0.1", port = servers.SshPort, username = LoopbackServers.User, password = password ?? LoopbackServers.Password, root }
            : new { host = "127.0.0.1", port = servers.FtpPort, username = LoopbackServers.User, password = password ?? LoopbackServers.Password, ssl = false, timeout = 10, root };
        return (new { name = provider, provider, configuration, retention, enabled = true }, path);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("sftp")]
    [InlineData("ftp")]
    public async Task A_restored_installation_has_the_data_and_files_it_had_at_backup_time(string provider)
    {
        var data = Path.Combine(_scratch, "data");
        var (storage, folder) = Storage(provider);
        string archive;
        int serverId, subnetId, fileId, laterServerId, taskId;
        string serversAtBackup, subnetsAtBackup;
        Dictionary<string, string> filesAtBackup;
        using (var before = new BackupWebFactory(data))
        {
            var admin = before.AdminApi();
            await before.AddStorageAsync(storage);
            await OkAsync(await admin.PostJsonAsync("/api/subnets", new { subnet = "198.51.100.0", cidr = 24, type = "v4", gw = "198.51.100.1" }));
            subnetId = (int)(await OkAsync(await admin.PostJsonAsync("/api/subnets", new { subnet = "203.0.113.0", cidr = 24, type = "v4", gw = "203.0.113.1" })))["id"]!;
            serverId = (int)(await OkAsync(await admin.PostJsonAsync("/api/servers",
                new { hostname = "db-01.example.net", servername = "db-01", tags = new[] { "database" }, ipassignments = new[] { "198.51.100.10" } })))["id"]!;
            var form = new MultipartFormDataContent { { new StringContent("Rack label"), "comment" }, { new ByteArrayContent(Attachment), "attachments[]", "label.txt" } };
            var comment = await OkAsync(await admin.PostAsync($"/api/servers/{serverId}/comments", form));
            fileId = (int)comment["attachments"]![0]!["id"]!;
            serversAtBackup = await admin.GetStringAsync("/api/servers");
            subnetsAtBackup = await admin.GetStringAsync("/api/subnets");
            filesAtBackup = Snapshot(before.FilesDirectory);

            var task = await before.BackUpAsync();
            AssertDone(task);
            taskId = (int)task["id"]!;
            archive = Path.Combine(folder, (string)task["archive_name"]!);
            Assert.True(File.Exists(archive), $"{archive} is on the {provider} storage");

            // What happens after the backup and must be undone by the restore.
            await OkAsync(await admin.PutJsonAsync($"/api/servers/{serverId}", new { hostname = "renamed.example.net", tags = new[] { "x" } }));
            await OkAsync(await admin.DeleteAsync($"/api/servers/{serverId}/comments/{(int)comment["id"]!}"));
            await OkAsync(await admin.DeleteAsync($"/api/subnets/{subnetId}"));
            laterServerId = (int)(await OkAsync(await admin.PostJsonAsync("/api/servers", new { hostname = "later.example.net", servername = "later" })))["id"]!;
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/files/{fileId}/download")).StatusCode);
        }

        // Collect is stopped; the restore command's class does its work; Collect starts again on the same folder.
        var outcome = await new BackupRestorer(TimeProvider.System).RestoreAsync(archive, new BackupWebFactory(data).Paths);

        Assert.True(outcome.Restored, outcome.Message);
        using var after = new BackupWebFactory(data);
        var client = after.AdminApi();
        Assert.Equal(serversAtBackup, await client.GetStringAsync("/api/servers"));
        Assert.Equal(subnetsAtBackup, await client.GetStringAsync("/api/subnets"));
        Assert.Equal("db-01.example.net", (string?)(await OkAsync(await client.GetAsync($"/api/servers/{serverId}")))["hostname"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/servers/{laterServerId}")).StatusCode);
        Assert.Equal(Attachment, await client.GetByteArrayAsync($"/api/files/{fileId}/download"));
        Assert.Equal(filesAtBackup, Snapshot(after.FilesDirectory));
        // The task that made the archive reads as done in the restored installation.
        var restoredTask = await OkAsync(await client.GetAsync($"/api/system/backups/history/{taskId}"));
        Assert.Equal("Done", (string?)restoredTask["result"]);
        // What the restore replaced is kept beside it.
        Assert.True(File.Exists(outcome.PreviousDatabase));
        Assert.True(Directory.Exists(outcome.PreviousFiles));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("sftp")]
    [InlineData("ftp")]
    public async Task A_storage_keeps_only_its_newest_archives_and_leaves_other_files_alone(string provider)
    {
        using var factory = new BackupWebFactory();
        var (storage, folder) = Storage(provider, retention: 2);
        await factory.AddStorageAsync(storage);
        var names = new List<string>();

        for (var i = 0; i < 3; i++)
        {
            var task = await factory.BackUpAsync();
            AssertDone(task);
            names.Add((string)task["archive_name"]!);
            if (i == 0) await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not Collect's");
            factory.Clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(names.Skip(1), BackupWebFactory.Archives(folder));
        Assert.True(File.Exists(Path.Combine(folder, "notes.txt")));
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.EndsWith(".part", StringComparison.Ordinal));
        var last = await OkAsync(await factory.AdminApi().GetAsync("/api/system/backups/history?per_page=1"));
        Assert.Contains(last[0]!["tasks_log"]!.AsArray(), l => (string?)l!["message"] == $"{provider}: Deleting file {names[0]}");
    }

    [Fact]
    public async Task A_failing_storage_is_an_error_for_that_storage_alone_and_the_others_get_the_archive()
    {
        using var factory = new BackupWebFactory();
        var (good, goodFolder) = Storage("local");
        var (ftp, ftpFolder) = Storage("ftp");
        var (badSftp, _) = Storage("sftp", password: "wrong-password");
        await factory.AddStorageAsync(badSftp);
        await factory.AddStorageAsync(good);
        await factory.AddStorageAsync(ftp);

        var task = await factory.BackUpAsync();

        AssertDone(task);
        Assert.Equal(1, (int)task["error"]!);
        var errors = task["tasks_log"]!.AsArray().Where(l => (string?)l!["type"] == "error").Select(l => (string)l!["message"]!).ToList();
        Assert.StartsWith("sftp: ", Assert.Single(errors));
        Assert.Single(BackupWebFactory.Archives(goodFolder));
        Assert.Single(BackupWebFactory.Archives(ftpFolder));
        var storages = (await OkAsync(await factory.AdminApi().GetAsync("/api/system/backups/storages"))).AsArray();
        Assert.StartsWith("error", (string?)storages.Single(s => (string?)s!["name"] == "sftp")!["last_status_message"]);
        Assert.Null(storages.Single(s => (string?)s!["name"] == "sftp")!["last_backup_date"]);
        Assert.All(storages.Where(s => (string?)s!["name"] != "sftp"), s => Assert.Equal("success", (string?)s!["last_status_message"]));
    }

    [Fact]
    public async Task A_corrupted_or_truncated_archive_is_refused_and_the_current_data_stays_as_it_is()
    {
        var data = Path.Combine(_scratch, "data");
        var (storage, folder) = Storage("local");
        string archive;
        using (var factory = new BackupWebFactory(data))
        {
            await factory.AddStorageAsync(storage);
            await OkAsync(await factory.AdminApi().PostJsonAsync("/api/servers", new { hostname = "keep.example.net", servername = "keep" }));
            archive = Path.Combine(folder, (string)(await factory.BackUpAsync())["archive_name"]!);
        }
        var paths = new BackupWebFactory(data).Paths;
        var databaseBefore = Hash(paths.DatabasePath);
        var filesBefore = Snapshot(paths.FilesDirectory);
        var corrupted = await BackupWebFactory.CorruptAsync(archive, BackupArchive.DatabaseEntry);
        var truncated = Path.Combine(_scratch, "truncated.tar.gz");
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var restorer = new BackupRestorer(TimeProvider.System);

        var checksum = await restorer.RestoreAsync(corrupted, paths);
        var damaged = await restorer.RestoreAsync(truncated, paths);

        Assert.False(checksum.Restored);
        Assert.Contains("Checksum mismatch: database/collect.db", checksum.Message);
        Assert.False(damaged.Restored);
        Assert.Equal(databaseBefore, Hash(paths.DatabasePath));
        Assert.Equal(filesBefore, Snapshot(paths.FilesDirectory));
        Assert.Empty(Directory.GetDirectories(data, ".restore-*"));
        Assert.Empty(Directory.GetFiles(data, "*.before-restore-*"));
        File.Delete(corrupted);
    }

    [Fact]
    public async Task The_documented_restore_command_refuses_a_corrupted_archive_and_restores_a_good_one()
    {
        var data = Path.Combine(_scratch, "data");
        var (storage, folder) = Storage("local");
        string archive;
        int serverId;
        using (var factory = new BackupWebFactory(data))
        {
            await factory.AddStorageAsync(storage);
            serverId = (int)(await OkAsync(await factory.AdminApi().PostJsonAsync("/api/servers", new { hostname = "cli.example.net", servername = "cli" })))["id"]!;
            archive = Path.Combine(folder, (string)(await factory.BackUpAsync())["archive_name"]!);
            await OkAsync(await factory.AdminApi().DeleteAsync($"/api/servers/{serverId}"));
        }
        var paths = new BackupWebFactory(data).Paths;
        var corrupted = await BackupWebFactory.CorruptAsync(archive, BackupArchive.DatabaseEntry);

        var (refusedCode, refusedOutput) = await RestoreCommandAsync(corrupted, paths);
        var (code, output) = await RestoreCommandAsync(archive, paths);

        Assert.Equal(1, refusedCode);
        Assert.Contains("Checksum mismatch", refusedOutput);
        Assert.Equal(0, code);
        Assert.Contains("Restored the database", output);
        using var after = new BackupWebFactory(data);
        Assert.Equal("cli.example.net", (string?)(await OkAsync(await after.AdminApi().GetAsync($"/api/servers/{serverId}")))["hostname"]);
        File.Delete(corrupted);
    }

    [Fact]
    public async Task A_backup_taken_while_servers_are_being_added_restores_to_a_sound_database()
    {
        using var factory = new BackupWebFactory();
        var (storage, folder) = Storage("local");
        await factory.AddStorageAsync(storage);
        var admin = factory.AdminApi();
        using var stop = new CancellationTokenSource();
        var added = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await OkAsync(await admin.PostJsonAsync("/api/servers", new { hostname = $"busy-{added}.example.net", servername = $"busy-{added}" }));
                added++;
            }
        });

        var task = await factory.BackUpAsync();
        await stop.CancelAsync();
        await writer;

        AssertDone(task);
        var target = new CollectDataPaths(Path.Combine(_scratch, "restored", "collect.db"), Path.Combine(_scratch, "restored", "files"));
        var outcome = await new BackupRestorer(TimeProvider.System).RestoreAsync(Path.Combine(folder, (string)task["archive_name"]!), target);
        Assert.True(outcome.Restored, outcome.Message);
        await using var connection = new SqliteConnection($"Data Source={target.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check; ";
        Assert.Equal("ok", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT COUNT(*) FROM Servers";
        var restored = (long)(await command.ExecuteScalarAsync())!;
        Assert.InRange(restored, 0, added);
    }

    [Fact]
    public async Task Testing_a_storage_connects_and_checks_the_folder_is_writable_with_a_password_or_a_key()
    {
        using var factory = new BackupWebFactory();
        var (root, _) = servers.NewFolder("keytest");
        var actor = Collect.Core.Access.Actor.System;
        var withKey = new StorageInput(null, "sftp", new JsonObject
        {
            ["host"] = "127.0.0.1", ["port"] = servers.SshPort, ["username"] = LoopbackServers.User, ["private_key"] = servers.PrivateKey, ["root"] = root,
        }, null, null, new HashSet<string>());
        var wrongPassword = new StorageInput(null, "ftp", new JsonObject
        {
            ["host"] = "127.0.0.1", ["port"] = servers.FtpPort, ["username"] = LoopbackServers.User, ["password"] = "wrong", ["timeout"] = 5,
        }, null, null, new HashSet<string>());
        var untrusted = new StorageInput(null, "ftp", new JsonObject
        {
            ["host"] = "127.0.0.1", ["port"] = servers.FtpsPort, ["username"] = LoopbackServers.User, ["password"] = LoopbackServers.Password, ["ssl"] = true, ["timeout"] = 5,
        }, null, null, new HashSet<string>());
        var plainToTls = untrusted with { Configuration = new JsonObject
        {
            ["host"] = "127.0.0.1", ["port"] = servers.FtpsPort, ["username"] = LoopbackServers.User, ["password"] = LoopbackServers.Password, ["ssl"] = false, ["timeout"] = 5,
        } };

        var key = await factory.Service.TestStorageAsync(actor, null, withKey);
        var refused = await factory.Service.TestStorageAsync(actor, null, wrongPassword);
        var certificate = await factory.Service.TestStorageAsync(actor, null, untrusted);
        var needsTls = await factory.Service.TestStorageAsync(actor, null, plainToTls);

        Assert.True(key.IsOk, string.Join(" ", key.Errors?.Values.SelectMany(v => v) ?? []));
        Assert.StartsWith("Connected. The folder is writable and holds 0 Collect archive(s). Host key: ssh-ed25519 SHA256:", key.Value);
        Assert.Empty(Directory.GetFiles(Path.Combine(servers.Home, root)));
        Assert.Contains("530", refused.Errors!["connection"][0]);
        // TLS is negotiated, and a certificate nobody vouches for is refused rather than trusted blindly.
        Assert.Contains("certificate", certificate.Errors!["connection"][0], StringComparison.OrdinalIgnoreCase);
        Assert.False(needsTls.IsOk);
    }

    private static async Task<(int Code, string Output)> RestoreCommandAsync(string archive, CollectDataPaths paths)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(paths.DatabasePath)! };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Collect.Web.dll"), "restore", archive,
                     $"--ConnectionStrings:Collect=Data Source={paths.DatabasePath}", $"--Collect:Files:Directory={paths.FilesDirectory}" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static void AssertDone(JsonNode task) => Assert.True((string?)task["result"] == "Done", task["tasks_log"]?.ToJsonString());

    private static string Hash(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>Every file under a folder by relative path, with its SHA-256.</summary>
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), Hash)
            : [];
}
