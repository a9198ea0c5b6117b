namespace Easel.Imaging.Sketch;

/// <summary>The rendering decisions that follow from style and lighting, made once per image.</summary>
internal sealed record Look
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

    /// <summary>Unsharp-mask strength applied at the end (0 = none): "sharp focus", "fine detail".</summary>
    public float Sharpen { get; init; }

    /// <summary>No directional fall-off in the grade ("even lighting").</summary>
    public bool EvenLight { get; init; }

    /// <summary>A studio backdrop of one flat colour, without floor band or spotlight.</summary>
    public bool PlainBackdrop { get; init; }

    /// <summary>Bigger and more sparkles on jewellery and glass, brighter gem highlights.</summary>
    public bool Brilliance { get; init; }

    /// <summary>Roll highlights off before they clip, lift the deepest shadows, brighten a dark picture.</summary>
    public bool BalancedExposure { get; init; }

    /// <summary>Overall brightening (0 = none).</summary>
    public float Brighten { get; init; }

    /// <summary>Saturation applied to the whole finished picture, subjects included (1 = unchanged).</summary>
    public float GradeSaturation { get; init; } = 1f;

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
        look = lighting switch
        {
            SketchLighting.Soft => look.With(contrast: look.Contrast * 0.86f, bloom: look.Bloom + 0.15f, vignette: look.Vignette * 0.5f),
            SketchLighting.Dramatic => look.With(contrast: look.Contrast * 1.3f, vignette: MathF.Max(look.Vignette, 0.55f), bloom: look.Bloom + 0.1f),
            _ when neonLight => look.With(contrast: look.Contrast, vignette: MathF.Max(look.Vignette, 0.3f), bloom: MathF.Max(look.Bloom, 0.4f), glow: true),
            _ => look,
        };
        return scene.Enhancements == SketchEnhancements.None ? look : Enhance(look, scene);
    }

    /// <summary>The finishing requests, each moving one measurable quality in its direction.</summary>
    private static Look Enhance(Look look, SketchScene scene)
    {
        if (scene.Enhanced(SketchEnhancements.SharpFocus))
            look = look with { DepthOfField = 0, Bloom = look.Bloom * 0.5f, Sharpen = look.Sharpen + 0.6f };
        if (scene.Enhanced(SketchEnhancements.FineDetail))
            look = look with { DepthOfField = look.DepthOfField * 0.5f, Sharpen = look.Sharpen + 0.4f };
        if (look.Pixel)
            look = look with { Sharpen = 0 };
        if (scene.Enhanced(SketchEnhancements.HighContrast))
            // "high contrast" alone is already dramatic light: then only a little more.
            look = look with { Contrast = look.Contrast * (scene.Lighting == SketchLighting.Dramatic ? 1.08f : 1.2f) };
        if (scene.Enhanced(SketchEnhancements.EvenLighting))
            look = look with { Vignette = 0, Shading = look.Shading * 0.6f, EvenLight = true };
        if (scene.Enhanced(SketchEnhancements.PlainBackground) && scene.Setting == SketchSetting.Studio)
            look = look with { Vignette = 0, PlainBackdrop = true, EvenLight = true };
        if (scene.Enhanced(SketchEnhancements.Brilliance))
            look = look with { Brilliance = true };
        if (scene.Enhanced(SketchEnhancements.BalancedExposure))
            look = look with { BalancedExposure = true };
        if (scene.Enhanced(SketchEnhancements.Bright))
            look = look with { Brighten = 0.1f };
        if (scene.Enhanced(SketchEnhancements.Vivid))
            look = look with { GradeSaturation = look.GradeSaturation * 1.3f };
        if (scene.Enhanced(SketchEnhancements.Muted))
            look = look with { GradeSaturation = look.GradeSaturation * 0.6f };
        return look;
    }

    private Look With(float contrast, float vignette, float bloom, bool glow = false) =>
        this with { Contrast = contrast, Vignette = vignette, Bloom = bloom, SubjectGlow = SubjectGlow || glow };
}
