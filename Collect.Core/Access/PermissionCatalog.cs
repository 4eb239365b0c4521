namespace Collect.Core.Access;

/// <summary>
/// A readable group of permissions, e.g. "Manage Server Description", with the lowest role level it is meant for.
/// Field permissions come in two kinds: <c>res.update.param.field</c> (may write) and <c>res.apiOutput.param.field</c> (may see).
/// </summary>
public sealed record PermissionSet(
    string Name,
    string Level,
    IReadOnlyList<string> ApiEndpoint,
    IReadOnlyList<string> ApiUpdateFields,
    IReadOnlyList<string> ApiOutput,
    bool IsDangerousAliasUserPermissionSet = false)
{
    public IEnumerable<string> All => ApiEndpoint.Concat(ApiUpdateFields).Concat(ApiOutput);
}

/// <summary>
/// Every permission of Collect, grouped in sets, covering each resource of the management API
/// (shared/reference/api-paths.txt). Feature issues add their output and update fields to their resource here.
/// </summary>
public static class PermissionCatalog
{
    private const string A = RoleLevels.Admin, R = RoleLevels.Reseller, U = RoleLevels.User;

    /// <summary>Fields of each resource that field permissions govern; the API leaves out what an actor may not see.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> OutputFields = new Dictionary<string, IReadOnlyList<string>>
    {
        ["users"] =
        [
            "id", "name", "email", "two_factor_confirmed", "created_at", "root_owner", "username", "accountstatus",
            "isParentAccountSuspended", "timezone", "datetimeFormat", "darkmode", "prefs", "allowedHosts", "isSharedAccess",
            "sharedUserId", "realOrSharedUserId", "role_id", "role_name", "root_owner_username", "lastlogin", "canCreateSubUsers",
            "description", "subUsers", "permissions", "language", "sessionTimeout",
        ],
        ["system"] = ["app_version", "updateAvailable", "updateVersion"],
        ["servers"] =
        [
            "id", "hostname", "servername", "user_id", "os", "servertype", "suspendedUserIds", "primaryip", "reinstallationprovider",
            "powerprovider", "consoleprovider", "owner_realname", "tags", "description", "reinstallationRunning", "diskwipeRunning",
            "rescueBootRunning", "hardwarecollectRunning", "passwordResetRunning", "detailedHardwareInformation", "ownerChain",
            "typeOfServer", "cachedPowerstatus", "backendDeletable", "assignmentDate", "isExternalServer",
            "postReinstallationActionAvailable", "trafficStatistics", "lastBwrate", "isSuspended", "ipassignments",
            "suspendPowerAction", "suspendNetworkPortAction", "created_at", "updated_at",
        ],
    };

    /// <summary>Fields of each resource whose writes field permissions govern.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> UpdateFields = new Dictionary<string, IReadOnlyList<string>>
    {
        ["users"] =
        [
            "name", "email", "password", "username", "root_owner", "description", "role_id", "accountstatus", "timezone",
            "datetimeFormat", "darkmode", "prefs", "allowedHosts", "language", "sessionTimeout",
        ],
        ["servers"] =
        [
            "hostname", "servername", "user_id", "description", "tags", "os", "servertype", "suspendUserIds",
            "suspendPowerAction", "suspendNetworkPortAction", "ipassignments", "config",
        ],
    };

    public static readonly IReadOnlyList<PermissionSet> Sets = Build();

    /// <summary>Every single permission in the catalog.</summary>
    public static readonly IReadOnlySet<string> AllPermissions = Sets.SelectMany(s => s.All).ToHashSet(StringComparer.Ordinal);

    private static readonly Dictionary<string, PermissionSet> ByName = Sets.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public static PermissionSet? Find(string name) => ByName.GetValueOrDefault(name.Trim());

    public static bool Exists(string permission) => AllPermissions.Contains(permission);

    /// <summary>The sets a built-in role of this level starts with: everything meant for that level or below.</summary>
    public static IEnumerable<PermissionSet> DefaultsFor(string level) =>
        level == RoleLevels.Admin ? Sets : Sets.Where(s => RoleLevels.Rank(s.Level) <= RoleLevels.Rank(level));

    /// <summary>Single permissions plus the members of the named sets.</summary>
    public static HashSet<string> Expand(IEnumerable<string> permissions, IEnumerable<string> sets)
    {
        var all = new HashSet<string>(permissions, StringComparer.Ordinal);
        foreach (var name in sets)
            if (Find(name) is { } set) all.UnionWith(set.All);
        return all;
    }

    public static string Output(string resource, string field) => $"{resource}.apiOutput.param.{field}";
    public static string Update(string resource, string field) => $"{resource}.update.param.{field}";

    private static List<PermissionSet> Build()
    {
        var sets = new List<PermissionSet>
        {
            Set("View System Version", U, ["system.version"], output: Out("system", "app_version", "updateAvailable", "updateVersion")),
            Set("View System Information", U, ["system.listTimeDateFormats", "system.listTimezones", "system.settingsAfterLogin", "system.ui.settings", "system.ui.uiLanguage", "system.ui.version"]),
            Set("View Own Account", U, ["user.show", "user.additionalUserInformation", "permissions.index"]),
            Set("Manage Own Two-Factor Authentication", U, ["user.twofactor.enable", "user.twofactor.disable"]),
            Set("Manage Own API Tokens", U, ["users.tokens.index", "users.tokens.show", "users.tokens.store", "users.tokens.update", "users.tokens.destroy"], dangerous: true),
            Set("Manage Own SSH Keys", U, ["users.sshkeys.index", "users.sshkeys.show", "users.sshkeys.store", "users.sshkeys.update", "users.sshkeys.destroy"]),
            Set("View Users", R, ["users.index", "users.show", "users.loginhistory", "users.accesslog"], output: Out("users", OutputFields["users"].ToArray())),
            Set("Manage Users", R, ["users.store", "users.update", "users.destroy", "user.testLoginDetails"], update: Upd("users", UpdateFields["users"].ToArray()), dangerous: true),
            Set("Generate Login Links", R, ["users.generateSsoToken"], dangerous: true),
            Set("Impersonate Users", R, ["impersonate.start", "impersonate.stop"], dangerous: true),
            Set("Manage Roles", R, ["roles.index", "roles.show", "roles.store", "roles.update", "roles.destroy"], dangerous: true),
            Set("Manage Alias Users", U, ["aliasUsers.index", "aliasUsers.store", "aliasUsers.update", "aliasUsers.destroy",
                "aliasRoles.index", "aliasRoles.show", "aliasRoles.store", "aliasRoles.update", "aliasRoles.destroy"], dangerous: true),
            Set("View Own Activity Log", U, ["activitylog.user"]),
            Set("View System Activity Log", A, ["activitylog.system", "activitylog.agents"]),
            Set("Search", U, ["search.quicksearch"]),
            Set("View Tasks", U, ["tasks.show"]),
            Set("Manage Files", U, ["files.download", "files.destroy"]),
            Set("View Operating Systems", U, ["os.list"]),

            Set("View Systems", U, ["systems.index", "systems.show", "systems.inventory"]),
            Set("Manage Systems", U, ["systems.store", "systems.update", "systems.destroy", "systems.regenerateSecret"], dangerous: true),

            Set("View Servers", U, ["servers.index", "servers.show", "servers.getByIp", "servers.getByTags", "servers.tags", "servers.activitylog", "servers.hwsummary", "servers.hwsummary.withDetails"],
                output: Out("servers", OutputFields["servers"].ToArray())),
            Set("Manage Servers", A, ["servers.store", "servers.update", "servers.destroy"], update: Upd("servers", UpdateFields["servers"].ToArray()), dangerous: true),
            Set("Assign Servers", R, ["servers.update"], update: Upd("servers", "user_id", "suspendUserIds", "suspendPowerAction", "suspendNetworkPortAction", "tags")),
            Set("Manage Server Description", U, ["servers.update"], update: Upd("servers", "description")),
            Set("Server Power Control", U, ["servers.power", "servers.power.method"]),
            Set("Server Console", U, ["servers.console.start"], dangerous: true),
            Set("Server Comments", U, ["servers.comments.index", "servers.comments.show", "servers.comments.store", "servers.comments.update", "servers.comments.destroy"]),
            Set("Server Connections", A, ["servers.connections.index", "servers.connections.show", "servers.connections.store", "servers.connections.update",
                "servers.connections.destroy", "servers.connections.test", "servers.connections.action"]),
            Set("Server Hardware Inventory", A, ["servers.inventory.index", "servers.inventory.show", "servers.inventory.store", "servers.inventory.update",
                "servers.inventory.destroy", "servers.inventory.getInventoryCommand"]),
            Set("View Server IP Assignments", U, ["servers.ipassignments.index", "servers.ipassignments.getAssignableSubnets", "servers.ipassignments.getAssignableIpsOfSubnet"]),
            Set("Manage Server IP Assignments", R, ["servers.ipassignments.store", "servers.ipassignments.update", "servers.ipassignments.destroy",
                "servers.ipassignments.dynamicIpAssignments", "servers.ipassignments.rdns"]),
            Set("Server Network Automation", A, ["servers.network.getManageableNetworkPorts", "servers.network.regenerateVlanConfiguration"]),
            Set("Server Reinstallation", U, ["servers.provisioning.getProfiles", "servers.provisioning.getOsLogo", "servers.provisioning.startReinstallation",
                "servers.provisioning.stopReinstallation", "servers.provisioning.getInstallStatus", "servers.provisioning.executePostCommand"], dangerous: true),
            Set("Server Backups", U, ["servers.backups.index", "servers.backups.store", "servers.backups.available", "servers.backups.restore"]),
            Set("Server Snapshots", U, ["servers.snapshots.index", "servers.snapshots.store", "servers.snapshots.available", "servers.snapshots.rollback"]),
            Set("Server Statistics", U, ["servers.stats.cpu", "servers.stats.diskio", "servers.stats.memory", "servers.stats.network", "servers.stats.ipmi",
                "servers.stats.getAvailableStatistics"]),
            Set("Server BMC Users", A, ["servers.bmc.executeCommand", "servers.bmc.users.listUsers", "servers.bmc.users.createUser",
                "servers.bmc.users.createUserWithPasswordAndPrivilege", "servers.bmc.users.updateUser", "servers.bmc.users.deleteUser",
                "servers.bmc.users.enableUser", "servers.bmc.users.disableUser", "servers.bmc.users.setUserPassword",
                "servers.bmc.users.setUserPrivilege", "servers.bmc.users.channelSetAccess"], dangerous: true),
            Set("Manage Virtual Machine Settings", A, ["servers.vm.show", "servers.vm.update"]),
            Set("Manage Tags", A, ["tags.rename", "tags.delete"]),

            Set("View Config Items", U, ["configItems.index", "configItems.show", "configTypes.index", "configTypes.show",
                "configRelationshipTypes.index", "configRelationshipTypes.show"]),
            Set("Manage Config Items", U, ["configItems.store", "configItems.update", "configItems.destroy"]),
            Set("Manage Config Types", A, ["configTypes.store", "configTypes.update", "configTypes.destroy",
                "configRelationshipTypes.store", "configRelationshipTypes.update", "configRelationshipTypes.destroy"]),

            Set("View Subnets", R, ["subnets.index", "subnets.show", "subnets.withDetails", "subnets.listFreeIps"]),
            Set("Manage Subnets", A, ["subnets.store", "subnets.update", "subnets.destroy", "subnets.split", "subnets.childsMassActions"]),
            Set("Manage IP Addresses", R, ["ip.comment", "ip.reserve", "ip.unreserve", "ip.delete", "ip.massaction"]),
            Set("Manage Reverse DNS", U, ["rdns.ip.store", "rdns.ip.update", "rdns.ip.destroy", "subnets.rdnsAssignment.show"]),
            Set("Manage RDNS Providers", A, ["rdns.providers.index", "rdns.providers.show", "rdns.providers.store", "rdns.providers.update",
                "rdns.providers.destroy", "rdns.providers.testConnectivity", "rdns.providers.addSubnetAssignment", "rdns.providers.configure",
                "subnets.rdnsAssignment.store", "subnets.rdnsAssignment.destroy"]),

            Set("Manage PXE Profiles", A, ["pxe.profiles.index", "pxe.profiles.show", "pxe.profiles.store", "pxe.profiles.update", "pxe.profiles.destroy",
                "pxe.profiles.duplicate", "pxe.profiles.restore", "pxe.profiles.clearcache", "pxe.tags", "pxe.tags.getPxeProfilesByTags"]),
            Set("Manage PXE Disk Layouts", A, ["pxe.disklayouts.index", "pxe.disklayouts.show", "pxe.disklayouts.store", "pxe.disklayouts.update",
                "pxe.disklayouts.destroy", "pxe.disklayouts.duplicate"]),
            Set("Manage PXE Scripts", A, ["pxe.scripts.index", "pxe.scripts.show", "pxe.scripts.store", "pxe.scripts.update", "pxe.scripts.destroy", "pxe.scripts.duplicate"]),
            Set("Import Windows Images", A, ["pxe.windows.getWindowsInformation", "pxe.windows.importWindows"]),

            Set("Manage Remote Agents", A, ["remoteAgents.index", "remoteAgents.show", "remoteAgents.store", "remoteAgents.update", "remoteAgents.destroy",
                "remoteAgents.testConnectivity", "remoteAgents.getAssignments", "remoteAgents.reprovisioning",
                "remoteAgents.ipmiKvmIsos.index", "remoteAgents.ipmiKvmIsos.show", "remoteAgents.ipmiKvmIsos.store", "remoteAgents.ipmiKvmIsos.destroy"], dangerous: true),
            Set("Manage Network Devices", A, ["networkDevices.index", "networkDevices.show", "networkDevices.store", "networkDevices.testConnectivity", "networkDevices.action"]),
            Set("Manage External Providers", A, ["externalProviders.index", "externalProviders.show", "externalProviders.store", "externalProviders.update", "externalProviders.destroy"]),
            Set("Manage Inventory Components", A, ["inventorycomponents.index", "inventorycomponents.show", "inventorycomponents.store", "inventorycomponents.update",
                "inventorycomponents.destroy", "inventorycomponents.customfields.index", "inventorycomponents.customfields.show",
                "inventorycomponents.customfields.store", "inventorycomponents.customfields.update", "inventorycomponents.customfields.destroy"]),
            Set("Manage VPS Plans", A, ["virtualization.vpsplans.index", "virtualization.vpsplans.show", "virtualization.vpsplans.store", "virtualization.vpsplans.update",
                "virtualization.vpsplans.destroy", "virtualization.vpsplans.duplicate", "virtualization.ipassignments.getAssignableSubnets"]),
            Set("Manage Balancer Plans", A, ["virtualization.balancerplans.index", "virtualization.balancerplans.show", "virtualization.balancerplans.store",
                "virtualization.balancerplans.update", "virtualization.balancerplans.destroy", "virtualization.balancerplans.testBalancerConfiguration"]),
            Set("Manage Brands", R, ["system.brands.index", "system.brands.show", "system.brands.store", "system.brands.update", "system.brands.destroy",
                "system.brands.logos.store", "system.brands.logos.delete"]),
            Set("Manage System Settings", A, ["system.globalSystemSettings.index", "system.globalSystemSettings.show", "system.globalSystemSettings.update"], dangerous: true),
            Set("Manage System Backups", A, ["system.backups.create", "system.backups.history", "system.backups.storages.index", "system.backups.storages.show",
                "system.backups.storages.store", "system.backups.storages.update", "system.backups.storages.destroy", "system.backups.storages.test",
                "system.backups.download"], dangerous: true),
        };
        return sets;
    }

    private static PermissionSet Set(string name, string level, string[] endpoints, string[]? update = null, string[]? output = null, bool dangerous = false) =>
        new(name, level, endpoints, update ?? [], output ?? [], dangerous);

    private static string[] Out(string resource, params string[] fields) => fields.Select(f => Output(resource, f)).ToArray();
    private static string[] Upd(string resource, params string[] fields) => fields.Select(f => Update(resource, f)).ToArray();
}
