using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Easel.Imaging.Resampling;

/// <summary>Crop and sharpen.</summary>
public static class ImageOps
{
    /// <summary>Largest sharpening radius accepted; beyond this it is a blur-sized operation.</summary>
    public const double MaxSharpenRadius = 64.0;

    // Output rows per band when sharpening: the band re-blurs 2 * kernel radius rows of its
    // neighbours, so bands are several times taller than any common radius.
    private const int SharpenBandRows = 64;

    /// <summary>Copies the rectangle at (<paramref name="x"/>, <paramref name="y"/>) into a new image.</summary>
    public static RgbaImage Crop(this RgbaImage source, int x, int y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(width <= 0 ? nameof(width) : nameof(height),
                $"Crop size must be positive, got {width}x{height}.");
        if (x < 0 || y < 0 || (long)x + width > source.Width || (long)y + height > source.Height)
        {
            var param = x < 0 || (long)x + width > source.Width ? nameof(x) : nameof(y);
            throw new ArgumentOutOfRangeException(param,
                $"Crop rectangle {width}x{height} at ({x},{y}) does not fit inside the {source.Width}x{source.Height} image.");
        }

        var result = new RgbaImage(width, height);
        for (var row = 0; row < height; row++)
            source.ReadOnlyRow(y + row).Slice(x * 4, width * 4).CopyTo(result.Row(row));
        return result;
    }

    /// <summary>
    /// Unsharp mask: each pixel moves away from its Gaussian-blurred neighbourhood by
    /// <paramref name="amount"/> (0..2) times the difference. <paramref name="radius"/> is the
    /// Gaussian's standard deviation in pixels. Flat areas are left exactly as they were,
    /// alpha is unchanged, and the neighbourhood mean is alpha-weighted so transparent
    /// pixels' hidden colour does not leak into visible edges.
    /// </summary>
    public static RgbaImage Sharpen(this RgbaImage source, double amount = 0.5, double radius = 1.0)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(amount >= 0 && amount <= 2))
            throw new ArgumentOutOfRangeException(nameof(amount), $"Sharpen amount must be between 0 and 2, got {amount}.");
        if (!(radius > 0 && radius <= MaxSharpenRadius))
            throw new ArgumentOutOfRangeException(nameof(radius), $"Sharpen radius must be above 0 and at most {MaxSharpenRadius} pixels, got {radius}.");

        var result = new RgbaImage(source.Width, source.Height);
        if (amount == 0)
        {
            source.Pixels.CopyTo(result.Pixels, 0);
            return result;
        }

        var kernel = Gaussian(radius);
        var opaque = source.IsOpaque();
        var bands = (source.Height + SharpenBandRows - 1) / SharpenBandRows;
        void Band(int b) => SharpenBand(source, result, kernel, (float)amount, opaque,
            b * SharpenBandRows, Math.Min(source.Height, (b + 1) * SharpenBandRows));
        if (bands == 1)
            Band(0);
        else
            Parallel.For(0, bands, Band);
        return result;
    }

    /// <summary>Normalised Gaussian taps out to three standard deviations.</summary>
    private static float[] Gaussian(double sigma)
    {
        var half = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var taps = new double[2 * half + 1];
        double sum = 0;
        for (var i = -half; i <= half; i++)
            sum += taps[i + half] = Math.Exp(-(i * i) / (2 * sigma * sigma));
        return taps.Select(t => (float)(t / sum)).ToArray();
    }

    private static void SharpenBand(RgbaImage source, RgbaImage target, float[] kernel, float amount, bool opaque, int y0, int y1)
    {
        var width = source.Width;
        var half = kernel.Length / 2;
        var rowFloats = width * 4;
        // Source rows the band's vertical kernel reads, clamped to the image (edges repeat).
        var first = Math.Max(0, y0 - half);
        var last = Math.Min(source.Height - 1, y1 - 1 + half);

        var pool = ArrayPool<float>.Shared;
        var paddedArray = pool.Rent((width + 2 * half) * 4);
        var blurredArray = pool.Rent((last - first + 1) * rowFloats);
        var meanArray = pool.Rent(rowFloats);
        try
        {
            var padded = paddedArray.AsSpan(0, (width + 2 * half) * 4);
            var blurred = blurredArray.AsSpan(0, (last - first + 1) * rowFloats);
            var mean = meanArray.AsSpan(0, rowFloats);

            for (var sy = first; sy <= last; sy++)
            {
                PremultiplyPadded(source.ReadOnlyRow(sy), padded, half, opaque);
                BlurRow(padded, blurred.Slice((sy - first) * rowFloats, rowFloats), kernel);
            }

            for (var y = y0; y < y1; y++)
            {
                mean.Clear();
                for (var k = 0; k < kernel.Length; k++)
                {
                    var sy = Math.Clamp(y + k - half, 0, source.Height - 1);
                    RowMath.MultiplyAdd(kernel[k], blurred.Slice((sy - first) * rowFloats, rowFloats), mean);
                }
                Unsharp(source.ReadOnlyRow(y), mean, target.Row(y), amount, opaque);
            }
        }
        finally
        {
            pool.Return(meanArray);
            pool.Return(blurredArray);
            pool.Return(paddedArray);
        }
    }

    /// <summary>A row as premultiplied floats, with its end pixels repeated <paramref name="pad"/> times on each side.</summary>
    private static void PremultiplyPadded(ReadOnlySpan<byte> pixels, Span<float> padded, int pad, bool opaque)
    {
        var width = pixels.Length / 4;
        for (var i = 0; i < width + 2 * pad; i++)
        {
            var p = Math.Clamp(i - pad, 0, width - 1) * 4;
            float r = pixels[p], g = pixels[p + 1], b = pixels[p + 2], a = pixels[p + 3];
            if (!opaque)
            {
                var f = a * (1f / 255f);
                r *= f;
                g *= f;
                b *= f;
            }
            Vector128.Create(r, g, b, a).CopyTo(padded.Slice(i * 4, 4));
        }
    }

    private static void BlurRow(ReadOnlySpan<float> padded, Span<float> output, float[] kernel)
    {
        var width = output.Length / 4;
        for (var x = 0; x < width; x++)
        {
            var window = padded.Slice(x * 4, kernel.Length * 4);
            var sum = Vector128<float>.Zero;
            for (var k = 0; k < kernel.Length; k++)
                sum += Vector128.Create(kernel[k]) * Vector128.Create(window.Slice(k * 4, 4));
            sum.CopyTo(output.Slice(x * 4, 4));
        }
    }


    private static void Unsharp(ReadOnlySpan<byte> pixels, ReadOnlySpan<float> mean, Span<byte> output, float amount, bool opaque)
    {
        var lo = Vector128<float>.Zero;
        var hi = Vector128.Create(255f);
        var half = Vector128.Create(0.5f);
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var alpha = pixels[i + 3];
            var blur = Vector128.Create(mean.Slice(i, 4));
            var blurAlpha = blur.GetElement(3);
            if (alpha == 0 || blurAlpha <= 0f)
            {
                pixels.Slice(i, 4).CopyTo(output.Slice(i, 4));
                continue;
            }
            // Straight-colour mean of the neighbourhood, weighted by how visible each neighbour is.
            if (!opaque)
                blur *= 255f / blurAlpha;
            var colour = Vector128.Create((float)pixels[i], pixels[i + 1], pixels[i + 2], 0f);
            var sharpened = colour + amount * (colour - blur);
            var c = Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(sharpened, lo), hi) + half);
            output[i] = (byte)c.GetElement(0);
            output[i + 1] = (byte)c.GetElement(1);
            output[i + 2] = (byte)c.GetElement(2);
            output[i + 3] = alpha;
        }
    }
}
