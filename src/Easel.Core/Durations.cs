using System.Globalization;
using System.Text;

namespace Easel.Core;

/// <summary>Human durations ("90s", "5m", "24h", "2d", "1w", "1h30m") as typed on the command line and in config.</summary>
public static class Durations
{
    // Largest unit first: a combined duration must list its units in this order, each once.
    private static readonly (char Unit, TimeSpan Length)[] Units =
    [
        ('w', TimeSpan.FromDays(7)),
        ('d', TimeSpan.FromDays(1)),
        ('h', TimeSpan.FromHours(1)),
        ('m', TimeSpan.FromMinutes(1)),
        ('s', TimeSpan.FromSeconds(1)),
    ];

    /// <summary>
    /// Parses a positive duration: numbers with units (w, d, h, m, s; any case), or the invariant
    /// TimeSpan form "hh:mm:ss" / "d.hh:mm:ss" so config files written either way work.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = default;
        var trimmed = text?.Trim() ?? "";
        var negative = trimmed.StartsWith('-');
        var body = negative ? trimmed[1..].TrimStart() : trimmed;

        // Only the colon form goes to TimeSpan parsing: its plain "5" would silently mean 5 days.
        TimeSpan parsed;
        Parse result;
        if (body.Contains(':'))
            result = TimeSpan.TryParseExact(body, "c", CultureInfo.InvariantCulture, out parsed) ? Parse.Ok : Parse.Invalid;
        else
            result = ParseUnits(body, out parsed);

        error = result switch
        {
            Parse.Invalid => $"'{trimmed}' is not a duration; use a number and a unit, e.g. 90s, 5m, 24h, 2d.",
            Parse.Overflow => $"'{trimmed}' is too long; a duration must be under {TimeSpan.MaxValue.Days} days.",
            _ when negative => $"'{trimmed}' is negative; a duration must be more than zero.",
            _ when parsed == TimeSpan.Zero => $"'{trimmed}' is zero; a duration must be more than zero.",
            _ => "",
        };
        if (error.Length > 0)
            return false;
        value = parsed;
        return true;
    }

    private enum Parse { Ok, Invalid, Overflow }

    private static Parse ParseUnits(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0)
            return Parse.Invalid;
        var nextUnit = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
                i++;
            var digits = text.AsSpan(start, i - start);
            while (i < text.Length && text[i] == ' ')
                i++;
            if (digits.IsEmpty || i == text.Length)
                return Parse.Invalid;
            // Units go largest first, each at most once: "30m1h" or "1h1h" is a typo, not a sum.
            var unit = char.ToLowerInvariant(text[i++]);
            var index = Array.FindIndex(Units, nextUnit, u => u.Unit == unit);
            if (index < 0)
                return Parse.Invalid;
            nextUnit = index + 1;
            while (i < text.Length && text[i] == ' ')
                i++;

            var unitTicks = Units[index].Length.Ticks;
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count > (TimeSpan.MaxValue.Ticks - value.Ticks) / unitTicks)
                return Parse.Overflow;
            value += TimeSpan.FromTicks(count * unitTicks);
        }
        return Parse.Ok;
    }

    /// <summary>
    /// A short human form that <see cref="TryParse"/> reads back: "45s", "5m", "1h30m", "24h", "2d".
    /// Rounded to the second: it prints timeouts and time left, where ticks are noise.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            var magnitude = Format(value == TimeSpan.MinValue ? TimeSpan.MaxValue : value.Negate());
            return magnitude == "0s" ? magnitude : "-" + magnitude;
        }
        var seconds = value.Ticks / TimeSpan.TicksPerSecond + (value.Ticks % TimeSpan.TicksPerSecond >= TimeSpan.TicksPerSecond / 2 ? 1 : 0);
        if (seconds == 0)
            return "0s";

        var text = new StringBuilder();
        // Under two days, hours read better: "24h" and "36h" rather than "1d" and "1d12h".
        var days = seconds >= 2 * 86_400 ? seconds / 86_400 : 0;
        seconds -= days * 86_400;
        Append(text, days, 'd');
        Append(text, seconds / 3600, 'h');
        Append(text, seconds / 60 % 60, 'm');
        Append(text, seconds % 60, 's');
        return text.ToString();

        static void Append(StringBuilder text, long count, char unit)
        {
            if (count > 0)
                text.Append(CultureInfo.InvariantCulture, $"{count}{unit}");
        }
    }
}
