using static Collect.Tests.Infrastructure.Json;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.ConfigItems;

/// <summary>Config types with typed fields, items checked against them, relationships, and the seed 004 compatibility routes.</summary>
public sealed class ConfigItemsApiTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();

    private async Task<int> LicenceTypeAsync(string name)
    {
        var type = await OkAsync(await Admin.PostJsonAsync("/api/config_types", new
        {
            name,
            description = "Software licences",
            fields = new object[]
            {
                new { name = "seats", type = "number", required = true },
                new { name = "expiration_date", type = "date" },
                new { name = "auto_renew", type = "boolean" },
                new { name = "edition", type = "dropdown", options = new[] { "standard", "enterprise" } },
                new { name = "vendor", type = "text" },
            },
        }));
        return (int)type["id"]!;
    }

    private async Task<int> RelationshipTypeAsync(string name) =>
        (int)(await OkAsync(await Admin.PostJsonAsync("/api/config_relationship_types", new { name })))["id"]!;

    private async Task<int> ItemAsync(int typeId, string name, object? relationships = null) =>
        (int)(await OkAsync(await Admin.PostJsonAsync("/api/config_items", new
        {
            name,
            config_type_id = typeId,
            config_type_fields = new { seats = 5 },
            config_relationships = relationships ?? Array.Empty<object>(),
        })))["id"]!;

    [Fact]
    public async Task Each_field_type_refuses_values_of_the_wrong_kind_and_nothing_is_stored()
    {
        var typeId = await LicenceTypeAsync("Licence (validation)");
        var before = await factory.WithDbAsync(db => db.ConfigItems.CountAsync());

        var response = await Admin.PostJsonAsync("/api/config_items", new
        {
            name = "Editor",
            config_type_id = typeId,
            config_type_fields = new Dictionary<string, object>
            {
                ["seats"] = "many", ["expiration_date"] = "31st of June", ["auto_renew"] = "perhaps", ["edition"] = "premium", ["colour"] = "blue",
            },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal("The seats must be a number.", (string?)errors["config_type_fields.seats"]![0]);
        Assert.Contains("must be a date", (string?)errors["config_type_fields.expiration_date"]![0]);
        Assert.Equal("The auto_renew must be true or false.", (string?)errors["config_type_fields.auto_renew"]![0]);
        Assert.Equal("The edition must be one of: standard, enterprise.", (string?)errors["config_type_fields.edition"]![0]);
        Assert.Contains("has no field \"colour\"", (string?)errors["config_type_fields.colour"]![0]);
        Assert.Equal(before, await factory.WithDbAsync(db => db.ConfigItems.CountAsync()));
    }

    [Fact]
    public async Task A_required_field_must_be_given_and_valid_values_come_back_typed_and_normalised()
    {
        var typeId = await LicenceTypeAsync("Licence (values)");

        var missing = await Admin.PostJsonAsync("/api/config_items", new { name = "No seats", config_type_id = typeId });
        var item = await OkAsync(await Admin.PostJsonAsync("/api/config_items", new
        {
            name = "Editor",
            config_type_id = typeId,
            config_type_fields = new Dictionary<string, object> { ["seats"] = "12.50", ["expiration_date"] = "01-01-2014", ["auto_renew"] = "yes", ["edition"] = "Enterprise" },
            additional_fields = new { purchase_order = "PO-77" },
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal("The seats field is required.", (string?)(await missing.ReadJsonAsync())["message"]);
        var fields = item["config_type_fields"]!;
        Assert.Equal(12.5m, (decimal)fields["seats"]!);
        Assert.Equal("2014-01-01", (string?)fields["expiration_date"]);
        Assert.True((bool)fields["auto_renew"]!);
        Assert.Equal("enterprise", (string?)fields["edition"]);
        Assert.Equal("PO-77", (string?)item["additional_fields"]!["purchase_order"]);
        Assert.Equal(1, (int?)item["owner_id"]);
    }

    [Fact]
    public async Task Deleting_an_item_removes_the_relationships_from_it_and_to_it()
    {
        var typeId = await LicenceTypeAsync("Licence (relationships)");
        var dependsOn = await RelationshipTypeAsync("depends on (relationships)");
        var database = await ItemAsync(typeId, "Database licence");
        var app = await ItemAsync(typeId, "App licence", new[] { new { config_relationship_type_id = dependsOn, other_config_item_id = database } });
        var report = await ItemAsync(typeId, "Report licence", new[] { new { config_relationship_type_id = dependsOn, other_config_item_id = app } });

        var incoming = await OkAsync(await Admin.GetAsync($"/api/config_items/{app}"));
        Assert.Contains(incoming["config_relationships"]!.AsArray(), r => (string?)r!["direction"] == "incoming" && (int?)r["other_config_item_id"] == report);

        await OkAsync(await Admin.DeleteAsync($"/api/config_items/{app}"));

        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/config_items/{app}")).StatusCode);
        Assert.Empty((await OkAsync(await Admin.GetAsync($"/api/config_items/{report}")))["config_relationships"]!.AsArray());
        Assert.Empty((await OkAsync(await Admin.GetAsync($"/api/config_items/{database}")))["config_relationships"]!.AsArray());
        Assert.Equal(0, await factory.WithDbAsync(db => db.ConfigRelationships.CountAsync(r => r.ConfigItemId == app || r.OtherConfigItemId == app)));
    }

    [Fact]
    public async Task An_item_relates_to_a_server_and_the_relationship_goes_when_the_server_does()
    {
        var typeId = await LicenceTypeAsync("Licence (servers)");
        var runsOn = await RelationshipTypeAsync("runs on (servers)");
        var server = (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "cmdb.example.net", servername = "cmdb-1" })))["id"]!;
        var item = await ItemAsync(typeId, "OS licence", new[] { new { config_relationship_type_id = runsOn, server_id = server } });

        var related = (await OkAsync(await Admin.GetAsync($"/api/config_items/{item}")))["config_relationships"]!.AsArray();
        Assert.Equal("cmdb-1", (string?)related.Single()!["name"]);

        await OkAsync(await Admin.DeleteAsync($"/api/servers/{server}"));

        Assert.Empty((await OkAsync(await Admin.GetAsync($"/api/config_items/{item}")))["config_relationships"]!.AsArray());
    }

    [Fact]
    public async Task A_relationship_to_an_unknown_item_or_of_an_unknown_type_is_refused()
    {
        var typeId = await LicenceTypeAsync("Licence (bad relationships)");
        var dependsOn = await RelationshipTypeAsync("depends on (bad)");

        var unknownItem = await Admin.PostJsonAsync("/api/config_items", new
        {
            name = "x", config_type_id = typeId, config_type_fields = new { seats = 1 },
            config_relationships = new[] { new { config_relationship_type_id = dependsOn, other_config_item_id = 999999 } },
        });
        var unknownType = await Admin.PostJsonAsync("/api/config_items", new
        {
            name = "x", config_type_id = typeId, config_type_fields = new { seats = 1 },
            config_relationships = new[] { new { config_relationship_type_id = 999999, other_config_item_id = 1 } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownItem.StatusCode);
        Assert.Equal("No config item found with id 999999.", (string?)(await unknownItem.ReadJsonAsync())["message"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownType.StatusCode);
        Assert.Equal("No config relationship type found with this id.", (string?)(await unknownType.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task A_config_type_in_use_cannot_be_deleted()
    {
        var typeId = await LicenceTypeAsync("Licence (in use)");
        var item = await ItemAsync(typeId, "Kept");

        var refused = await Admin.DeleteAsync($"/api/config_types/{typeId}");
        await OkAsync(await Admin.DeleteAsync($"/api/config_items/{item}"));
        var allowed = await Admin.DeleteAsync($"/api/config_types/{typeId}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("used by 1 config item", (string?)(await refused.ReadJsonAsync())["message"]);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_dropdown_field_without_options_is_refused()
    {
        var response = await Admin.PostJsonAsync("/api/config_types", new { name = "Rack", fields = new[] { new { name = "row", type = "dropdown" } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("A dropdown field needs at least one option.", (string?)(await response.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task The_seed_004_post_creates_an_item_and_answers_in_its_envelope()
    {
        var typeId = await LicenceTypeAsync("Licence (compat)");
        var dependsOn = await RelationshipTypeAsync("depends on (compat)");
        var other = await ItemAsync(typeId, "Other");
        var body = $$"""
            {
              "config_item": {
                "name": "foo bar baz",
                "config_relationships": [ { "config_relationship_type_id": {{dependsOn}}, "other_config_item_id": {{other}} } ],
                "config_type_fields": [ { "seats": "3", "vendor": "text editor license" } ],
                "notify_watchlisted": "0",
                "owner_id": "1",
                "config_type_id": "{{typeId}}",
                "additional_fields": [ { "expiration_date": "01-01-2014", "purchase_date": "01-01-2010" } ],
                "description": "foo bar baz"
              }
            }
            """;

        var response = await Admin.PostAsync("/external_api/v1/config_items.json", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1.0", (string?)json["version"]);
        Assert.Equal("Success", (string?)json["status"]);
        var item = json["result"]!["config_item"]!;
        Assert.Equal("foo bar baz", (string?)item["name"]);
        Assert.Equal("01-01-2010", (string?)item["additional_fields"]!["purchase_date"]);
        Assert.False((bool)item["notify_watchlisted"]!);
        Assert.Equal(other, (int?)item["config_relationships"]![0]!["other_config_item_id"]);

        var fetched = await (await Admin.GetAsync($"/external_api/v1/config_items/{(int)item["id"]!}.json")).ReadJsonAsync();
        Assert.Equal("foo bar baz", (string?)fetched["result"]!["config_item"]!["name"]);
        Assert.Equal("Success", (string?)fetched["status"]);
    }

    [Fact]
    public async Task The_seed_004_post_with_an_unknown_config_type_answers_the_seeds_error_body()
    {
        var before = await factory.WithDbAsync(db => db.ConfigItems.CountAsync());

        var response = await Admin.PostAsync("/external_api/v1/config_items.json",
            new StringContent("""{"config_item": {"name": "x", "owner_id": "1", "config_type_id": "313"}}""", Encoding.UTF8, "application/json"));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Failed", (string?)json["staus"]);
        Assert.Equal("1.0", (string?)json["version"]);
        Assert.Equal("[E400] no config type found", (string?)json["errors"]![0]!["error"]);
        Assert.Equal(before, await factory.WithDbAsync(db => db.ConfigItems.CountAsync()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"name": "unwrapped"}""")]
    [InlineData("""{"config_item": {"name": "x", "config_type_id": "abc"}}""")]
    public async Task The_seed_004_post_refuses_malformed_bodies_in_its_error_shape(string body)
    {
        var response = await Admin.PostAsync("/external_api/v1/config_items.json", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Failed", (string?)json["staus"]);
        Assert.StartsWith("[E400]", (string?)json["errors"]![0]!["error"]);
    }

    [Fact]
    public async Task The_seed_004_routes_need_an_api_token_and_hide_unknown_items()
    {
        var anonymous = await factory.Anonymous().GetAsync("/external_api/v1/config_items/1.json");
        var missing = await Admin.GetAsync("/external_api/v1/config_items/999999.json");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Failed", (string?)(await anonymous.ReadJsonAsync())["staus"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("[E404] no config item found", (string?)(await missing.ReadJsonAsync())["errors"]![0]!["error"]);
    }

    [Fact]
    public async Task Items_list_by_type_with_server_side_paging()
    {
        var typeId = await LicenceTypeAsync("Licence (list)");
        for (var i = 0; i < 3; i++) await ItemAsync(typeId, $"List item {i}");

        var page = await (await Admin.GetAsync($"/api/config_items?config_type_id={typeId}&page=2&per_page=2")).ReadJsonAsync();
        var bad = await Admin.GetAsync("/api/config_items?config_type_id=abc");

        Assert.Equal(3, (int?)page["meta"]!["total"]);
        Assert.Equal("List item 2", (string?)page["result"]![0]!["name"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }
}
