namespace Easel.Imaging.Sketch;

/// <summary>
/// The dominant colours of an image, as the sketch renderer uses them: the mean colour of its top
/// third (read as sky), of its bottom third (read as ground) and its most common strong hue (accent).
/// Each is null when the image has nothing to say about it (all transparent, or no strong colour).
/// </summary>
/// <param name="AccentShare">Share of the image (0..1, weighted by saturation) in the accent's hue: how much the accent dominates.</param>
public sealed record SketchImageColors(SketchColor? Top, SketchColor? Bottom, SketchColor? Accent, double AccentShare)
{
    // About 40,000 samples are plenty for region means and a 12-bin hue histogram, whatever the image size.
    private const double SampleBudget = 40_000;
    private const int HueBins = 12;
    private const byte VisibleAlpha = 16;
    private const float AccentSaturation = 0.3f;
    private const float AccentValue = 0.2f;

    /// <summary>Reads an image's colours. Deterministic: the same pixels always give the same colours.</summary>
    public static SketchImageColors FromImage(RgbaImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (w, h) = (image.Width, image.Height);
        var step = Math.Max(1, (int)Math.Sqrt(w * (double)h / SampleBudget));
        var top = new Sum();
        var bottom = new Sum();
        var bins = new Sum[HueBins];
        for (var b = 0; b < HueBins; b++)
            bins[b] = new Sum();
        double samples = 0;
        for (var y = step / 2; y < h; y += step)
        {
            var row = image.ReadOnlyRow(y);
            var region = y * 3 < h ? top : y * 3 >= 2 * h ? bottom : null;
            for (var x = step / 2; x < w; x += step)
            {
                var a = row[x * 4 + 3];
                if (a < VisibleAlpha)
                    continue;
                int r = row[x * 4], g = row[x * 4 + 1], bl = row[x * 4 + 2];
                var weight = a / 255.0;
                samples += weight;
                region?.Add(r, g, bl, weight);
                var max = Math.Max(r, Math.Max(g, bl));
                var delta = max - Math.Min(r, Math.Min(g, bl));
                if (max < AccentValue * 255 || delta < AccentSaturation * max)
                    continue;
                double hue = max == r ? (double)(g - bl) / delta + (g < bl ? 6 : 0) : max == g ? (double)(bl - r) / delta + 2 : (double)(r - g) / delta + 4;
                bins[Math.Min(HueBins - 1, (int)(hue * HueBins / 6))].Add(r, g, bl, weight * delta / max);
            }
        }
        var best = bins.MaxBy(b => b.Weight)!;
        var share = samples > 0 ? best.Weight / samples : 0;
        return new SketchImageColors(
            top.Mean("reference sky"),
            bottom.Mean("reference ground"),
            share >= 0.01 ? best.Mean("reference accent") : null,
            share);
    }

    /// <summary>
    /// Several references at once: their skies and grounds are averaged (each image counts the same)
    /// and the accent is that of the image where it dominates most. Null when there are none.
    /// </summary>
    public static SketchImageColors? Combine(IReadOnlyList<SketchImageColors> colors)
    {
        ArgumentNullException.ThrowIfNull(colors);
        if (colors.Count == 0)
            return null;
        if (colors.Count == 1)
            return colors[0];
        var accent = colors.Where(c => c.Accent is not null).MaxBy(c => c.AccentShare);
        return new SketchImageColors(
            Average(colors.Select(c => c.Top), "reference sky"),
            Average(colors.Select(c => c.Bottom), "reference ground"),
            accent?.Accent,
            accent?.AccentShare ?? 0);
    }

    private static SketchColor? Average(IEnumerable<SketchColor?> colors, string name)
    {
        var sum = new Sum();
        foreach (var c in colors)
        {
            if (c is { } v)
                sum.Add(v.R, v.G, v.B, 1);
        }
        return sum.Mean(name);
    }

    private sealed class Sum
    {
        private double _r, _g, _b;

        public double Weight { get; private set; }

        public void Add(int r, int g, int b, double weight)
        {
            _r += r * weight;
            _g += g * weight;
            _b += b * weight;
            Weight += weight;
        }

        public SketchColor? Mean(string name) => Weight <= 0
            ? null
            : new SketchColor(name, ToByte(_r / Weight), ToByte(_g / Weight), ToByte(_b / Weight));

        private static byte ToByte(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);
    }
}
