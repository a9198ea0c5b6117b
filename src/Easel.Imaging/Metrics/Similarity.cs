using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Easel.Imaging.Resampling;

namespace Easel.Imaging.Metrics;

/// <summary>
/// Full-reference quality measures: how close an image is to the one it should equal (an
/// upscale against the original it was shrunk from, say). Both compare what is seen: colour is
/// weighted by alpha (premultiplied, as if composited over black), so colour hidden under
/// transparent pixels counts for nothing; alpha itself is not compared separately. For opaque
/// images that is simply the RGB values.
/// </summary>
public static class Similarity
{
    /// <summary>Side of the SSIM window, and so the smallest image SSIM can measure.</summary>
    public const int SsimWindow = 11;

    /// <summary>Standard deviation of the SSIM window's Gaussian weights, in pixels.</summary>
    public const double SsimSigma = 1.5;

    public const double SsimK1 = 0.01;

    public const double SsimK2 = 0.03;

    // Rows per work item: enough to amortise scheduling and, for SSIM, the window's 10 extra rows.
    private const int ChunkRows = 32;

    // Luma is stored minus this, so the squares summed in float stay small and E[x²] − μ² keeps its precision.
    private const float LumaOffset = 128f;

    private static readonly float[] s_window = Gaussian();

    /// <summary>
    /// Peak signal-to-noise ratio in decibels over the R, G and B samples (0..255, alpha-weighted):
    /// 10·log10(255² / MSE). Identical images give <see cref="double.PositiveInfinity"/>: there
    /// is no error to measure, and no finite cap would be true.
    /// </summary>
    public static double Psnr(RgbaImage reference, RgbaImage image)
    {
        var mse = MeanSquaredError(reference, image);
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>Mean squared difference of the R, G and B samples (0..255 units, alpha-weighted).</summary>
    public static double MeanSquaredError(RgbaImage reference, RgbaImage image)
    {
        CheckSameSize(reference, image, nameof(image));
        var opaque = reference.IsOpaque() && image.IsOpaque();
        var height = reference.Height;
        var chunks = (height + ChunkRows - 1) / ChunkRows;
        var sums = new double[chunks];
        Run(chunks, c =>
        {
            double sum = 0;
            for (var y = c * ChunkRows; y < Math.Min(height, (c + 1) * ChunkRows); y++)
                sum += opaque
                    ? SquaredErrorOpaque(reference.ReadOnlyRow(y), image.ReadOnlyRow(y))
                    : SquaredErrorPremultiplied(reference.ReadOnlyRow(y), image.ReadOnlyRow(y));
            sums[c] = sum;
        });
        // Chunk sums are added in order, so the result does not depend on thread timing.
        double total = 0;
        foreach (var s in sums)
            total += s;
        return total / (3.0 * reference.Width * height);
    }

    /// <summary>
    /// Mean structural similarity (Wang, Bovik, Sheikh and Simoncelli, 2004) as its reference
    /// implementation computes it: on luma (Rec. 601, 0.299 R + 0.587 G + 0.114 B, alpha-weighted)
    /// with an 11x11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, L = 255, population
    /// (not sample) variances, averaged over every window that lies wholly inside the image (no
    /// padding at the borders). 1 means identical; images must be at least 11x11. The windows are
    /// summed in float, which puts the result within about 1e-6 of a float64 implementation.
    /// </summary>
    public static double Ssim(RgbaImage reference, RgbaImage image)
    {
        CheckSameSize(reference, image, nameof(image));
        if (reference.Width < SsimWindow || reference.Height < SsimWindow)
            throw new ArgumentException(
                $"SSIM needs images of at least {SsimWindow}x{SsimWindow} pixels (its window size), got {reference.Width}x{reference.Height}.", nameof(image));

        var width = reference.Width;
        var height = reference.Height;
        var pool = ArrayPool<float>.Shared;
        var xArray = pool.Rent(width * height);
        var yArray = pool.Rent(width * height);
        try
        {
            var chunks = (height + ChunkRows - 1) / ChunkRows;
            Run(chunks, c =>
            {
                for (var row = c * ChunkRows; row < Math.Min(height, (c + 1) * ChunkRows); row++)
                {
                    Luma(reference.ReadOnlyRow(row), xArray.AsSpan(row * width, width));
                    Luma(image.ReadOnlyRow(row), yArray.AsSpan(row * width, width));
                }
            });

            var outHeight = height - SsimWindow + 1;
            var outWidth = width - SsimWindow + 1;
            var bands = (outHeight + ChunkRows - 1) / ChunkRows;
            var sums = new double[bands];
            Run(bands, b => sums[b] = SsimBand(xArray, yArray, width, b * ChunkRows, Math.Min(outHeight, (b + 1) * ChunkRows)));
            double total = 0;
            foreach (var s in sums)
                total += s;
            return total / ((double)outWidth * outHeight);
        }
        finally
        {
            pool.Return(yArray);
            pool.Return(xArray);
        }
    }

    private static void CheckSameSize(RgbaImage reference, RgbaImage image, string parameter)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(image);
        if (reference.Width != image.Width || reference.Height != image.Height)
            throw new ArgumentException(
                $"Images must be the same size to compare: the reference is {reference.Width}x{reference.Height}, the image {image.Width}x{image.Height}.", parameter);
    }

    private static void Run(int chunks, Action<int> body)
    {
        if (chunks == 1)
            body(0);
        else
            Parallel.For(0, chunks, body);
    }

    private static long SquaredErrorOpaque(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i += 4)
        {
            int dr = a[i] - b[i], dg = a[i + 1] - b[i + 1], db = a[i + 2] - b[i + 2];
            sum += dr * dr + dg * dg + db * db;
        }
        return sum;
    }

    private static double SquaredErrorPremultiplied(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i += 4)
        {
            double fa = a[i + 3] / 255.0, fb = b[i + 3] / 255.0;
            double dr = a[i] * fa - b[i] * fb, dg = a[i + 1] * fa - b[i + 1] * fb, db = a[i + 2] * fa - b[i + 2] * fb;
            sum += dr * dr + dg * dg + db * db;
        }
        return sum;
    }

    private static void Luma(ReadOnlySpan<byte> pixels, Span<float> luma)
    {
        for (int i = 0, x = 0; x < luma.Length; i += 4, x++)
        {
            var y = 0.299f * pixels[i] + 0.587f * pixels[i + 1] + 0.114f * pixels[i + 2];
            if (pixels[i + 3] != 255)
                y *= pixels[i + 3] * (1f / 255f);
            luma[x] = y - LumaOffset;
        }
    }

    /// <summary>
    /// Sum of the SSIM map over output rows [y0, y1): the window's horizontal pass runs on the
    /// band's source rows (the band plus 10 rows) for x, y, x², y² and xy, the vertical pass on
    /// those, both as whole-row multiply-adds.
    /// </summary>
    private static double SsimBand(float[] xPlane, float[] yPlane, int width, int y0, int y1)
    {
        var taps = s_window.Length;
        var outWidth = width - taps + 1;
        var rows = y1 - y0 + taps - 1;
        var pool = ArrayPool<float>.Shared;
        var filteredArray = pool.Rent(5 * rows * outWidth);
        var productsArray = pool.Rent(3 * width);
        var sumsArray = pool.Rent(5 * outWidth);
        try
        {
            var filtered = filteredArray.AsSpan(0, 5 * rows * outWidth);
            filtered.Clear();
            var plane = rows * outWidth;
            for (var r = 0; r < rows; r++)
            {
                var x = xPlane.AsSpan((y0 + r) * width, width);
                var y = yPlane.AsSpan((y0 + r) * width, width);
                var xx = productsArray.AsSpan(0, width);
                var yy = productsArray.AsSpan(width, width);
                var xy = productsArray.AsSpan(2 * width, width);
                Multiply(x, x, xx);
                Multiply(y, y, yy);
                Multiply(x, y, xy);
                for (var k = 0; k < taps; k++)
                {
                    var w = s_window[k];
                    RowMath.MultiplyAdd(w, x.Slice(k, outWidth), filtered.Slice(r * outWidth, outWidth));
                    RowMath.MultiplyAdd(w, y.Slice(k, outWidth), filtered.Slice(plane + r * outWidth, outWidth));
                    RowMath.MultiplyAdd(w, xx.Slice(k, outWidth), filtered.Slice(2 * plane + r * outWidth, outWidth));
                    RowMath.MultiplyAdd(w, yy.Slice(k, outWidth), filtered.Slice(3 * plane + r * outWidth, outWidth));
                    RowMath.MultiplyAdd(w, xy.Slice(k, outWidth), filtered.Slice(4 * plane + r * outWidth, outWidth));
                }
            }

            double total = 0;
            var sums = sumsArray.AsSpan(0, 5 * outWidth);
            for (var r = 0; r < y1 - y0; r++)
            {
                sums.Clear();
                for (var k = 0; k < taps; k++)
                    for (var q = 0; q < 5; q++)
                        RowMath.MultiplyAdd(s_window[k], filtered.Slice(q * plane + (r + k) * outWidth, outWidth), sums.Slice(q * outWidth, outWidth));
                total += SsimRow(sums, outWidth);
            }
            return total;
        }
        finally
        {
            pool.Return(sumsArray);
            pool.Return(productsArray);
            pool.Return(filteredArray);
        }
    }

    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> product)
    {
        var av = MemoryMarshal.Cast<float, Vector<float>>(a);
        var bv = MemoryMarshal.Cast<float, Vector<float>>(b);
        var pv = MemoryMarshal.Cast<float, Vector<float>>(product);
        for (var i = 0; i < av.Length; i++)
            pv[i] = av[i] * bv[i];
        for (var i = av.Length * Vector<float>.Count; i < a.Length; i++)
            product[i] = a[i] * b[i];
    }

    /// <summary>Sum of one row of the SSIM map from the windowed means of x, y, x², y² and xy.</summary>
    private static double SsimRow(ReadOnlySpan<float> sums, int width)
    {
        const double c1 = SsimK1 * 255 * SsimK1 * 255;
        const double c2 = SsimK2 * 255 * SsimK2 * 255;
        var mx = sums[..width];
        var my = sums.Slice(width, width);
        var exx = sums.Slice(2 * width, width);
        var eyy = sums.Slice(3 * width, width);
        var exy = sums.Slice(4 * width, width);
        double total = 0;
        for (var i = 0; i < width; i++)
        {
            // Variances from the offset values (the offset cancels); the luminance term needs the true means.
            double sxx = exx[i] - (double)mx[i] * mx[i];
            double syy = eyy[i] - (double)my[i] * my[i];
            double sxy = exy[i] - (double)mx[i] * my[i];
            double ux = mx[i] + LumaOffset, uy = my[i] + LumaOffset;
            total += (2 * ux * uy + c1) * (2 * sxy + c2) / ((ux * ux + uy * uy + c1) * (sxx + syy + c2));
        }
        return total;
    }

    /// <summary>11 Gaussian weights of σ = 1.5, normalised to sum 1.</summary>
    private static float[] Gaussian()
    {
        var half = SsimWindow / 2;
        var taps = new double[SsimWindow];
        double sum = 0;
        for (var i = -half; i <= half; i++)
            sum += taps[i + half] = Math.Exp(-(i * i) / (2 * SsimSigma * SsimSigma));
        return taps.Select(t => (float)(t / sum)).ToArray();
    }
}
