namespace Collect.Core.Data;

/// <summary>An entity whose creation and last change times are stamped by <see cref="AuditInterceptor"/>.</summary>
public interface IAuditable
{
    DateTimeOffset CreatedAt { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
}
