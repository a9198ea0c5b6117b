using System.Runtime.CompilerServices;

namespace Easel.Imaging.Sketch;

/// <summary>How edges and pigment behave; set once per render from the style.</summary>
internal sealed class BrushStyle
{
    /// <summary>Width of the anti-aliased edge in pixels: 1 is crisp, larger is softer, tiny is hard (pixel art).</summary>
    public float Softness { get; init; } = 1f;

    /// <summary>Watercolour: how far each pixel's edges are pushed (pixels), making edges wobble.</summary>
    public NoiseField? Wobble { get; init; }

    public float WobbleAmplitude { get; init; }

    public float EdgeDarkeningWidth { get; init; } = 1f;

    /// <summary>How much darker a watercolour wash gets at its rim (0 turns it off).</summary>
    public float EdgeDarkening { get; init; } = 0.18f;

    public bool IsWatercolor => Wobble is not null;
}

/// <summary>Paints shapes into one layer: coverage from signed distance, then "over" compositing.</summary>
internal sealed class Brush(Layer target, BrushStyle style)
{
    public Layer Target { get; } = target;

    public BrushStyle Style { get; } = style;

    public void Fill<T>(in T shape, Rgb color, float opacity = 1f) where T : struct, IShape =>
        Fill(shape, Paint.Solid(color), opacity);

    public void Fill<T>(in T shape, in Paint paint, float opacity = 1f) where T : struct, IShape =>
        Fill<T, Paint>(shape, paint, opacity);

    public void Fill<T, TPaint>(in T shape, in TPaint paint, float opacity = 1f) where T : struct, IShape where TPaint : struct, IPaint
    {
        var soft = Style.Softness;
        var pad = soft + 1 + Style.WobbleAmplitude * 1.5f;
        if (!Clip(shape.Bounds.Inflate(pad), out var x0, out var y0, out var x1, out var y1))
            return;
        var px = Target.Px;
        var width = Target.Width;
        var watercolor = Style.IsWatercolor;
        var inverseSoft = 1f / soft;
        var half = soft * 0.5f;
        // Past this depth a pixel is fully covered and shows no watercolour rim.
        var deep = half + (watercolor ? 3 * Style.EdgeDarkeningWidth : 0);
        // Wobble noise bends distances a little, so skip more cautiously in watercolour.
        var step = watercolor ? 0.4f : 0.8f;
        for (var y = y0; y < y1; y++)
        {
            var fy = y + 0.5f;
            var i = (y * width + x0) * 4;
            for (var x = x0; x < x1; x++, i += 4)
            {
                var fx = x + 0.5f;
                var d = shape.Distance(fx, fy);
                if (watercolor)
                    d += Wobble(fx, fy);
                if (d >= half)
                {
                    if (T.IsBound && d > half + 2)
                    {
                        // Nothing of the shape within d pixels: jump ahead.
                        var skip = Math.Min((int)((d - half) * step), x1 - 1 - x);
                        x += skip;
                        i += skip * 4;
                    }
                    continue;
                }
                if (T.IsBound && d < -deep - 2)
                {
                    // Fully inside for the next few pixels: fill them without testing.
                    var run = Math.Max(1, Math.Min((int)((-d - deep) * step), x1 - x));
                    for (var k = 0; k < run; k++, x++, i += 4)
                    {
                        Blend(px, i, paint.At(x + 0.5f, fy), opacity);
                    }
                    x--;
                    i -= 4;
                    continue;
                }
                var coverage = Mathx.Clamp01(0.5f - d * inverseSoft);
                var c = paint.At(fx, fy);
                if (watercolor)
                    c = Pigment(c, d);
                Blend(px, i, c, coverage * opacity);
            }
        }
    }

    /// <summary>An outline of the shape, <paramref name="width"/> pixels thick.</summary>
    public void Stroke<T>(in T shape, float width, Rgb color, float opacity = 1f) where T : struct, IShape =>
        Fill(new Ring<T>(shape, width), Paint.Solid(color), opacity);

    /// <summary>
    /// Additive light around (and inside) a shape falling off as exp(-distance / radius):
    /// sun halos, neon tubes, lit windows.
    /// </summary>
    public void Glow<T>(in T shape, float radius, Rgb color, float strength) where T : struct, IShape
    {
        if (!Clip(shape.Bounds.Inflate(radius * 4.5f), out var x0, out var y0, out var x1, out var y1))
            return;
        var px = Target.Px;
        var width = Target.Width;
        var inverseRadius = 1f / MathF.Max(radius, 0.5f);
        for (var y = y0; y < y1; y++)
        {
            var fy = y + 0.5f;
            var i = (y * width + x0) * 4;
            for (var x = x0; x < x1; x++, i += 4)
            {
                var t = MathF.Max(shape.Distance(x + 0.5f, fy), 0) * inverseRadius;
                if (t >= 4.5f)
                    continue;
                // exp falloff, eased to exactly zero at 4.5 radii so the bounding box leaves no seam.
                var fade = 1 - t * (1f / 4.5f);
                var g = strength * MathF.Exp(-t) * fade * fade;
                if (g < 0.001f)
                    continue;
                px[i] += color.R * g;
                px[i + 1] += color.G * g;
                px[i + 2] += color.B * g;
                px[i + 3] += g * (1 - px[i + 3]);
                if (px[i + 3] > 1)
                    px[i + 3] = 1;
            }
        }
    }

    /// <summary>
    /// Fills everything below a surface line: <paramref name="tops"/>[x] is the surface's y at column x.
    /// Hills, dunes, waves and skylines are all this one operation.
    /// </summary>
    public void FillBelow(float[] tops, in Paint paint, float opacity = 1f) => FillBelow<Paint>(tops, null, paint, opacity);

    /// <summary>Fills between two surface lines (snow caps, bands of water); <paramref name="bottoms"/> null means to the frame's foot.</summary>
    /// <param name="stopY">Rows below this are known to be covered by a nearer layer, so they are skipped.</param>
    public void FillBelow<TPaint>(float[] tops, float[]? bottoms, in TPaint paint, float opacity = 1f, float stopY = float.MaxValue)
        where TPaint : struct, IPaint
    {
        var width = Target.Width;
        var height = Target.Height;
        var minTop = float.MaxValue;
        for (var x = 0; x < width; x++)
            minTop = MathF.Min(minTop, tops[x]);
        var soft = Style.Softness;
        var y0 = Math.Max(0, (int)(minTop - soft - 2 - Style.WobbleAmplitude * 1.5f));
        if (y0 >= height)
            return;
        // Distance to a height field is (top - y) / sqrt(1 + slope^2): keeps steep slopes as smooth as flat ones.
        var inverseSlope = new float[width];
        for (var x = 0; x < width; x++)
        {
            var slope = (tops[Math.Min(x + 1, width - 1)] - tops[Math.Max(x - 1, 0)]) * 0.5f;
            inverseSlope[x] = 1f / MathF.Sqrt(1 + slope * slope);
        }
        var y1 = height;
        if (bottoms is not null)
        {
            var maxBottom = 0f;
            for (var x = 0; x < width; x++)
                maxBottom = MathF.Max(maxBottom, bottoms[x]);
            y1 = Math.Min(height, (int)(maxBottom + soft + 2 + Style.WobbleAmplitude * 1.5f));
        }
        if (stopY < height)
            y1 = Math.Min(y1, (int)MathF.Ceiling(stopY + soft + 2 + Style.WobbleAmplitude * 2));
        var px = Target.Px;
        var watercolor = Style.IsWatercolor;
        var inverseSoft = 1f / soft;
        var wobbleReach = Style.WobbleAmplitude * 1.5f + soft;
        var deep = 3 * Style.EdgeDarkeningWidth;
        for (var y = y0; y < y1; y++)
        {
            var fy = y + 0.5f;
            var i = y * width * 4;
            for (var x = 0; x < width; x++, i += 4)
            {
                var fx = x + 0.5f;
                var d = (tops[x] - fy) * inverseSlope[x];
                if (bottoms is not null)
                    d = MathF.Max(d, fy - bottoms[x]);
                if (watercolor)
                {
                    if (d > wobbleReach)
                        continue;
                    if (d < -wobbleReach - deep)
                    {
                        Blend(px, i, paint.At(fx, fy), opacity);
                        continue;
                    }
                    d += Wobble(fx, fy);
                }
                if (d >= soft * 0.5f)
                    continue;
                var coverage = Mathx.Clamp01(0.5f - d * inverseSoft);
                var c = paint.At(fx, fy);
                if (watercolor)
                    c = Pigment(c, d);
                Blend(px, i, c, coverage * opacity);
            }
        }
    }

    /// <summary>Fills whole rows with a colour per row (sky gradients): no shape test needed.</summary>
    public void FillRows(int y0, int y1, Func<int, Rgb> colorOfRow, float opacity = 1f)
    {
        var width = Target.Width;
        var px = Target.Px;
        y0 = Math.Max(0, y0);
        y1 = Math.Min(Target.Height, y1);
        for (var y = y0; y < y1; y++)
        {
            var c = colorOfRow(y);
            var i = y * width * 4;
            if (opacity >= 1)
            {
                for (var x = 0; x < width; x++, i += 4)
                {
                    px[i] = c.R;
                    px[i + 1] = c.G;
                    px[i + 2] = c.B;
                    px[i + 3] = 1;
                }
                continue;
            }
            for (var x = 0; x < width; x++, i += 4)
                Blend(px, i, c, opacity);
        }
    }

    private float Wobble(float x, float y) => Style.Wobble!.At(x, y);

    /// <summary>
    /// Watercolour pigment pools at the edge of a wash, darkening a thin rim inside it. (The blotchy
    /// thickness of the wash is applied once over the whole picture when it is finished.)
    /// </summary>
    private Rgb Pigment(Rgb c, float d)
    {
        var w = Style.EdgeDarkeningWidth;
        if (d < 0 && d > -3 * w)
        {
            // (1 + d/3w)^2 approximates exp(d/w) closely enough and needs no transcendental call.
            var t = 1 + d / (3 * w);
            c = c.Scale(1 - Style.EdgeDarkening * t * t);
        }
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Blend(float[] px, int i, Rgb c, float a)
    {
        if (a <= 0)
            return;
        var k = 1 - a;
        px[i] = c.R * a + px[i] * k;
        px[i + 1] = c.G * a + px[i + 1] * k;
        px[i + 2] = c.B * a + px[i + 2] * k;
        px[i + 3] = a + px[i + 3] * k;
    }

    private bool Clip(RectF r, out int x0, out int y0, out int x1, out int y1)
    {
        x0 = Math.Max(0, (int)MathF.Floor(r.X0));
        y0 = Math.Max(0, (int)MathF.Floor(r.Y0));
        x1 = Math.Min(Target.Width, (int)MathF.Ceiling(r.X1) + 1);
        y1 = Math.Min(Target.Height, (int)MathF.Ceiling(r.Y1) + 1);
        return x0 < x1 && y0 < y1;
    }
}
