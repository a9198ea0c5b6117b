namespace Easel.Imaging.Resampling;

/// <summary>
/// Precomputed Lanczos-3 contributions for one axis: output sample <c>i</c> reads
/// <see cref="Taps"/> consecutive input samples from <c>Start[i]</c> with weights
/// <c>Weights[i * Taps ..]</c>. Every output has the same tap count (zero-padded) so the
/// inner loops have no per-sample bounds to track.
/// </summary>
internal sealed class FilterWeights
{
    private const double Lobes = 3.0;

    private FilterWeights(int[] start, int taps, float[] weights)
    {
        Start = start;
        Taps = taps;
        Weights = weights;
    }

    public int[] Start { get; }

    public int Taps { get; }

    public float[] Weights { get; }

    public ReadOnlySpan<float> For(int output) => Weights.AsSpan(output * Taps, Taps);

    public static FilterWeights Lanczos3(int sourceLength, int targetLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetLength);

        var ratio = (double)sourceLength / targetLength;
        // When shrinking, stretch the kernel over the source so it also acts as the low-pass
        // filter; when enlarging, it stays at its natural width.
        var scale = Math.Max(ratio, 1.0);
        var support = Lobes * scale;

        // Pixel centres sit at i + 0.5 on both axes. Taps whose centre falls outside the
        // kernel's support are dropped, and at the borders the kernel is truncated and
        // renormalised (no edge replication), as ImageMagick does.
        var first = new int[targetLength];
        var count = new int[targetLength];
        var taps = 1;
        for (var i = 0; i < targetLength; i++)
        {
            var centre = (i + 0.5) * ratio;
            var lo = (int)Math.Max(centre - support + 0.5, 0.0);
            var hi = (int)Math.Min(centre + support + 0.5, sourceLength);
            if (hi <= lo)
            {
                // Unreachable for Lanczos (support >= 3), kept so a weight row is never empty.
                lo = Math.Min((int)centre, sourceLength - 1);
                hi = lo + 1;
            }
            first[i] = lo;
            count[i] = hi - lo;
            taps = Math.Max(taps, hi - lo);
        }

        var weights = new float[targetLength * taps];
        var row = new double[taps];
        for (var i = 0; i < targetLength; i++)
        {
            var centre = (i + 0.5) * ratio;
            double sum = 0;
            for (var k = 0; k < count[i]; k++)
            {
                row[k] = Kernel((first[i] + k + 0.5 - centre) / scale);
                sum += row[k];
            }

            // Shift windows that would run past the end back inside, padding with zeros in
            // front, so every output reads exactly `taps` in-range samples.
            var start = Math.Min(first[i], sourceLength - taps);
            var pad = first[i] - start;
            var dest = weights.AsSpan(i * taps, taps);
            if (Math.Abs(sum) < 1e-12)
            {
                // Degenerate window: fall back to the nearest sample.
                var nearest = Math.Clamp((int)centre, first[i], first[i] + count[i] - 1);
                dest[pad + nearest - first[i]] = 1f;
            }
            else
            {
                for (var k = 0; k < count[i]; k++)
                    dest[pad + k] = (float)(row[k] / sum);
            }
            first[i] = start;
        }

        return new FilterWeights(first, taps, weights);
    }

    /// <summary>Lanczos-3: sinc(x) windowed by sinc(x / 3), zero outside |x| &lt; 3.</summary>
    internal static double Kernel(double x)
    {
        x = Math.Abs(x);
        if (x < 1e-9)
            return 1.0;
        if (x >= Lobes)
            return 0.0;
        var px = Math.PI * x;
        return Lobes * Math.Sin(px) * Math.Sin(px / Lobes) / (px * px);
    }
}
