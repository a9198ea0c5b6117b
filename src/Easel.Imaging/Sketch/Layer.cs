namespace Easel.Imaging.Sketch;

/// <summary>
/// A float RGBA raster with premultiplied alpha: compositing and blurring are plain sums, and an
/// empty layer is fully transparent (what a transparent-background render starts from).
/// </summary>
internal sealed class Layer
{
    public Layer(int width, int height)
    {
        Width = width;
        Height = height;
        Px = new float[width * height * 4];
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Premultiplied R, G, B, A per pixel, row-major.</summary>
    public float[] Px { get; }

    public Span<float> Row(int y) => Px.AsSpan(y * Width * 4, Width * 4);

    /// <summary>Paints this layer's content over <paramref name="below"/> (Porter-Duff "over"), in place in <paramref name="below"/>.</summary>
    public void DrawOver(Layer below, float opacity = 1f)
    {
        var src = Px;
        var dst = below.Px;
        for (var i = 0; i < src.Length; i += 4)
        {
            var a = src[i + 3] * opacity;
            if (a <= 0)
                continue;
            var k = 1 - a;
            dst[i] = src[i] * opacity + dst[i] * k;
            dst[i + 1] = src[i + 1] * opacity + dst[i + 1] * k;
            dst[i + 2] = src[i + 2] * opacity + dst[i + 2] * k;
            dst[i + 3] = a + dst[i + 3] * k;
        }
    }

    /// <summary>The alpha channel as its own array (for glows, rims and shadows).</summary>
    public float[] Alpha()
    {
        var a = new float[Width * Height];
        for (var i = 0; i < a.Length; i++)
            a[i] = Px[i * 4 + 3];
        return a;
    }

    /// <summary>Adds light (premultiplied "plus") with a per-pixel amount from a mask.</summary>
    public void AddLight(float[] mask, Rgb color, float strength)
    {
        var px = Px;
        for (var i = 0; i < mask.Length; i++)
        {
            var g = mask[i] * strength;
            if (g <= 0.0005f)
                continue;
            var j = i * 4;
            px[j] += color.R * g;
            px[j + 1] += color.G * g;
            px[j + 2] += color.B * g;
            px[j + 3] = MathF.Min(1, px[j + 3] + g * (1 - px[j + 3]));
        }
    }

    public Layer Clone()
    {
        var copy = new Layer(Width, Height);
        Px.AsSpan().CopyTo(copy.Px);
        return copy;
    }
}
