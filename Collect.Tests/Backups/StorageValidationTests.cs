using System.Net;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Backups;

/// <summary>Each provider's configuration is checked before a storage is kept; the 422 names the field.</summary>
public sealed class StorageValidationTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    [Theory]
    [InlineData("""{"name": "x", "provider": "local", "configuration": {"folder": "relative/backups"}, "retention": 3, "enabled": true}""", "configuration.folder")]
    [InlineData("""{"name": "x", "provider": "local", "retention": 3, "enabled": true}""", "configuration.folder")]
    [InlineData("""{"name": "x", "provider": "sftp", "configuration": {"host": "h.example", "username": "u"}, "retention": 3, "enabled": true}""", "configuration.password")]
    [InlineData("""{"name": "x", "provider": "sftp", "configuration": {"host": "not a host!", "username": "u", "password": "p"}, "retention": 3, "enabled": true}""", "configuration.host")]
    [InlineData("""{"name": "x", "provider": "ftp", "configuration": {"host": "h.example", "username": "u", "password": "p", "port": 70000}, "retention": 3, "enabled": true}""", "configuration.port")]
    [InlineData("""{"name": "x", "provider": "ftp", "configuration": {"host": "h.example", "username": "u", "password": "p", "timeout": 0}, "retention": 3, "enabled": true}""", "configuration.timeout")]
    [InlineData("""{"name": "x", "provider": "ftp", "configuration": {"host": "h.example", "username": "u"}, "retention": 3, "enabled": true}""", "configuration.password")]
    [InlineData("""{"name": "x", "provider": "ftp", "configuration": {"host": "h.example", "username": "u", "password": "p", "folder": "/x"}, "retention": 3, "enabled": true}""", "configuration.folder")]
    [InlineData("""{"name": "x", "provider": "local", "configuration": {"folder": "/var/backups/x"}, "retention": 0, "enabled": true}""", "retention")]
    [InlineData("""{"name": "x", "provider": "local", "configuration": {"folder": "/var/backups/x"}, "retention": 10000, "enabled": true}""", "retention")]
    [InlineData("""{"name": "x", "provider": "local", "configuration": {"folder": "/var/backups/x"}, "retention": 3}""", "enabled")]
    [InlineData("""{"name": "x", "provider": "s3", "configuration": {}, "retention": 3, "enabled": true}""", "provider")]
    [InlineData("""{"provider": "local", "configuration": {"folder": "/var/backups/x"}, "retention": 3, "enabled": true}""", "name")]
    public async Task A_storage_the_provider_cannot_use_is_refused_naming_the_field(string body, string field)
    {
        var response = await factory.AdminApi().PostAsync("/api/system/backups/storages", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var json = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(json["errors"]!.AsObject().ContainsKey(field), json.ToJsonString());
    }
}
