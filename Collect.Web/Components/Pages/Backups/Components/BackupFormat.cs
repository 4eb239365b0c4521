using System.Globalization;
using Collect.Core.Backups;
using Collect.Web.Components.Shared.Branding;
using MudBlazor;

namespace Collect.Web.Components.Pages.Backups.Components;

/// <summary>How the backups page shows sizes, times, statuses and log types.</summary>
public static class BackupFormat
{
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
    };

    public static Color LogColor(string type) => type switch
    {
        BackupLogTypes.Error => Color.Error,
        BackupLogTypes.Warning => Color.Warning,
        _ => Color.Default,
    };

    public static Color StatusColor(BackupTask task) => task.Status switch
    {
        BackupStatuses.Done when task.Errors > 0 || task.Warnings > 0 => Color.Warning,
        BackupStatuses.Done => Color.Success,
        BackupStatuses.Failed => Color.Error,
        _ => Color.Info,
    };

    public static string StatusText(BrandContext b, BackupTask task) => task.Status switch
    {
        BackupStatuses.Pending => b.T("backups_status_pending", "Pending"),
        BackupStatuses.Running => b.T("backups_status_running", "Running"),
        BackupStatuses.Done when task.Errors > 0 => b.T("backups_status_done_errors", "Done with errors"),
        BackupStatuses.Done => b.T("backups_status_done", "Done"),
        _ => b.T("backups_status_failed", "Failed"),
    };

    /// <summary>Where a storage puts archives, without its secrets: a folder, or user@host:port/root.</summary>
    public static string Location(BackupStorageView view)
    {
        var c = view.Configuration;
        if (view.Storage.Provider == BackupProviders.Local) return (string?)c["folder"] ?? "";
        var root = (string?)c["root"] ?? "";
        return $"{(string?)c["username"]}@{(string?)c["host"]}:{(int?)c["port"]}{(root.StartsWith('/') ? root : "/" + root)}";
    }
}
