namespace Easel.Imaging.Sketch;

/// <summary>The rendering decisions that follow from style and lighting, made once per image.</summary>
internal sealed class Look
{
    public required SketchStyle Style { get; init; }
    public required SketchLighting Lighting { get; init; }

    /// <summary>Shapes get one colour each (no shading gradients): flat, minimal and pixel art.</summary>
    public bool FlatFill { get; init; }

    /// <summary>1 = normal amount of scenery; lower draws fewer trees, clouds and details.</summary>
    public float Detail { get; init; } = 1f;

    /// <summary>Subject shading strength (top-lit gradient).</summary>
    public float Shading { get; init; } = 1f;

    public float Saturation { get; init; } = 1f;
    public float Contrast { get; init; } = 1f;
    public float Vignette { get; init; }
    public float Grain { get; init; }
    public float Bloom { get; init; }

    /// <summary>Background blur radius as a fraction of the short side (photographic depth of field).</summary>
    public float DepthOfField { get; init; }

    public bool Paper { get; init; }
    public bool Pixel { get; init; }

    /// <summary>Subject drawn as dark glass with glowing neon edges.</summary>
    public bool NeonTubes { get; init; }

    /// <summary>A coloured glow behind the subject (neon lighting, cyberpunk).</summary>
    public bool SubjectGlow { get; init; }

    public static Look For(SketchScene scene)
    {
        var style = scene.Style;
        var lighting = scene.Lighting;
        var neonLight = lighting == SketchLighting.Neon;
        var look = style switch
        {
            SketchStyle.Watercolor => new Look { Style = style, Lighting = lighting, Paper = true, Saturation = 0.92f, Shading = 0.6f, Detail = 0.9f },
            SketchStyle.PixelArt => new Look { Style = style, Lighting = lighting, Pixel = true, FlatFill = true, Saturation = 1.15f, Detail = 0.8f },
            SketchStyle.Flat => new Look { Style = style, Lighting = lighting, FlatFill = true, Shading = 0, Detail = 0.8f, Saturation = 1.05f },
            SketchStyle.Minimal => new Look { Style = style, Lighting = lighting, FlatFill = true, Shading = 0, Detail = 0.3f, Saturation = 0.8f },
            SketchStyle.Photographic => new Look
            {
                Style = style, Lighting = lighting, Shading = 1.5f, Saturation = 0.92f, Grain = 0.035f, Vignette = 0.28f,
                DepthOfField = 0.006f, Bloom = 0.12f,
            },
            SketchStyle.Cyberpunk => new Look
            {
                Style = style, Lighting = lighting, Saturation = 1.2f, Vignette = 0.4f, Bloom = 0.45f, SubjectGlow = true, Contrast = 1.1f,
            },
            SketchStyle.Neon => new Look
            {
                Style = style, Lighting = lighting, Saturation = 1.25f, Vignette = 0.45f, Bloom = 0.55f, NeonTubes = true, SubjectGlow = true,
                Detail = 0.7f, FlatFill = true,
            },
            _ => new Look { Style = style, Lighting = lighting, Vignette = 0.06f },
        };
        return lighting switch
        {
            SketchLighting.Soft => look.With(contrast: look.Contrast * 0.86f, bloom: look.Bloom + 0.15f, vignette: look.Vignette * 0.5f),
            SketchLighting.Dramatic => look.With(contrast: look.Contrast * 1.3f, vignette: MathF.Max(look.Vignette, 0.55f), bloom: look.Bloom + 0.1f),
            _ when neonLight => look.With(contrast: look.Contrast, vignette: MathF.Max(look.Vignette, 0.3f), bloom: MathF.Max(look.Bloom, 0.4f), glow: true),
            _ => look,
        };
    }

    private Look With(float contrast, float vignette, float bloom, bool glow = false) => new()
    {
        Style = Style, Lighting = Lighting, FlatFill = FlatFill, Detail = Detail, Shading = Shading, Saturation = Saturation,
        Contrast = contrast, Vignette = vignette, Grain = Grain, Bloom = bloom, DepthOfField = DepthOfField, Paper = Paper,
        Pixel = Pixel, NeonTubes = NeonTubes, SubjectGlow = SubjectGlow || glow,
    };
}
