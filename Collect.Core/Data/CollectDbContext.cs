using Collect.Core.Access;
using Collect.Core.Activity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Collect.Core.Data;

/// <summary>Collect's database: Identity users plus every feature's tables, and the keys that protect sign-in cookies.</summary>
public sealed class CollectDbContext(DbContextOptions<CollectDbContext> options)
    : IdentityUserContext<CollectUser, int>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection's key ring: in the database, so cookies survive a restart and work on every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Role> Roles => Set<Role>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<LoginAttempt> LoginAttempts => Set<LoginAttempt>();
    public DbSet<ApiRequestLog> ApiRequestLogs => Set<ApiRequestLog>();
    public DbSet<ActivityLog> ActivityLogs => Set<ActivityLog>();
    public DbSet<SshKey> SshKeys => Set<SshKey>();
    public DbSet<SsoToken> SsoTokens => Set<SsoToken>();
    public DbSet<Servers.Server> Servers => Set<Servers.Server>();
    public DbSet<Servers.ServerTag> ServerTags => Set<Servers.ServerTag>();
    public DbSet<Servers.ServerAssignment> ServerAssignments => Set<Servers.ServerAssignment>();
    public DbSet<Servers.ServerComment> ServerComments => Set<Servers.ServerComment>();
    public DbSet<Servers.ServerConnection> ServerConnections => Set<Servers.ServerConnection>();
    public DbSet<Files.StoredFile> Files => Set<Files.StoredFile>();
    public DbSet<Subnets.Subnet> Subnets => Set<Subnets.Subnet>();
    public DbSet<Subnets.IpAddress> IpAddresses => Set<Subnets.IpAddress>();
    public DbSet<Systems.ManagedSystem> Systems => Set<Systems.ManagedSystem>();
    public DbSet<Systems.InventoryBlob> InventoryBlobs => Set<Systems.InventoryBlob>();
    public DbSet<Systems.InventoryRecord> InventoryRecords => Set<Systems.InventoryRecord>();
    public DbSet<Systems.InventoryInboxItem> InventoryInbox => Set<Systems.InventoryInboxItem>();
    public DbSet<Systems.InventoryDiff> InventoryDiffs => Set<Systems.InventoryDiff>();
    public DbSet<Hardware.InventoryComponent> InventoryComponents => Set<Hardware.InventoryComponent>();
    public DbSet<Hardware.InventoryCustomField> InventoryCustomFields => Set<Hardware.InventoryCustomField>();
    public DbSet<Hardware.ServerInventoryItem> ServerInventoryItems => Set<Hardware.ServerInventoryItem>();
    public DbSet<Hardware.HardwareReport> HardwareReports => Set<Hardware.HardwareReport>();
    public DbSet<Hardware.HardwareToken> HardwareTokens => Set<Hardware.HardwareToken>();
    public DbSet<Provisioning.PxeItem> PxeItems => Set<Provisioning.PxeItem>();
    public DbSet<Provisioning.Installation> Installations => Set<Provisioning.Installation>();
    public DbSet<Branding.Brand> Brands => Set<Branding.Brand>();
    public DbSet<Backups.BackupStorage> BackupStorages => Set<Backups.BackupStorage>();
    public DbSet<Backups.BackupTask> BackupTasks => Set<Backups.BackupTask>();
    public DbSet<ConfigItems.ConfigType> ConfigTypes => Set<ConfigItems.ConfigType>();
    public DbSet<ConfigItems.ConfigRelationshipType> ConfigRelationshipTypes => Set<ConfigItems.ConfigRelationshipType>();
    public DbSet<ConfigItems.ConfigItem> ConfigItems => Set<ConfigItems.ConfigItem>();
    public DbSet<ConfigItems.ConfigRelationship> ConfigRelationships => Set<ConfigItems.ConfigRelationship>();
    public DbSet<ConfigItems.ConfigItemWatcher> ConfigItemWatchers => Set<ConfigItems.ConfigItemWatcher>();
    public DbSet<Settings.SystemSetting> SystemSettings => Set<Settings.SystemSetting>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CollectDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset natively; UTC ticks keep queries provider-neutral.
        if (Database.IsSqlite())
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
        // Text compares by bytes on PostgreSQL too, as in SQLite: address keys and tree paths are compared and ranged,
        // and a linguistic collation (which skips punctuation such as the paths' slashes) would order them differently.
        if (Database.IsNpgsql())
            configurationBuilder.Properties<string>().UseCollation("C");
    }
}
