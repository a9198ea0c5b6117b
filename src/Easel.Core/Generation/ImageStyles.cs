namespace Easel.Core.Generation;

/// <summary>The named styles a user can ask for with <c>--style</c>; providers map them to their own terms.</summary>
public static class ImageStyles
{
    public static readonly IReadOnlyList<string> Known =
    [
        "watercolor", "pixel-art", "flat", "minimal", "photographic", "cyberpunk", "neon",
    ];

    /// <summary>Normalises spellings such as "Pixel Art" or "pixel_art"; null when unknown.</summary>
    public static string? Normalize(string text)
    {
        var key = text.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        key = key switch
        {
            "watercolour" => "watercolor",
            "pixel" or "pixelart" or "8-bit" => "pixel-art",
            "photo" or "photorealistic" or "realistic" => "photographic",
            "flat-design" => "flat",
            "minimalist" => "minimal",
            _ => key,
        };
        return Known.Contains(key) ? key : null;
    }
}
