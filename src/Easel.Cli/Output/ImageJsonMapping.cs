using Easel.Core.Gallery;

namespace Easel.Cli.Output;

internal static class ImageJsonMapping
{
    public static ImageDetailJson ToDetailJson(this ImageRecord image) => new(
        image.Id,
        image.OrderId,
        image.Slot,
        image.Prompt,
        image.NegativePrompt,
        image.Provider,
        image.Model,
        image.Seed,
        image.Width,
        image.Height,
        image.Parameters.Style,
        image.Parameters.Background.ToString().ToLowerInvariant(),
        image.Parameters.AspectRatio,
        image.CreatedAt,
        Math.Round(image.GenerationTime.TotalSeconds, 3),
        image.Path,
        image.Sha256);
}
