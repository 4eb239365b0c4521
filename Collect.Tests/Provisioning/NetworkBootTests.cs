using static Collect.Tests.Infrastructure.Json;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Tests.Browser;
using Collect.Tests.Infrastructure;

namespace Collect.Tests.Provisioning;

/// <summary>
/// A real network boot: qemu's iPXE (Debian's ipxe-qemu ROM, user-mode networking, an e1000 NIC with the server's MAC)
/// boots from Collect on 10.0.2.2, fetches its per-MAC script, and advances the installation on its own request.
/// </summary>
public sealed class NetworkBootTests(KestrelCollectFactory factory) : IClassFixture<KestrelCollectFactory>
{
    private const string Mac = "52:54:00:12:34:56";

    [Fact]
    public async Task A_qemu_machine_boots_from_collect_and_advances_its_installation()
    {
        var address = factory.Start();
        var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CollectWebFactory.AdminToken);
        await OkAsync(await admin.PostJsonAsync("/api/subnets", new { subnet = "198.19.0.0", cidr = 24, type = "v4", gw = "198.19.0.1" }));
        var server = (int)(await OkAsync(await admin.PostJsonAsync("/api/servers",
            new { hostname = "qemu.example.net", servername = "qemu", config = new { pxe_mac = Mac }, ipassignments = new[] { "198.19.0.10" } })))["id"]!;
        // A profile whose iPXE script fetches its answer file and says so on the console: no OS mirror is needed.
        var profile = (int)(await OkAsync(await admin.PostJsonAsync("/api/pxe/profiles", new
        {
            tags = new[] { "qemu-test" }, osName = "Boot test", pxeType = "custom", cacheDirectory = "boottest",
            pxeConfig = "#!ipxe\necho COLLECT-BOOT {{ hostname }} {{ mac }}\nimgfetch {{ urls.answer }} && echo COLLECT-FETCHED || echo COLLECT-FAILED\nexit\n",
            autoInstallTemplate = "# answer for {{ hostname }}\n",
        })))["id"]!;
        await OkAsync(await admin.PostJsonAsync($"/api/servers/{server}/provisioning/startReinstallation", new { profileId = profile, rootpassword = "secretpassword" }));

        var bootFile = $"http://10.0.2.2:{address.Port}/api/provisioning/boot.ipxe";
        var qemu = Process.Start(new ProcessStartInfo("qemu-system-x86_64",
        [
            "-nographic", "-m", "256", "-boot", "n", "-no-reboot", "-netdev", $"user,id=n0,bootfile={bootFile}",
            "-device", $"e1000,netdev=n0,mac={Mac}",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        var console = new StringBuilder();
        var finished = new TaskCompletionSource();
        qemu.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (console) console.AppendLine(e.Data);
            if (e.Data.Contains("COLLECT-FETCHED") || e.Data.Contains("COLLECT-FAILED")) finished.TrySetResult();
        };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();
        try
        {
            // Without KVM the firmware takes some seconds; the bound keeps a broken boot from hanging the suite.
            await finished.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            qemu.Kill(entireProcessTree: true);
            await qemu.WaitForExitAsync();
        }
        var status = await OkAsync(await admin.GetAsync($"/api/servers/{server}/provisioning/getInstallStatus"));
        string output;
        lock (console) output = console.ToString();

        Assert.Contains($"COLLECT-BOOT qemu.example.net {Mac}", output);
        Assert.Contains("COLLECT-FETCHED", output);
        var messages = status["installProgress"]!.AsArray().Select(p => (string)p!["message"]!).ToList();
        Assert.Contains("The machine booted from the network and fetched its iPXE script", messages);
        Assert.Contains("The installer fetched its answer file", messages);
        Assert.Equal(3, (int)status["step"]!);
    }
}
