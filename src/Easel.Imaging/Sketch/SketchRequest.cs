namespace Easel.Imaging.Sketch;

/// <summary>One image for the sketch renderer to paint.</summary>
/// <param name="Style">A normalised style name (watercolor, pixel-art, flat, minimal, photographic, cyberpunk, neon) or null.</param>
public sealed record SketchRequest(
    string Prompt,
    string? NegativePrompt,
    int Width,
    int Height,
    long Seed,
    string? Style,
    bool TransparentBackground)
{
    /// <summary>
    /// Colours read from reference images (<see cref="SketchImageColors.FromImage"/>): they nudge the
    /// sky, the ground and the accents toward the references'. Colour words in the prompt still win.
    /// </summary>
    public SketchImageColors? ReferenceColors { get; init; }

    /// <summary>Set to paint a variation of an earlier image instead of a fresh take on the prompt.</summary>
    public SketchVariation? Variation { get; init; }
}

public enum SketchVariationStrength
{
    /// <summary>Same layout, subject placement and palette; different fine details and slight jitter.</summary>
    Subtle,

    /// <summary>Same reading of the prompt (subject, place, time of day) in a new layout.</summary>
    Strong,
}

/// <summary>
/// A variation of an earlier image. <see cref="SketchRequest.Seed"/> is the variation's own seed: the
/// result is fixed by (parent seed, strength, that seed).
/// </summary>
/// <param name="ParentSeed">The seed the sketch renderer painted the parent with; null when another renderer made it.</param>
public sealed record SketchVariation(long? ParentSeed, SketchVariationStrength Strength)
{
    /// <summary>
    /// The parent's colours, used when <see cref="ParentSeed"/> is null: without the seed the composition
    /// cannot be repeated, so the variation keeps the parent's palette instead (strongly when subtle,
    /// gently when strong).
    /// </summary>
    public SketchImageColors? ParentColors { get; init; }
}
