using Easel.Core.Generation;

namespace Easel.Providers.Google;

/// <summary>
/// Google's image models take no style parameter and read plain sentences best, so Easel's named
/// styles and variation requests become words in the prompt.
/// </summary>
internal static class GooglePrompt
{
    public static string Compose(string prompt, string? style)
    {
        var text = prompt.Trim();
        if (string.IsNullOrWhiteSpace(style))
            return text;
        var phrase = style switch
        {
            "watercolor" => "a watercolor painting",
            "pixel-art" => "pixel art",
            "flat" => "a flat vector illustration",
            "minimal" => "a minimalist image",
            "photographic" => "a photorealistic photograph",
            "cyberpunk" => "a cyberpunk image",
            "neon" => "an image lit by glowing neon",
            _ => $"an image in a {style.Trim()} style",
        };
        return $"{text.TrimEnd('.')}. Style: {phrase}.";
    }

    /// <summary>The words that ask for a variation of the image sent right after them.</summary>
    public static string Variation(string prompt, VariationStrength strength) => strength switch
    {
        VariationStrength.Strong => $"Make a new take on the attached image: keep its idea but feel free to change the composition. {prompt}",
        _ => $"Make a subtle variation of the attached image: keep its composition and change only the details. {prompt}",
    };
}
