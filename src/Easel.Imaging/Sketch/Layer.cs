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
        var stride = Width * 4;
        Rows.For(0, Height, Width, (y0, y1) =>
        {
            for (var i = y0 * stride; i < y1 * stride; i += 4)
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
        });
    }

    /// <summary>
    /// The alpha channel as its own array (for glows, rims and shadows), and the box of pixels with
    /// any coverage (empty when X1 &lt;= X0).
    /// </summary>
    public float[] Alpha(out (int X0, int Y0, int X1, int Y1) covered)
    {
        var a = new float[Width * Height];
        var px = Px;
        int x0 = Width, y0 = Height, x1 = 0, y1 = 0;
        for (var y = 0; y < Height; y++)
        {
            var first = -1;
            var last = -1;
            for (int x = 0, i = y * Width, j = i * 4 + 3; x < Width; x++, i++, j += 4)
            {
                var v = px[j];
                a[i] = v;
                if (v > 0)
                {
                    if (first < 0)
                        first = x;
                    last = x;
                }
            }
            if (first < 0)
                continue;
            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, last + 1);
            y0 = Math.Min(y0, y);
            y1 = y + 1;
        }
        covered = (x0, y0, x1, y1);
        return a;
    }
}
