namespace Easel.Imaging.Sketch;

/// <summary>
/// Separable running-sum box blur; three passes approximate a Gaussian. Cost is independent of
/// the radius, which keeps depth-of-field and glows inside the time budget.
/// </summary>
internal static class Blur
{
    /// <summary>Blurs interleaved data with <paramref name="channels"/> floats per pixel, in place.</summary>
    public static void Gaussian(float[] data, int width, int height, int channels, float radius)
    {
        if (radius < 0.5f)
            return;
        // Three box passes of radius r have variance ~ r(r+1); pick r to match the requested sigma.
        var r = Math.Max(1, (int)MathF.Round(MathF.Sqrt(radius * radius + 0.25f) - 0.5f));
        var temp = new float[data.Length];
        for (var pass = 0; pass < 3; pass++)
        {
            Horizontal(data, temp, width, height, channels, r);
            Vertical(temp, data, width, height, channels, r);
        }
    }

    /// <summary>
    /// Blur at half resolution and upsample: a large soft blur (background depth of field, bloom)
    /// for a quarter of the cost.
    /// </summary>
    public static float[] Downsampled(float[] data, int width, int height, int channels, float radius, out int smallWidth, out int smallHeight)
    {
        smallWidth = Math.Max(1, width / 2);
        smallHeight = Math.Max(1, height / 2);
        var small = new float[smallWidth * smallHeight * channels];
        for (var y = 0; y < smallHeight; y++)
        {
            var sy0 = Math.Min(2 * y, height - 1);
            var sy1 = Math.Min(2 * y + 1, height - 1);
            for (var x = 0; x < smallWidth; x++)
            {
                var sx0 = Math.Min(2 * x, width - 1);
                var sx1 = Math.Min(2 * x + 1, width - 1);
                for (var c = 0; c < channels; c++)
                {
                    small[(y * smallWidth + x) * channels + c] = 0.25f * (
                        data[(sy0 * width + sx0) * channels + c] + data[(sy0 * width + sx1) * channels + c] +
                        data[(sy1 * width + sx0) * channels + c] + data[(sy1 * width + sx1) * channels + c]);
                }
            }
        }
        Gaussian(small, smallWidth, smallHeight, channels, radius / 2);
        return small;
    }

    /// <summary>
    /// One full-resolution row of a half-resolution buffer, bilinear (weights 1/4 and 3/4 for an exact 2x
    /// upsample), written into dest (width * channels floats).
    /// </summary>
    public static void UpsampleRow(float[] small, int smallWidth, int smallHeight, int channels, int y, Span<float> dest)
    {
        var width = dest.Length / channels;
        var j = y >> 1;
        var other = (y & 1) == 0 ? Math.Max(j - 1, 0) : Math.Min(j + 1, smallHeight - 1);
        j = Math.Min(j, smallHeight - 1);
        other = Math.Min(other, smallHeight - 1);
        var a = small.AsSpan(j * smallWidth * channels, smallWidth * channels);
        var b = small.AsSpan(other * smallWidth * channels, smallWidth * channels);
        for (var x = 0; x < width; x++)
        {
            var i = Math.Min(x >> 1, smallWidth - 1);
            var k = (x & 1) == 0 ? Math.Max(i - 1, 0) : Math.Min(i + 1, smallWidth - 1);
            for (var c = 0; c < channels; c++)
            {
                var near = 0.75f * a[i * channels + c] + 0.25f * b[i * channels + c];
                var far = 0.75f * a[k * channels + c] + 0.25f * b[k * channels + c];
                dest[x * channels + c] = 0.75f * near + 0.25f * far;
            }
        }
    }

    private static void Horizontal(float[] src, float[] dst, int width, int height, int channels, int r) =>
        Rows.For(0, height, width * channels / 4, (y0, y1) => Horizontal(src, dst, width, channels, r, y0, y1));

    private static void Horizontal(float[] src, float[] dst, int width, int channels, int r, int y0, int y1)
    {
        var scale = 1f / (2 * r + 1);
        Span<float> sum = stackalloc float[channels];
        for (var y = y0; y < y1; y++)
        {
            var row = y * width * channels;
            for (var c = 0; c < channels; c++)
            {
                var s = src[row + c] * (r + 1);
                for (var k = 1; k <= r; k++)
                    s += src[row + Math.Min(k, width - 1) * channels + c];
                sum[c] = s;
            }
            for (var x = 0; x < width; x++)
            {
                var add = row + Math.Min(x + r + 1, width - 1) * channels;
                var remove = row + Math.Max(x - r, 0) * channels;
                var o = row + x * channels;
                for (var c = 0; c < channels; c++)
                {
                    dst[o + c] = sum[c] * scale;
                    sum[c] += src[add + c] - src[remove + c];
                }
            }
        }
    }

    /// <summary>Runs down the image with one running sum per column; bands of columns can run in parallel.</summary>
    private static void Vertical(float[] src, float[] dst, int width, int height, int channels, int r) =>
        Rows.For(0, width * channels, height / 4, (c0, c1) => Vertical(src, dst, width * channels, height, r, c0, c1));

    private static void Vertical(float[] src, float[] dst, int stride, int height, int r, int c0, int c1)
    {
        var scale = 1f / (2 * r + 1);
        var sum = new float[stride];
        for (var i = c0; i < c1; i++)
        {
            var s = src[i] * (r + 1);
            for (var k = 1; k <= r; k++)
                s += src[Math.Min(k, height - 1) * stride + i];
            sum[i] = s;
        }
        for (var y = 0; y < height; y++)
        {
            var o = y * stride;
            var add = Math.Min(y + r + 1, height - 1) * stride;
            var remove = Math.Max(y - r, 0) * stride;
            for (var i = c0; i < c1; i++)
            {
                dst[o + i] = sum[i] * scale;
                sum[i] += src[add + i] - src[remove + i];
            }
        }
    }
}
