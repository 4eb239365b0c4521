using Collect.Core.Settings;

namespace Collect.Tests.Settings;

/// <summary>The time zones users may choose, and the seed's moment-style date formats written the .NET way.</summary>
public sealed class DateFormatTests
{
    [Fact]
    public void Every_offered_time_zone_resolves_on_this_machine()
    {
        var zones = SystemSettingsService.TimeZones();

        Assert.Contains("Europe/Berlin", zones);
        Assert.Contains("Etc/UTC", zones);
        Assert.All(zones, id => Assert.NotNull(TimeZoneInfo.FindSystemTimeZoneById(id)));
    }

    [Theory]
    [InlineData("DD.MM.YYYY HH:mm:ss", "24.12.2025 18:05:09")]
    [InlineData("DD/MM/YYYY HH:mm:ss", "24/12/2025 18:05:09")]
    [InlineData("MM-DD-YYYY HH:mm:ss", "12-24-2025 18:05:09")]
    [InlineData("MM/DD/YYYY HH:mm:ss", "12/24/2025 18:05:09")]
    [InlineData("YYYY.MM.DD HH:mm:ss", "2025.12.24 18:05:09")]
    [InlineData("YYYY-MM-DD HH:mm:ss", "2025-12-24 18:05:09")]
    public void Each_seed_format_writes_the_day_month_and_year_where_it_says(string format, string written)
    {
        var time = new DateTimeOffset(2025, 12, 24, 18, 5, 9, TimeSpan.Zero);

        Assert.Equal(written, SystemSettingsService.Format(time, format));
    }

    [Fact]
    public void Every_seed_format_has_a_date_part_without_the_time()
    {
        Assert.Equal("DD.MM.YYYY", MomentFormat.DatePart("DD.MM.YYYY HH:mm:ss"));
        Assert.Equal("YYYY/MM/DD", MomentFormat.DatePart("YYYY/MM/DD HH:mm:ss"));
        Assert.All(SystemSettingsService.DateTimeFormats, f => Assert.DoesNotContain("H", MomentFormat.DatePart(f)));
    }

    [Fact]
    public void A_format_that_names_no_date_part_falls_back_to_the_default()
    {
        var time = new DateTimeOffset(2025, 12, 24, 18, 5, 9, TimeSpan.Zero);

        Assert.Null(MomentFormat.ToDotNet("xyz"));
        Assert.Equal("24.12.2025 18:05:09", SystemSettingsService.Format(time, "xyz"));
    }
}
