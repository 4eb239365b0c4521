using static Collect.Tests.Infrastructure.Json;
using System.Net;
using System.Text.Json.Nodes;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.ConfigItems;

/// <summary>Config items stay inside their tenant: owned like servers, seen by the owner's subtree and the admin only.</summary>
public sealed class ConfigItemsTenancyTests(Personas personas) : IClassFixture<Personas>, IAsyncLifetime
{
    private int _typeId, _relationshipTypeId, _itemA;

    public async Task InitializeAsync()
    {
        var admin = personas.Client("admin");
        _typeId = (int)(await OkAsync(await admin.PostJsonAsync("/api/config_types", new { name = $"Contract {Guid.NewGuid():N}" })))["id"]!;
        _relationshipTypeId = (int)(await OkAsync(await admin.PostJsonAsync("/api/config_relationship_types", new { name = $"covers {Guid.NewGuid():N}" })))["id"]!;
        _itemA = (int)(await OkAsync(await personas.Client("userA").PostJsonAsync("/api/config_items", new
        {
            name = "Support contract A",
            config_type_id = _typeId,
            config_relationships = new[] { new { config_relationship_type_id = _relationshipTypeId, server_id = personas.Objects["serverA"] } },
        })))["id"]!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("resellerB")]
    [InlineData("userB")]
    public async Task Another_tenant_neither_sees_nor_changes_nor_links_to_an_item(string persona)
    {
        var client = personas.Client(persona);

        var list = await client.GetStringAsync("/api/config_items");
        var get = await client.GetAsync($"/api/config_items/{_itemA}");
        var put = await client.PutJsonAsync($"/api/config_items/{_itemA}", new { name = "taken" });
        var delete = await client.DeleteAsync($"/api/config_items/{_itemA}");
        var link = await client.PostJsonAsync("/api/config_items", new
        {
            name = "intruder", config_type_id = _typeId,
            config_relationships = new[] { new { config_relationship_type_id = _relationshipTypeId, other_config_item_id = _itemA } },
        });
        var compat = await client.GetAsync($"/external_api/v1/config_items/{_itemA}.json");

        Assert.DoesNotContain("Support contract A", list);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, link.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, compat.StatusCode);
        Assert.Equal("Support contract A", (string?)(await OkAsync(await personas.Client("admin").GetAsync($"/api/config_items/{_itemA}")))["name"]);
    }

    [Fact]
    public async Task The_owners_reseller_sees_the_item_and_another_tenants_server_cannot_be_linked()
    {
        var seen = await OkAsync(await personas.Client("resellerA").GetAsync($"/api/config_items/{_itemA}"));
        var linkForeignServer = await personas.Client("userB").PostJsonAsync("/api/config_items", new
        {
            name = "intruder", config_type_id = _typeId,
            config_relationships = new[] { new { config_relationship_type_id = _relationshipTypeId, server_id = personas.Objects["serverA"] } },
        });
        var foreignOwner = await personas.Client("userB").PostJsonAsync("/api/config_items", new { name = "gift", config_type_id = _typeId, owner_id = personas.Ids["userA"] });

        Assert.Equal("Support contract A", (string?)seen["name"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, linkForeignServer.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreignOwner.StatusCode);
        Assert.Equal("The selected owner id is invalid.", (string?)(await foreignOwner.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task A_watcher_sees_changes_to_a_watched_item_that_notifies_watchers_in_its_activity_feed()
    {
        var item = (int)(await OkAsync(await personas.Client("resellerA").PostJsonAsync("/api/config_items", new
        {
            name = "Rack 7 lease", config_type_id = _typeId, owner_id = personas.Ids["resellerA"], notify_watchlisted = true,
        })))["id"]!;
        var quiet = (int)(await OkAsync(await personas.Client("resellerA").PostJsonAsync("/api/config_items", new
        {
            name = "Rack 8 lease", config_type_id = _typeId, owner_id = personas.Ids["resellerA"], notify_watchlisted = false,
        })))["id"]!;
        // userA cannot see its reseller's own items, so resellerA watches them and userB (another tenant) cannot.
        await OkAsync(await personas.Client("resellerA").PostAsync($"/api/config_items/{item}/watch", null));
        await OkAsync(await personas.Client("resellerA").PostAsync($"/api/config_items/{quiet}/watch", null));
        var intruder = await personas.Client("userB").PostAsync($"/api/config_items/{item}/watch", null);

        await OkAsync(await personas.Client("admin").PutJsonAsync($"/api/config_items/{item}", new { description = "renewed until 2030" }));
        await OkAsync(await personas.Client("admin").PutJsonAsync($"/api/config_items/{quiet}", new { description = "renewed until 2031" }));

        var feed = (await OkAsync(await personas.Client("resellerA").GetAsync("/api/activitylog/user?rootType=configItem"))).AsArray();
        Assert.Equal(HttpStatusCode.NotFound, intruder.StatusCode);
        var change = Assert.Single(feed, e => (string?)e!["rootId"] == item.ToString() && (string?)e["userId"] == "1");
        Assert.Equal("renewed until 2030", (string?)change!["modelchanges"]!["description"]!["changes"]);
        Assert.DoesNotContain(feed, e => (string?)e!["rootId"] == quiet.ToString() && (string?)e["userId"] == "1");
    }
}
