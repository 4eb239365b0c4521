using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Collect.Core.Access;

/// <summary>One sign-in attempt, successful or not: the login history.</summary>
public sealed class LoginAttempt
{
    public long Id { get; set; }
    public int? UserId { get; set; }
    public string UserName { get; set; } = "";
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string Outcome { get; set; } = LoginOutcomes.Failed;
    public DateTimeOffset CreatedAt { get; set; }
}

public static class LoginOutcomes
{
    public const string Success = "success";
    public const string Failed = "failed";
    public const string LockedOut = "locked_out";
    public const string Disabled = "disabled";
    public const string TwoFactorRequired = "two_factor_required";
    public const string TwoFactorFailed = "two_factor_failed";
    public const string HostNotAllowed = "host_not_allowed";
}

internal sealed class LoginAttemptConfiguration : IEntityTypeConfiguration<LoginAttempt>
{
    public void Configure(EntityTypeBuilder<LoginAttempt> b)
    {
        b.Property(a => a.UserName).HasMaxLength(256);
        b.Property(a => a.Ip).HasMaxLength(64);
        b.Property(a => a.UserAgent).HasMaxLength(512);
        b.Property(a => a.Outcome).HasMaxLength(32);
        b.HasIndex(a => new { a.UserId, a.CreatedAt });
        b.HasIndex(a => a.CreatedAt);
    }
}
