using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Easel.Imaging.Tests.Resampling;

/// <summary>
/// ImageMagick 6 as an independent oracle. Pixels travel through raw RGBA files, so these
/// tests depend on no codec of ours.
/// </summary>
internal static class ImageMagick
{
    private static readonly ConcurrentDictionary<string, RgbaImage> Generated = new();

    /// <summary>
    /// An image ImageMagick draws, e.g. <c>["-seed", "42", "-size", "512x512", "plasma:fractal"]</c>.
    /// Cached per argument list, since several tests share the same sources.
    /// </summary>
    public static RgbaImage Generate(int width, int height, params string[] args)
    {
        var key = $"{width}x{height} {string.Join(' ', args)}";
        var image = Generated.GetOrAdd(key, _ => WithTempDir(dir =>
        {
            var output = Path.Combine(dir, "out.raw");
            Run([.. args, "-depth", "8", "rgba:" + output]);
            return new RgbaImage(width, height, File.ReadAllBytes(output));
        }));
        return new RgbaImage(width, height, (byte[])image.Pixels.Clone());
    }

    /// <summary>
    /// <c>-filter Lanczos -resize WxH!</c> in the stored (sRGB) values, ImageMagick's default.
    /// The result is read at 16 bits and rounded here: ImageMagick's own 16-to-8-bit step on
    /// output truncates (measured: every sample equals floor(q / 257)), which would put a
    /// half-level bias into the comparison that has nothing to do with the filter.
    /// </summary>
    public static RgbaImage Resize(RgbaImage image, int width, int height) =>
        Transform(image, width, height, "-filter", "Lanczos", "-resize", $"{width}x{height}!");

    /// <summary>Applies ImageMagick operators to <paramref name="image"/>; the result has the given size.</summary>
    public static RgbaImage Transform(RgbaImage image, int width, int height, params string[] operators) => WithTempDir(dir =>
    {
        var input = Write(image, dir);
        var output = Path.Combine(dir, "out.raw");
        Run([.. Input(image, input), .. operators, "-depth", "16", "-endian", "LSB", "rgba:" + output]);
        var wide = File.ReadAllBytes(output);
        var pixels = new byte[width * height * 4];
        if (wide.Length != pixels.Length * 2)
            throw new InvalidOperationException($"ImageMagick wrote {wide.Length} bytes, expected {pixels.Length * 2} for {width}x{height} at 16 bits.");
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Round((wide[2 * i] | (wide[2 * i + 1] << 8)) / 257.0);
        return new RgbaImage(width, height, pixels);
    });

    /// <summary>
    /// Evaluates an ImageMagick <c>-format</c> string (e.g. <c>%[fx:mean.r]</c>) on the image
    /// after <paramref name="operators"/>, returning the numbers it prints.
    /// </summary>
    public static double[] Measure(RgbaImage image, string format, params string[] operators) => WithTempDir(dir =>
    {
        var input = Write(image, dir);
        var text = Run([.. Input(image, input), .. operators, "-format", format, "info:"]);
        return text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))
            .ToArray();
    });

    private static string[] Input(RgbaImage image, string path) =>
        ["-size", $"{image.Width}x{image.Height}", "-depth", "8", "rgba:" + path];

    private static string Write(RgbaImage image, string dir)
    {
        var path = Path.Combine(dir, "in.raw");
        File.WriteAllBytes(path, image.Pixels);
        return path;
    }

    private static string Run(string[] args) => Encoding.UTF8.GetString(Magick.Convert(args));

    private static T WithTempDir<T>(Func<string, T> body)
    {
        using var dir = new TempDir();
        return body(dir.Path);
    }
}
