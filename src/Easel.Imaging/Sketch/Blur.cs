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

    /// <summary>Bilinear sample of a half-resolution buffer at full-resolution pixel (x, y).</summary>
    public static void SampleHalf(float[] small, int smallWidth, int smallHeight, int channels, int x, int y, Span<float> result)
    {
        var gx = Math.Clamp((x + 0.5f) * 0.5f - 0.5f, 0, smallWidth - 1);
        var gy = Math.Clamp((y + 0.5f) * 0.5f - 0.5f, 0, smallHeight - 1);
        var ix = Math.Min((int)gx, smallWidth - 1);
        var iy = Math.Min((int)gy, smallHeight - 1);
        var ix1 = Math.Min(ix + 1, smallWidth - 1);
        var iy1 = Math.Min(iy + 1, smallHeight - 1);
        var fx = gx - ix;
        var fy = gy - iy;
        for (var c = 0; c < channels; c++)
        {
            var a = small[(iy * smallWidth + ix) * channels + c];
            var b = small[(iy * smallWidth + ix1) * channels + c];
            var d = small[(iy1 * smallWidth + ix) * channels + c];
            var e = small[(iy1 * smallWidth + ix1) * channels + c];
            var top = a + (b - a) * fx;
            var bottom = d + (e - d) * fx;
            result[c] = top + (bottom - top) * fy;
        }
    }

    /// <summary>Upsamples a half-resolution buffer back to full size.</summary>
    public static float[] Upsample(float[] small, int smallWidth, int smallHeight, int channels, int width, int height)
    {
        var full = new float[width * height * channels];
        Span<float> v = stackalloc float[channels];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                SampleHalf(small, smallWidth, smallHeight, channels, x, y, v);
                v.CopyTo(full.AsSpan((y * width + x) * channels, channels));
            }
        }
        return full;
    }

    private static void Horizontal(float[] src, float[] dst, int width, int height, int channels, int r)
    {
        var scale = 1f / (2 * r + 1);
        Span<float> sum = stackalloc float[channels];
        for (var y = 0; y < height; y++)
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

    private static void Vertical(float[] src, float[] dst, int width, int height, int channels, int r)
    {
        var scale = 1f / (2 * r + 1);
        var stride = width * channels;
        var sum = new float[stride];
        for (var i = 0; i < stride; i++)
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
            for (var i = 0; i < stride; i++)
            {
                dst[o + i] = sum[i] * scale;
                sum[i] += src[add + i] - src[remove + i];
            }
        }
    }
}
