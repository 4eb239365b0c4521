using Bunit;
using Collect.Core.Access;
using Collect.Core.ConfigItems;
using Collect.Core.Servers;
using Collect.Web.Components.Pages.ConfigItems;
using Collect.Web.Components.Pages.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Components;

public sealed class ConfigItemsPageTests : ShellTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private async Task<(int Type, int RunsOn)> TypesAsync(Actor admin)
    {
        var types = Services.GetRequiredService<ConfigTypeService>();
        var licence = await types.CreateTypeAsync(admin, new ConfigTypeInput("Licence", null,
            [new ConfigFieldDefinition("seats", ConfigFieldTypes.Number, true), new ConfigFieldDefinition("edition", ConfigFieldTypes.Dropdown, Options: ["standard", "enterprise"])],
            new HashSet<string> { "name", "fields" }));
        await types.CreateTypeAsync(admin, new ConfigTypeInput("Rack", null, [], new HashSet<string> { "name" }));
        var runsOn = await types.CreateRelationshipTypeAsync(admin, new RelationshipTypeInput("runs on", null, new HashSet<string> { "name" }));
        return (licence.Value!.Id, runsOn.Value!.Id);
    }

    private async Task<ConfigItemView> ItemAsync(Actor actor, int type, string name, params RelationshipInput[] relationships)
    {
        var result = await Services.GetRequiredService<ConfigItemService>().CreateAsync(actor, new ConfigItemInput
        {
            Name = name, ConfigTypeId = type, TypeFields = new Dictionary<string, string?> { ["seats"] = "10", ["edition"] = "enterprise" },
            Relationships = relationships,
        });
        Assert.True(result.IsOk, string.Join(" ", result.Errors?.Values.SelectMany(v => v) ?? []));
        return result.Value!;
    }

    [Fact]
    public async Task The_list_shows_items_of_the_chosen_type_with_their_type_and_relationship_count()
    {
        var admin = await SignInAsAdminAsync();
        var (licence, runsOn) = await TypesAsync(admin);
        var db = await ItemAsync(admin, licence, "Database licence");
        await ItemAsync(admin, licence, "App licence", new RelationshipInput(runsOn, db.Id, null, null));

        var page = Render<Collect.Web.Components.Pages.ConfigItems.ConfigItems>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-test=cmdb-item-link]").Count), Wait);
        Assert.Contains("Licence (2)", page.Find($"[data-test=cmdb-type-{licence}]").TextContent);
        Assert.Contains("Rack (0)", page.Find("[data-test=cmdb-type-filter]").TextContent);
        Assert.Contains("Database licence", page.Find("[data-test=cmdb-grid]").TextContent);
    }

    [Fact]
    public async Task An_items_page_lists_its_fields_and_relationships_and_draws_them_as_a_graph()
    {
        var admin = await SignInAsAdminAsync();
        var (licence, runsOn) = await TypesAsync(admin);
        var server = (await Services.GetRequiredService<ServerService>().CreateAsync(admin, new ServerInput
        {
            Servername = "web-01", Hostname = "web-01.example.net", Provided = new HashSet<string> { "hostname", "servername" },
        })).Value!;
        var db = await ItemAsync(admin, licence, "Database licence");
        var app = await ItemAsync(admin, licence, "App licence", new RelationshipInput(runsOn, db.Id, null, null), new RelationshipInput(runsOn, null, server.Id, null));

        var page = Render<ConfigItemDetail>(p => p.Add(d => d.Id, app.Id));

        page.WaitForElement("[data-test=cmdb-detail-name]", Wait);
        Assert.Contains("enterprise", page.Find("[data-test=cmdb-detail-fields]").TextContent);
        var relationships = page.Find("[data-test=cmdb-relationship-list]").TextContent;
        Assert.Contains("Database licence", relationships);
        Assert.Contains("web-01", relationships);
        Assert.Equal(2, page.FindAll("[data-test=cmdb-graph-node]").Count);
    }

    [Fact]
    public async Task A_servers_page_lists_the_config_items_related_to_it()
    {
        var admin = await SignInAsAdminAsync();
        var (licence, runsOn) = await TypesAsync(admin);
        var server = (await Services.GetRequiredService<ServerService>().CreateAsync(admin, new ServerInput
        {
            Servername = "web-02", Hostname = "web-02.example.net", Provided = new HashSet<string> { "hostname", "servername" },
        })).Value!;
        await ItemAsync(admin, licence, "OS licence", new RelationshipInput(runsOn, null, server.Id, null));

        var page = Render<ServerDetail>(p => p.Add(d => d.Id, server.Id));
        page.WaitForElement("[data-test=server-header]", Wait);
        await page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Config items")).ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("OS licence", page.Find("[data-test=server-configitems]").TextContent), Wait);
        Assert.Contains("runs on", page.Find("[data-test=server-configitems]").TextContent);
    }
}
