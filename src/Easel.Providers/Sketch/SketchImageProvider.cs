using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Png;
using Easel.Imaging.Sketch;

namespace Easel.Providers.Sketch;

/// <summary>
/// The built-in offline provider: paints a sketch of the prompt with <see cref="SketchRenderer"/>.
/// Free, keyless and deterministic for a given prompt, parameters, seed, references and parent image.
/// </summary>
/// <remarks>
/// References: only PNG can be decoded here, so only PNG references colour the sketch (their dominant
/// colours nudge sky, ground and accents); JPEG, WebP and GIF references are accepted and ignored.
/// Variations: with the parent's seed the composition is repeated (subtle) or the same reading of the
/// prompt is laid out afresh (strong); without it, the parent's colours are kept instead.
/// The sketch has no conversation, so it cannot continue from an earlier response.
/// </remarks>
public sealed class SketchImageProvider : IImageProvider
{
    public const string ProviderName = "sketch";

    private const string Png = "image/png";

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
        MaxReferences = 4,
        SupportsPreviousResponse = false,
        SupportsVariations = true,
        PricePerImage = 0m,
    };

    public Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"The sketch renderer makes at most {Capabilities.MaxImagesPerCall} images per call; {request.Count} were asked for.", nameof(request));
        if (request.References.Count > Capabilities.MaxReferences)
            throw new ArgumentException($"The sketch renderer takes at most {Capabilities.MaxReferences} reference images per call; {request.References.Count} were given.", nameof(request));

        // Off the caller's thread, one image per core: a call of 4 keeps both cores of a small machine busy.
        return Task.Run<IReadOnlyList<GeneratedImage>>(() =>
        {
            // Decoded once per call, not per image: every image of the call shares them.
            var referenceColors = ReferenceColors(request.References, cancellationToken);
            var variation = Variation(request.VariationOf);
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
                    request.Background == Background.Transparent)
                {
                    ReferenceColors = referenceColors,
                    Variation = variation,
                });
                images[i] = new GeneratedImage(PngEncoder.Encode(pixels), Png, seed, Capabilities.Model);
            });
            return images;
        }, cancellationToken);
    }

    /// <summary>The PNG references' colours, combined; other formats have no decoder here and are skipped.</summary>
    private static SketchImageColors? ReferenceColors(IReadOnlyList<ReferenceImage> references, CancellationToken cancellationToken)
    {
        var colors = new List<SketchImageColors>(references.Count);
        foreach (var reference in references)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsPng(reference.MediaType))
                continue;
            // One image in memory at a time: only its colour summary is kept.
            colors.Add(SketchImageColors.FromImage(Decode(reference.Bytes, $"The reference image {reference.Source}")));
        }
        return SketchImageColors.Combine(colors);
    }

    /// <summary>
    /// A parent made by the sketch renderer is identified by its seed; any other parent (no seed) is
    /// followed by its colours when it is a PNG, and otherwise only by the prompt.
    /// </summary>
    private static SketchVariation? Variation(VariationSource? source)
    {
        if (source is null)
            return null;
        var strength = source.Strength == VariationStrength.Strong ? SketchVariationStrength.Strong : SketchVariationStrength.Subtle;
        if (source.Seed is { } seed)
            return new SketchVariation(seed, strength);
        return new SketchVariation(null, strength)
        {
            ParentColors = IsPng(source.MediaType) ? SketchImageColors.FromImage(Decode(source.Image, "The image to make variations of")) : null,
        };
    }

    private static bool IsPng(string mediaType) => string.Equals(mediaType, Png, StringComparison.OrdinalIgnoreCase);

    private static RgbaImage Decode(byte[] bytes, string what)
    {
        try
        {
            return PngDecoder.Decode(bytes).Image;
        }
        catch (ImageFormatException ex)
        {
            throw new ArgumentException($"{what} is not a readable PNG: {ex.Message}", ex);
        }
    }
}
