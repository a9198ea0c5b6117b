using Easel.Core.Generation;
using Easel.Imaging.Png;
using Easel.Imaging.Sketch;

namespace Easel.Providers.Sketch;

/// <summary>
/// The built-in offline provider: paints a sketch of the prompt with <see cref="SketchRenderer"/>.
/// Free, keyless and deterministic for a given prompt, parameters and seed.
/// </summary>
public sealed class SketchImageProvider : IImageProvider
{
    public const string ProviderName = "sketch";

    public string Name => ProviderName;

    public ProviderCapabilities Capabilities { get; } = new()
    {
        Model = "sketch-1",
        MaxImagesPerCall = SketchRenderer.MaxImagesPerCall,
        // Each call already uses every core (one image per core), so calls run one at a time.
        MaxConcurrency = 1,
        SupportsNegativePrompt = true,
        SupportsSeed = true,
        SupportsTransparentBackground = true,
        PricePerImage = 0m,
    };

    public Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"The sketch renderer makes at most {Capabilities.MaxImagesPerCall} images per call; {request.Count} were asked for.", nameof(request));

        // Off the caller's thread, one image per core: a call of 4 keeps both cores of a small machine busy.
        return Task.Run<IReadOnlyList<GeneratedImage>>(() =>
        {
            var images = new GeneratedImage[request.Count];
            var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.For(0, request.Count, options, i =>
            {
                var seed = request.Seeds[i];
                var pixels = SketchRenderer.Render(new SketchRequest(
                    request.Prompt,
                    request.NegativePrompt,
                    request.Size.Width,
                    request.Size.Height,
                    seed,
                    request.Style,
                    request.Background == Background.Transparent));
                images[i] = new GeneratedImage(PngEncoder.Encode(pixels), "image/png", seed, Capabilities.Model);
            });
            return images;
        }, cancellationToken);
    }
}
