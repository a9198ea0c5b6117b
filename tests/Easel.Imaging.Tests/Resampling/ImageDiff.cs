namespace Easel.Imaging.Tests.Resampling;

/// <summary>Per-channel absolute differences between two images of the same size.</summary>
internal sealed record ImageDiff(string Kind, double[] MeanAbs, double[] MaxAbs, double FractionAbove2, long Pixels)
{
    /// <summary>Raw RGBA bytes, channel by channel.</summary>
    public static ImageDiff Straight(RgbaImage expected, RgbaImage actual) =>
        Compare("straight RGBA", expected, actual, (p, i) => p[i], _ => true);

    /// <summary>Colour multiplied by alpha (what is actually seen), plus alpha itself.</summary>
    public static ImageDiff Premultiplied(RgbaImage expected, RgbaImage actual) =>
        Compare("premultiplied RGBA", expected, actual,
            (p, i) => (i & 3) == 3 ? p[i] : p[i] * p[(i & ~3) + 3] / 255.0, _ => true);

    /// <summary>Straight colour where both images are at least <paramref name="minAlpha"/> opaque.</summary>
    public static ImageDiff VisibleColour(RgbaImage expected, RgbaImage actual, byte minAlpha) =>
        Compare($"straight RGB where alpha >= {minAlpha}", expected, actual, (p, i) => (i & 3) == 3 ? 0 : p[i],
            i => expected.Pixels[i + 3] >= minAlpha && actual.Pixels[i + 3] >= minAlpha);

    private static ImageDiff Compare(string kind, RgbaImage expected, RgbaImage actual, Func<byte[], int, double> sample, Func<int, bool> include)
    {
        actual.Width.ShouldBe(expected.Width);
        actual.Height.ShouldBe(expected.Height);
        var sum = new double[4];
        var max = new double[4];
        long above2 = 0, pixels = 0;
        var a = expected.Pixels;
        var b = actual.Pixels;
        for (var i = 0; i < a.Length; i += 4)
        {
            if (!include(i))
                continue;
            pixels++;
            for (var c = 0; c < 4; c++)
            {
                var d = Math.Abs(sample(a, i + c) - sample(b, i + c));
                sum[c] += d;
                max[c] = Math.Max(max[c], d);
                if (d > 2)
                    above2++;
            }
        }
        return new ImageDiff(kind, sum.Select(s => pixels == 0 ? 0 : s / pixels).ToArray(), max,
            pixels == 0 ? 0 : (double)above2 / (pixels * 4), pixels);
    }

    public void ShouldBeWithin(double maxAbs, double meanAbs, double fractionAbove2)
    {
        Pixels.ShouldBeGreaterThan(0, $"{Kind}: no pixels compared");
        MaxAbs.Max().ShouldBeLessThanOrEqualTo(maxAbs, ToString());
        MeanAbs.Max().ShouldBeLessThanOrEqualTo(meanAbs, ToString());
        FractionAbove2.ShouldBeLessThanOrEqualTo(fractionAbove2, ToString());
    }

    public override string ToString() =>
        $"{Kind} over {Pixels} pixels: mean |diff| R,G,B,A = {string.Join(", ", MeanAbs.Select(m => m.ToString("F4")))}; " +
        $"max = {string.Join(", ", MaxAbs.Select(m => m.ToString("F1")))}; share of samples off by more than 2 = {FractionAbove2:P4}";
}
