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

    /// <summary>A measuring brush paints nothing: it only records the box its shapes cover (see <see cref="Measured"/>).</summary>
    public bool Measuring { get; init; }

    /// <summary>Union of the bounds of every shape filled while <see cref="Measuring"/>; glows and added light are not counted.</summary>
    public RectF? Measured { get; private set; }

    public void Fill<T>(in T shape, Rgb color, float opacity = 1f) where T : struct, IShape =>
        Fill(shape, Paint.Solid(color), opacity);

    public void Fill<T>(in T shape, in Paint paint, float opacity = 1f) where T : struct, IShape =>
        Fill<T, Paint>(shape, paint, opacity);

    public void Fill<T, TPaint>(in T shape, in TPaint paint, float opacity = 1f) where T : struct, IShape where TPaint : struct, IPaint
    {
        var bounds = shape.Bounds;
        if (Measuring)
        {
            Measured = Measured is { } m ? m.Union(bounds) : bounds;
            return;
        }
        var soft = Style.Softness;
        // Watercolour edges wobble in proportion to the shape: a distant tree moves a pixel, a hill several.
        var wobble = Style.IsWatercolor
            ? MathF.Min(1f, 0.12f * MathF.Min(bounds.X1 - bounds.X0, bounds.Y1 - bounds.Y0) / MathF.Max(Style.WobbleAmplitude * 1.5f, 1e-3f))
            : 0f;
        var pad = soft + 1 + Style.WobbleAmplitude * 1.5f * wobble;
        if (!Clip(bounds.Inflate(pad), out var x0, out var y0, out var x1, out var y1))
            return;
        var px = Target.Px;
        var width = Target.Width;
        var watercolor = Style.IsWatercolor;
        var inverseSoft = 1f / soft;
        var half = soft * 0.5f;
        // Past this depth a pixel is fully covered and shows no watercolour rim.
        var deep = half + (watercolor ? 3 * Style.EdgeDarkeningWidth : 0);
        // Watercolour edges move by at most this much, so farther from the edge the wobble cannot matter.
        var reach = Style.WobbleAmplitude * 1.5f * wobble;
        for (var y = y0; y < y1; y++)
        {
            var fy = y + 0.5f;
            var i = (y * width + x0) * 4;
            for (var x = x0; x < x1; x++, i += 4)
            {
                var fx = x + 0.5f;
                var d = shape.Distance(fx, fy);
                if (d >= half + reach)
                {
                    if (T.IsBound && d > half + reach + 2)
                    {
                        // Nothing of the shape within d pixels: jump ahead.
                        var skip = Math.Min((int)((d - half - reach) * 0.8f), x1 - 1 - x);
                        x += skip;
                        i += skip * 4;
                    }
                    continue;
                }
                if (T.IsBound && d < -deep - reach - 2)
                {
                    // Fully inside for the next few pixels: fill them without testing.
                    var run = Math.Max(1, Math.Min((int)((-d - deep - reach) * 0.8f), x1 - x));
                    for (var k = 0; k < run; k++, x++, i += 4)
                        Blend(px, i, paint.At(x + 0.5f, fy), opacity);
                    x--;
                    i -= 4;
                    continue;
                }
                if (watercolor)
                {
                    d += Wobble(fx, fy) * wobble;
                    if (d >= half)
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

    /// <summary>
    /// Adds light inside a shape (premultiplied "plus"): beams and shafts whose paint fades to black
    /// fade to nothing instead of darkening what is behind them.
    /// </summary>
    public void Add<T>(in T shape, in Paint paint, float opacity) where T : struct, IShape
    {
        if (Measuring || !Clip(shape.Bounds.Inflate(Style.Softness + 1), out var x0, out var y0, out var x1, out var y1))
            return;
        var px = Target.Px;
        var width = Target.Width;
        var inverseSoft = 1f / Style.Softness;
        for (var y = y0; y < y1; y++)
        {
            var fy = y + 0.5f;
            var i = (y * width + x0) * 4;
            for (var x = x0; x < x1; x++, i += 4)
            {
                var fx = x + 0.5f;
                var a = Mathx.Clamp01(0.5f - shape.Distance(fx, fy) * inverseSoft) * opacity;
                if (a <= 0)
                    continue;
                var c = paint.At(fx, fy);
                px[i] += c.R * a;
                px[i + 1] += c.G * a;
                px[i + 2] += c.B * a;
                px[i + 3] = MathF.Min(1, px[i + 3] + a * c.Max * (1 - px[i + 3]));
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
        if (Measuring || !Clip(shape.Bounds.Inflate(radius * 4.5f), out var x0, out var y0, out var x1, out var y1))
            return;
        var px = Target.Px;
        var width = Target.Width;
        radius = MathF.Max(radius, 0.5f);
        var inverseRadius = 1f / radius;
        for (var y = y0; y < y1; y++)
        {
            var fy = y + 0.5f;
            var i = (y * width + x0) * 4;
            for (var x = x0; x < x1; x++, i += 4)
            {
                var t = MathF.Max(shape.Distance(x + 0.5f, fy), 0) * inverseRadius;
                if (t >= 4.5f)
                {
                    if (T.IsBound)
                    {
                        var skip = Math.Min((int)((t - 4.5f) * radius * 0.8f), x1 - 1 - x);
                        x += skip;
                        i += skip * 4;
                    }
                    continue;
                }
                // ~exp(-t) (the inverse of its Taylor series: no transcendental call per pixel), eased to
                // exactly zero at 4.5 radii so the bounding box leaves no seam.
                var fade = 1 - t * (1f / 4.5f);
                var g = strength * fade * fade / (1 + t * (1 + t * (0.5f + t * (1f / 6 + t * (1f / 24)))));
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
        if (Style.IsWatercolor)
        {
            // A hand-painted edge: the surface line itself wobbles, column by column.
            tops = Wobbled(tops);
            if (bottoms is not null)
                bottoms = Wobbled(bottoms);
        }
        var minTop = float.MaxValue;
        for (var x = 0; x < width; x++)
            minTop = MathF.Min(minTop, tops[x]);
        var soft = Style.Softness;
        var y0 = Math.Max(0, (int)(minTop - soft - 2));
        if (y0 >= height)
            return;
        // Distance to a height field is (top - y) / sqrt(1 + slope^2): keeps steep slopes as smooth as flat
        // ones. The steeper one-sided slope is used so a sharp peak is not mistaken for flat ground.
        var inverseSlope = new float[width];
        for (var x = 0; x < width; x++)
        {
            var slope = MathF.Max(MathF.Abs(tops[Math.Min(x + 1, width - 1)] - tops[x]), MathF.Abs(tops[x] - tops[Math.Max(x - 1, 0)]));
            inverseSlope[x] = 1f / MathF.Sqrt(1 + slope * slope);
        }
        var y1 = height;
        if (bottoms is not null)
        {
            var maxBottom = 0f;
            for (var x = 0; x < width; x++)
                maxBottom = MathF.Max(maxBottom, bottoms[x]);
            y1 = Math.Min(height, (int)(maxBottom + soft + 2));
        }
        if (stopY < height)
            y1 = Math.Min(y1, (int)MathF.Ceiling(stopY + soft + 2 + Style.WobbleAmplitude * 2));
        var px = Target.Px;
        var watercolor = Style.IsWatercolor;
        var inverseSoft = 1f / soft;
        var deep = soft + 3 * Style.EdgeDarkeningWidth;
        var p = paint;
        Rows.For(y0, y1, width, (from, to) =>
        {
            // Locals, not captured fields, in the hot loop.
            var (pixels, top, inverse, paintAt) = (px, tops, inverseSlope, p);
            for (var y = from; y < to; y++)
            {
                var fy = y + 0.5f;
                var i = y * width * 4;
                for (var x = 0; x < width; x++, i += 4)
                {
                    var fx = x + 0.5f;
                    var d = (top[x] - fy) * inverse[x];
                    if (bottoms is not null)
                        d = MathF.Max(d, fy - bottoms[x]);
                    if (d >= soft * 0.5f)
                        continue;
                    if (d < -deep)
                    {
                        Blend(pixels, i, paintAt.At(fx, fy), opacity);
                        continue;
                    }
                    var coverage = Mathx.Clamp01(0.5f - d * inverseSoft);
                    var c = paintAt.At(fx, fy);
                    if (watercolor)
                        c = Pigment(c, d);
                    Blend(pixels, i, c, coverage * opacity);
                }
            }
        });
    }

    /// <summary>Fills whole rows with a colour per row (sky gradients): no shape test needed.</summary>
    public void FillRows(int y0, int y1, Func<int, Rgb> colorOfRow, float opacity = 1f)
    {
        var width = Target.Width;
        var px = Target.Px;
        y0 = Math.Max(0, y0);
        y1 = Math.Min(Target.Height, y1);
        Rows.For(y0, y1, width, (from, to) =>
        {
            for (var y = from; y < to; y++)
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
        });
    }

    private float Wobble(float x, float y) => Style.Wobble!.At(x, y);

    private float[] Wobbled(float[] line)
    {
        var moved = new float[line.Length];
        for (var x = 0; x < line.Length; x++)
            moved[x] = line[x] + Wobble(x + 0.5f, line[x]);
        return moved;
    }

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
