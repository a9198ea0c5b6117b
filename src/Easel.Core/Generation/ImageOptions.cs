namespace Easel.Core.Generation;

/// <summary>How much effort (and money) a provider spends on an image (seed 004's <c>--quality</c>).</summary>
public enum ImageQuality
{
    Auto,
    Low,
    Medium,
    High,
}

/// <summary>The file format asked of a provider (seed 004's <c>--format</c>).</summary>
public enum ImageFormat
{
    Png,
    Jpeg,
    Webp,
}

public static class ImageOptionsText
{
    public static string ToText(this ImageQuality quality) => quality.ToString().ToLowerInvariant();

    public static string ToText(this ImageFormat format) => format.ToString().ToLowerInvariant();

    public static string MediaType(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Webp => "image/webp",
        _ => "image/png",
    };

    public static bool TryParseQuality(string? text, out ImageQuality quality) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out quality) && Enum.IsDefined(quality) && !int.TryParse(text, out _);

    public static bool TryParseFormat(string? text, out ImageFormat format)
    {
        var t = text?.Trim().ToLowerInvariant();
        if (t == "jpg")
            t = "jpeg";
        return Enum.TryParse(t, ignoreCase: true, out format) && Enum.IsDefined(format) && !int.TryParse(t, out _);
    }
}
