using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Easel.Imaging.Resampling;

/// <summary>High-quality resizing with a separable Lanczos-3 filter.</summary>
public static class Resampler
{
    // Largest accumulator block (in floats) one band may hold: 16 MB.
    private const int MaxBandFloats = 4 << 20;

    // Below this many output pixels the thread hand-off costs more than it saves.
    private const long ParallelThreshold = 128 * 1024;

    /// <summary>
    /// Resizes with Lanczos-3 in the image's stored (sRGB) values, like ImageMagick's
    /// <c>-filter Lanczos -resize WxH!</c>. Colours are weighted by alpha (premultiplied),
    /// so transparent pixels do not bleed their hidden colour into visible ones.
    /// </summary>
    public static RgbaImage Resize(RgbaImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Target size must be positive, got {width}x{height}.");
        if ((long)width * height > RgbaImage.MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(width), $"Target size {width}x{height} exceeds the {RgbaImage.MaxPixels / 1_000_000} megapixel limit.");

        if (width == source.Width && height == source.Height)
            return new RgbaImage(width, height, (byte[])source.Pixels.Clone()); // Lanczos at 1:1 is the identity.

        var job = new Job(source, new RgbaImage(width, height),
            FilterWeights.Lanczos3(source.Width, width),
            FilterWeights.Lanczos3(source.Height, height),
            source.IsOpaque());

        var band = BandHeight(source, job);
        var bands = (height + band - 1) / band;
        if (bands == 1 || (long)width * height < ParallelThreshold)
        {
            for (var b = 0; b < bands; b++)
                job.Run(b * band, Math.Min(height, (b + 1) * band));
        }
        else
        {
            Parallel.For(0, bands, b => job.Run(b * band, Math.Min(height, (b + 1) * band)));
        }
        return job.Target;
    }

    /// <summary>
    /// Output rows per band. Neighbouring bands both read the source rows their kernels
    /// share, so a band spans several kernel heights to keep that repeated work small.
    /// </summary>
    private static int BandHeight(RgbaImage source, Job job)
    {
        var sourceRowsPerOutput = (double)source.Height / job.Target.Height;
        var rows = (int)Math.Min(Math.Ceiling(8.0 * job.Rows.Taps / sourceRowsPerOutput), int.MaxValue);
        var cap = Math.Max(1, MaxBandFloats / (job.AccumulatorWidth * 4));
        return Math.Clamp(rows, 1, Math.Min(cap, job.Target.Height));
    }

    private sealed class Job(RgbaImage source, RgbaImage target, FilterWeights columns, FilterWeights rows, bool opaque)
    {
        // Same pass order as ImageMagick (horizontal first only when the width shrinks less
        // than the height), so the clamped intermediate agrees with it at hard edges too.
        private readonly bool _horizontalFirst = (double)target.Width / source.Width > (double)target.Height / source.Height;

        public RgbaImage Target { get; } = target;

        public FilterWeights Rows { get; } = rows;

        /// <summary>Width in pixels of the rows the vertical pass accumulates.</summary>
        public int AccumulatorWidth => _horizontalFirst ? Target.Width : source.Width;

        /// <summary>
        /// Produces output rows [y0, y1). Each source row the band needs is converted to
        /// premultiplied floats once and added into the accumulators of the output rows whose
        /// vertical kernel covers it, so memory stays one band of rows however tall the kernel
        /// is. The horizontal pass runs on each source row before that (horizontal first) or
        /// on each accumulated row after it (vertical first).
        /// </summary>
        public void Run(int y0, int y1)
        {
            var accFloats = AccumulatorWidth * 4;
            var taps = Rows.Taps;
            var sourceFirst = Rows.Start[y0];
            var sourceEnd = Rows.Start[y1 - 1] + taps;

            var pool = ArrayPool<float>.Shared;
            var accArray = pool.Rent((y1 - y0) * accFloats);
            var lineArray = pool.Rent(source.Width * 4);
            var filteredArray = pool.Rent(Target.Width * 4);
            try
            {
                var acc = accArray.AsSpan(0, (y1 - y0) * accFloats);
                var line = lineArray.AsSpan(0, source.Width * 4);
                var filtered = filteredArray.AsSpan(0, Target.Width * 4);
                acc.Clear();

                var firstUser = y0;
                for (var sy = sourceFirst; sy < sourceEnd; sy++)
                {
                    while (firstUser < y1 && Rows.Start[firstUser] + taps <= sy)
                        firstUser++;
                    if (firstUser == y1 || Rows.Start[firstUser] > sy)
                        continue; // no output row in this band reads this source row

                    Premultiply(source.ReadOnlyRow(sy), line, opaque);
                    ReadOnlySpan<float> contribution = line;
                    if (_horizontalFirst)
                    {
                        Horizontal(line, filtered, columns);
                        ClampIntermediate(filtered, opaque);
                        contribution = filtered;
                    }

                    for (var y = firstUser; y < y1 && Rows.Start[y] <= sy; y++)
                    {
                        var w = Rows.Weights[y * taps + sy - Rows.Start[y]];
                        if (w != 0f)
                            RowMath.MultiplyAdd(w, contribution, acc.Slice((y - y0) * accFloats, accFloats));
                    }
                }

                for (var y = y0; y < y1; y++)
                {
                    var row = acc.Slice((y - y0) * accFloats, accFloats);
                    if (!_horizontalFirst)
                    {
                        ClampIntermediate(row, opaque);
                        Horizontal(row, filtered, columns);
                        row = filtered;
                    }
                    Store(row, Target.Row(y), opaque);
                }
            }
            finally
            {
                pool.Return(filteredArray);
                pool.Return(lineArray);
                pool.Return(accArray);
            }
        }
    }

    /// <summary>RGBA bytes to floats in 0..255, colour multiplied by alpha / 255.</summary>
    private static void Premultiply(ReadOnlySpan<byte> pixels, Span<float> line, bool opaque)
    {
        ref var src = ref MemoryMarshal.GetReference(pixels);
        ref var dst = ref MemoryMarshal.GetReference(line);
        var i = 0;
        if (opaque && Vector256.IsHardwareAccelerated)
        {
            // Eight pixels at a time: widen bytes to 32-bit integers, convert to float.
            for (; i <= pixels.Length - 32; i += 32)
            {
                var bytes = Vector256.LoadUnsafe(ref src, (nuint)i);
                var (lo16, hi16) = Vector256.Widen(bytes);
                var (a, b) = Vector256.Widen(lo16);
                var (c, d) = Vector256.Widen(hi16);
                Vector256.ConvertToSingle(a).StoreUnsafe(ref dst, (nuint)i);
                Vector256.ConvertToSingle(b).StoreUnsafe(ref dst, (nuint)(i + 8));
                Vector256.ConvertToSingle(c).StoreUnsafe(ref dst, (nuint)(i + 16));
                Vector256.ConvertToSingle(d).StoreUnsafe(ref dst, (nuint)(i + 24));
            }
        }

        for (; i < pixels.Length; i += 4)
        {
            float r = Unsafe.Add(ref src, i), g = Unsafe.Add(ref src, i + 1), b = Unsafe.Add(ref src, i + 2), a = Unsafe.Add(ref src, i + 3);
            if (!opaque && a != 255f)
            {
                var f = a * (1f / 255f);
                r *= f;
                g *= f;
                b *= f;
            }
            Vector128.Create(r, g, b, a).StoreUnsafe(ref dst, (nuint)i);
        }
    }

    /// <summary>
    /// One row through the horizontal kernel. Safe without bounds checks because
    /// <see cref="FilterWeights"/> keeps every window inside the row.
    /// </summary>
    private static void Horizontal(ReadOnlySpan<float> line, Span<float> output, FilterWeights columns)
    {
        var taps = columns.Taps;
        var starts = columns.Start;
        Debug.Assert(output.Length == starts.Length * 4);
        Debug.Assert(line.Length >= (starts[^1] + taps) * 4);
        ref var src = ref MemoryMarshal.GetReference(line);
        ref var dst = ref MemoryMarshal.GetReference(output);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(columns.Weights);
        for (var x = 0; x < starts.Length; x++)
        {
            ref var pixel = ref Unsafe.Add(ref src, starts[x] * 4);
            ref var w = ref Unsafe.Add(ref weights, x * taps);
            var sum0 = Vector128<float>.Zero;
            var sum1 = Vector128<float>.Zero;
            var k = 0;
            // Two independent sums keep the adds from waiting on each other.
            for (; k <= taps - 2; k += 2)
            {
                sum0 += Vector128.Create(Unsafe.Add(ref w, k)) * Vector128.LoadUnsafe(ref pixel, (nuint)(k * 4));
                sum1 += Vector128.Create(Unsafe.Add(ref w, k + 1)) * Vector128.LoadUnsafe(ref pixel, (nuint)(k * 4 + 4));
            }
            if (k < taps)
                sum0 += Vector128.Create(Unsafe.Add(ref w, k)) * Vector128.LoadUnsafe(ref pixel, (nuint)(k * 4));
            (sum0 + sum1).StoreUnsafe(ref dst, (nuint)(x * 4));
        }
    }

    /// <summary>
    /// Clamps the horizontal pass to the representable range before the vertical pass, as an
    /// integer intermediate image would (ImageMagick Q16 does). This keeps ringing from the
    /// first pass from being amplified by the second at hard edges.
    /// </summary>
    private static void ClampIntermediate(Span<float> row, bool opaque)
    {
        if (opaque)
        {
            var lo = Vector<float>.Zero;
            var hi = new Vector<float>(255f);
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var i = 0; i < vectors.Length; i++)
                vectors[i] = Vector.Min(Vector.Max(vectors[i], lo), hi);
            for (var i = vectors.Length * Vector<float>.Count; i < row.Length; i++)
                row[i] = Math.Clamp(row[i], 0f, 255f);
            return;
        }

        for (var i = 0; i < row.Length; i += 4)
        {
            var a = row[i + 3];
            if (a <= 0f)
            {
                row.Slice(i, 4).Clear();
                continue;
            }
            // Clamp the straight colour to 0..255 and re-apply the clamped alpha.
            var clamped = Math.Min(a, 255f);
            var f = clamped / a;
            row[i] = Math.Clamp(row[i] * f, 0f, clamped);
            row[i + 1] = Math.Clamp(row[i + 1] * f, 0f, clamped);
            row[i + 2] = Math.Clamp(row[i + 2] * f, 0f, clamped);
            row[i + 3] = clamped;
        }
    }


    /// <summary>Un-premultiplies, rounds and clamps one accumulated row into RGBA bytes.</summary>
    private static void Store(ReadOnlySpan<float> acc, Span<byte> pixels, bool opaque)
    {
        var lo = Vector128<float>.Zero;
        var hi = Vector128.Create(255f);
        var half = Vector128.Create(0.5f);
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var v = Vector128.Create(acc.Slice(i, 4));
            var alpha = (byte)255;
            if (!opaque)
            {
                var a = v.GetElement(3);
                alpha = (byte)(Math.Clamp(a, 0f, 255f) + 0.5f);
                if (alpha == 0)
                {
                    pixels.Slice(i, 4).Clear();
                    continue;
                }
                v *= 255f / a;
            }
            var c = Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(v, lo), hi) + half);
            pixels[i] = (byte)c.GetElement(0);
            pixels[i + 1] = (byte)c.GetElement(1);
            pixels[i + 2] = (byte)c.GetElement(2);
            pixels[i + 3] = alpha;
        }
    }
}
