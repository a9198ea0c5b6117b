namespace Easel.Core.Quality;

/// <summary>
/// The pixel checks the built-in evaluator can run for a preset criterion. A criterion whose
/// <see cref="PresetCriterion.Check"/> is null can only be judged by a language model.
/// </summary>
public static class PresetChecks
{
    public const string Sharpness = "sharpness";
    public const string Sparkle = "sparkle";
    public const string PlainBackground = "plain_background";
    public const string Brightness = "brightness";
    public const string Contrast = "contrast";
    public const string Colorfulness = "colorfulness";
    public const string Exposure = "exposure";

    public static readonly IReadOnlyList<string> All =
        [Sharpness, Sparkle, PlainBackground, Brightness, Contrast, Colorfulness, Exposure];

    /// <summary>The known spelling of <paramref name="check"/> (case and surrounding spaces ignored); null when unknown.</summary>
    public static string? Normalize(string check)
    {
        var key = check.Trim().ToLowerInvariant();
        return All.Contains(key, StringComparer.Ordinal) ? key : null;
    }
}
