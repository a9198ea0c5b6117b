namespace Easel.Core.Generation;

/// <summary>Makes a larger version of an image: the built-in resampler or a vendor's upscaling API.</summary>
public interface IImageUpscaler
{
    /// <summary>The name users pass to <c>easel upscale --provider</c>.</summary>
    string Name { get; }

    string Model { get; }

    /// <summary>Factors it can enlarge by (2 and 4 for the built-in one).</summary>
    IReadOnlyList<int> Scales { get; }

    /// <summary>Largest side, in pixels, it will produce.</summary>
    int MaxOutputSide { get; }

    /// <summary>Price of one upscale in US dollars.</summary>
    decimal PricePerImage { get; }

    Task<GeneratedImage> UpscaleAsync(byte[] image, string mediaType, int scale, CancellationToken cancellationToken);
}
