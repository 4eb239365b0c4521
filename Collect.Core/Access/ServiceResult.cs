namespace Collect.Core.Access;

public enum ResultStatus { Ok, NotFound, Invalid, Forbidden }

/// <summary>The outcome of a service call that a caller maps to 200/404/422/403 without catching exceptions.</summary>
public sealed record ServiceResult<T>(ResultStatus Status, T? Value, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool IsOk => Status == ResultStatus.Ok;
    public static ServiceResult<T> Ok(T value) => new(ResultStatus.Ok, value);
    public static ServiceResult<T> NotFound() => new(ResultStatus.NotFound, default);
    public static ServiceResult<T> Forbidden(string? reason = null) =>
        new(ResultStatus.Forbidden, default, reason is null ? null : new Dictionary<string, string[]> { [""] = [reason] });
    public static ServiceResult<T> Invalid(string field, string message) =>
        new(ResultStatus.Invalid, default, new Dictionary<string, string[]> { [field] = [message] });
    public static ServiceResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ResultStatus.Invalid, default, errors);
}

/// <summary>A page of results with the total count, for server-side paging in the UI and the API.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageNumber, int PageSize);

public sealed record PageRequest(int Page = 1, int PerPage = 50)
{
    public const int MaxPerPage = 500;
    public int Skip => Size == int.MaxValue ? 0 : (int)Math.Min((long)(Math.Max(1, Page) - 1) * Size, int.MaxValue);
    /// <summary>int.MaxValue asks for the whole list, as API lists without paging parameters do.</summary>
    public int Size => PerPage == int.MaxValue ? int.MaxValue : Math.Clamp(PerPage, 1, MaxPerPage);
}
