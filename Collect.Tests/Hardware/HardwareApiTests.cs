using static Collect.Tests.Infrastructure.Json;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Hardware;
using Collect.Tests.Browser;
using Collect.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Collect.Tests.Hardware;

/// <summary>Inventory components, custom fields, server hardware items, summaries and collection from the machine.</summary>
public sealed class HardwareApiTests(KestrelCollectFactory factory) : IClassFixture<KestrelCollectFactory>
{
    private readonly Uri _address = factory.Start();

    private HttpClient Client() => new() { BaseAddress = _address };

    private HttpClient Admin
    {
        get
        {
            var client = Client();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CollectWebFactory.AdminToken);
            return client;
        }
    }


    private async Task<int> ServerAsync(string name) => (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = name, servername = name })))["id"]!;

    private async Task<int> ComponentIdAsync(string name) =>
        (int)(await OkAsync(await Admin.GetAsync("/api/inventorycomponents"))).AsArray().First(c => (string?)c!["componentname"] == name)!["id"]!;

    private Task<int> ProcessAsync() => factory.Services.GetRequiredService<ServerHardwareService>().ProcessReportsAsync();

    [Fact]
    public async Task The_seed_defaults_exist_and_cannot_be_deleted()
    {
        var components = (await OkAsync(await Admin.GetAsync("/api/inventorycomponents"))).AsArray();
        var fields = (await OkAsync(await Admin.GetAsync("/api/inventorycomponents/customfields"))).AsArray();
        var cpu = components.First(c => (string?)c!["componentname"] == "cpu")!;
        var diskType = fields.First(f => (string?)f!["name"] == "Disk Type")!;

        var deleteComponent = await Admin.DeleteAsync($"/api/inventorycomponents/{(int)cpu["id"]!}");
        var deleteField = await Admin.DeleteAsync($"/api/inventorycomponents/customfields/{(int)diskType["id"]!}");
        var rename = await Admin.PutJsonAsync($"/api/inventorycomponents/{(int)cpu["id"]!}", new { componentname = "processor" });

        Assert.Equal(["cpu", "memory", "system", "bios", "storage_controller", "mainboard", "disk", "nic", "raid_controller"],
            components.Take(9).Select(c => (string)c!["componentname"]!).ToList());
        Assert.Equal(["Disk Type", "Cores", "MHz Turbo", "MHz Normal", "Threads"], fields.Take(5).Select(f => (string)f!["name"]!).ToList());
        Assert.All(components.Take(9), c => Assert.Equal(1, (int)c!["notdeletable"]!));
        Assert.Equal(["Cores", "MHz Turbo", "MHz Normal", "Threads"], cpu["customfields"]!.AsArray().Select(f => (string)f!["name"]!).ToList());
        Assert.Equal(["HDD", "SSD", "NVMe"], diskType["availableValues"]!.AsArray().Select(v => (string)v!["value"]!).ToList());
        Assert.All(new[] { deleteComponent, deleteField, rename }, r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
    }

    [Fact]
    public async Task Custom_fields_validate_their_type_and_dropdown_values_keep_their_ids()
    {
        var noValues = await Admin.PostJsonAsync("/api/inventorycomponents/customfields", new { name = "Rack", type = "dropdown" });
        var badType = await Admin.PostJsonAsync("/api/inventorycomponents/customfields", new { name = "Rack", type = "slider" });
        var field = await OkAsync(await Admin.PostJsonAsync("/api/inventorycomponents/customfields",
            new { name = "Datacenter", type = "dropdown", availableValues = new[] { "Datacenter-1", "Datacenter-2" } }));
        var id = (int)field["id"]!;
        var edited = await OkAsync(await Admin.PutJsonAsync($"/api/inventorycomponents/customfields/{id}", new { availableValues = new[] { "Datacenter-2", "Datacenter-3" } }));
        var component = await OkAsync(await Admin.PostJsonAsync("/api/inventorycomponents",
            new { groupname = "Software", description = "Software licenses", componentname = "license", valueType = "text", customfieldsRelations = new[] { id } }));
        var duplicate = await Admin.PostJsonAsync("/api/inventorycomponents",
            new { groupname = "Software", description = "Again", componentname = "license", valueType = "text" });
        var unknownField = await Admin.PostJsonAsync("/api/inventorycomponents",
            new { groupname = "Software", description = "x", componentname = "other", valueType = "text", customfieldsRelations = new[] { 999 } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noValues.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badType.StatusCode);
        var before = field["availableValues"]!.AsArray().ToDictionary(v => (string)v!["value"]!, v => (string)v!["id"]!);
        var after = edited["availableValues"]!.AsArray().ToDictionary(v => (string)v!["value"]!, v => (string)v!["id"]!);
        Assert.Equal(before["Datacenter-2"], after["Datacenter-2"]);
        Assert.DoesNotContain(after["Datacenter-3"], before.Values);
        Assert.Equal("Datacenter", (string?)component["customfields"]![0]!["name"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownField.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.DeleteAsync($"/api/inventorycomponents/customfields/{id}")).StatusCode);
    }

    [Fact]
    public async Task Items_are_validated_against_their_component_and_summarised_as_the_seed_shows()
    {
        var server = await ServerAsync("hw-summary");
        var memory = await ComponentIdAsync("memory");
        var disk = await ComponentIdAsync("disk");
        var cpu = await ComponentIdAsync("cpu");
        var fields = (await OkAsync(await Admin.GetAsync("/api/inventorycomponents/customfields"))).AsArray();
        int Field(string name) => (int)fields.First(f => (string?)f!["name"] == name)!["id"]!;
        foreach (var model in new[] { "CMH32GX4M2Z3200C16", "CMW32GX4M2C3200C16", "CMH32GX4M2Z3200C16", "CMW32GX4M2C3200C16" })
            await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/inventory", new { model, value = "16384", inventorycomponent_id = memory }));
        var nvme = await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/inventory", new
        {
            model = "WDS100T3X0C-00SJG0", value = "953869", serial = "192306800431", inventorycomponent_id = disk,
            customfields = new[] { new { fieldId = Field("Disk Type"), value = "3" } },
        }));
        await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/inventory", new { model = "Samsung SSD 860 EVO 500GB", value = "476940", inventorycomponent_id = disk }));
        await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/inventory", new
        {
            model = "AMD Ryzen 9 3900XT", value = "2200", inventorycomponent_id = cpu,
            customfields = new[] { new { fieldId = Field("Cores"), value = "12" }, new { fieldId = Field("Threads"), value = "24" }, new { fieldId = Field("MHz Turbo"), value = "4775" } },
        }));
        var badChoice = await Admin.PostJsonAsync($"/api/servers/{server}/inventory",
            new { model = "x", inventorycomponent_id = disk, customfields = new[] { new { fieldId = Field("Disk Type"), value = "9" } } });
        var wrongField = await Admin.PostJsonAsync($"/api/servers/{server}/inventory",
            new { model = "x", inventorycomponent_id = memory, customfields = new[] { new { fieldId = Field("Cores"), value = "4" } } });
        var noComponent = await Admin.PostJsonAsync($"/api/servers/{server}/inventory", new { model = "x" });
        var badComponent = await Admin.PostJsonAsync($"/api/servers/{server}/inventory", new { model = "x", inventorycomponent_id = 9999 });

        var summary = await OkAsync(await Admin.GetAsync($"/api/servers/{server}/hwsummary"));
        var detailed = await OkAsync(await Admin.GetAsync($"/api/servers/{server}/hwsummary/withDetails"));
        var serverJson = await OkAsync(await Admin.GetAsync($"/api/servers/{server}"));

        Assert.Equal("3", (string?)nvme["customfields"]![0]!["value"]);
        Assert.Equal(disk, (int)nvme["root_component"]!["id"]!);
        Assert.All(new[] { badChoice, wrongField, noComponent, badComponent }, r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Equal("multiple", (string?)summary["memory"]!["model"]);
        Assert.Equal(65536, (long)summary["memory"]!["value"]!);
        Assert.Equal(4, (int)summary["memory"]!["count"]!);
        Assert.Null(summary["memory"]!["details"]);
        Assert.Equal(1430809, (long)summary["disk"]!["value"]!);
        Assert.Equal("multiple", (string?)summary["disk"]!["model"]);
        Assert.Equal("AMD Ryzen 9 3900XT", (string?)summary["cpu"]!["model"]);
        Assert.Equal("2200", (string?)summary["cpu"]!["value"]);
        Assert.Equal("12", (string?)summary["cpu"]!["cores"]);
        Assert.Equal("24", (string?)summary["cpu"]!["threads"]);
        Assert.Equal(4775, (long)summary["cpu"]!["mhzTurbo"]!);
        Assert.Equal(4, detailed["memory"]!["details"]!.AsArray().Count);
        Assert.Equal("16384", (string?)detailed["memory"]!["details"]![0]!["size"]);
        Assert.Equal(detailed.ToJsonString(), serverJson["detailedHardwareInformation"]!.ToJsonString());

        var byCpu = (await OkAsync(await Admin.GetAsync("/api/servers?cpu=ryzen 9"))).AsArray().Select(s => (int)s!["id"]!).ToList();
        var byMemory = (await OkAsync(await Admin.GetAsync("/api/servers?min_memory_mb=65536"))).AsArray().Select(s => (int)s!["id"]!).ToList();
        var tooMuch = (await OkAsync(await Admin.GetAsync("/api/servers?min_memory_mb=65537"))).AsArray().Select(s => (int)s!["id"]!).ToList();
        var byDisk = (await OkAsync(await Admin.GetAsync("/api/servers?min_disk_mb=1000000"))).AsArray().Select(s => (int)s!["id"]!).ToList();
        var badFilter = await Admin.GetAsync("/api/servers?min_disk_mb=lots");
        Assert.Contains(server, byCpu);
        Assert.Contains(server, byMemory);
        Assert.DoesNotContain(server, tooMuch);
        Assert.Contains(server, byDisk);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badFilter.StatusCode);
    }

    [Fact]
    public async Task A_collection_replaces_collected_items_keeps_manual_ones_and_bad_callbacks_change_nothing()
    {
        var server = await ServerAsync("hw-collect");
        await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/inventory", new { model = "Label printer", value = "manual", inventorycomponent_id = await ComponentIdAsync("system") }));
        var command = (string)(await OkAsync(await Admin.GetAsync($"/api/servers/{server}/inventory/getInventoryCommand")))!;
        var callback = command.Split('\'')[1];
        var path = new Uri(callback).AbsolutePath;
        var client = Client();
        StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

        var wrongToken = await client.PostAsync("/api/servers/inventory/callback/0123456789abcdef0123456789abcdef", Json("{\"cpu\": []}"));
        var malformed = await client.PostAsync(path, Json("{\"cpu\": ["));
        var notObject = await client.PostAsync(path, Json("[1]"));
        var first = await client.PostAsync(path, Json("{\"cpu\": [{\"model\": \"Xeon E-2288G\", \"mhz\": \"3700\", \"cores\": \"8\", \"threads\": \"16\"}], " +
                                                       "\"memory\": [{\"model\": \"M391A4G43AB1\", \"size_mb\": \"32768\"}, {\"model\": \"M391A4G43AB1\", \"size_mb\": \"32768\"}], " +
                                                       "\"disk\": [{\"model\": \"Micron 5300\", \"size_mb\": \"915715\", \"type\": \"SSD\", \"serial\": \"X1\"}]}"));
        await ProcessAsync();
        var afterFirst = (await OkAsync(await Admin.GetAsync($"/api/servers/{server}/inventory"))).AsArray();
        await client.PostAsync(path, Json("{\"cpu\": [{\"model\": \"Xeon E-2388G\", \"mhz\": \"3200\"}], \"memory\": [{\"model\": \"M391A4G43AB1\", \"size_mb\": \"65536\"}]}"));
        await ProcessAsync();
        var afterSecond = (await OkAsync(await Admin.GetAsync($"/api/servers/{server}/inventory"))).AsArray();
        var newCommand = (string)(await OkAsync(await Admin.GetAsync($"/api/servers/{server}/inventory/getInventoryCommand")))!;
        var oldToken = await client.PostAsync(path, Json("{\"cpu\": []}"));

        Assert.StartsWith($"wget -qO - {Admin.BaseAddress!.ToString().TrimEnd('/')}/api/scripts/hwdetect | bash -s '", command);
        Assert.Equal(HttpStatusCode.NotFound, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notObject.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(5, afterFirst.Count);
        Assert.Contains(afterFirst, i => (string?)i!["model"] == "Micron 5300" && (string?)i["customfields"]![0]!["value"] == "2");
        Assert.Equal(["Label printer", "M391A4G43AB1", "Xeon E-2388G"], afterSecond.Select(i => (string)i!["model"]!).Order().ToList());
        Assert.Contains(afterSecond, i => (string?)i!["source"] == "manual" && (string?)i["model"] == "Label printer");
        Assert.NotEqual(command, newCommand);
        Assert.Equal(HttpStatusCode.NotFound, oldToken.StatusCode);
    }

    [Fact]
    public async Task The_real_hwdetect_script_reports_this_machines_cpu_and_memory()
    {
        var server = await ServerAsync("this-machine");
        var admin = Admin;
        var command = (string)(await OkAsync(await admin.GetAsync($"/api/servers/{server}/inventory/getInventoryCommand")))!;

        var bash = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await bash.StandardOutput.ReadToEndAsync() + await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        await ProcessAsync();
        var summary = await OkAsync(await admin.GetAsync($"/api/servers/{server}/hwsummary"));

        Assert.True(bash.ExitCode == 0, output);
        var cpuinfo = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("model name")).Split(':', 2)[1].Trim();
        Assert.Equal(cpuinfo, (string?)summary["cpu"]!["model"]);
        var totalMb = long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        var reported = (long)summary["memory"]!["value"]!;
        // Modules (dmidecode, as root on real hardware) add up to a little more than what the kernel can use.
        Assert.InRange(reported, totalMb, totalMb * 11 / 10 + 1024);
        Assert.True((int)summary["disk"]!["count"]! >= 1, summary.ToJsonString());
    }
}
