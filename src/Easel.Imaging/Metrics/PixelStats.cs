using System.Buffers;

namespace Easel.Imaging.Metrics;

/// <summary>
/// Cheap whole-image measurements used to judge generated images: colour balance, contrast,
/// hue distribution, sharpness, noise and clipping. All values are in 0..255 units unless
/// they are fractions (0..1).
/// </summary>
public sealed record PixelStats
{
    public const int HueBins = 36;

    public const double HueBinDegrees = 360.0 / HueBins;

    /// <summary>Alpha below this counts as transparent; at or above it a pixel is visible.</summary>
    public const byte VisibleAlpha = 16;

    public const double ColorfulSaturation = 0.25;

    public const double ColorfulValue = 0.15;

    public const double DarkClipLuminance = 5;

    public const double BrightClipLuminance = 250;

    // Rows per work item: large enough to amortise scheduling, small enough to share 2+ cores.
    private const int ChunkRows = 32;

    /// <summary>Alpha-weighted mean of red over the image, 0..255.</summary>
    public required double MeanRed { get; init; }

    public required double MeanGreen { get; init; }

    public required double MeanBlue { get; init; }

    /// <summary>Plain mean of alpha over all pixels, 0..255.</summary>
    public required double MeanAlpha { get; init; }

    /// <summary>Alpha-weighted mean Rec. 709 luma (0.2126 R + 0.7152 G + 0.0722 B of the sRGB values).</summary>
    public required double MeanLuminance { get; init; }

    /// <summary>Alpha-weighted standard deviation of luma: global contrast.</summary>
    public required double LuminanceStdDev { get; init; }

    /// <summary>
    /// 36 bins of 10 degrees of HSV hue (bin 0 = 0..10 degrees, red), each pixel weighted by
    /// saturation times alpha, normalised to sum 1; all zeros when nothing has colour.
    /// </summary>
    public required double[] HueHistogram { get; init; }

    /// <summary>Share of visible pixels with HSV saturation &gt;= 0.25 and value &gt;= 0.15.</summary>
    public required double ColorfulFraction { get; init; }

    /// <summary>Variance of the 4-neighbour Laplacian of luma (higher = sharper).</summary>
    public required double Sharpness { get; init; }

    /// <summary>Noise standard deviation estimated with Immerkær's fast method, 0..255 units.</summary>
    public required double Noise { get; init; }

    /// <summary>Share of all pixels with alpha below 16.</summary>
    public required double TransparentFraction { get; init; }

    /// <summary>Share of visible pixels with luma &lt;= 5.</summary>
    public required double DarkClippedFraction { get; init; }

    /// <summary>Share of visible pixels with luma &gt;= 250.</summary>
    public required double BrightClippedFraction { get; init; }

    /// <summary>
    /// Share of the hue histogram between two hues, going up from <paramref name="fromDegrees"/>
    /// to <paramref name="toDegrees"/> and wrapping at 360 (so 350..10 is the 20 degrees around
    /// red). A bin partly inside the range counts in proportion. 0..360 is the whole circle.
    /// </summary>
    public double HueShare(double fromDegrees, double toDegrees)
    {
        if (!double.IsFinite(fromDegrees) || !double.IsFinite(toDegrees))
            throw new ArgumentOutOfRangeException(nameof(fromDegrees), $"Hue range must be finite, got {fromDegrees}..{toDegrees}.");
        var length = toDegrees - fromDegrees;
        if (length >= 360)
            return HueHistogram.Sum();
        length = ((length % 360) + 360) % 360;
        var start = ((fromDegrees % 360) + 360) % 360;
        var end = start + length;

        double share = 0;
        for (var bin = 0; bin < HueHistogram.Length; bin++)
        {
            var lo = bin * HueBinDegrees;
            var hi = lo + HueBinDegrees;
            // The range may run past 360; the bin then also appears shifted by one turn.
            var overlap = Overlap(lo, hi, start, end) + Overlap(lo + 360, hi + 360, start, end);
            share += HueHistogram[bin] * overlap / HueBinDegrees;
        }
        return share;
    }

    private static double Overlap(double lo, double hi, double start, double end) =>
        Math.Max(0, Math.Min(hi, end) - Math.Max(lo, start));

    public static PixelStats Compute(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var width = image.Width;
        var height = image.Height;
        var opaque = image.IsOpaque();
        var chunks = (height + ChunkRows - 1) / ChunkRows;

        var lumaArray = ArrayPool<float>.Shared.Rent(width * height);
        try
        {
            var luma = lumaArray.AsMemory(0, width * height);

            // Pass 1: colour statistics and the luma plane. Partial sums are kept per chunk and
            // added in order afterwards, so the result does not depend on thread timing.
            var colour = new ColourSums[chunks];
            Run(chunks, c => colour[c] = ColourSums.Measure(image, luma.Span, c * ChunkRows, Math.Min(height, (c + 1) * ChunkRows)));
            var total = new ColourSums();
            foreach (var part in colour)
                total.Add(part);

            // Pass 2: Laplacian and noise filters on interior pixels of the luma plane.
            var detail = new DetailSums[chunks];
            Run(chunks, c => detail[c] = DetailSums.Measure(image, luma.Span, opaque, c * ChunkRows, Math.Min(height, (c + 1) * ChunkRows)));
            var edges = new DetailSums();
            foreach (var part in detail)
                edges.Add(part);

            return Build(total, edges, (double)width * height);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(lumaArray);
        }
    }

    private static void Run(int chunks, Action<int> body)
    {
        if (chunks == 1)
            body(0);
        else
            Parallel.For(0, chunks, body);
    }

    private static PixelStats Build(ColourSums s, DetailSums d, double pixels)
    {
        static double Ratio(double a, double b) => b > 0 ? a / b : 0;

        var meanLuma = Ratio(s.Luma, s.Weight);
        var variance = Ratio(s.LumaSquared, s.Weight) - meanLuma * meanLuma;
        var hueTotal = s.Hue.Sum();
        var histogram = new double[HueBins];
        if (hueTotal > 0)
            for (var i = 0; i < HueBins; i++)
                histogram[i] = s.Hue[i] / hueTotal;

        var laplacianMean = Ratio(d.Laplacian, d.Count);
        return new PixelStats
        {
            MeanRed = Ratio(s.Red, s.Weight),
            MeanGreen = Ratio(s.Green, s.Weight),
            MeanBlue = Ratio(s.Blue, s.Weight),
            MeanAlpha = Ratio(s.Weight * 255, pixels),
            MeanLuminance = meanLuma,
            LuminanceStdDev = Math.Sqrt(Math.Max(0, variance)),
            HueHistogram = histogram,
            ColorfulFraction = Ratio(s.Colorful, s.Visible),
            Sharpness = Math.Max(0, Ratio(d.LaplacianSquared, d.Count) - laplacianMean * laplacianMean),
            // Immerkær (1996): sigma = sqrt(pi / 2) * mean(|I * N|) / 6.
            Noise = Math.Sqrt(Math.PI / 2) * Ratio(d.NoiseAbs, d.Count) / 6,
            TransparentFraction = Ratio(pixels - s.Visible, pixels),
            DarkClippedFraction = Ratio(s.Dark, s.Visible),
            BrightClippedFraction = Ratio(s.Bright, s.Visible),
        };
    }

    private sealed class ColourSums
    {
        public double Weight, Red, Green, Blue, Luma, LumaSquared;
        public long Visible, Colorful, Dark, Bright;
        public readonly double[] Hue = new double[HueBins];

        public void Add(ColourSums o)
        {
            Weight += o.Weight;
            Red += o.Red;
            Green += o.Green;
            Blue += o.Blue;
            Luma += o.Luma;
            LumaSquared += o.LumaSquared;
            Visible += o.Visible;
            Colorful += o.Colorful;
            Dark += o.Dark;
            Bright += o.Bright;
            for (var i = 0; i < HueBins; i++)
                Hue[i] += o.Hue[i];
        }

        public static ColourSums Measure(RgbaImage image, Span<float> luma, int y0, int y1)
        {
            var s = new ColourSums();
            var width = image.Width;
            for (var y = y0; y < y1; y++)
            {
                var row = image.ReadOnlyRow(y);
                var lumaRow = luma.Slice(y * width, width);
                // Per-row sums in locals, so the JIT keeps them in registers.
                double weight = 0, red = 0, green = 0, blue = 0, lumaSum = 0, lumaSquared = 0;
                for (var x = 0; x < width; x++)
                {
                    int r = row[x * 4], g = row[x * 4 + 1], b = row[x * 4 + 2], a = row[x * 4 + 3];
                    var l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
                    lumaRow[x] = l;
                    if (a == 0)
                        continue;

                    var w = a * (1.0 / 255);
                    weight += w;
                    red += w * r;
                    green += w * g;
                    blue += w * b;
                    lumaSum += w * l;
                    lumaSquared += w * l * l;

                    var max = Math.Max(r, Math.Max(g, b));
                    var min = Math.Min(r, Math.Min(g, b));
                    var delta = max - min;
                    if (a >= VisibleAlpha)
                    {
                        s.Visible++;
                        if (l <= DarkClipLuminance)
                            s.Dark++;
                        else if (l >= BrightClipLuminance)
                            s.Bright++;
                        // s >= 0.25 and v >= 0.15, without dividing.
                        if (delta * 4 >= max && max >= ColorfulValue * 255)
                            s.Colorful++;
                    }
                    if (delta == 0)
                        continue;

                    double hue; // in sixths of the circle, 0..6
                    if (max == r)
                        hue = (double)(g - b) / delta + (g < b ? 6 : 0);
                    else if (max == g)
                        hue = (double)(b - r) / delta + 2;
                    else
                        hue = (double)(r - g) / delta + 4;
                    var bin = Math.Min(HueBins - 1, (int)(hue * (HueBins / 6.0)));
                    s.Hue[bin] += w * delta / max;
                }
                s.Weight += weight;
                s.Red += red;
                s.Green += green;
                s.Blue += blue;
                s.Luma += lumaSum;
                s.LumaSquared += lumaSquared;
            }
            return s;
        }
    }

    private sealed class DetailSums
    {
        public double Laplacian, LaplacianSquared, NoiseAbs;
        public long Count;

        public void Add(DetailSums o)
        {
            Laplacian += o.Laplacian;
            LaplacianSquared += o.LaplacianSquared;
            NoiseAbs += o.NoiseAbs;
            Count += o.Count;
        }

        /// <summary>
        /// Filters every interior pixel of rows [y0, y1) whose 3x3 neighbourhood is visible,
        /// so edges against transparency are not mistaken for detail or noise.
        /// </summary>
        public static DetailSums Measure(RgbaImage image, ReadOnlySpan<float> luma, bool opaque, int y0, int y1)
        {
            var s = new DetailSums();
            var width = image.Width;
            var pixels = image.Pixels;
            y0 = Math.Max(y0, 1);
            y1 = Math.Min(y1, image.Height - 1);
            if (width < 3)
                return s;
            for (var y = y0; y < y1; y++)
            {
                var up = luma.Slice((y - 1) * width, width);
                var mid = luma.Slice(y * width, width);
                var down = luma.Slice((y + 1) * width, width);
                double lap = 0, lapSquared = 0, noise = 0;
                long count = 0;
                for (var x = 1; x < width - 1; x++)
                {
                    if (!opaque && !NeighbourhoodVisible(pixels, width, x, y))
                        continue;
                    var cross = up[x] + down[x] + mid[x - 1] + mid[x + 1];
                    var corners = up[x - 1] + up[x + 1] + down[x - 1] + down[x + 1];
                    var centre = mid[x];
                    double l = cross - 4 * centre;
                    lap += l;
                    lapSquared += l * l;
                    // Immerkær's mask [1 -2 1; -2 4 -2; 1 -2 1]: zero on any linear ramp.
                    noise += Math.Abs(corners - 2 * cross + 4 * centre);
                    count++;
                }
                s.Laplacian += lap;
                s.LaplacianSquared += lapSquared;
                s.NoiseAbs += noise;
                s.Count += count;
            }
            return s;
        }

        private static bool NeighbourhoodVisible(byte[] pixels, int width, int x, int y)
        {
            for (var dy = -1; dy <= 1; dy++)
            {
                var i = ((y + dy) * width + x - 1) * 4 + 3;
                if (pixels[i] < VisibleAlpha || pixels[i + 4] < VisibleAlpha || pixels[i + 8] < VisibleAlpha)
                    return false;
            }
            return true;
        }
    }
}
