using Collect.Core.Access;
using Collect.Core.Activity;
using Collect.Core.Backups;
using Collect.Core.Dashboard;
using Collect.Core.Data;
using Collect.Core.Jobs;
using Collect.Core.Files;
using Collect.Core.Search;
using Collect.Core.Servers;
using Collect.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Collect.Core;

public static class CollectCoreServices
{
    /// <summary>Registers the database, the domain services and the jobs' work classes.</summary>
    public static IServiceCollection AddCollectCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<CollectOptions>().Bind(configuration.GetSection(CollectOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditInterceptor>();

        if (DatabaseProviders.From(configuration) == DatabaseProvider.Postgres)
        {
            var postgres = DatabaseProviders.PostgresConnectionString(configuration);
            services.AddDbContextFactory<CollectDbContext>((sp, options) => options
                .UseNpgsql(postgres, o => o.MigrationsAssembly(DatabaseProviders.PostgresMigrationsAssembly))
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>()));
        }
        else
        {
            var connectionString = AnchorSqlitePath(configuration.GetConnectionString("Collect") ?? "Data Source=data/collect.db", contentRoot);
            services.AddDbContextFactory<CollectDbContext>((sp, options) => options
                .UseSqlite(connectionString)
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), new SqliteBusyTimeout()));
        }

        services.AddSingleton<ActivityRecorder>();
        services.AddSingleton<AccessResolver>();
        services.AddSingleton<UserService>();
        services.AddSingleton<RoleService>();
        services.AddSingleton<AliasUserService>();
        services.AddSingleton<ImpersonationService>();
        services.AddSingleton<ServerService>();
        services.AddSingleton<ServerConnectionService>();
        services.AddSingleton<ServerCommentService>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<ActivityQueries>();
        services.AddSingleton<ActivityFeed>();
        services.AddSingleton<TaskQueries>();
        services.AddSingleton<ConfigItems.ConfigTypeService>();
        services.AddSingleton<ConfigItems.ConfigItemService>();
        services.AddSingleton<SystemSettingsService>();
        services.AddSingleton<Subnets.SubnetService>();
        services.AddSingleton<Subnets.IpAssignmentService>();
        services.AddSingleton<Subnets.SubnetSplitter>();
        services.AddSingleton<Subnets.IpActions>();
        services.AddSingleton<Systems.SystemEvents>();
        services.AddSingleton<Systems.SystemService>();
        services.AddSingleton<Systems.SystemInventoryService>();
        services.AddSingleton<Systems.InventoryIntake>();
        services.AddSingleton<Systems.InventoryProcessor>();
        services.AddSingleton<Systems.InventoryRetentionJob>();
        services.TryAddSingleton<Systems.IInventoryProcessingTrigger, Systems.NoProcessingTrigger>();
        services.AddSingleton<Hardware.ComponentCatalogService>();
        services.AddSingleton<Provisioning.PxeLibraryService>();
        services.AddSingleton<Branding.BrandService>();
        services.AddSingleton<Provisioning.ProvisioningService>();
        services.AddSingleton<Provisioning.TemplateRenderer>();
        services.AddSingleton<Hardware.ServerHardwareService>();
        services.TryAddSingleton<Hardware.IHardwareProcessingTrigger, Hardware.NoHardwareProcessingTrigger>();
        services.AddSingleton<IDashboardContributor, ServersDashboard>();
        services.AddSingleton<IDashboardContributor, Subnets.SubnetsDashboard>();
        var filesDirectory = configuration[$"{CollectOptions.Section}:Files:Directory"] ?? "data/files";
        services.AddSingleton(new FileStore(Path.IsPathRooted(filesDirectory) ? filesDirectory : Path.Combine(contentRoot, filesDirectory)));
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<SshKeyService>(); services.AddSingleton<SsoTokenService>();
        services.AddSingleton<LoginHistoryService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<ApiRequestLogQueue>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<IDashboardContributor, AccessDashboard>();
        services.AddTransient<RetentionJob>();
        services.AddCollectBackups(configuration, contentRoot);
        return services;
    }

    /// <summary>A relative SQLite path is taken from the content root, not from wherever the process started.</summary>
    internal static string AnchorSqlitePath(string connectionString, string contentRoot)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        return builder.ToString();
    }
}
