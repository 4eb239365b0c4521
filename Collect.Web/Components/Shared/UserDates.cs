using System.Globalization;
using Collect.Core.Access;
using Collect.Core.Settings;
using Collect.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Collect.Web.Components.Shared;

/// <summary>
/// Per circuit: writes times in the signed-in user's time zone and date format (their account's <c>Timezone</c> and
/// <c>DatetimeFormat</c>). Routes loads it before any page renders; a zone this machine does not know is written as UTC.
/// </summary>
public sealed class UserDates(AuthenticationStateProvider authentication, AccountService accounts)
{
    private static readonly string DefaultFormat = SystemSettingsService.Find(SettingNames.DefaultDatetimeFormat)!.Default;

    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private string _pattern = MomentFormat.ToDotNet(DefaultFormat)!;

    /// <summary>Whether the user's preferences have been read (Routes waits for it).</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>The zone times are written in, as its id ("Europe/Berlin"), for labels such as "Last seen (Europe/Berlin)".</summary>
    public string Zone { get; private set; } = "UTC";

    /// <summary>The .NET pattern of the user's format without the time, e.g. for date pickers.</summary>
    public string DatePattern { get; private set; } = MomentFormat.ToDotNet(MomentFormat.DatePart(DefaultFormat))!;

    /// <summary>Reads the signed-in user's zone and format; without a user, times stay in UTC and the default format.</summary>
    public async Task LoadAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var user = state.User.UserId() is { } id ? await accounts.GetCurrentAsync(id) : null;
        Use(user?.Timezone, user?.DatetimeFormat);
    }

    /// <summary>Writes times in this zone and moment-style format from now on; null or unknown values fall back to UTC and the default.</summary>
    public void Use(string? timezone, string? format)
    {
        _zone = !string.IsNullOrWhiteSpace(timezone) && TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out var zone) ? zone : TimeZoneInfo.Utc;
        Zone = _zone == TimeZoneInfo.Utc ? "UTC" : timezone!;
        var moment = MomentFormat.ToDotNet(format) is null ? DefaultFormat : format!;
        _pattern = MomentFormat.ToDotNet(moment)!;
        DatePattern = MomentFormat.ToDotNet(MomentFormat.DatePart(moment)) ?? "yyyy-MM-dd";
        IsLoaded = true;
    }

    /// <summary>A time as the user reads it, e.g. "24.12.2025 18:30:00".</summary>
    public string Write(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone).ToString(_pattern, CultureInfo.InvariantCulture);

    /// <summary>A time as the user reads it, or a dash when there is none.</summary>
    public string Write(DateTimeOffset? at) => at is { } value ? Write(value) : "—";

    /// <summary>The calendar day of a time in the user's zone, e.g. "24.12.2025".</summary>
    public string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone).ToString(DatePattern, CultureInfo.InvariantCulture);

    /// <summary>The first moment of a calendar day in the user's zone, for "from" filters.</summary>
    public DateTimeOffset StartOf(DateTime day)
    {
        var midnight = DateTime.SpecifyKind(day.Date, DateTimeKind.Unspecified);
        // Where a clock change skips midnight, the day starts at the first hour that exists.
        while (_zone.IsInvalidTime(midnight)) midnight = midnight.AddHours(1);
        return new DateTimeOffset(midnight, _zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    /// <summary>The last moment of a calendar day in the user's zone, for "to" filters.</summary>
    public DateTimeOffset EndOf(DateTime day) => StartOf(day.Date.AddDays(1)).AddTicks(-1);
}
