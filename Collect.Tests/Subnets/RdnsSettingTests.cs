using static Collect.Tests.Infrastructure.Json;
using System.Net.Http.Json;
using Collect.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Collect.Tests.Subnets;

/// <summary>The delete_rdns_entry_when_delete_ip setting decides whether an address keeps its reverse DNS when it leaves a server.</summary>
public sealed class RdnsSettingTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();

    private async Task<string?> RdnsAfterUnassignAsync(int server, string ip)
    {
        await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/ipassignments", new { ip }));
        await OkAsync(await Admin.PutJsonAsync($"/api/servers/{server}/ipassignments/0", new { ip, ptrRecord = "mail.example.net." }));
        await OkAsync(await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/servers/{server}/ipassignments/0") { Content = JsonContent.Create(new { ip }) }));
        return await factory.WithDbAsync(db => db.IpAddresses.Where(a => a.Address == ip).Select(a => a.Rdns).FirstOrDefaultAsync());
    }

    [Fact]
    public async Task An_unassigned_address_keeps_its_reverse_dns_unless_the_setting_says_to_delete_it()
    {
        await OkAsync(await Admin.PostJsonAsync("/api/subnets", new { subnet = "100.122.0.0", cidr = 24, type = "v4" }));
        var server = (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "rdns-1", servername = "rdns-1" })))["id"]!;

        var kept = await RdnsAfterUnassignAsync(server, "100.122.0.10");
        await OkAsync(await Admin.PutJsonAsync("/api/system/globalSystemSettings",
            new { settings = new[] { new Dictionary<string, string> { ["delete_rdns_entry_when_delete_ip"] = "on" } } }));
        var dropped = await RdnsAfterUnassignAsync(server, "100.122.0.11");

        Assert.Equal("mail.example.net", kept);
        Assert.Null(dropped);
    }
}
