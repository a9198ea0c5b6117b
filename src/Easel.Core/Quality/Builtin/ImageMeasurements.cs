using Easel.Imaging;
using Easel.Imaging.Metrics;
using Easel.Imaging.Png;

namespace Easel.Core.Quality.Builtin;

/// <summary>Everything the built-in evaluator measures in one image, decoded once.</summary>
internal sealed record ImageMeasurements(int Width, int Height, PixelStats Pixels, ColorCoverage Colors, RegionStats Regions)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <exception cref="ArgumentException">The image is empty.</exception>
    /// <exception cref="ImageFormatException">The bytes are not a PNG Easel can decode.</exception>
    public static ImageMeasurements Measure(byte[] image, string? mediaType)
    {
        if (image is null || image.Length == 0)
            throw new ArgumentException("The image to evaluate is empty (0 bytes).", nameof(image));
        if (!image.AsSpan().StartsWith(PngSignature))
        {
            var kind = string.IsNullOrWhiteSpace(mediaType) || mediaType.Contains("png", StringComparison.OrdinalIgnoreCase)
                ? "the bytes are not a PNG file (the PNG signature is missing)"
                : $"it is {mediaType}";
            throw new ImageFormatException($"The built-in evaluator reads PNG images only, and {kind}.");
        }

        RgbaImage decoded;
        try
        {
            decoded = PngDecoder.Decode(image).Image;
        }
        catch (ImageFormatException e)
        {
            throw new ImageFormatException($"The image cannot be evaluated: {e.Message}", e);
        }
        return Measure(decoded);
    }

    public static ImageMeasurements Measure(RgbaImage image) =>
        new(image.Width, image.Height, PixelStats.Compute(image), ColorCoverage.Compute(image), RegionStats.Compute(image));
}
