namespace Easel.Imaging.Tests.Resampling;

/// <summary>Source images shared by the resampling, sharpening and statistics tests.</summary>
internal static class TestImages
{
    /// <summary>Photo-like detail at every scale, fixed by its seed.</summary>
    public static RgbaImage Plasma(int width, int height, int seed = 42) =>
        ImageMagick.Generate(width, height, "-seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-size", $"{width}x{height}", "plasma:fractal");

    /// <summary>ImageMagick's 30-pixel grey checkerboard: hard edges everywhere.</summary>
    public static RgbaImage Checkerboard(int width, int height) =>
        ImageMagick.Generate(width, height, "-size", $"{width}x{height}", "pattern:checkerboard");

    public static RgbaImage Gradient(int width, int height, string colours = "red-blue") =>
        ImageMagick.Generate(width, height, "-size", $"{width}x{height}", "gradient:" + colours);

    /// <summary>Plasma whose alpha falls off radially from opaque in the centre to transparent corners.</summary>
    public static RgbaImage PlasmaWithRadialAlpha(int size) =>
        ImageMagick.Generate(size, size, "-seed", "5", "-size", $"{size}x{size}", "plasma:fractal",
            "(", "-size", $"{size}x{size}", "radial-gradient:white-black", ")",
            "-alpha", "off", "-compose", "CopyOpacity", "-composite");

    /// <summary>
    /// Hard-edged shapes on a transparent background whose hidden colour is pure green: an opaque
    /// red disc and a half-transparent blue bar.
    /// </summary>
    public static RgbaImage ShapesOnTransparentGreen(int size) =>
        ImageMagick.Generate(size, size, "-size", $"{size}x{size}", "xc:rgba(0,255,0,0)",
            "-fill", "rgba(200,30,40,1)", "-draw", $"circle {size / 2},{size / 2} {size / 2},{size / 5}",
            "-fill", "rgba(20,30,240,0.5)", "-draw", $"rectangle {size / 20},{size / 20} {size * 3 / 8},{size * 19 / 20}");

    public static RgbaImage Solid(int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        var image = new RgbaImage(width, height);
        for (var i = 0; i < image.Pixels.Length; i += 4)
        {
            image.Pixels[i] = r;
            image.Pixels[i + 1] = g;
            image.Pixels[i + 2] = b;
            image.Pixels[i + 3] = a;
        }
        return image;
    }

    /// <summary>Uniformly random RGBA bytes, fixed by the seed.</summary>
    public static RgbaImage Random(int width, int height, int seed, bool opaque = true)
    {
        var image = new RgbaImage(width, height);
        new Random(seed).NextBytes(image.Pixels);
        if (opaque)
            for (var i = 3; i < image.Pixels.Length; i += 4)
                image.Pixels[i] = 255;
        return image;
    }
}
