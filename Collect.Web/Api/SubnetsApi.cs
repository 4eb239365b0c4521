using System.Text.Json.Nodes;
using Collect.Core.Access;
using Collect.Core.Subnets;
using Collect.Web.Auth;

namespace Collect.Web.Api;

internal static class SubnetsApi
{
    public static IEndpointRouteBuilder MapSubnetsApi(this IEndpointRouteBuilder app)
    {
        var subnets = app.MapGroup("/api/subnets").WithTags("Subnets").RequireAuthorization();
        subnets.MapGet("", ListAsync).WithPaging().RequirePermission("subnets.index").WithSummary("List the subnets you can see (parent_id filters children)");
        subnets.MapPost("", CreateAsync).RequirePermission("subnets.store").WithSummary("Add a subnet; generateIps reserves network, gateway and broadcast");
        subnets.MapGet("/{id:int}", GetAsync).RequirePermission("subnets.show").WithSummary("One subnet with its usage");
        subnets.MapPut("/{id:int}", UpdateAsync).RequirePermission("subnets.update").WithSummary("Change a subnet's settings, owner or gateway");
        subnets.MapDelete("/{id:int}", DeleteAsync).RequirePermission("subnets.destroy").WithSummary("Delete a subnet without children or assigned addresses");
        subnets.MapGet("/{subnetId:int}/withDetails", DetailsAsync).WithPaging().RequirePermission("subnets.withDetails")
            .WithSummary("A subnet with its stored addresses (paged) and its child subnets");
        subnets.MapGet("/{subnetId:int}/listFreeIps", ListFreeAsync).WithPaging().RequirePermission("subnets.listFreeIps")
            .WithSummary("Free addresses, computed from the gaps (paged, 1,000 at most without paging)");

        subnets.MapPost("/{subnetId:int}/split", SplitAsync).RequirePermission("subnets.split")
            .WithSummary("Split into child subnets (mode subnet) or list single addresses (mode singleIps); preview: true only plans it");
        subnets.MapPost("/{subnetId:int}/childsMassActions", ChildsMassActionsAsync).RequirePermission("subnets.childsMassActions")
            .WithSummary("Push this subnet's settings (the update* flags) to every subnet below it");
        return app;
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> DetailsAsync(
        int subnetId, HttpContext http, SubnetService subnets, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var result = await subnets.DetailsAsync(HttpActor.Current(http), subnetId, list.IsPaged ? list.ToRequest() : new Collect.Core.Access.PageRequest(1, 100), ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        var (subnet, addresses, children, servers) = result.Value;
        var json = Json(subnet);
        json["ips"] = new JsonArray(addresses.Items.Select(a => (JsonNode?)new JsonObject
        {
            ["ip"] = a.Address,
            ["reserved"] = a.Reserved ? 1 : 0,
            // A server outside the actor's scope is shown as taken, never by name.
            ["servers_id"] = a.ServerId is { } sid && servers.ContainsKey(sid) ? sid : null,
            ["servername"] = a.ServerId is { } sid2 && servers.TryGetValue(sid2, out var name) ? name : null,
            ["assigned"] = a.ServerId is not null ? 1 : 0,
            ["description"] = a.Description,
            ["rdns_entry"] = a.Rdns ?? "",
        }).ToArray());
        json["ipsMeta"] = new JsonObject { ["total"] = addresses.Total, ["page"] = addresses.PageNumber, ["per_page"] = addresses.PageSize };
        json["childSubnets"] = new JsonArray(children.Select(c => (JsonNode?)Json(c)).ToArray());
        return TypedResults.Ok(new Envelope<JsonObject>(json));
    }

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, Ok<PagedEnvelope<JsonObject>>, UnprocessableEntity<ErrorBody>>> ListAsync(
        HttpContext http, SubnetService subnets, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        int? parent = null;
        if (http.Request.Query.TryGetValue("parent_id", out var text))
        {
            if (!int.TryParse(text, out var p)) return ApiErrors.Invalid("parent_id", "The parent_id must be an integer.");
            parent = p;
        }
        var page = await subnets.ListAsync(HttpActor.Current(http), parent, list.ToRequest(), ct);
        var items = page.Items.Select(Json).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(page.Total, page.PageNumber, page.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>>> GetAsync(int id, HttpContext http, SubnetService subnets, CancellationToken ct)
    {
        var result = await subnets.GetAsync(HttpActor.Current(http), id, ct);
        return result.IsOk ? TypedResults.Ok(new Envelope<JsonObject>(Json(result.Value!))) : ApiErrors.NotFound();
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> CreateAsync(
        JsonObject body, HttpContext http, SubnetService subnets, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await subnets.CreateAsync(HttpActor.Current(http), input, ct), Json);
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> UpdateAsync(
        int id, JsonObject body, HttpContext http, SubnetService subnets, CancellationToken ct)
    {
        var (input, errors) = Read(body);
        if (errors is not null) return ApiErrors.Invalid(errors);
        return ApiErrors.From(await subnets.UpdateAsync(HttpActor.Current(http), id, input, ct), Json);
    }

    private static async Task<Results<Ok<Envelope<object?>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> DeleteAsync(
        int id, HttpContext http, SubnetService subnets, CancellationToken ct) =>
        ApiErrors.Deleted(await subnets.DeleteAsync(HttpActor.Current(http), id, ct));

    private static async Task<Results<Ok<Envelope<IReadOnlyList<JsonObject>>>, Ok<PagedEnvelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>>> ListFreeAsync(
        int subnetId, HttpContext http, SubnetService subnets, CancellationToken ct)
    {
        var list = ListQuery.From(http.Request);
        if (list.Validate() is { } errors) return ApiErrors.Invalid(errors);
        var result = await subnets.ListFreeAsync(HttpActor.Current(http), subnetId, list.ToRequest(), ct);
        if (!result.IsOk) return ApiErrors.NotFound();
        var items = result.Value!.Items.Select(f => new JsonObject { ["ip"] = f.Ip }).ToList();
        return list.IsPaged
            ? TypedResults.Ok(new PagedEnvelope<JsonObject>(items, new PageMeta(result.Value.Total, result.Value.PageNumber, result.Value.PageSize)))
            : TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(items));
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> SplitAsync(
        int subnetId, JsonObject body, HttpContext http, SubnetSplitter splitter, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var input = new SplitInput
        {
            Mode = json.String("mode"), ToPrefix = json.Int("toPrefix"), ToAmount = json.Int("toAmount"), GatewayMethod = json.String("gateway_method"),
            GatewayCustom = json.String("gateway_custom"), ListOfIps = json.StringList("listOfIps"), GenerateIps = json.Bool("generateIps") ?? false,
            ReserveGatewayIp = json.Bool("reserve_gateway_ip") ?? true, ReserveBroadcastIp = json.Bool("reserve_broadcast_ip") ?? true,
            ReserveNetworkAddress = json.Bool("reserve_network_address") ?? true, ReserveFirstUsableIp = json.Bool("reserve_first_usable_ip") ?? false,
            ReserveLastUsableIp = json.Bool("reserve_last_usable_ip") ?? false,
            CopyNetworkAutomationConfigurationToChilds = json.Bool("copy_network_automation_configuration_to_childs") ?? false,
        };
        var preview = json.Bool("preview") ?? false;
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        var actor = HttpActor.Current(http);
        var result = preview ? await splitter.PreviewAsync(actor, subnetId, input, ct) : await splitter.SplitAsync(actor, subnetId, input, ct);
        return ApiErrors.From(result, plan => new JsonObject
        {
            ["mode"] = plan.Mode,
            ["preview"] = preview,
            [preview ? "wouldCreate" : "created"] = plan.Count,
            ["fits"] = Big(plan.Fits),
            ["children"] = new JsonArray(plan.Sample.Select(c => (JsonNode?)new JsonObject { ["subnet"] = c.Network, ["cidr"] = c.Cidr, ["gw"] = c.Gateway }).ToArray()),
        });
    }

    private static async Task<Results<Ok<Envelope<JsonObject>>, NotFound<ErrorBody>, UnprocessableEntity<ErrorBody>, JsonHttpResult<ErrorBody>>> ChildsMassActionsAsync(
        int subnetId, JsonObject body, HttpContext http, SubnetSplitter splitter, CancellationToken ct)
    {
        var json = new JsonInput(body);
        var updates = new ChildUpdates(json.Bool("updateRdns") ?? false, json.Bool("updateResolvers") ?? false, json.Bool("updateRestrictions") ?? false,
            json.Bool("updateSubnetOwners") ?? false, json.Bool("updateNetworkAutomationSettings") ?? false, json.Bool("updateDynamicIpAssignmentsSetting") ?? false);
        if (!json.IsValid) return ApiErrors.Invalid(json.Errors);
        return ApiErrors.From(await splitter.UpdateChildrenAsync(HttpActor.Current(http), subnetId, updates, ct), n => new JsonObject { ["updatedSubnets"] = n });
    }

    private static (SubnetInput, IReadOnlyDictionary<string, string[]>?) Read(JsonObject body)
    {
        var json = new JsonInput(body);
        List<int>? trunk = null;
        if (json.StringList("trunk_vlans") is { } raw)
        {
            trunk = [];
            foreach (var v in raw)
                if (int.TryParse(v, out var id)) trunk.Add(id);
                else return (new SubnetInput(), new Dictionary<string, string[]> { ["trunk_vlans"] = ["The trunk_vlans must be VLAN ids."] });
        }
        var input = new SubnetInput
        {
            Subnet = json.String("subnet"), Cidr = json.Int("cidr"), Netmask = json.String("netmask"), Gw = json.String("gw"), Type = json.String("type"),
            UserId = json.Int("userId"), Description = json.String("description"), Priority = json.Int("priority"),
            OfferIfServerHasTag = json.StringList("offer_if_server_has_tag"), DontOfferIfServerHasTag = json.StringList("dont_offer_if_server_has_tag"),
            OnlyIfServerHasRemoteAgents = json.StringList("only_if_server_has_remote_agents"), ApplyRestrictionsToChilds = json.Bool("apply_restrictions_to_childs"),
            DnsResolvers = json.StringList("dns_resolvers"), GenerateIps = json.Bool("generateIps") ?? false,
            ReserveGatewayIp = json.Bool("reserve_gateway_ip") ?? true, ReserveBroadcastIp = json.Bool("reserve_broadcast_ip") ?? true,
            ReserveNetworkAddress = json.Bool("reserve_network_address") ?? true, ReserveFirstUsableIp = json.Bool("reserve_first_usable_ip") ?? false,
            ReserveLastUsableIp = json.Bool("reserve_last_usable_ip") ?? false, EnableSwitchAutomation = json.Bool("enable_switch_automation"),
            CopyNetworkAutomationConfigurationToChilds = json.Bool("copy_network_automation_configuration_to_childs"),
            VlanMode = json.String("vlan_mode"), AccessVlanGenerationMode = json.String("access_vlan_generation_mode"),
            StaticAccessVlanId = json.Int("static_access_vlan_id"), RangeStartAccessVlanId = json.Int("range_start_access_vlan_id"),
            RangeEndAccessVlanId = json.Int("range_end_access_vlan_id"), TrunkVlans = trunk, VlanLayer3Mode = json.String("vlan_layer3_mode"),
            VlanLayer3Ip = json.String("vlan_layer3_ip"), ReuseAccessVlan = json.Bool("reuse_access_vlan"),
            UseExistingPortAccessVlan = json.Bool("use_existing_port_access_vlan"), VlanRemoveLayer3IpOnUnassign = json.Bool("vlan_remove_layer3_ip_on_unassign"),
            ExcludeFromDynamicIpAssignments = json.Bool("exclude_from_dynamic_ip_assignments"),
            Provided = json.Provided,
        };
        return (input, json.IsValid ? null : json.Errors);
    }

    private static JsonNode Big(UInt128 value) => JsonNode.Parse(value.ToString())!;

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    /// <summary>The seed's subnet shape; counters of IPv6 subnets exceed 64 bits and are written as exact JSON numbers.</summary>
    internal static JsonObject Json(SubnetView v)
    {
        var s = v.Subnet;
        return new JsonObject
        {
            ["id"] = s.Id,
            ["subnet"] = s.Network,
            ["cidr"] = s.Cidr,
            ["netmask"] = v.Netmask,
            ["gw"] = s.Gateway,
            ["type"] = s.Type,
            ["priority"] = s.Priority,
            ["rootSubnetId"] = s.ParentId,
            ["isExternalProvider"] = 0,
            ["reserved"] = s.Reserved ? 1 : 0,
            ["offer_if_server_has_tag"] = Strings(s.OfferIfServerHasTag),
            ["dont_offer_if_server_has_tag"] = Strings(s.DontOfferIfServerHasTag),
            ["only_if_server_has_remote_agents"] = new JsonArray(s.OnlyIfServerHasRemoteAgents.Select(a => (JsonNode?)int.Parse(a)).ToArray()),
            ["apply_restrictions_to_childs"] = s.ApplyRestrictionsToChilds ? 1 : 0,
            ["dns_resolvers"] = Strings(s.DnsResolvers),
            ["enable_switch_automation"] = s.EnableSwitchAutomation,
            ["vlan_mode"] = s.VlanMode,
            ["access_vlan_generation_mode"] = s.AccessVlanGenerationMode,
            ["static_access_vlan_id"] = s.StaticAccessVlanId,
            ["range_start_access_vlan_id"] = s.RangeStartAccessVlanId,
            ["range_end_access_vlan_id"] = s.RangeEndAccessVlanId,
            ["trunk_vlans"] = new JsonArray(s.TrunkVlans.Select(t => (JsonNode?)int.Parse(t)).ToArray()),
            ["vlan_layer3_mode"] = s.VlanLayer3Mode,
            ["vlan_layer3_ip"] = s.VlanLayer3Ip,
            ["reuse_access_vlan"] = s.ReuseAccessVlan,
            ["use_existing_port_access_vlan"] = s.UseExistingPortAccessVlan,
            ["vlan_remove_layer3_ip_on_unassign"] = s.VlanRemoveLayer3IpOnUnassign,
            ["userId"] = s.UserId,
            ["copy_network_automation_configuration_to_childs"] = s.CopyNetworkAutomationConfigurationToChilds,
            ["exclude_from_dynamic_ip_assignments"] = s.ExcludeFromDynamicIpAssignments,
            ["rdnsAvailable"] = 0,
            ["rdnsServerId"] = s.RdnsServerId,
            ["usageStatistics"] = new JsonObject
            {
                ["free"] = Big(v.Usage.Free),
                ["reserved"] = v.Usage.Reserved,
                ["used"] = Big(v.Usage.Used),
                ["totalIps"] = Big(v.Usage.TotalIps),
                ["usedPercentage"] = v.Usage.UsedPercentage,
            },
            ["description"] = s.Description,
            ["subnetAttributes"] = new JsonObject
            {
                ["hasChildSubnets"] = s.DirectChildCount > 0 ? 1 : 0,
                ["amountOfDirectChilds"] = s.DirectChildCount,
                ["hasSubIps"] = s.UsedCount + s.ReservedCount > 0 ? 1 : 0,
                ["amountOfSubIps"] = s.UsedCount + s.ReservedCount,
                ["type"] = s.Type,
            },
            ["vlanAutomationAvailable"] = false,
            ["ownerChain"] = new JsonArray(v.OwnerChain.Select(o => (JsonNode?)new JsonObject { ["userId"] = o.UserId, ["name"] = o.Name, ["username"] = o.Username }).ToArray()),
            ["subnetOwnedByUser"] = v.SubnetOwnedByUser,
        };
    }
}
