using Easel.Core.Generation;

namespace Easel.Core.Orders;

/// <summary>How an image was made from another one.</summary>
public enum Derivation
{
    /// <summary>A new image for the same slot, from the same prompt (seed 001's "regenerate").</summary>
    Regenerate,
    Variation,
    Upscale,
}

/// <summary>The image an order works from, for regenerations, variations and upscales.</summary>
/// <param name="Strength">For variations.</param>
/// <param name="Scale">For upscales: 2 or 4.</param>
public sealed record OrderSource(string ImageId, Derivation Kind, VariationStrength? Strength = null, int? Scale = null);

public static class DerivationExtensions
{
    public static string ToText(this Derivation kind) => kind.ToString().ToLowerInvariant();

    public static Derivation? Parse(string? text) =>
        Enum.TryParse<Derivation>(text, ignoreCase: true, out var kind) ? kind : null;
}

/// <summary>A reference image kept with an order (in the data directory's <c>images/refs/</c> folder).</summary>
/// <param name="Source">What the user gave: a canonical path or a URL.</param>
/// <param name="Path">Where Easel keeps its copy.</param>
public sealed record StoredReference(string Source, string Path, string MediaType, string Sha256, int Width, int Height);
