using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Collect.Core.Backups;

public static class BackupServices
{
    /// <summary>Backups' options (the work folder anchored at the content root), service, runner and the default trigger.</summary>
    public static IServiceCollection AddCollectBackups(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<BackupOptions>()
            .Bind(configuration.GetSection(BackupOptions.Section))
            .PostConfigure(o => o.WorkDirectory = Path.GetFullPath(Path.IsPathRooted(o.WorkDirectory) ? o.WorkDirectory : Path.Combine(contentRoot, o.WorkDirectory)));
        services.AddSingleton<BackupService>();
        services.AddSingleton<BackupRunner>();
        services.TryAddSingleton<IBackupTrigger, NoBackupTrigger>();
        return services;
    }
}
