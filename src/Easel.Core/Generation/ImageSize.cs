using System.Globalization;

namespace Easel.Core.Generation;

/// <summary>Pixel dimensions of an image to generate.</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public const int MinSide = 64;
    public const int MaxSide = 4096;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");

    /// <summary>Parses "WxH" (also "W*H" and "W×H") and checks each side is within bounds.</summary>
    public static bool TryParse(string text, out ImageSize size, out string error)
    {
        size = default;
        var parts = text.Trim().ToLowerInvariant().Split(['x', '*', '×']);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h))
        {
            error = $"'{text}' is not a size: use WIDTHxHEIGHT, e.g. 1024x768.";
            return false;
        }
        if (w < MinSide || h < MinSide || w > MaxSide || h > MaxSide)
        {
            error = $"{w}x{h} is out of range: each side must be between {MinSide} and {MaxSide} pixels.";
            return false;
        }
        size = new ImageSize(w, h);
        error = "";
        return true;
    }

    /// <summary>
    /// The size for an aspect ratio "W:H" with about <paramref name="targetPixels"/> pixels,
    /// both sides multiples of 64 (what most diffusion models want).
    /// </summary>
    public static bool TryFromAspectRatio(string text, long targetPixels, out ImageSize size, out string error)
    {
        size = default;
        var parts = text.Trim().Split(':');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rw)
            || !double.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rh)
            || rw <= 0 || rh <= 0)
        {
            error = $"'{text}' is not an aspect ratio: use W:H, e.g. 16:9.";
            return false;
        }
        var ratio = rw / rh;
        if (ratio > 4 || ratio < 0.25)
        {
            error = $"Aspect ratio {text} is too extreme: it must be between 1:4 and 4:1.";
            return false;
        }
        var width = Math.Sqrt(targetPixels * ratio);
        var height = width / ratio;
        size = new ImageSize(RoundTo64(width), RoundTo64(height));
        error = "";
        return true;
    }

    private static int RoundTo64(double v) => Math.Clamp((int)Math.Round(v / 64) * 64, MinSide, MaxSide);
}
