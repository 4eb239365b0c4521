using System.Text.Json;
using Collect.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Collect.Core.Backups;

/// <summary>
/// One backup run. The row is the durable state of the work (DESIGN §7): pending when accepted, running while a worker
/// holds it, then done or failed. A Hangfire job only drives it, so a restart loses nothing: pending tasks are started
/// again and a task left running by a dead process is marked failed.
/// </summary>
public sealed class BackupTask : IAuditable
{
    public int Id { get; set; }
    public string Status { get; set; } = BackupStatuses.Pending;
    /// <summary>manual (someone pressed "Back up now" or called the API) or schedule.</summary>
    public string Trigger { get; set; } = "manual";
    public int? RequestedByUserId { get; set; }
    public string? ArchiveName { get; set; }
    public long? ArchiveSize { get; set; }
    public string ScriptLog { get; set; } = "";
    public List<BackupLogEntry> TasksLog { get; set; } = [];
    public int Warnings { get; set; }
    public int Errors { get; set; }
    /// <summary>0–100, for the live progress bar, with the step being worked on.</summary>
    public int Progress { get; set; }
    public string? Step { get; set; }
    /// <summary>Ids of the storages that received the archive.</summary>
    public List<string> StoredOn { get; set; } = [];
    /// <summary>The machine whose worker runs the task, and when it last said it is alive.</summary>
    public string? Node { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndDate { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsActive => Status is BackupStatuses.Pending or BackupStatuses.Running;
}

/// <summary>A line of a task's log as the seed shows it: date, message, type (info, warning, error).</summary>
public sealed record BackupLogEntry(DateTimeOffset Date, string Message, string Type = BackupLogTypes.Info);

public static class BackupLogTypes
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Error = "error";
}

public static class BackupStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
}

internal sealed class BackupTaskConfiguration : IEntityTypeConfiguration<BackupTask>
{
    private static readonly ValueConverter<List<BackupLogEntry>, string> LogConverter = new(
        v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
        v => JsonSerializer.Deserialize<List<BackupLogEntry>>(v, (JsonSerializerOptions?)null) ?? new List<BackupLogEntry>());

    private static readonly ValueComparer<List<BackupLogEntry>> LogComparer = new(
        (a, b) => a!.SequenceEqual(b!),
        v => v.Aggregate(0, (h, e) => HashCode.Combine(h, e.GetHashCode())),
        v => v.ToList());

    public void Configure(EntityTypeBuilder<BackupTask> b)
    {
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.Trigger).HasMaxLength(16);
        b.Property(x => x.ArchiveName).HasMaxLength(255);
        b.Property(x => x.Step).HasMaxLength(255);
        b.Property(x => x.Node).HasMaxLength(255);
        b.Property(x => x.TasksLog).HasConversion(LogConverter, LogComparer);
        b.Property(x => x.StoredOn).HasConversion(JsonColumn.StringList, JsonColumn.StringListComparer);
        b.HasIndex(x => x.Status);
        b.HasIndex(x => x.CreatedAt);
    }
}
