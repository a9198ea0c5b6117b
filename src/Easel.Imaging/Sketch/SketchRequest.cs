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
    bool TransparentBackground);
