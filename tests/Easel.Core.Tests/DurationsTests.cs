namespace Easel.Core.Tests;

public sealed class DurationsTests
{
    public static TheoryData<string, TimeSpan> Good => new()
    {
        { "90s", TimeSpan.FromSeconds(90) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "24h", TimeSpan.FromHours(24) },
        { "2d", TimeSpan.FromDays(2) },
        { "1w", TimeSpan.FromDays(7) },
        { "1h30m", TimeSpan.FromMinutes(90) },
        { "1d 2h 3m 4s", new TimeSpan(1, 2, 3, 4) },
        { "5M", TimeSpan.FromMinutes(5) },
        { "  2H  ", TimeSpan.FromHours(2) },
        { "00:05:00", TimeSpan.FromMinutes(5) },
        { "1.02:00:00", TimeSpan.FromHours(26) },
        { " 12:30:15 ", new TimeSpan(12, 30, 15) },
        { "00:00:00.5", TimeSpan.FromMilliseconds(500) },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void Parses_units_and_timespan_form(string text, TimeSpan expected)
    {
        Durations.TryParse(text, out var value, out var error).ShouldBeTrue(error);
        value.ShouldBe(expected);
        error.ShouldBe("");
    }

    [Theory]
    [InlineData("5x", "'5x' is not a duration; use a number and a unit, e.g. 90s, 5m, 24h, 2d.")]
    [InlineData("5", "'5' is not a duration;")]
    [InlineData("m", "'m' is not a duration;")]
    [InlineData("", "'' is not a duration;")]
    [InlineData(null, "'' is not a duration;")]
    [InlineData("   ", "'' is not a duration;")]
    [InlineData("1.5h", "'1.5h' is not a duration;")]
    [InlineData("30m1h", "'30m1h' is not a duration;")]
    [InlineData("1h1h", "'1h1h' is not a duration;")]
    [InlineData("5m junk", "'5m junk' is not a duration;")]
    [InlineData("00:61:00", "'00:61:00' is not a duration;")]
    [InlineData("0s", "'0s' is zero; a duration must be more than zero.")]
    [InlineData("00:00:00", "'00:00:00' is zero;")]
    [InlineData("-5m", "'-5m' is negative; a duration must be more than zero.")]
    [InlineData("-00:05:00", "'-00:05:00' is negative;")]
    [InlineData("99999999999999999999s", "is too long; a duration must be under")]
    [InlineData("9999999999999w", "is too long;")]
    [InlineData("10675199d 23h 59m 59s 1s", "is too long;")]
    public void Refuses_bad_durations_with_a_reason(string? text, string reason)
    {
        Durations.TryParse(text, out var value, out var error).ShouldBeFalse();
        error.ShouldContain(reason);
        value.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(300, "5m")]
    [InlineData(5400, "1h30m")]
    [InlineData(86_400, "24h")]
    [InlineData(129_600, "36h")]
    [InlineData(172_800, "2d")]
    [InlineData(180_061, "2d2h1m1s")]
    [InlineData(0, "0s")]
    [InlineData(-300, "-5m")]
    public void Formats_short_human_forms(int seconds, string expected) =>
        Durations.Format(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Theory]
    [InlineData(1_400, "1s")]
    [InlineData(1_500, "2s")]
    [InlineData(299_800, "5m")]
    [InlineData(400, "0s")]
    [InlineData(-400, "0s")]
    [InlineData(-1_600, "-2s")]
    public void Formats_to_the_nearest_second(int milliseconds, string expected) =>
        Durations.Format(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);

    [Fact]
    public void Formats_the_extremes_without_overflow()
    {
        Durations.Format(TimeSpan.MaxValue).ShouldBe("10675199d2h48m5s");
        Durations.Format(TimeSpan.MinValue).ShouldBe("-10675199d2h48m5s");
    }

    [Theory]
    [InlineData("1s")]
    [InlineData("59m59s")]
    [InlineData("1w 1d 1h 1m 1s")]
    [InlineData("366d")]
    [InlineData("10675199d 2h 48m 5s")]
    public void Format_reads_back_to_the_same_value(string text)
    {
        Durations.TryParse(text, out var value, out _).ShouldBeTrue();
        Durations.TryParse(Durations.Format(value), out var again, out _).ShouldBeTrue();
        again.ShouldBe(value);
    }
}
