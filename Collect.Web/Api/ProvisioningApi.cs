using System.Text.Json.Nodes;
using Collect.Core.Provisioning;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>Reinstalling a server (seed 002's provisioning endpoints) and the boot flow the machine itself follows.</summary>
internal static class ProvisioningApi
{
    private static readonly string[] Logos = ["debian", "ubuntu", "almalinux", "rocky", "rescue"];

    public static IEndpointRouteBuilder MapProvisioningApi(this IEndpointRouteBuilder app)
    {
        var server = app.MapGroup("/api/servers/{serverId:int}/provisioning").WithTags("Provisioning").RequireAuthorization();
        server.MapGet("/getProfiles", ProfilesAsync).RequirePermission("servers.provisioning.getProfiles")
            .WithSummary("Operating systems offered to this server, with their disk layouts and scripts");
        server.MapPost("/startReinstallation", StartAsync).RequirePermission("servers.provisioning.startReinstallation")
            .WithSummary("Start a network reinstallation; the server boots from the network and installs what is chosen");
        server.MapGet("/getInstallStatus", StatusAsync).RequirePermission("servers.provisioning.getInstallStatus")
            .WithSummary("The running (or last) installation's steps");
        server.MapGet("/stopReinstallation", StopAsync).RequirePermission("servers.provisioning.stopReinstallation")
            .WithSummary("Abort the running installation (withoutPowerReset=1 leaves the power alone)");
        server.MapGet("/executePostCommand", () => ApiErrors.Invalid("server", "PXE installations have no post command; it exists for provider-driven installs only."))
            .RequirePermission("servers.provisioning.executePostCommand").WithSummary("Provider post actions; PXE installations have none");
        server.MapPost("/getOsLogo", (int serverId, JsonObject body) =>
            {
                var json = new JsonInput(body);
                var os = json.String("os")?.Trim().ToLowerInvariant();
                if (!json.IsValid) return (IResult)ApiErrors.Invalid(json.Errors);
                if (string.IsNullOrEmpty(os)) return ApiErrors.Invalid("os", "The os field is required.");
                var logo = Logos.FirstOrDefault(l => os.Contains(l, StringComparison.Ordinal)) ?? "generic";
                return TypedResults.Ok(new Envelope<string>($"/oslogos/{logo}.svg"));
            })
            .RequirePermission("servers.provisioning.getOsLogo").WithSummary("The path of an operating system's logo");

        // The booting machine: no account, only its MAC and then the installation's token.
        var boot = app.MapGroup("/api/provisioning").WithTags("Provisioning").AllowAnonymous();
        boot.MapGet("/boot.ipxe", (HttpContext http) =>
                Results.Text($"#!ipxe\n# Collect: ask for this machine's script by its MAC\nchain {PxeApi.BaseUrl(http)}/api/provisioning/ipxe?mac=${{net0/mac}}\n", "text/plain"))
            .WithSummary("The boot file for DHCP: chains to this machine's script by its MAC");
        boot.MapGet("/ipxe", async (string? mac, HttpContext http, ProvisioningService provisioning, CancellationToken ct) =>
                Results.Text(await provisioning.IpxeAsync(mac, PxeApi.BaseUrl(http), ct), "text/plain"))
            .WithSummary("The iPXE script for a MAC: the pending installation's, or one that boots from the local disk");
        foreach (var file in new[] { "answer", "postinstall", "firstboot", "disklayout" })
            boot.MapGet($"/{{token}}/{file}", (string token, HttpContext http, ProvisioningService provisioning, CancellationToken ct) => FileAsync(token, file, http, provisioning, ct))
                .WithSummary($"The installation's rendered {file} (by its token)");
        boot.MapGet("/{token}/nocloud/{file}", (string token, string file, HttpContext http, ProvisioningService provisioning, CancellationToken ct) =>
                file is "user-data" or "meta-data" ? FileAsync(token, file, http, provisioning, ct)
                : file == "vendor-data" ? Task.FromResult(Results.Text("", "text/plain")) : Task.FromResult(Results.NotFound()))
            .WithSummary("cloud-init NoCloud files of an autoinstall (user-data, meta-data, vendor-data)");
        boot.MapPost("/{token}/progress", (string token, HttpContext http, ProvisioningService provisioning, CancellationToken ct) => ReportAsync(token, http, provisioning, null, ct))
            .WithSummary("The machine reports a step (step, message as form or JSON fields)");
        boot.MapPost("/{token}/done", (string token, HttpContext http, ProvisioningService provisioning, CancellationToken ct) => ReportAsync(token, http, provisioning, true, ct))
            .WithSummary("The machine reports the installation completed");
        boot.MapPost("/{token}/failed", (string token, HttpContext http, ProvisioningService provisioning, CancellationToken ct) => ReportAsync(token, http, provisioning, false, ct))
            .WithSummary("The machine reports the installation failed");
        return app;
    }

    private static async Task<IResult> FileAsync(string token, string file, HttpContext http, ProvisioningService provisioning, CancellationToken ct)
    {
        var text = await provisioning.FileAsync(token, file, PxeApi.BaseUrl(http), ct);
        return text is null ? Results.Text("Not found.", "text/plain", statusCode: 404) : Results.Text(text, "text/plain");
    }

    private static async Task<IResult> ReportAsync(string token, HttpContext http, ProvisioningService provisioning, bool? done, CancellationToken ct)
    {
        int? step = null;
        string? message = null;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            step = int.TryParse(form["step"], out var s) ? s : null;
            message = form["message"];
        }
        else if (http.Request.ContentLength > 0)
        {
            var json = new JsonInput(await RequestBody.OptionalObjectAsync(http, ct));
            step = json.Int("step");
            message = json.String("message");
        }
        var ok = await provisioning.ReportAsync(token, step, message, done == true, done == false, ct);
        return ok ? Results.Text("ok", "text/plain") : Results.Text("Not found.", "text/plain", statusCode: 404);
    }

    private static async Task<IResult> ProfilesAsync(int serverId, HttpContext http, ProvisioningService provisioning, CancellationToken ct)
    {
        var result = await provisioning.ProfilesAsync(HttpActor.Current(http), serverId, ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(result.Value!.Select(p =>
        {
            var s = p.Settings;
            return new JsonObject
            {
                ["id"] = p.Profile.Id,
                ["name"] = p.Profile.Name,
                ["disklayouts"] = new JsonArray(p.DiskLayouts.Select(l => (JsonNode?)new JsonObject { ["id"] = l.Id, ["name"] = l.Name }).ToArray()),
                ["scripts"] = new JsonArray(p.Scripts.Select(x => (JsonNode?)new JsonObject { ["id"] = x.Id, ["name"] = x.Name }).ToArray()),
                ["isRescue"] = ProvisioningService.Bool(s["isRescue"], false) ? 1 : 0,
                ["isPasswordResetProfile"] = 0,
                ["features"] = new JsonObject
                {
                    ["follow_install_progress"] = 1,
                    ["allow_ssh_keys"] = ProvisioningService.Bool(s["allow_ssh_keys"], true) ? 1 : 0,
                    ["allow_set_hostname"] = ProvisioningService.Bool(s["allow_set_hostname"], true) ? 1 : 0,
                    ["set_root_password"] = ProvisioningService.Bool(s["set_root_password"], true) ? 1 : 0,
                },
                ["default_disklayout_template"] = s["default_disklayout_template"]?.DeepClone(),
                ["default_run_scripts"] = new JsonArray(ProvisioningService.Strings(s["default_run_scripts"]).Select(x => (JsonNode?)(int.TryParse(x, out var n) ? n : x)).ToArray()),
                ["groupname"] = s["groupname"]?.DeepClone(),
                ["grouplogo"] = s["grouplogo"]?.DeepClone(),
            };
        }).ToList()));
    }

    private static async Task<IResult> StartAsync(int serverId, JsonObject body, HttpContext http, ProvisioningService provisioning, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var input = new ReinstallInput(json.Int("profileId"), json.String("rootpassword"), json.Int("disklayoutId"), json.StringList("runScripts"),
            json.String("userprovidedDiskLayout"), json.String("hostname"), json.StringList("sshkeys"), json.Bool("configure_all_ipvfour"),
            json.Bool("configure_all_ipvsix"), json.String("installPowerAction"));
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await provisioning.StartAsync(HttpActor.Current(http), serverId, input, PxeApi.BaseUrl(http), ct), i => new JsonObject
        {
            ["installationId"] = i.Id,
            ["status"] = i.Status,
            ["step"] = i.Step,
            ["expires_at"] = UsersApi.Timestamp(i.ExpiresAt),
        });
    }

    private static async Task<IResult> StatusAsync(int serverId, HttpContext http, ProvisioningService provisioning, CancellationToken ct)
    {
        var result = await provisioning.StatusAsync(HttpActor.Current(http), serverId, ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        var status = result.Value!;
        return TypedResults.Ok(new Envelope<JsonObject>(new JsonObject
        {
            ["installProgress"] = new JsonArray(status.Progress.Select(p => (JsonNode?)new JsonObject
            {
                ["step"] = p.Step, ["message"] = p.Message, ["time"] = UsersApi.Timestamp(p.At),
            }).ToArray()),
            ["completed"] = status.Completed ? 1 : 0,
            ["canCancelInstallation"] = status.Running ? 1 : 0,
            ["running"] = status.Running ? 1 : 0,
            ["step"] = status.Installation?.Step ?? 0,
            ["status"] = status.Installation?.Status,
        }));
    }

    private static async Task<IResult> StopAsync(int serverId, HttpContext http, ProvisioningService provisioning, CancellationToken ct)
    {
        var withoutReset = http.Request.Query["withoutPowerReset"].ToString() is "1" or "true";
        return ApiErrors.From(await provisioning.StopAsync(HttpActor.Current(http), serverId, withoutReset, ct), _ => "ok");
    }
}
