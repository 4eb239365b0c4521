using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Servers;

public sealed record ConnectionInput(int? AgentId, List<string>? Types, string? Type, JsonObject? Meta, bool MetaProvided);

public sealed record ConnectionView(int Id, int AgentId, int ServerId, IReadOnlyList<string> Types, string Type, JsonObject Meta);

/// <summary>
/// How Collect reaches a server. Typed details: ipmi (ip, username, password, bmcPort, javaVersion), dhcp (pxe_mac),
/// pxe (none), snmp_switch (switchId, portId). Passwords never come back: they are masked.
/// </summary>
public sealed partial class ServerConnectionService(IDbContextFactory<CollectDbContext> dbFactory, ActivityRecorder activity)
{
    public const string Masked = ActivityRecorder.Redacted;
    public static readonly string[] ConnectionTypes = ["ipmi", "dhcp", "pxe", "snmp_switch"];
    public static readonly string[] Features = ["power_management", "remote_console", "installation", "dhcp", "network_automation"];

    public async Task<ServiceResult<IReadOnlyList<ConnectionView>>> ListAsync(Actor actor, int serverId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<IReadOnlyList<ConnectionView>>.NotFound();
        var rows = await db.ServerConnections.AsNoTracking().Where(c => c.ServerId == serverId).OrderBy(c => c.Id).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<ConnectionView>>.Ok(rows.Select(View).ToList());
    }

    public async Task<ServiceResult<ConnectionView>> GetAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Servers.VisibleTo(actor).AnyAsync(s => s.Id == serverId, ct)) return ServiceResult<ConnectionView>.NotFound();
        var row = await db.ServerConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.ServerId == serverId, ct);
        return row is null ? ServiceResult<ConnectionView>.NotFound() : ServiceResult<ConnectionView>.Ok(View(row));
    }

    public async Task<ServiceResult<ConnectionView>> CreateAsync(Actor actor, int serverId, ConnectionInput input, CancellationToken ct = default)
    {
        if (!actor.Can("servers.connections.store")) return ServiceResult<ConnectionView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<ConnectionView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<ConnectionView>.Forbidden("This server is suspended.");
        if (input.AgentId is null) return ServiceResult<ConnectionView>.Invalid("agentId", "The agent id field is required.");
        var (meta, error) = NormalizeMeta(input.Type, input.Meta, existing: null);
        if (error is not null) return ServiceResult<ConnectionView>.Invalid(error.Value.Field, error.Value.Message);
        if (ValidateTypes(input.Types) is { } typesError) return ServiceResult<ConnectionView>.Invalid("types", typesError);

        var row = new ServerConnection { ServerId = serverId, AgentId = input.AgentId.Value, Type = input.Type!, Types = input.Types ?? [], Meta = meta!.ToJsonString() };
        db.ServerConnections.Add(row);
        await db.SaveChangesAsync(ct);
        activity.Record(db, actor, "server", serverId, $"Connection {row.Type} #{row.Id} added", updated: new { row.Type, meta = Mask(meta) });
        await db.SaveChangesAsync(ct);
        return ServiceResult<ConnectionView>.Ok(View(row));
    }

    public async Task<ServiceResult<ConnectionView>> UpdateAsync(Actor actor, int serverId, int id, ConnectionInput input, CancellationToken ct = default)
    {
        if (!actor.Can("servers.connections.update")) return ServiceResult<ConnectionView>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<ConnectionView>.NotFound();
        var row = await db.ServerConnections.FirstOrDefaultAsync(c => c.Id == id && c.ServerId == serverId, ct);
        if (row is null) return ServiceResult<ConnectionView>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<ConnectionView>.Forbidden("This server is suspended.");
        if (input.MetaProvided || input.Type is not null)
        {
            var (meta, error) = NormalizeMeta(input.Type ?? row.Type, input.Meta ?? new JsonObject(), JsonNode.Parse(row.Meta)!.AsObject());
            if (error is not null) return ServiceResult<ConnectionView>.Invalid(error.Value.Field, error.Value.Message);
            row.Type = input.Type ?? row.Type;
            row.Meta = meta!.ToJsonString();
        }
        if (input.Types is not null)
        {
            if (ValidateTypes(input.Types) is { } typesError) return ServiceResult<ConnectionView>.Invalid("types", typesError);
            row.Types = input.Types;
        }
        if (input.AgentId is { } agent) row.AgentId = agent;
        activity.Record(db, actor, "server", serverId, $"Connection {row.Type} #{row.Id} changed");
        await db.SaveChangesAsync(ct);
        return ServiceResult<ConnectionView>.Ok(View(row));
    }

    public async Task<ServiceResult<bool>> DeleteAsync(Actor actor, int serverId, int id, CancellationToken ct = default)
    {
        if (!actor.Can("servers.connections.destroy")) return ServiceResult<bool>.Forbidden();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var server = await db.Servers.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(s => s.Id == serverId, ct);
        if (server is null) return ServiceResult<bool>.NotFound();
        var row = await db.ServerConnections.FirstOrDefaultAsync(c => c.Id == id && c.ServerId == serverId, ct);
        if (row is null) return ServiceResult<bool>.NotFound();
        if (ServerScope.IsSuspendedFor(server, actor)) return ServiceResult<bool>.Forbidden("This server is suspended.");
        db.ServerConnections.Remove(row);
        activity.Record(db, actor, "server", serverId, $"Connection {row.Type} #{row.Id} removed");
        await db.SaveChangesAsync(ct);
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>The connections the seed's "config" on server creation asks for.</summary>
    internal static IEnumerable<ServerConnection> FromConfig(int serverId, ServerConfigInput config)
    {
        var agent = config.AgentId ?? 0;
        if (!string.IsNullOrWhiteSpace(config.IpmiIp))
        {
            var types = new List<string>();
            if (config.EnableIpmiPowerManagement) types.Add("power_management");
            if (config.EnableIpmiConsole) types.Add("remote_console");
            var meta = new JsonObject { ["ip"] = config.IpmiIp.Trim(), ["username"] = config.IpmiUser ?? "", ["password"] = config.IpmiPassword ?? "", ["bmcPort"] = "623", ["javaVersion"] = "auto" };
            yield return new ServerConnection { ServerId = serverId, AgentId = agent, Type = "ipmi", Types = types, Meta = meta.ToJsonString() };
        }
        if (!string.IsNullOrWhiteSpace(config.PxeMac))
            yield return new ServerConnection
            {
                ServerId = serverId, AgentId = agent, Type = "dhcp", Types = ["dhcp"],
                Meta = new JsonObject { ["pxe_mac"] = NormalizeMac(config.PxeMac)! }.ToJsonString(),
            };
        if (config.EnablePxe)
            yield return new ServerConnection { ServerId = serverId, AgentId = agent, Type = "pxe", Types = ["installation"], Meta = "{}" };
    }

    internal static (string Field, string Message)? ValidateConfig(ServerConfigInput config)
    {
        if (!string.IsNullOrWhiteSpace(config.IpmiIp) && !IPAddress.TryParse(config.IpmiIp.Trim(), out _))
            return ("config.ipmi_ip", "The IPMI IP must be a valid IP address.");
        if (!string.IsNullOrWhiteSpace(config.PxeMac) && NormalizeMac(config.PxeMac) is null)
            return ("config.pxe_mac", "The PXE MAC must be a MAC address such as aa:bb:cc:dd:ee:ff.");
        return null;
    }

    /// <summary>aa:bb:cc:dd:ee:ff from any of the usual spellings (dashes, dots, upper case); null when not a MAC.</summary>
    public static string? NormalizeMac(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var hex = HexOnly().Replace(value.Trim(), "");
        if (hex.Length != 12 || !MacShape().IsMatch(value.Trim())) return null;
        return string.Join(":", Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2))).ToLowerInvariant();
    }

    [GeneratedRegex("[:\\-\\.]")]
    private static partial Regex HexOnly();

    [GeneratedRegex("^([0-9A-Fa-f]{2}([:-])){5}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}$|^[0-9A-Fa-f]{12}$")]
    private static partial Regex MacShape();

    private static string? ValidateTypes(List<string>? types) =>
        types?.FirstOrDefault(t => !Features.Contains(t)) is { } bad ? $"\"{bad}\" is not a connection feature; use {string.Join(", ", Features)}." : null;

    /// <summary>Checks and normalises a connection's details; a masked or missing password keeps the stored one.</summary>
    private static (JsonObject? Meta, (string Field, string Message)? Error) NormalizeMeta(string? type, JsonObject? meta, JsonObject? existing)
    {
        if (type is null || !ConnectionTypes.Contains(type))
            return (null, ("connectionDetails.type", $"The type must be one of: {string.Join(", ", ConnectionTypes)}."));
        meta ??= new JsonObject();
        string? Str(string key) => meta[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : meta[key]?.ToJsonString();
        switch (type)
        {
            case "ipmi":
            {
                var ip = Str("ip") ?? existing?["ip"]?.GetValue<string>();
                if (ip is null || !IPAddress.TryParse(ip, out _)) return (null, ("connectionDetails.meta.ip", "The IPMI ip must be a valid IP address."));
                var port = Str("bmcPort") ?? existing?["bmcPort"]?.GetValue<string>() ?? "623";
                if (!int.TryParse(port, out var p) || p is < 1 or > 65535) return (null, ("connectionDetails.meta.bmcPort", "The bmcPort must be a port number (1-65535)."));
                var password = Str("password");
                if (password is null || password == Masked) password = existing?["password"]?.GetValue<string>() ?? "";
                return (new JsonObject
                {
                    ["ip"] = IPAddress.Parse(ip).ToString(),
                    ["username"] = Str("username") ?? existing?["username"]?.GetValue<string>() ?? "",
                    ["password"] = password,
                    ["bmcPort"] = p.ToString(),
                    ["javaVersion"] = Str("javaVersion") ?? existing?["javaVersion"]?.GetValue<string>() ?? "auto",
                }, null);
            }
            case "dhcp":
            {
                var mac = NormalizeMac(Str("pxe_mac") ?? existing?["pxe_mac"]?.GetValue<string>());
                return mac is null
                    ? (null, ("connectionDetails.meta.pxe_mac", "The pxe_mac must be a MAC address such as aa:bb:cc:dd:ee:ff."))
                    : (new JsonObject { ["pxe_mac"] = mac }, null);
            }
            case "snmp_switch":
            {
                if (!int.TryParse(Str("switchId"), out var switchId) || switchId < 1) return (null, ("connectionDetails.meta.switchId", "The switchId must be a positive integer."));
                if (!int.TryParse(Str("portId"), out var portId) || portId < 1) return (null, ("connectionDetails.meta.portId", "The portId must be a positive integer."));
                return (new JsonObject { ["switchId"] = switchId, ["portId"] = portId }, null);
            }
            default:
                return (new JsonObject(), null);
        }
    }

    private static JsonObject Mask(JsonObject meta)
    {
        var copy = JsonNode.Parse(meta.ToJsonString())!.AsObject();
        if (copy.ContainsKey("password")) copy["password"] = Masked;
        return copy;
    }

    private static ConnectionView View(ServerConnection c) =>
        new(c.Id, c.AgentId, c.ServerId, c.Types, c.Type, Mask(JsonNode.Parse(c.Meta)!.AsObject()));
}
