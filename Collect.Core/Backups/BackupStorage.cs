using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Backups;

/// <summary>
/// Where backup archives go: a local folder, an SFTP or an FTP server. Each keeps the newest <see cref="Retention"/>
/// archives; older ones are deleted after every upload.
/// </summary>
public sealed class BackupStorage : IAuditable
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>local, sftp or ftp (<see cref="BackupProviders"/>).</summary>
    public string Provider { get; set; } = BackupProviders.Local;
    /// <summary>The provider's settings as a JSON object, secrets included; they never leave Core unmasked.</summary>
    public string Configuration { get; set; } = "{}";
    public int Retention { get; set; } = 7;
    public bool Enabled { get; set; } = true;
    public DateTimeOffset? LastBackupDate { get; set; }
    public string? LastStatusMessage { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class BackupProviders
{
    public const string Local = "local";
    public const string Sftp = "sftp";
    public const string Ftp = "ftp";
    public static readonly IReadOnlyList<string> All = [Local, Sftp, Ftp];
}

internal sealed class BackupStorageConfiguration : IEntityTypeConfiguration<BackupStorage>
{
    public void Configure(EntityTypeBuilder<BackupStorage> b)
    {
        b.Property(x => x.Name).HasMaxLength(255);
        b.Property(x => x.Provider).HasMaxLength(16);
        b.Property(x => x.LastStatusMessage).HasMaxLength(1000);
    }
}
