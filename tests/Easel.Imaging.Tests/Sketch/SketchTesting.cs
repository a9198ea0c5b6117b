using Easel.Imaging.Sketch;

namespace Easel.Imaging.Tests.Sketch;

/// <summary>Small renders (fast) and pixel comparisons shared by the sketch tests.</summary>
internal static class SketchTesting
{
    public const int Width = 160;
    public const int Height = 120;

    public static SketchRequest Request(string prompt, long seed = 1, string? style = null, string? negative = null,
        int width = Width, int height = Height, bool transparent = false) =>
        new(prompt, negative, width, height, seed, style, transparent);

    public static RgbaImage Render(string prompt, long seed = 1, string? style = null, string? negative = null,
        int width = Width, int height = Height, bool transparent = false) =>
        SketchRenderer.Render(Request(prompt, seed, style, negative, width, height, transparent));

    public static SketchScene Interpret(string prompt, string? style = null, string? negative = null) =>
        SketchRenderer.Interpret(Request(prompt, style: style, negative: negative));

    /// <summary>Mean absolute difference per channel (0..255) between two same-sized images.</summary>
    public static double MeanDifference(RgbaImage a, RgbaImage b)
    {
        a.Width.ShouldBe(b.Width);
        a.Height.ShouldBe(b.Height);
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
            sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return sum / (double)a.Pixels.Length;
    }

    /// <summary>Share of pixels whose colour changed noticeably (sum of channel differences above 30).</summary>
    public static double ChangedFraction(RgbaImage a, RgbaImage b)
    {
        var changed = 0;
        for (var i = 0; i < a.Pixels.Length; i += 4)
        {
            var d = Math.Abs(a.Pixels[i] - b.Pixels[i]) + Math.Abs(a.Pixels[i + 1] - b.Pixels[i + 1])
                + Math.Abs(a.Pixels[i + 2] - b.Pixels[i + 2]) + Math.Abs(a.Pixels[i + 3] - b.Pixels[i + 3]);
            if (d > 30)
                changed++;
        }
        return (double)changed / (a.Width * a.Height);
    }

    /// <summary>HSV hue in degrees of a colour the vocabulary defines.</summary>
    public static double Hue(SketchColor c)
    {
        double r = c.R / 255.0, g = c.G / 255.0, b = c.B / 255.0;
        var max = Math.Max(r, Math.Max(g, b));
        var d = max - Math.Min(r, Math.Min(g, b));
        if (d == 0)
            return 0;
        var h = max == r ? (g - b) / d % 6 : max == g ? (b - r) / d + 2 : (r - g) / d + 4;
        return (h * 60 + 360) % 360;
    }

    public static int DistinctColors(RgbaImage image)
    {
        var set = new HashSet<int>();
        for (var i = 0; i < image.Pixels.Length; i += 4)
            set.Add(image.Pixels[i] << 16 | image.Pixels[i + 1] << 8 | image.Pixels[i + 2]);
        return set.Count;
    }
}
