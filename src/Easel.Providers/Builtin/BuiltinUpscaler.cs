using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Png;
using Easel.Imaging.Resampling;

namespace Easel.Providers.Builtin;

/// <summary>The offline upscaler: Lanczos-3 resampling plus sharpening tuned by measurement (see docs/benchmarks.md).</summary>
public sealed class BuiltinUpscaler : IImageUpscaler
{
    public const string UpscalerName = ProviderRegistry.DefaultUpscaler;

    public string Name => UpscalerName;

    public string Model => "lanczos3-sharpen";

    public IReadOnlyList<int> Scales => Upscaler.Scales;

    public int MaxOutputSide => ImageSize.MaxSide;

    public decimal PricePerImage => 0m;

    public Task<GeneratedImage> UpscaleAsync(byte[] image, string mediaType, int scale, CancellationToken cancellationToken)
    {
        if (mediaType != "image/png")
            throw new ImageFormatException($"The built-in upscaler reads PNG images; this one is {mediaType}.");
        // Off the caller's thread: a 4x upscale of a large image takes a while.
        return Task.Run(() =>
        {
            var source = PngDecoder.Decode(image).Image;
            var larger = Upscaler.Upscale(source, scale);
            return new GeneratedImage(PngEncoder.Encode(larger), "image/png", Seed: null, Model);
        }, cancellationToken);
    }
}
