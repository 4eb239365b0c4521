using static Collect.Tests.Infrastructure.Json;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Provisioning;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Provisioning;

/// <summary>The PXE library, offer rules, rendering of the stock templates, and the boot flow with its tokens.</summary>
public sealed class ProvisioningTests(CollectWebFactory factory) : IClassFixture<CollectWebFactory>
{
    private HttpClient Admin => factory.AdminApi();


    private static int seq;

    /// <summary>A server with a PXE MAC, an address in a subnet, and optionally tags and disks.</summary>
    private async Task<(int Id, string Mac)> ServerAsync(string[]? tags = null, int disks = 0)
    {
        var n = Interlocked.Increment(ref seq);
        var mac = $"52:54:00:00:10:{n:x2}";
        var subnet = $"198.18.{n}.0";
        await Admin.PostJsonAsync("/api/subnets", new { subnet, cidr = 24, type = "v4", gw = $"198.18.{n}.1", dns_resolvers = new[] { "9.9.9.9", "149.112.112.112" } });
        var id = (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new
        {
            hostname = $"node{n}.example.net", servername = $"node{n}", tags = tags ?? [], config = new { pxe_mac = mac }, ipassignments = new[] { $"198.18.{n}.10" },
        })))["id"]!;
        if (disks > 0)
        {
            var components = (await OkAsync(await Admin.GetAsync("/api/inventorycomponents"))).AsArray();
            var disk = (int)components.First(c => (string?)c!["componentname"] == "disk")!["id"]!;
            for (var i = 0; i < disks; i++)
                await OkAsync(await Admin.PostJsonAsync($"/api/servers/{id}/inventory", new { model = "SSD", value = "476940", inventorycomponent_id = disk }));
        }
        return (id, mac);
    }

    private async Task<int> ProfileIdAsync(string name) =>
        (int)(await OkAsync(await Admin.GetAsync("/api/pxe/profiles"))).AsArray().First(p => (string?)p!["osName"] == name)!["id"]!;

    private static StringContent Form(string text) => new(text, Encoding.UTF8, "application/x-www-form-urlencoded");

    [Fact]
    public void Sha512_crypt_matches_the_published_test_vector()
    {
        Assert.Equal("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", Sha512Crypt.Hash("Hello world!", "saltstring"));
        Assert.StartsWith("$6$", Sha512Crypt.Hash("secretpassword"));
        Assert.NotEqual(Sha512Crypt.Hash("secretpassword"), Sha512Crypt.Hash("secretpassword"));
    }

    [Fact]
    public async Task The_stock_library_ships_its_profiles_layouts_and_script()
    {
        var profiles = (await OkAsync(await Admin.GetAsync("/api/pxe/profiles"))).AsArray();
        var layouts = (await OkAsync(await Admin.GetAsync("/api/pxe/disklayouts"))).AsArray();
        var scripts = (await OkAsync(await Admin.GetAsync("/api/pxe/scripts"))).AsArray();
        var tags = (await OkAsync(await Admin.GetAsync("/api/pxe/tags"))).AsArray().Select(t => (string)t!).ToList();
        var os = (await OkAsync(await Admin.PostJsonAsync("/api/os/list", new { type = "pxe" }))).AsArray();

        Assert.Superset(new HashSet<string> { "Debian 12", "Ubuntu 24.04", "AlmaLinux 9", "Rocky Linux 9", "Rescue system" },
            profiles.Select(p => (string)p!["osName"]!).ToHashSet());
        Assert.Superset(new HashSet<string> { "Automatic partitioning", "RAID 0", "RAID 1", "RAID 5", "RAID 10", "Install on largest disk", "Install on smallest disk" },
            layouts.Select(l => (string)l!["name"]!).ToHashSet());
        Assert.Contains(scripts, s => (string?)s!["name"] == "System Upgrade" && (int)s["isStockTemplate"]! == 1);
        var debian = profiles.First(p => (string?)p!["osName"] == "Debian 12")!;
        Assert.Equal("preseed", (string?)debian["pxeType"]);
        Assert.Equal(1, (int)debian["isStockTemplate"]!);
        Assert.Equal(60, (int)debian["keep_dhcp_minutes"]!);
        Assert.Contains(debian["disklayouts"]!.AsArray(), l => (string?)l!["name"] == "RAID 1");
        Assert.Equal("System Upgrade", (string?)debian["scripts"]![0]!["name"]);
        Assert.Equal(2, (int)layouts.First(l => (string?)l!["name"] == "RAID 1")!["min_disks"]!);
        Assert.Contains("kickstart", tags);
        Assert.Contains(os, o => (string?)o!["name"] == "Rescue system" && (int)o["isRescue"]! == 1);
    }

    [Theory]
    [InlineData("profiles", "{\"tags\": [\"x\"], \"osName\": \"X\", \"pxeType\": \"preseed\", \"pxeConfig\": \"#!ipxe\", \"cacheDirectory\": \"x\", \"keep_dhcp_minutes\": 0}", "keep_dhcp_minutes")]
    [InlineData("profiles", "{\"tags\": [\"x\"], \"osName\": \"X\", \"pxeType\": \"preseed\", \"pxeConfig\": \"#!ipxe\", \"cacheDirectory\": \"x\", \"keep_dhcp_minutes\": 6001}", "keep_dhcp_minutes")]
    [InlineData("profiles", "{\"tags\": [\"x\"], \"osName\": \"X\", \"pxeType\": \"windows95\", \"pxeConfig\": \"#!ipxe\", \"cacheDirectory\": \"x\"}", "pxeType")]
    [InlineData("profiles", "{\"tags\": [\"x\"], \"osName\": \"X\", \"pxeType\": \"preseed\", \"cacheDirectory\": \"x\"}", "pxeConfig")]
    [InlineData("profiles", "{\"tags\": [\"x\"], \"osName\": \"X\", \"pxeType\": \"preseed\", \"pxeConfig\": \"#!ipxe\", \"cacheDirectory\": \"x\", \"mirrorUrl\": \"not a url\"}", "mirrorUrl")]
    [InlineData("profiles", "{\"tags\": [\"x\"], \"osName\": \"X\", \"pxeType\": \"preseed\", \"pxeConfig\": \"#!ipxe\", \"cacheDirectory\": \"x\", \"pxe_file_caching_policy\": \"forever\"}", "pxe_file_caching_policy")]
    [InlineData("profiles", "{\"tags\": [\"x\"], \"osName\": \"X\", \"pxeType\": \"preseed\", \"pxeConfig\": \"#!ipxe\", \"cacheDirectory\": \"x\", \"default_disklayout_template\": 99999}", "default_disklayout_template")]
    [InlineData("disklayouts", "{\"tags\": [], \"name\": \"L\"}", "tags")]
    [InlineData("disklayouts", "{\"tags\": [\"preseed\"], \"name\": \"L\", \"partition_size_boot\": 99}", "partition_size_boot")]
    [InlineData("disklayouts", "{\"tags\": [\"preseed\"], \"name\": \"L\", \"hw_raid_handling\": \"sometimes\"}", "hw_raid_handling")]
    [InlineData("scripts", "{\"tags\": [\"preseed\"], \"name\": \"S\"}", "script")]
    [InlineData("scripts", "{\"tags\": [\"preseed\"], \"script\": \"echo\", \"name\": \"S\", \"allow_for_vps\": \"maybe\"}", "allow_for_vps")]
    public async Task Bad_library_entries_are_refused_naming_the_field(string kind, string body, string field)
    {
        var before = (await OkAsync(await Admin.GetAsync($"/api/pxe/{kind}"))).AsArray().Count;

        var response = await Admin.PostAsync($"/api/pxe/{kind}", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(json["errors"]![field] is not null, json.ToJsonString());
        Assert.Equal(before, (await OkAsync(await Admin.GetAsync($"/api/pxe/{kind}"))).AsArray().Count);
    }

    [Fact]
    public async Task A_stock_profile_can_be_duplicated_changed_and_restored()
    {
        var debian = await ProfileIdAsync("Debian 12");

        var copy = await OkAsync(await Admin.PostJsonAsync($"/api/pxe/profiles/{debian}/duplicate", new { name = "Debian 12 (ours)" }));
        var changed = await OkAsync(await Admin.PutJsonAsync($"/api/pxe/profiles/{debian}", new { osName = "Debian changed", keep_dhcp_minutes = 120 }));
        var restored = await OkAsync(await Admin.PostAsync($"/api/pxe/profiles/{debian}/restore", null));
        var restoreCopy = await Admin.PostAsync($"/api/pxe/profiles/{(int)copy["id"]!}/restore", null);
        var layoutCopy = await OkAsync(await Admin.PostJsonAsync($"/api/pxe/disklayouts/{(int)(await OkAsync(await Admin.GetAsync("/api/pxe/disklayouts"))).AsArray()[0]!["id"]!}/duplicate", new { name = "Mine" }));

        Assert.Equal(0, (int)copy["isStockTemplate"]!);
        Assert.Equal("preseed", (string?)copy["pxeType"]);
        Assert.Equal("Debian changed", (string?)changed["osName"]);
        Assert.Equal(120, (int)changed["keep_dhcp_minutes"]!);
        Assert.Equal("Debian 12", (string?)restored["osName"]);
        Assert.Equal(60, (int)restored["keep_dhcp_minutes"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, restoreCopy.StatusCode);
        Assert.Equal("Mine", (string?)layoutCopy["name"]);
    }

    [Fact]
    public async Task Offer_rules_follow_tags_disks_and_the_server_type()
    {
        var gpuOnly = (int)(await OkAsync(await Admin.PostJsonAsync("/api/pxe/profiles", new
        {
            tags = new[] { "preseed" }, osName = "GPU Debian", pxeType = "preseed", pxeConfig = "#!ipxe", cacheDirectory = "gpu", offer_if_has_tag = new[] { "gpu" },
        })))["id"]!;
        var noVps = (int)(await OkAsync(await Admin.PostJsonAsync("/api/pxe/profiles", new
        {
            tags = new[] { "preseed" }, osName = "Metal only", pxeType = "preseed", pxeConfig = "#!ipxe", cacheDirectory = "metal", allow_for_vps = false,
        })))["id"]!;
        var plain = await ServerAsync();
        var gpu = await ServerAsync(["gpu"], disks: 2);
        var vps = (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "vps.example.net", servername = "vps", servertype = "vps" })))["id"]!;

        async Task<JsonArray> OfferedAsync(int server) => (await OkAsync(await Admin.GetAsync($"/api/servers/{server}/provisioning/getProfiles"))).AsArray();
        var forPlain = await OfferedAsync(plain.Id);
        var forGpu = await OfferedAsync(gpu.Id);
        var forVps = await OfferedAsync(vps);
        List<string> Layouts(JsonArray offered) => offered.First(p => (string?)p!["name"] == "Debian 12")!["disklayouts"]!.AsArray().Select(l => (string)l!["name"]!).ToList();

        Assert.DoesNotContain(forPlain, p => (int)p!["id"]! == gpuOnly);
        Assert.Contains(forGpu, p => (int)p!["id"]! == gpuOnly);
        Assert.DoesNotContain(forVps, p => (int)p!["id"]! == noVps);
        Assert.Contains(forPlain, p => (int)p!["id"]! == noVps);
        // RAID 1 needs two disks from the hardware inventory; RAID 5 three.
        Assert.DoesNotContain("RAID 1", Layouts(forPlain));
        Assert.Contains("RAID 1", Layouts(forGpu));
        Assert.DoesNotContain("RAID 5", Layouts(forGpu));
        Assert.Contains("Automatic partitioning", Layouts(forPlain));
    }

    [Fact]
    public async Task A_reinstallation_boots_fetches_its_files_reports_progress_and_its_token_then_stops_working()
    {
        var (server, mac) = await ServerAsync();
        var debian = await ProfileIdAsync("Debian 12");
        var anonymous = factory.Anonymous();
        var noMacServer = (int)(await OkAsync(await Admin.PostJsonAsync("/api/servers", new { hostname = "nomac.example.net", servername = "nomac" })))["id"]!;

        var noMac = await Admin.PostJsonAsync($"/api/servers/{noMacServer}/provisioning/startReinstallation", new { profileId = debian, rootpassword = "secretpassword" });
        var shortPassword = await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation", new { profileId = debian, rootpassword = "short" });
        var badKey = await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation",
            new { profileId = debian, rootpassword = "secretpassword", sshkeys = new[] { "not a key" } });
        var idle = await anonymous.GetStringAsync($"/api/provisioning/ipxe?mac={Uri.EscapeDataString(mac)}");
        var started = await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation", new
        {
            profileId = debian, rootpassword = "secretpassword", hostname = "fresh.example.net", installPowerAction = "noRestart",
            sshkeys = new[] { "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@example" },
        }));
        var again = await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation", new { profileId = debian, rootpassword = "secretpassword" });

        var ipxe = await anonymous.GetStringAsync($"/api/provisioning/ipxe?mac={Uri.EscapeDataString(mac.ToUpperInvariant())}");
        var answerUrl = ipxe.Split("preseed/url=")[1].Split(' ')[0];
        var token = answerUrl.Split("/api/provisioning/")[1].Split('/')[0];
        var answer = await anonymous.GetStringAsync(new Uri(answerUrl).PathAndQuery);
        var post = await anonymous.GetStringAsync($"/api/provisioning/{token}/postinstall");
        var progress = await anonymous.PostAsync($"/api/provisioning/{token}/progress", Form("step=5&message=Packages+installed"));
        var running = await OkAsync(await Admin.GetAsync($"/api/servers/{server}/provisioning/getInstallStatus"));
        var done = await anonymous.PostAsync($"/api/provisioning/{token}/done", null);
        var finished = await OkAsync(await Admin.GetAsync($"/api/servers/{server}/provisioning/getInstallStatus"));
        var afterDone = await anonymous.GetAsync($"/api/provisioning/{token}/answer");
        var ipxeAfter = await anonymous.GetStringAsync($"/api/provisioning/ipxe?mac={Uri.EscapeDataString(mac)}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noMac.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shortPassword.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badKey.StatusCode);
        Assert.Equal(ProvisioningService.LocalBootScript, idle);
        Assert.Equal("pending", (string?)started["status"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.StartsWith("#!ipxe", ipxe);
        Assert.Contains($"netcfg/choose_interface={mac}", ipxe);
        Assert.Contains("set base http://deb.debian.org/debian/dists/bookworm/main/installer-amd64/current/images/netboot/debian-installer/amd64", ipxe);
        Assert.Contains("kernel ${base}/linux auto=true", ipxe);
        Assert.Contains("d-i passwd/root-password-crypted password $6$", answer);
        Assert.DoesNotContain("secretpassword", answer);
        Assert.Contains("d-i netcfg/get_ipaddress string 198.18.", answer);
        Assert.Contains("d-i netcfg/get_netmask string 255.255.255.0", answer);
        Assert.Contains("d-i netcfg/get_nameservers string 9.9.9.9 149.112.112.112", answer);
        Assert.Contains("d-i netcfg/get_hostname string fresh", answer);
        Assert.Contains("d-i netcfg/get_domain string example.net", answer);
        Assert.Contains("d-i partman-auto/method string lvm", answer);
        Assert.Contains("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@example", answer);
        Assert.Contains($"/api/provisioning/{token}/done", answer);
        Assert.Contains("# --- System Upgrade ---", post);
        Assert.Contains("apt-get -y dist-upgrade", post);
        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        Assert.Equal(1, (int)running["running"]!);
        Assert.Equal(5, (int)running["step"]!);
        Assert.Equal(["Installation of Debian 12 queued; waiting for the machine to boot from the network",
                "The machine booted from the network and fetched its iPXE script", "The installer fetched its answer file",
                "The installed system fetched its post-install scripts", "Packages installed"],
            running["installProgress"]!.AsArray().Select(p => (string)p!["message"]!).ToList());
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(1, (int)finished["completed"]!);
        Assert.Equal(0, (int)finished["running"]!);
        Assert.Equal(HttpStatusCode.NotFound, afterDone.StatusCode);
        Assert.Equal(ProvisioningService.LocalBootScript, ipxeAfter);
    }

    [Fact]
    public async Task An_expired_token_stops_working_and_an_aborted_installation_too()
    {
        var (server, mac) = await ServerAsync();
        var alma = await ProfileIdAsync("AlmaLinux 9");
        var anonymous = factory.Anonymous();
        await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation", new { profileId = alma, rootpassword = "secretpassword" }));
        var ipxe = await anonymous.GetStringAsync($"/api/provisioning/ipxe?mac={mac}");
        var token = ipxe.Split("/api/provisioning/")[1].Split('/')[0];
        var kickstart = await anonymous.GetStringAsync($"/api/provisioning/{token}/answer");

        factory.Clock.Advance(TimeSpan.FromHours(7));
        var expired = await anonymous.GetAsync($"/api/provisioning/{token}/answer");
        var status = await OkAsync(await Admin.GetAsync($"/api/servers/{server}/provisioning/getInstallStatus"));
        var restart = await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation", new { profileId = alma, rootpassword = "secretpassword" }));
        var secondIpxe = await anonymous.GetStringAsync($"/api/provisioning/ipxe?mac={mac}");
        var secondToken = secondIpxe.Split("/api/provisioning/")[1].Split('/')[0];
        var stop = await Admin.GetAsync($"/api/servers/{server}/provisioning/stopReinstallation?withoutPowerReset=1");
        var aborted = await anonymous.GetAsync($"/api/provisioning/{secondToken}/answer");
        var stopAgain = await Admin.GetAsync($"/api/servers/{server}/provisioning/stopReinstallation");
        var postCommand = await Admin.GetAsync($"/api/servers/{server}/provisioning/executePostCommand");

        Assert.Contains("rootpw --iscrypted $6$", kickstart);
        Assert.Contains("network --bootproto=static", kickstart);
        Assert.Contains("url --url=https://repo.almalinux.org/almalinux/9/BaseOS/x86_64/os", kickstart);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal("failed", (string?)status["status"]);
        Assert.Equal("pending", (string?)restart["status"]);
        Assert.NotEqual(token, secondToken);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, aborted.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stopAgain.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, postCommand.StatusCode);
    }

    [Theory]
    [InlineData("Debian 12", "answer", "d-i passwd/root-password-crypted password $6$")]
    [InlineData("Ubuntu 24.04", "answer", "autoinstall:")]
    [InlineData("Ubuntu 24.04", "ipxe", "ds=nocloud-net;s=")]
    [InlineData("AlmaLinux 9", "answer", "rootpw --iscrypted $6$")]
    [InlineData("Rocky Linux 9", "answer", "url --url=https://download.rockylinux.org/pub/rocky/9/BaseOS/x86_64/os")]
    [InlineData("Rocky Linux 9", "ipxe", "inst.ks=")]
    [InlineData("Rescue system", "ipxe", "rescue/enable=true")]
    public async Task Every_stock_profile_renders_for_a_server_with_the_values_it_needs(string profile, string file, string expected)
    {
        var (server, mac) = await ServerAsync();
        var id = await ProfileIdAsync(profile);

        var files = (await OkAsync(await Admin.GetAsync($"/api/pxe/profiles/{id}/preview/{server}"))).AsObject();

        Assert.All(files, f => Assert.True(f.Value!["error"] is null, $"{f.Key}: {f.Value!["error"]}"));
        Assert.Contains(expected, (string?)files[file]!["output"]);
        if (file == "ipxe") Assert.Contains(mac, (string?)files[file]!["output"]);
    }

    [Fact]
    public async Task A_template_error_is_shown_with_its_line_and_nothing_starts()
    {
        var (server, _) = await ServerAsync();
        var broken = (int)(await OkAsync(await Admin.PostJsonAsync("/api/pxe/profiles", new
        {
            tags = new[] { "preseed" }, osName = "Broken", pxeType = "preseed", cacheDirectory = "broken",
            pxeConfig = "#!ipxe\necho {{ hostname }}\n{% if hostname %}\nboot",
        })))["id"]!;

        var response = await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation", new { profileId = broken, rootpassword = "secretpassword" });
        var json = await response.ReadJsonAsync();
        var status = await OkAsync(await Admin.GetAsync($"/api/servers/{server}/provisioning/getInstallStatus"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("pxeConfig", (string?)json["message"]);
        Assert.Matches(@"\(\d+:\d+\)|line", (string?)json["message"]);
        Assert.Equal(0, (int)status["running"]!);
        Assert.Empty(status["installProgress"]!.AsArray());
    }

    [Theory]
    [InlineData("Debian 12", "/oslogos/debian.svg")]
    [InlineData("rocky", "/oslogos/rocky.svg")]
    [InlineData("FreeBSD", "/oslogos/generic.svg")]
    public async Task An_os_logo_path_is_answered_and_served(string os, string path)
    {
        var (server, _) = await ServerAsync();

        var logo = (string)(await OkAsync(await Admin.PostJsonAsync($"/api/servers/{server}/provisioning/getOsLogo", new { os })))!;
        var file = await factory.Anonymous().GetAsync(logo);

        Assert.Equal(path, logo);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("image/svg+xml", file.Content.Headers.ContentType!.MediaType);
    }
}
