using System.Buffers;

namespace Easel.Imaging.Metrics;

/// <summary>
/// Measurements that depend on where things are, to judge generated images beyond
/// <see cref="PixelStats"/>: how plain the border (the background, in most pictures) is, how
/// bright the top, middle and bottom thirds are (the sky tells the time of day), small
/// specular highlights (sparkle), how crisp the sharpest region is, and how much of the image is
/// fully opaque. Luma is Rec. 709 (0..255) as in <see cref="PixelStats"/>; fractions are 0..1.
/// </summary>
public sealed record RegionStats
{
    /// <summary>The border ring is this share of the shorter side wide (at least 2 pixels).</summary>
    public const double BorderShare = 0.06;

    /// <summary>The focus grid has this many cells across and down.</summary>
    public const int FocusGrid = 8;

    /// <summary>A glint pixel is at least this bright (luma) ...</summary>
    public const float GlintLuma = 240;

    /// <summary>... and no more saturated than this: highlights are near white, not bright yellow paint.</summary>
    public const double GlintMaxSaturation = 0.35;

    /// <summary>Glints count as sparkle only where they cover at most this share of the cells around them ...</summary>
    public const double SparkleMaxCover = 0.15;

    /// <summary>... and are at least this much brighter (luma) than the other pixels there.</summary>
    public const double SparkleMinLift = 15;

    // Below this mean squared half-resolution Laplacian a focus cell has too little structure to judge.
    private const double MinStructure = 6;

    // Sparkle cells are this share of the shorter side (at least 4 pixels); neighbourhoods are 5x5 cells.
    private const int SparkleCellsPerSide = 64;
    private const int SparkleReach = 2;
    private const int MinGlintPixels = 2;

    private const int MinChunkRows = 32;

    /// <summary>Share of pixels in the border ring that are transparent (alpha below <see cref="PixelStats.VisibleAlpha"/>).</summary>
    public required double BorderTransparentFraction { get; init; }

    /// <summary>Mean luma of the visible border pixels.</summary>
    public required double BorderLuminance { get; init; }

    /// <summary>Colour spread of the visible border: root mean square over R, G and B of each channel's standard deviation.</summary>
    public required double BorderColorStdDev { get; init; }

    /// <summary>Mean absolute luma step between horizontally neighbouring visible border pixels: texture and edges in the background.</summary>
    public required double BorderEdge { get; init; }

    /// <summary>Mean luma of the visible pixels in the top, middle and bottom thirds.</summary>
    public required double[] BandLuminance { get; init; }

    /// <summary>Share of all pixels that are visible (alpha at or above <see cref="PixelStats.VisibleAlpha"/>).</summary>
    public required double VisibleFraction { get; init; }

    /// <summary>Share of visible pixels that are fully opaque (alpha 255).</summary>
    public required double OpaqueFraction { get; init; }

    /// <summary>Share of visible pixels that are sparkle: near-white glints, small and brighter than what surrounds them.</summary>
    public required double SparkleFraction { get; init; }

    /// <summary>How many separate sparkles there are (connected groups of sparkle cells, each cell 1/64 of the shorter side).</summary>
    public required int Sparkles { get; init; }

    /// <summary>
    /// How crisp the sharpest regions are: fine (full-resolution) Laplacian energy over coarse
    /// (half-resolution) Laplacian energy in the grid cells that have structure, the median of the
    /// sharpest quarter. A crisp anti-aliased edge gives about 0.5-0.8, the same edge blurred over a
    /// few pixels 0.1-0.2; noise raises it. It does not depend on how many edges there are, so a flat
    /// illustration and a busy photo are judged alike. NaN when no cell has enough structure (a blank image).
    /// </summary>
    public required double Focus { get; init; }

    /// <summary>Share of the focus grid cells with enough structure to judge.</summary>
    public required double StructuredFraction { get; init; }

    public static RegionStats Compute(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var layout = new Layout(image.Width, image.Height);
        var width = image.Width;
        var height = image.Height;
        var halfWidth = width / 2;
        var halfHeight = height / 2;
        var lumaArray = ArrayPool<float>.Shared.Rent(width * height);
        var halfArray = ArrayPool<float>.Shared.Rent(Math.Max(1, halfWidth * halfHeight));
        try
        {
            var luma = lumaArray.AsMemory(0, width * height);
            var half = halfArray.AsMemory(0, halfWidth * halfHeight);
            var glints = new GlintCells(layout.SparkleColumns * layout.SparkleRows);

            // Pass 1: luma plane (-1 where not visible); border, bands and alpha; glints per sparkle cell.
            // A chunk holds whole rows of sparkle cells, so chunks write to disjoint cells.
            var chunks = (height + layout.ChunkRows - 1) / layout.ChunkRows;
            var first = new FirstSums[chunks];
            Run(chunks, c => first[c] = FirstSums.Measure(image, luma.Span, layout, glints, c * layout.ChunkRows, Math.Min(height, (c + 1) * layout.ChunkRows)));
            var sums = new FirstSums();
            foreach (var part in first)
                sums.Add(part);

            // Pass 2: half-resolution luma for the focus measure.
            if (halfWidth > 0 && halfHeight > 0)
            {
                var halfChunks = (halfHeight + MinChunkRows - 1) / MinChunkRows;
                Run(halfChunks, c => Downsample(luma.Span, width, half.Span, halfWidth, c * MinChunkRows, Math.Min(halfHeight, (c + 1) * MinChunkRows)));
            }

            // Pass 3: full- and half-resolution Laplacian energy per focus cell.
            var detail = new FocusSums[chunks];
            Run(chunks, c => detail[c] = FocusSums.Measure(luma.Span, half.Span, layout, c * layout.ChunkRows, Math.Min(height, (c + 1) * layout.ChunkRows)));
            var focus = new FocusSums();
            foreach (var part in detail)
                focus.Add(part);

            return Build(sums, focus, glints, layout);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(lumaArray);
            ArrayPool<float>.Shared.Return(halfArray);
        }
    }

    private static void Run(int chunks, Action<int> body)
    {
        if (chunks == 1)
            body(0);
        else
            Parallel.For(0, chunks, body);
    }

    private static RegionStats Build(FirstSums s, FocusSums f, GlintCells glints, Layout layout)
    {
        static double Ratio(double a, double b) => b > 0 ? a / b : 0;
        static double Variance(double sum, double squares, double n)
        {
            var mean = Ratio(sum, n);
            return Math.Max(0, Ratio(squares, n) - mean * mean);
        }

        var borderVisible = (double)s.BorderVisible;
        var colourVariance = (Variance(s.BorderR, s.BorderR2, borderVisible) + Variance(s.BorderG, s.BorderG2, borderVisible)
            + Variance(s.BorderB, s.BorderB2, borderVisible)) / 3;

        // Focus: cells with structure, sharpest first; the median of the sharpest quarter.
        var ratios = new List<double>();
        for (var i = 0; i < FocusGrid * FocusGrid; i++)
        {
            if (f.HalfCount[i] == 0 || f.FullCount[i] == 0)
                continue;
            var coarse = f.HalfEnergy[i] / f.HalfCount[i];
            if (coarse >= MinStructure)
                ratios.Add(f.FullEnergy[i] / f.FullCount[i] / coarse);
        }
        ratios.Sort((a, b) => b.CompareTo(a));
        var focus = ratios.Count == 0 ? double.NaN : ratios[(Math.Max(1, ratios.Count / 4) - 1) / 2];

        var (sparkleFraction, sparkles) = FindSparkles(glints, layout, s.Visible);
        var pixels = (double)layout.Width * layout.Height;
        return new RegionStats
        {
            BorderTransparentFraction = Ratio(s.BorderPixels - s.BorderVisible, s.BorderPixels),
            BorderLuminance = Ratio(s.BorderL, borderVisible),
            BorderColorStdDev = Math.Sqrt(colourVariance),
            BorderEdge = Ratio(s.BorderStep, s.BorderSteps),
            BandLuminance = [Ratio(s.BandL[0], s.BandCount[0]), Ratio(s.BandL[1], s.BandCount[1]), Ratio(s.BandL[2], s.BandCount[2])],
            VisibleFraction = s.Visible / pixels,
            OpaqueFraction = Ratio(s.Opaque, s.Visible),
            SparkleFraction = sparkleFraction,
            Sparkles = sparkles,
            Focus = focus,
            StructuredFraction = ratios.Count / (double)(FocusGrid * FocusGrid),
        };
    }

    /// <summary>
    /// A cell with glints is sparkle when glints are rare in the 5x5 cells around it and clearly
    /// brighter than the rest there: a big white cloud or a white background is not sparkle.
    /// </summary>
    private static (double Fraction, int Count) FindSparkles(GlintCells g, Layout layout, long visible)
    {
        int cols = layout.SparkleColumns, rows = layout.SparkleRows;
        var sparkle = new bool[cols * rows];
        long glintPixels = 0;
        for (var cy = 0; cy < rows; cy++)
        {
            for (var cx = 0; cx < cols; cx++)
            {
                var i = cy * cols + cx;
                if (g.Glints[i] < MinGlintPixels)
                    continue;
                long around = 0, glints = 0, others = 0;
                double glintLuma = 0, otherLuma = 0;
                for (var y = Math.Max(0, cy - SparkleReach); y <= Math.Min(rows - 1, cy + SparkleReach); y++)
                {
                    for (var x = Math.Max(0, cx - SparkleReach); x <= Math.Min(cols - 1, cx + SparkleReach); x++)
                    {
                        var j = y * cols + x;
                        around += g.Visible[j];
                        glints += g.Glints[j];
                        glintLuma += g.GlintLuma[j];
                        others += g.Visible[j] - g.Glints[j];
                        otherLuma += g.OtherLuma[j];
                    }
                }
                if (around == 0 || others == 0 || glints > SparkleMaxCover * around)
                    continue;
                if (glintLuma / glints - otherLuma / others < SparkleMinLift)
                    continue;
                sparkle[i] = true;
                glintPixels += g.Glints[i];
            }
        }

        // Count 8-connected groups of sparkle cells.
        var count = 0;
        var stack = new Stack<int>();
        var seen = new bool[sparkle.Length];
        for (var i = 0; i < sparkle.Length; i++)
        {
            if (!sparkle[i] || seen[i])
                continue;
            count++;
            seen[i] = true;
            stack.Push(i);
            while (stack.Count > 0)
            {
                var j = stack.Pop();
                int jx = j % cols, jy = j / cols;
                for (var y = Math.Max(0, jy - 1); y <= Math.Min(rows - 1, jy + 1); y++)
                {
                    for (var x = Math.Max(0, jx - 1); x <= Math.Min(cols - 1, jx + 1); x++)
                    {
                        var k = y * cols + x;
                        if (sparkle[k] && !seen[k])
                        {
                            seen[k] = true;
                            stack.Push(k);
                        }
                    }
                }
            }
        }
        return (visible > 0 ? (double)glintPixels / visible : 0, count);
    }

    private static void Downsample(ReadOnlySpan<float> luma, int width, Span<float> half, int halfWidth, int y0, int y1)
    {
        for (var y = y0; y < y1; y++)
        {
            var a = luma.Slice(2 * y * width, width);
            var b = luma.Slice((2 * y + 1) * width, width);
            var dst = half.Slice(y * halfWidth, halfWidth);
            for (var x = 0; x < halfWidth; x++)
            {
                float p = a[2 * x], q = a[2 * x + 1], r = b[2 * x], t = b[2 * x + 1];
                dst[x] = p < 0 || q < 0 || r < 0 || t < 0 ? -1 : (p + q + r + t) * 0.25f;
            }
        }
    }

    /// <summary>Grid geometry shared by the passes, with per-column cell indices so no pass divides per pixel.</summary>
    private sealed class Layout
    {
        public Layout(int width, int height)
        {
            Width = width;
            Height = height;
            Border = Math.Max(2, (int)Math.Round(Math.Min(width, height) * BorderShare));
            SparkleCell = Math.Max(4, Math.Min(width, height) / SparkleCellsPerSide);
            SparkleColumns = (width + SparkleCell - 1) / SparkleCell;
            SparkleRows = (height + SparkleCell - 1) / SparkleCell;
            ChunkRows = (MinChunkRows + SparkleCell - 1) / SparkleCell * SparkleCell;
            SparkleColumn = new int[width];
            FocusColumn = new int[width];
            for (var x = 0; x < width; x++)
            {
                SparkleColumn[x] = x / SparkleCell;
                FocusColumn[x] = x * FocusGrid / width;
            }
            var halfWidth = width / 2;
            HalfFocusColumn = new int[halfWidth];
            for (var x = 0; x < halfWidth; x++)
                HalfFocusColumn[x] = x * FocusGrid / halfWidth;
        }

        public int Width { get; }
        public int Height { get; }
        public int Border { get; }
        public int SparkleCell { get; }
        public int SparkleColumns { get; }
        public int SparkleRows { get; }
        public int ChunkRows { get; }
        public int[] SparkleColumn { get; }
        public int[] FocusColumn { get; }
        public int[] HalfFocusColumn { get; }
    }

    private sealed class GlintCells(int cells)
    {
        public readonly int[] Visible = new int[cells];
        public readonly int[] Glints = new int[cells];
        public readonly double[] GlintLuma = new double[cells];
        public readonly double[] OtherLuma = new double[cells];
    }

    private sealed class FirstSums
    {
        public long BorderPixels, BorderVisible, BorderSteps, Visible, Opaque;
        public double BorderR, BorderG, BorderB, BorderR2, BorderG2, BorderB2, BorderL, BorderStep;
        public readonly double[] BandL = new double[3];
        public readonly long[] BandCount = new long[3];

        public void Add(FirstSums o)
        {
            BorderPixels += o.BorderPixels;
            BorderVisible += o.BorderVisible;
            BorderSteps += o.BorderSteps;
            Visible += o.Visible;
            Opaque += o.Opaque;
            BorderR += o.BorderR;
            BorderG += o.BorderG;
            BorderB += o.BorderB;
            BorderR2 += o.BorderR2;
            BorderG2 += o.BorderG2;
            BorderB2 += o.BorderB2;
            BorderL += o.BorderL;
            BorderStep += o.BorderStep;
            for (var i = 0; i < 3; i++)
            {
                BandL[i] += o.BandL[i];
                BandCount[i] += o.BandCount[i];
            }
        }

        public static FirstSums Measure(RgbaImage image, Span<float> luma, Layout layout, GlintCells glints, int y0, int y1)
        {
            var s = new FirstSums();
            var width = image.Width;
            var height = image.Height;
            var border = layout.Border;
            var sparkleColumn = layout.SparkleColumn;
            for (var y = y0; y < y1; y++)
            {
                var row = image.ReadOnlyRow(y);
                var lumaRow = luma.Slice(y * width, width);
                var band = Math.Min(2, y * 3 / height);
                var borderRow = y < border || y >= height - border;
                var cellRow = y / layout.SparkleCell * layout.SparkleColumns;
                double bandSum = 0;
                long visibleCount = 0, opaque = 0;
                var previous = -1f;
                for (var x = 0; x < width; x++)
                {
                    int r = row[x * 4], g = row[x * 4 + 1], b = row[x * 4 + 2], a = row[x * 4 + 3];
                    var inBorder = borderRow || x < border || x >= width - border;
                    if (inBorder)
                        s.BorderPixels++;
                    if (a < PixelStats.VisibleAlpha)
                    {
                        lumaRow[x] = -1;
                        previous = -1;
                        continue;
                    }
                    var l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
                    lumaRow[x] = l;
                    visibleCount++;
                    if (a == 255)
                        opaque++;
                    bandSum += l;

                    var cell = cellRow + sparkleColumn[x];
                    glints.Visible[cell]++;
                    var max = Math.Max(r, Math.Max(g, b));
                    if (l >= GlintLuma && max - Math.Min(r, Math.Min(g, b)) <= GlintMaxSaturation * max)
                    {
                        glints.Glints[cell]++;
                        glints.GlintLuma[cell] += l;
                    }
                    else
                    {
                        glints.OtherLuma[cell] += l;
                    }

                    if (inBorder)
                    {
                        s.BorderVisible++;
                        s.BorderR += r;
                        s.BorderG += g;
                        s.BorderB += b;
                        s.BorderR2 += r * r;
                        s.BorderG2 += g * g;
                        s.BorderB2 += b * b;
                        s.BorderL += l;
                        if (previous >= 0)
                        {
                            s.BorderStep += Math.Abs(l - previous);
                            s.BorderSteps++;
                        }
                    }
                    previous = inBorder ? l : -1;
                }
                s.Visible += visibleCount;
                s.Opaque += opaque;
                s.BandL[band] += bandSum;
                s.BandCount[band] += visibleCount;
            }
            return s;
        }
    }

    private sealed class FocusSums
    {
        public readonly double[] FullEnergy = new double[FocusGrid * FocusGrid];
        public readonly long[] FullCount = new long[FocusGrid * FocusGrid];
        public readonly double[] HalfEnergy = new double[FocusGrid * FocusGrid];
        public readonly long[] HalfCount = new long[FocusGrid * FocusGrid];

        public void Add(FocusSums o)
        {
            for (var i = 0; i < FullEnergy.Length; i++)
            {
                FullEnergy[i] += o.FullEnergy[i];
                FullCount[i] += o.FullCount[i];
                HalfEnergy[i] += o.HalfEnergy[i];
                HalfCount[i] += o.HalfCount[i];
            }
        }

        /// <summary>Laplacian energy of full-resolution rows [y0, y1) and of the half-resolution rows they make.</summary>
        public static FocusSums Measure(ReadOnlySpan<float> luma, ReadOnlySpan<float> half, Layout layout, int y0, int y1)
        {
            var s = new FocusSums();
            int width = layout.Width, height = layout.Height;
            Accumulate(luma, width, height, layout.FocusColumn, Math.Max(1, y0), Math.Min(y1, height - 1), s.FullEnergy, s.FullCount);
            int halfWidth = width / 2, halfHeight = height / 2;
            if (halfWidth >= 3 && halfHeight >= 3)
            {
                // Half-resolution row y is made from full rows 2y and 2y+1; chunk [y0, y1) takes rows [y0/2, y1/2), so chunks split them exactly.
                Accumulate(half, halfWidth, halfHeight, layout.HalfFocusColumn, Math.Max(1, y0 / 2), Math.Min(halfHeight - 1, y1 / 2), s.HalfEnergy, s.HalfCount);
            }
            return s;
        }

        private static void Accumulate(ReadOnlySpan<float> plane, int width, int height, int[] cellColumn, int y0, int y1, double[] energy, long[] count)
        {
            for (var y = y0; y < y1; y++)
            {
                var up = plane.Slice((y - 1) * width, width);
                var mid = plane.Slice(y * width, width);
                var down = plane.Slice((y + 1) * width, width);
                var cellRow = y * FocusGrid / height * FocusGrid;
                for (var x = 1; x < width - 1; x++)
                {
                    float c = mid[x], u = up[x], d = down[x], l = mid[x - 1], r = mid[x + 1];
                    if (c < 0 || u < 0 || d < 0 || l < 0 || r < 0)
                        continue;
                    var lap = u + d + l + r - 4 * c;
                    var cell = cellRow + cellColumn[x];
                    energy[cell] += lap * lap;
                    count[cell]++;
                }
            }
        }
    }
}
