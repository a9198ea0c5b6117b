namespace Easel.Imaging.Sketch;

/// <summary>
/// Which seed drives which random stream, and the outside colours to blend in. A plain request uses
/// its seed everywhere; a variation keeps some streams at the parent's seed so that part of the
/// picture repeats exactly: a subtle one keeps the composition and changes the details, a strong one
/// keeps only the subjects' own looks (coat, clothes) and lays everything out afresh.
/// </summary>
internal sealed class RenderPlan
{
    /// <summary>How strongly reference colours pull the palette (1 = the documented nudge).</summary>
    public const float ReferenceWeight = 1f;

    /// <summary>A subtle variation of an image of unknown seed keeps its palette closely...</summary>
    public const float SubtleParentWeight = 1.6f;

    /// <summary>...and a strong one only leans toward it.</summary>
    public const float StrongParentWeight = 0.8f;

    /// <summary>Layout (horizon, sun, subject placement), land shapes, trees, the moon's phase.</summary>
    public required long Composition { get; init; }

    /// <summary>Each subject's own stream: natural coat, clothes and the species a generic word picks.</summary>
    public required long Subjects { get; init; }

    /// <summary>Everything else: clouds, stars, birds, rain, ripples, brush and paper texture, grain, dither.</summary>
    public required long Details { get; init; }

    /// <summary>Subtle variations: slight position and colour jitter on top of the new details.</summary>
    public bool Jitter { get; init; }

    /// <summary>Image colours to nudge the palette with, in order, each with its weight.</summary>
    public IReadOnlyList<(SketchImageColors Colors, float Weight)> Colors { get; init; } = [];

    public long SeedFor(string stream) => stream switch
    {
        "layout" or "land" or "moon" or "snowfall" => Composition,
        _ when stream.StartsWith("subject:", StringComparison.Ordinal) => Subjects,
        _ => Details,
    };

    public static RenderPlan For(SketchRequest request)
    {
        var seed = request.Seed;
        var (composition, subjects, details, jitter) = (seed, seed, seed, false);
        var colors = new List<(SketchImageColors, float)>();
        if (request.Variation is { ParentSeed: { } parent } known)
        {
            var derived = Derive(parent, seed, known.Strength);
            (composition, subjects, details, jitter) = known.Strength == SketchVariationStrength.Subtle
                ? (parent, parent, derived, true)
                : (derived, parent, derived, false);
        }
        else if (request.Variation is { ParentColors: { } parentColors } unknown)
        {
            colors.Add((parentColors, unknown.Strength == SketchVariationStrength.Subtle ? SubtleParentWeight : StrongParentWeight));
        }
        if (request.ReferenceColors is { } references)
            colors.Add((references, ReferenceWeight));
        return new RenderPlan { Composition = composition, Subjects = subjects, Details = details, Jitter = jitter, Colors = colors };
    }

    /// <summary>A seed of its own for each (parent, variation seed, strength), never equal to the parent's even when the two seeds are.</summary>
    private static long Derive(long parent, long variation, SketchVariationStrength strength)
    {
        var tag = StableHash.Of(strength == SketchVariationStrength.Subtle ? "variation:subtle" : "variation:strong");
        return (long)SketchRandom.Mix((ulong)parent * 0x9E3779B97F4A7C15UL ^ SketchRandom.Mix((ulong)variation ^ tag));
    }
}
