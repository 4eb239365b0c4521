using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Collect.Core.Hardware;
using Collect.Core.Servers;
using Collect.Core.Settings;
using Collect.Core.Subnets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Collect.Core.Provisioning;

public sealed record OfferedProfile(PxeItem Profile, JsonObject Settings, IReadOnlyList<PxeItem> DiskLayouts, IReadOnlyList<PxeItem> Scripts);

public sealed record ReinstallInput(int? ProfileId, string? RootPassword, int? DiskLayoutId, List<string>? RunScripts, string? UserDiskLayout,
    string? Hostname, List<string>? SshKeys, bool? ConfigureAllIpv4, bool? ConfigureAllIpv6, string? InstallPowerAction);

public sealed record InstallProgress(int Step, string Message, DateTimeOffset At);

public sealed record InstallStatus(Installation? Installation, IReadOnlyList<InstallProgress> Progress)
{
    public bool Running => Installation is { } i && !InstallationStatuses.IsFinished(i.Status);
    public bool Completed => Installation?.Status == InstallationStatuses.Completed;
}

/// <summary>
/// Reinstalling servers over the network (DESIGN §10): what is offered to a server, starting and aborting an
/// installation, and the boot flow the machine follows — its iPXE script by MAC, then the rendered answer file and
/// scripts by the installation's token, then progress and completion callbacks.
/// </summary>
public sealed partial class ProvisioningService(IDbContextFactory<CollectDbContext> dbFactory, TemplateRenderer renderer, ActivityRecorder activity,
    TimeProvider clock, IOptionsMonitor<CollectOptions> options)
{
    public static readonly string[] PowerActions = ["noRestart", "restart", "powerOn"];

    public const string LocalBootScript = "#!ipxe\necho Collect: no installation is pending for this machine; booting from the local disk.\nexit\n";

    /// <summary>Profiles offered to the server and the actor, each with the layouts and scripts offered with it.</summary>
    public async Task<ServiceResult<IReadOnlyList<OfferedProfile>>> ProfilesAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        if (!actor.Can("servers.provisioning.getProfiles")) return ServiceResult<IReadOnlyList<OfferedProfile>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<IReadOnlyList<OfferedProfile>>.NotFound();
        return ServiceResult<IReadOnlyList<OfferedProfile>>.Ok(await OfferedAsync(db, actor, server, ct));
    }

    private static async Task<List<OfferedProfile>> OfferedAsync(CollectDbContext db, Actor actor, Server server, CancellationToken ct)
    {
        var items = await db.PxeItems.AsNoTracking().Where(p => !p.IsDisabled).OrderBy(p => p.Name).ToListAsync(ct);
        var tags = server.Tags.Select(t => t.Tag).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var role = (await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => (int?)u.RoleId).FirstOrDefaultAsync(ct))?.ToString();
        var vps = server.ServerType == ServerTypes.Vps;
        var summary = (await ServerHardwareService.SummariesAsync(db, [server.Id], ct)).GetValueOrDefault(server.Id);
        var disks = summary?.GetValueOrDefault("disk")?.Count ?? 0;
        var hwRaid = summary?.ContainsKey("raid_controller") == true;

        bool Offered(PxeItem item, JsonObject s)
        {
            var offerTags = Strings(s["offer_if_has_tag"]);
            var refuseTags = Strings(s["dont_offer_if_has_tag"]);
            var offerRoles = Strings(s["offer_if_user_has_role"]);
            var refuseRoles = Strings(s["dont_offer_if_user_has_role"]);
            if (offerTags.Count > 0 && !offerTags.Any(tags.Contains)) return false;
            if (refuseTags.Any(tags.Contains)) return false;
            if (!actor.IsAdmin && offerRoles.Count > 0 && (role is null || !offerRoles.Contains(role))) return false;
            if (!actor.IsAdmin && role is not null && refuseRoles.Contains(role)) return false;
            if (!Bool(s["allow_for_vps"], true) && vps) return false;
            if (!Bool(s["allow_for_dedicated"], true) && !vps) return false;
            if (item.Kind == PxeKinds.DiskLayout)
            {
                if (s["min_disks"] is JsonValue m && m.TryGetValue<int>(out var min) && disks < min) return false;
                var handling = (string?)s["hw_raid_handling"] ?? "always_offer";
                if (handling == "dont_offer_if_hw_raid" && hwRaid) return false;
                if (handling == "only_offer_if_hw_raid" && !hwRaid) return false;
            }
            return true;
        }

        var parsed = items.Select(i => (Item: i, Settings: JsonNode.Parse(i.Settings) as JsonObject ?? [])).Where(x => Offered(x.Item, x.Settings)).ToList();
        return parsed.Where(x => x.Item.Kind == PxeKinds.Profile).Select(p =>
        {
            bool Linked(PxeItem other) => other.Tags.Any(t => p.Item.Tags.Contains(t, StringComparer.OrdinalIgnoreCase));
            return new OfferedProfile(p.Item, p.Settings,
                parsed.Where(x => x.Item.Kind == PxeKinds.DiskLayout && Linked(x.Item)).Select(x => x.Item).ToList(),
                parsed.Where(x => x.Item.Kind == PxeKinds.Script && Linked(x.Item)).Select(x => x.Item).ToList());
        }).ToList();
    }

    /// <summary>
    /// Starts a reinstallation: validates the choice against what is offered, renders every template once (a
    /// template error is answered with its line and nothing starts), then records the installation with a fresh
    /// token that expires.
    /// </summary>
    public async Task<ServiceResult<Installation>> StartAsync(Actor actor, int serverId, ReinstallInput input, string baseUrl, CancellationToken ct = default)
    {
        if (!actor.Can("servers.provisioning.startReinstallation")) return ServiceResult<Installation>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.VisibleTo(actor).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<Installation>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<Installation>.Forbidden("This server is suspended.");
        var errors = new Dictionary<string, string[]>();
        var mac = await PxeMacAsync(db, serverId, ct);
        if (mac is null) return ServiceResult<Installation>.Invalid("profileId", "The server has no PXE MAC address; add a DHCP connection with its pxe_mac first.");
        if (await db.Installations.AnyAsync(i => i.ServerId == serverId && i.Status != InstallationStatuses.Completed && i.Status != InstallationStatuses.Failed &&
                                                 i.Status != InstallationStatuses.Aborted && i.ExpiresAt > clock.GetUtcNow(), ct))
            return ServiceResult<Installation>.Invalid("profileId", "An installation is already running on this server; stop it first.");

        var offered = await OfferedAsync(db, actor, server, ct);
        var choice = offered.FirstOrDefault(p => p.Profile.Id == input.ProfileId);
        if (input.ProfileId is null) errors["profileId"] = ["The profileId field is required."];
        else if (choice is null) errors["profileId"] = ["The selected profile is not offered for this server."];
        if (choice is not null)
        {
            var s = choice.Settings;
            if (Bool(s["set_root_password"], true) && (input.RootPassword is null || input.RootPassword.Length < 8))
                errors["rootpassword"] = ["The rootpassword must be at least 8 characters."];
            if (input.RootPassword?.Length > 128) errors["rootpassword"] = ["The rootpassword must not be greater than 128 characters."];
            if (input.DiskLayoutId is { } layout && choice.DiskLayouts.All(l => l.Id != layout)) errors["disklayoutId"] = ["The selected disk layout is not offered with this profile."];
            if (input.RunScripts?.FirstOrDefault(r => choice.Scripts.All(sc => sc.Id.ToString() != r)) is { } script)
                errors["runScripts"] = [$"The script {script} is not offered with this profile."];
            if (!string.IsNullOrWhiteSpace(input.Hostname) && (input.Hostname.Length > 255 || !HostnamePattern().IsMatch(input.Hostname.Trim())))
                errors["hostname"] = ["The hostname must be a valid hostname and not be greater than 255 characters."];
            if (input.SshKeys?.FirstOrDefault(k => !SshKeyPattern().IsMatch(k.Trim())) is { } key)
                errors["sshkeys"] = [$"\"{(key.Length > 30 ? key[..30] + "…" : key)}\" is not an SSH public key."];
            if (input.SshKeys is { Count: > 0 } && !Bool(s["allow_ssh_keys"], true)) errors["sshkeys"] = ["This profile does not take SSH keys."];
            if (input.InstallPowerAction is { } power && !PowerActions.Contains(power))
                errors["installPowerAction"] = [$"The installPowerAction must be one of: {string.Join(", ", PowerActions)}."];
            if (input.UserDiskLayout?.Length > 100_000) errors["userprovidedDiskLayout"] = ["The disk layout is too long."];
        }
        if (errors.Count > 0) return ServiceResult<Installation>.Invalid(errors);

        var settings = choice!.Settings;
        var layoutId = input.DiskLayoutId;
        if (layoutId is null && Bool(settings["fallback_to_default_disklayout_if_unset"], true) && settings["default_disklayout_template"] is JsonValue dl &&
            dl.TryGetValue<int>(out var fallback) && choice.DiskLayouts.Any(l => l.Id == fallback))
            layoutId = fallback;
        if (Bool(settings["enforced_default_disklayout_template"], false) && settings["default_disklayout_template"] is JsonValue edl && edl.TryGetValue<int>(out var enforced))
            layoutId = enforced;
        var scripts = input.RunScripts ?? Strings(settings["default_run_scripts"]).ToList();
        if (Bool(settings["enforced_default_run_scripts"], false)) scripts = scripts.Union(Strings(settings["default_run_scripts"])).ToList();

        var now = clock.GetUtcNow();
        var installation = new Installation
        {
            ServerId = serverId, ProfileId = choice.Profile.Id, DiskLayoutId = layoutId, ScriptIds = scripts.Distinct().ToList(),
            Hostname = Bool(settings["allow_set_hostname"], true) && !string.IsNullOrWhiteSpace(input.Hostname) ? input.Hostname.Trim() : server.Hostname,
            SshKeys = (input.SshKeys ?? []).Select(k => k.Trim()).ToList(),
            RootPasswordHash = input.RootPassword is { Length: > 0 } pw ? Sha512Crypt.Hash(pw) : "!",
            UserDiskLayout = string.IsNullOrWhiteSpace(input.UserDiskLayout) ? null : input.UserDiskLayout,
            ConfigureAllIpv4 = input.ConfigureAllIpv4 ?? Bool(settings["configure_all_ipvfour_enforce"], true),
            ConfigureAllIpv6 = input.ConfigureAllIpv6 ?? Bool(settings["configure_all_ipvsix_enforce"], true),
            PowerAction = input.InstallPowerAction ?? "noRestart",
            Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            StartedByUserId = actor.UserId,
            ExpiresAt = now.AddHours(Math.Max(1, options.CurrentValue.Provisioning.TokenHours)),
        };
        installation.Progress.Add(Entry(now, 1, $"Installation of {choice.Profile.Name} queued; waiting for the machine to boot from the network"));

        // Render everything once now: an operator sees a template error; a machine never gets half a file.
        var model = await ModelAsync(db, installation, server, mac, PublicUrl(baseUrl), ct);
        var files = await FilesAsync(db, installation, model, ct);
        files["ipxe"] = renderer.Render((string?)settings["pxeConfig"], model, "pxeConfig");
        foreach (var (_, text) in files)
            if (!text.IsOk) return ServiceResult<Installation>.Invalid("profileId", $"The template does not render: {text.Error}");

        db.Installations.Add(installation);
        activity.Record(db, actor, "server", serverId, $"Reinstallation with {choice.Profile.Name} started (power action {installation.PowerAction})");
        await db.SaveChangesAsync(ct);
        return ServiceResult<Installation>.Ok(installation);
    }

    public async Task<ServiceResult<InstallStatus>> StatusAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        if (!actor.Can("servers.provisioning.getInstallStatus")) return ServiceResult<InstallStatus>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<InstallStatus>.NotFound();
        var latest = await db.Installations.Where(i => i.ServerId == serverId).OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        if (latest is not null && !InstallationStatuses.IsFinished(latest.Status) && latest.ExpiresAt <= clock.GetUtcNow())
        {
            // An installation nobody finished in time has failed; its token no longer works.
            latest.Status = InstallationStatuses.Failed;
            latest.FinishedAt = latest.ExpiresAt;
            latest.Progress = [.. latest.Progress, Entry(latest.ExpiresAt, latest.Step, "The installation did not finish before its token expired")];
            await db.SaveChangesAsync(ct);
        }
        return ServiceResult<InstallStatus>.Ok(new InstallStatus(latest, latest?.Progress.Select(Parse).ToList() ?? []));
    }

    public async Task<ServiceResult<bool>> StopAsync(Actor actor, int serverId, bool withoutPowerReset, CancellationToken ct = default)
    {
        if (!actor.Can("servers.provisioning.stopReinstallation")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<bool>.NotFound();
        var running = await db.Installations.Where(i => i.ServerId == serverId).OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        if (running is null || InstallationStatuses.IsFinished(running.Status)) return ServiceResult<bool>.Invalid("server", "No installation is running on this server.");
        var now = clock.GetUtcNow();
        running.Status = InstallationStatuses.Aborted;
        running.FinishedAt = now;
        running.Progress = [.. running.Progress, Entry(now, running.Step, withoutPowerReset ? "Aborted by the operator" : "Aborted by the operator; a power reset was requested")];
        activity.Record(db, actor, "server", serverId, "Reinstallation aborted");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>What a machine booting from the network gets: the pending installation's iPXE script, or a local boot.</summary>
    public async Task<string> IpxeAsync(string? macText, string baseUrl, CancellationToken ct = default)
    {
        var mac = ServerConnectionService.NormalizeMac(macText);
        if (mac is null) return LocalBootScript;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var serverIds = await db.ServerConnections.AsNoTracking().Where(c => c.Type == "dhcp" && c.Meta.Contains(mac)).Select(c => c.ServerId).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var installation = await db.Installations.Where(i => serverIds.Contains(i.ServerId) && i.ExpiresAt > now &&
                                                             (i.Status == InstallationStatuses.Pending || i.Status == InstallationStatuses.Booting))
            .OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        if (installation is null) return LocalBootScript;
        var server = await db.Servers.AsNoTracking().Include(s => s.Tags).FirstAsync(s => s.Id == installation.ServerId, ct);
        var profile = await db.PxeItems.AsNoTracking().FirstOrDefaultAsync(p => p.Id == installation.ProfileId, ct);
        if (profile is null) return LocalBootScript;
        var model = await ModelAsync(db, installation, server, mac, PublicUrl(baseUrl), ct);
        var rendered = renderer.Render((string?)(JsonNode.Parse(profile.Settings)?["pxeConfig"]), model, "pxeConfig");
        if (!rendered.IsOk) return LocalBootScript;
        if (installation.Status == InstallationStatuses.Pending)
        {
            installation.Status = InstallationStatuses.Booting;
            Advance(installation, now, 2, "The machine booted from the network and fetched its iPXE script");
            await db.SaveChangesAsync(ct);
        }
        return rendered.Output!;
    }

    /// <summary>
    /// A file of a running installation by its token: answer (preseed, kickstart or autoinstall user-data), postinstall
    /// (the chosen scripts), disklayout, meta-data (for cloud-init's NoCloud). Null for an unknown, expired or finished token.
    /// </summary>
    public async Task<string?> FileAsync(string token, string file, string baseUrl, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var installation = await ActiveAsync(db, token, ct);
        if (installation is null) return null;
        var server = await db.Servers.AsNoTracking().Include(s => s.Tags).FirstAsync(s => s.Id == installation.ServerId, ct);
        var mac = await PxeMacAsync(db, server.Id, ct) ?? "";
        var model = await ModelAsync(db, installation, server, mac, PublicUrl(baseUrl), ct);
        if (file == "meta-data") return $"instance-id: collect-{installation.Id}\nlocal-hostname: {installation.Hostname}\n";
        var files = await FilesAsync(db, installation, model, ct);
        if (!files.TryGetValue(file, out var rendered) || !rendered.IsOk) return null;
        var now = clock.GetUtcNow();
        if (file == "answer" && installation.Step < 3)
        {
            installation.Status = InstallationStatuses.Installing;
            Advance(installation, now, 3, "The installer fetched its answer file");
        }
        if (file == "postinstall" && installation.Step < 4) Advance(installation, now, 4, "The installed system fetched its post-install scripts");
        await db.SaveChangesAsync(ct);
        return rendered.Output;
    }

    /// <summary>A progress report from the machine; false for an unknown, expired or finished token.</summary>
    public async Task<bool> ReportAsync(string token, int? step, string? message, bool? done, bool? failed, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var installation = await ActiveAsync(db, token, ct);
        if (installation is null) return false;
        var now = clock.GetUtcNow();
        var text = string.IsNullOrWhiteSpace(message) ? null : message.Trim().Length > 500 ? message.Trim()[..500] : message.Trim();
        if (failed == true)
        {
            installation.Status = InstallationStatuses.Failed;
            installation.FinishedAt = now;
            Advance(installation, now, installation.Step, text ?? "The installation reported a failure");
        }
        else if (done == true)
        {
            installation.Status = InstallationStatuses.Completed;
            installation.FinishedAt = now;
            Advance(installation, now, Math.Max(installation.Step + 1, 5), text ?? "The installation completed");
        }
        else
        {
            if (installation.Status == InstallationStatuses.Pending) installation.Status = InstallationStatuses.Booting;
            Advance(installation, now, Math.Clamp(step ?? installation.Step + 1, installation.Step, 99), text ?? "Progress reported");
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A profile rendered for a server without starting anything (the library's preview).</summary>
    public async Task<ServiceResult<IReadOnlyDictionary<string, RenderResult>>> PreviewAsync(Actor actor, int profileId, int serverId, string baseUrl, CancellationToken ct = default)
    {
        if (!actor.Can("pxe.profiles.show")) return ServiceResult<IReadOnlyDictionary<string, RenderResult>>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).Include(s => s.Tags).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        var profile = await db.PxeItems.AsNoTracking().FirstOrDefaultAsync(p => p.Id == profileId && p.Kind == PxeKinds.Profile, ct);
        if (server is null || profile is null) return ServiceResult<IReadOnlyDictionary<string, RenderResult>>.NotFound();
        var settings = JsonNode.Parse(profile.Settings) as JsonObject ?? [];
        var installation = new Installation
        {
            Id = 0, ServerId = serverId, ProfileId = profileId, Hostname = server.Hostname, RootPasswordHash = Sha512Crypt.Hash("preview-password"),
            DiskLayoutId = settings["default_disklayout_template"] is JsonValue v && v.TryGetValue<int>(out var l) ? l : null,
            ScriptIds = Strings(settings["default_run_scripts"]).ToList(), Token = "PREVIEW-TOKEN", ConfigureAllIpv4 = true, ConfigureAllIpv6 = true,
        };
        var mac = await PxeMacAsync(db, serverId, ct) ?? "00:00:00:00:00:00";
        var model = await ModelAsync(db, installation, server, mac, PublicUrl(baseUrl), ct);
        var files = await FilesAsync(db, installation, model, ct);
        files["ipxe"] = renderer.Render((string?)settings["pxeConfig"], model, "pxeConfig");
        return ServiceResult<IReadOnlyDictionary<string, RenderResult>>.Ok(files);
    }

    private async Task<Installation?> ActiveAsync(CollectDbContext db, string token, CancellationToken ct)
    {
        if (token.Length != 32) return null;
        var now = clock.GetUtcNow();
        return await db.Installations.FirstOrDefaultAsync(i => i.Token == token && i.ExpiresAt > now && i.Status != InstallationStatuses.Completed &&
                                                              i.Status != InstallationStatuses.Failed && i.Status != InstallationStatuses.Aborted, ct);
    }

    /// <summary>The answer file, disk layout and post-install script of an installation, rendered with its model.</summary>
    private async Task<Dictionary<string, RenderResult>> FilesAsync(CollectDbContext db, Installation installation, Dictionary<string, object?> model, CancellationToken ct)
    {
        var ids = installation.ScriptIds.Select(s => int.TryParse(s, out var n) ? n : 0).Append(installation.ProfileId).Append(installation.DiskLayoutId ?? 0).ToList();
        var items = await db.PxeItems.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var profile = JsonNode.Parse(items[installation.ProfileId].Settings) as JsonObject ?? [];
        var result = new Dictionary<string, RenderResult>();
        var layoutSource = installation.UserDiskLayout
                           ?? (installation.DiskLayoutId is { } lid && items.TryGetValue(lid, out var layout) ? (string?)JsonNode.Parse(layout.Settings)?["disklayout"] : null)
                           ?? (string?)profile["defaultDiskLayout"];
        var renderedLayout = renderer.Render(layoutSource, model, "disk layout");
        result["disklayout"] = renderedLayout;
        model["disk_layout"] = renderedLayout.Output ?? "";
        var scripts = new List<Dictionary<string, object?>>();
        foreach (var id in installation.ScriptIds)
        {
            if (!int.TryParse(id, out var sid) || !items.TryGetValue(sid, out var script)) continue;
            var text = renderer.Render((string?)JsonNode.Parse(script.Settings)?["script"], model, $"script {script.Name}");
            if (!text.IsOk) result[$"script-{sid}"] = text;
            scripts.Add(new Dictionary<string, object?> { ["id"] = sid, ["name"] = script.Name, ["content"] = text.Output ?? "" });
        }
        model["scripts"] = scripts;
        var post = string.Join("\n", new[] { (string?)profile["customPostScript"] }.Where(s => !string.IsNullOrWhiteSpace(s))
            .Concat(scripts.Select(s => $"# --- {s["name"]} ---\n{s["content"]}")));
        result["postinstall"] = new RenderResult("#!/bin/sh\n# Collect post-install scripts\n" + post + "\n", null);
        result["firstboot"] = renderer.Render((string?)profile["customFirstBoot"], model, "customFirstBoot");
        result["answer"] = renderer.Render((string?)profile["autoInstallTemplate"], model, "autoInstallTemplate");
        result["user-data"] = result["answer"];
        return result;
    }

    /// <summary>
    /// The documented template model: server, hostname, addresses with their subnets (gateway, netmask, DNS), the
    /// root password's SHA-512-crypt hash, SSH keys, disks from the hardware inventory, OS settings, callback URLs.
    /// </summary>
    private static async Task<Dictionary<string, object?>> ModelAsync(CollectDbContext db, Installation installation, Server server, string mac, string baseUrl, CancellationToken ct)
    {
        var profile = await db.PxeItems.AsNoTracking().FirstAsync(p => p.Id == installation.ProfileId, ct);
        var settings = JsonNode.Parse(profile.Settings) as JsonObject ?? [];
        var rows = await db.IpAddresses.AsNoTracking().Where(a => a.ServerId == server.Id).OrderByDescending(a => a.IsPrimary).ThenBy(a => a.Key).ToListAsync(ct);
        var subnetIds = rows.Select(r => r.SubnetId).Distinct().ToList();
        var subnets = await db.Subnets.AsNoTracking().Where(s => subnetIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var addresses = rows.Select(r =>
        {
            var s = subnets[r.SubnetId];
            return new Dictionary<string, object?>
            {
                ["ip"] = r.Address, ["cidr"] = s.Cidr, ["netmask"] = IpMath.Netmask(s.Cidr, IpMath.FamilyOf(s.Type)), ["gateway"] = s.Gateway,
                ["network"] = s.Network, ["type"] = s.Type, ["primary"] = r.IsPrimary, ["dns"] = s.DnsResolvers.ToList(),
            };
        }).ToList();
        var ipv4 = addresses.Where(a => (string?)a["type"] == "v4").ToList();
        var ipv6 = addresses.Where(a => (string?)a["type"] == "v6").ToList();
        var hardware = await db.ServerInventoryItems.AsNoTracking().Where(i => i.ServerId == server.Id && db.InventoryComponents.Any(c => c.Id == i.ComponentId && c.ComponentName == "disk"))
            .OrderBy(i => i.Id).Select(i => new { i.Model, i.Amount, i.Serial }).ToListAsync(ct);
        var hostname = installation.Hostname ?? server.Hostname;
        var dot = hostname.IndexOf('.');
        var root = baseUrl.TrimEnd('/');
        var api = $"{root}/api/provisioning/{installation.Token}";
        var dns = addresses.SelectMany(a => (List<string>)a["dns"]!).Distinct().ToList();
        return new Dictionary<string, object?>
        {
            ["server"] = new Dictionary<string, object?> { ["id"] = server.Id, ["hostname"] = server.Hostname, ["servername"] = server.Servername, ["tags"] = server.Tags.Select(t => t.Tag).ToList() },
            ["mac"] = mac,
            ["hostname"] = hostname,
            ["hostname_short"] = dot > 0 ? hostname[..dot] : hostname,
            ["domain"] = dot > 0 ? hostname[(dot + 1)..] : "",
            ["ipv4"] = installation.ConfigureAllIpv4 ? ipv4 : ipv4.Take(1).ToList(),
            ["ipv6"] = installation.ConfigureAllIpv6 ? ipv6 : ipv6.Take(1).ToList(),
            ["primary_ipv4"] = ipv4.FirstOrDefault(),
            ["primary_ipv6"] = ipv6.FirstOrDefault(),
            ["dns"] = dns.Count > 0 ? dns : new List<string> { "1.1.1.1", "9.9.9.9" },
            ["root_password_hash"] = installation.RootPasswordHash,
            ["ssh_keys"] = installation.SshKeys.ToList(),
            ["disks"] = hardware.Select(d => new Dictionary<string, object?> { ["model"] = d.Model, ["size_mb"] = d.Amount, ["serial"] = d.Serial }).ToList(),
            ["disk_count"] = hardware.Count,
            ["os"] = new Dictionary<string, object?>
            {
                ["name"] = profile.Name, ["type"] = (string?)settings["pxeType"], ["version"] = (string?)settings["version"],
                ["cache_directory"] = (string?)settings["cacheDirectory"], ["network_mode"] = (string?)settings["networkConfigMode"],
            },
            ["mirror"] = ((string?)settings["mirrorUrl"] ?? "").TrimEnd('/'),
            ["mirror_host"] = Uri.TryCreate((string?)settings["mirrorUrl"], UriKind.Absolute, out var mirror) ? mirror.Authority : "",
            ["mirror_path"] = mirror?.AbsolutePath.TrimEnd('/') ?? "",
            ["language"] = (string?)settings["language"] ?? "en_US",
            ["timezone"] = (string?)settings["timezone"] ?? "Etc/UTC",
            ["packages"] = (string?)settings["packages"] ?? "",
            ["installation_id"] = installation.Id,
            ["urls"] = new Dictionary<string, object?>
            {
                ["base"] = root, ["ipxe"] = $"{root}/api/provisioning/ipxe?mac={Uri.EscapeDataString(mac)}", ["answer"] = $"{api}/answer",
                ["postinstall"] = $"{api}/postinstall", ["firstboot"] = $"{api}/firstboot", ["disklayout"] = $"{api}/disklayout",
                ["progress"] = $"{api}/progress", ["done"] = $"{api}/done", ["failed"] = $"{api}/failed", ["nocloud"] = $"{api}/nocloud/",
            },
        };
    }

    private string PublicUrl(string requestBase) => options.CurrentValue.Provisioning.PublicUrl is { Length: > 0 } configured ? configured : requestBase;

    private static async Task<string?> PxeMacAsync(CollectDbContext db, int serverId, CancellationToken ct)
    {
        var metas = await db.ServerConnections.AsNoTracking().Where(c => c.ServerId == serverId && c.Type == "dhcp").Select(c => c.Meta).ToListAsync(ct);
        return metas.Select(m => ServerConnectionService.NormalizeMac((string?)JsonNode.Parse(m)?["pxe_mac"])).FirstOrDefault(m => m is not null);
    }

    private static void Advance(Installation installation, DateTimeOffset at, int step, string message)
    {
        installation.Step = Math.Max(installation.Step, step);
        installation.Progress = [.. installation.Progress, Entry(at, installation.Step, message)];
    }

    private static string Entry(DateTimeOffset at, int step, string message) =>
        $"{at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}|{step}|{message}";

    private static InstallProgress Parse(string entry)
    {
        var parts = entry.Split('|', 3);
        return new InstallProgress(int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[0], CultureInfo.InvariantCulture)));
    }

    internal static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Where(x => x is not null).Select(x => x!.ToString()).ToList() : [];

    internal static bool Bool(JsonNode? node, bool fallback) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : node is JsonValue i && i.TryGetValue<int>(out var n) ? n == 1 : fallback;

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostnamePattern();

    [GeneratedRegex(@"^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]{16,}( .{0,200})?$")]
    private static partial Regex SshKeyPattern();
}
