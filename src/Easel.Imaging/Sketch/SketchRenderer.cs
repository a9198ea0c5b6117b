namespace Easel.Imaging.Sketch;

/// <summary>
/// Easel's built-in offline image provider: reads a prompt's words and paints a deterministic
/// illustrative sketch (flat shapes and gradients, not a photo model). Same request, same pixels.
/// </summary>
public static class SketchRenderer
{
    /// <summary>Images per call, like flux-schnell, so batching is exercised offline.</summary>
    public const int MaxImagesPerCall = 4;

    /// <summary>What the renderer understood from the request (shown by tools and tests).</summary>
    public static SketchScene Interpret(SketchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PromptInterpreter.Interpret(request);
    }

    public static RgbaImage Render(SketchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Width <= 0 || request.Height <= 0)
            throw new ArgumentOutOfRangeException(nameof(request), $"Image dimensions must be positive, got {request.Width}x{request.Height}.");
        if ((long)request.Width * request.Height > RgbaImage.MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(request), $"{request.Width}x{request.Height} exceeds the {RgbaImage.MaxPixels / 1_000_000} megapixel limit.");

        var scene = Interpret(request);
        var (width, height) = (request.Width, request.Height);
        if (scene.Style == SketchStyle.PixelArt)
        {
            // Paint a small picture, then blow each pixel up into a hard square block.
            var cell = Math.Max(2, (int)MathF.Round(Math.Min(width, height) / 90f));
            width = Math.Max(1, (width + cell - 1) / cell);
            height = Math.Max(1, (height + cell - 1) / cell);
        }
        var plan = RenderPlan.For(request);
        var painter = new SceneRenderer(scene, plan, request.TransparentBackground, width, height);
        var layer = painter.Render();
        return Finisher.Finish(layer, scene, painter.Look, painter.Palette, painter.SunX, painter.SunY, painter.SubjectMask,
            plan.Details, request.TransparentBackground, request.Width, request.Height);
    }
}
