namespace Easel.Core.Generation;

/// <summary>One call to an image provider: at most its per-call maximum of images.</summary>
/// <param name="Seeds">One seed per image wanted; <c>Seeds.Count</c> is the number of images.</param>
public sealed record GenerationRequest(
    string Prompt,
    string? NegativePrompt,
    ImageSize Size,
    string? Style,
    Background Background,
    IReadOnlyList<long> Seeds)
{
    public int Count => Seeds.Count;
}

/// <summary>An image a provider returned, as encoded bytes.</summary>
public sealed record GeneratedImage(byte[] Bytes, string MediaType, long? Seed, string Model);
