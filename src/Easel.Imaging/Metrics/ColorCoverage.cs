namespace Easel.Imaging.Metrics;

/// <summary>
/// How much of an image each colour covers: a histogram of visible pixels over HSV hue (5-degree
/// bins), saturation and value (tenths). Unlike <see cref="PixelStats.HueHistogram"/>, which
/// weighs hues by saturation, this counts pixels, so it answers "what share of the image is red".
/// </summary>
public sealed class ColorCoverage
{
    public const int HueBins = 72;

    public const int SaturationBins = 10;

    public const int ValueBins = 10;

    private const double HueBinDegrees = 360.0 / HueBins;

    private const int ChunkRows = 64;

    // Bin index = (hue * SaturationBins + saturation) * ValueBins + value.
    private readonly double[] _share;

    private ColorCoverage(double[] share, long visible)
    {
        _share = share;
        VisiblePixels = visible;
    }

    /// <summary>Pixels with alpha at or above <see cref="PixelStats.VisibleAlpha"/>: what the shares are fractions of.</summary>
    public long VisiblePixels { get; }

    public static ColorCoverage Compute(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var height = image.Height;
        var chunks = (height + ChunkRows - 1) / ChunkRows;
        var parts = new int[chunks][];
        var visible = new long[chunks];
        if (chunks == 1)
            parts[0] = Measure(image, 0, height, out visible[0]);
        else
            Parallel.For(0, chunks, c => parts[c] = Measure(image, c * ChunkRows, Math.Min(height, (c + 1) * ChunkRows), out visible[c]));

        // Added in chunk order, so the result does not depend on thread timing.
        var counts = new long[HueBins * SaturationBins * ValueBins];
        long total = 0;
        for (var c = 0; c < chunks; c++)
        {
            total += visible[c];
            var part = parts[c];
            for (var i = 0; i < counts.Length; i++)
                counts[i] += part[i];
        }
        var share = new double[counts.Length];
        if (total > 0)
            for (var i = 0; i < counts.Length; i++)
                share[i] = (double)counts[i] / total;
        return new ColorCoverage(share, total);
    }

    /// <summary>
    /// Share (0..1) of visible pixels whose colour lies in <paramref name="range"/>. Pixels are
    /// assumed spread evenly within a bin, so a bin partly inside the range counts in proportion.
    /// </summary>
    public double Share(HsvRange range)
    {
        if (!double.IsFinite(range.HueFrom) || !double.IsFinite(range.HueTo))
            throw new ArgumentOutOfRangeException(nameof(range), $"Hue range must be finite, got {range.HueFrom}..{range.HueTo}.");
        Span<double> hue = stackalloc double[HueBins];
        Span<double> sat = stackalloc double[SaturationBins];
        Span<double> val = stackalloc double[ValueBins];
        HueWeights(range.HueFrom, range.HueTo, hue);
        LinearWeights(range.MinSaturation, range.MaxSaturation, sat);
        LinearWeights(range.MinValue, range.MaxValue, val);

        double total = 0;
        for (var h = 0; h < HueBins; h++)
        {
            if (hue[h] == 0)
                continue;
            for (var s = 0; s < SaturationBins; s++)
            {
                if (sat[s] == 0)
                    continue;
                var hs = hue[h] * sat[s];
                var row = (h * SaturationBins + s) * ValueBins;
                for (var v = 0; v < ValueBins; v++)
                    total += _share[row + v] * hs * val[v];
            }
        }
        return Math.Clamp(total, 0, 1);
    }

    private static void HueWeights(double from, double to, Span<double> weights)
    {
        var length = to - from;
        if (length >= 360)
        {
            weights.Fill(1);
            return;
        }
        length = ((length % 360) + 360) % 360;
        var start = ((from % 360) + 360) % 360;
        var end = start + length;
        for (var bin = 0; bin < weights.Length; bin++)
        {
            var lo = bin * HueBinDegrees;
            var hi = lo + HueBinDegrees;
            // The range may run past 360; the bin then also appears shifted by one turn.
            weights[bin] = (Overlap(lo, hi, start, end) + Overlap(lo + 360, hi + 360, start, end)) / HueBinDegrees;
        }
    }

    private static void LinearWeights(double min, double max, Span<double> weights)
    {
        var step = 1.0 / weights.Length;
        for (var bin = 0; bin < weights.Length; bin++)
        {
            var lo = bin * step;
            // The last bin also holds exactly 1.0.
            weights[bin] = Overlap(lo, lo + step, min, bin == weights.Length - 1 && max >= 1 ? 1 + step : max) / step;
        }
    }

    private static double Overlap(double lo, double hi, double start, double end) =>
        Math.Max(0, Math.Min(hi, end) - Math.Max(lo, start));

    private static int[] Measure(RgbaImage image, int y0, int y1, out long visible)
    {
        var counts = new int[HueBins * SaturationBins * ValueBins];
        var width = image.Width;
        long seen = 0;
        for (var y = y0; y < y1; y++)
        {
            var row = image.ReadOnlyRow(y);
            for (var x = 0; x < width; x++)
            {
                int r = row[x * 4], g = row[x * 4 + 1], b = row[x * 4 + 2], a = row[x * 4 + 3];
                if (a < PixelStats.VisibleAlpha)
                    continue;
                seen++;
                var max = Math.Max(r, Math.Max(g, b));
                var min = Math.Min(r, Math.Min(g, b));
                var delta = max - min;
                var valueBin = Math.Min(ValueBins - 1, max * ValueBins / 256);
                if (delta == 0)
                {
                    counts[valueBin]++; // hue 0, saturation 0
                    continue;
                }
                var satBin = Math.Min(SaturationBins - 1, delta * SaturationBins / max);
                double hue; // in sixths of the circle, 0..6
                if (max == r)
                    hue = (double)(g - b) / delta + (g < b ? 6 : 0);
                else if (max == g)
                    hue = (double)(b - r) / delta + 2;
                else
                    hue = (double)(r - g) / delta + 4;
                var hueBin = Math.Min(HueBins - 1, (int)(hue * (HueBins / 6.0)));
                counts[(hueBin * SaturationBins + satBin) * ValueBins + valueBin]++;
            }
        }
        visible = seen;
        return counts;
    }
}
