using Easel.Core.Gallery;
using Easel.Core.Orders;
using Easel.Core.Quality;

namespace Easel.Cli.Output;

internal static class ImageJsonMapping
{
    public static ImageDetailJson ToDetailJson(this ImageRecord image, IReadOnlyList<ImageRecord>? lineage = null) => new(
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
        image.Sha256,
        image.Iteration,
        image.Candidate,
        image.Score,
        image.Evaluation?.ToJson(),
        image.ParentId,
        image.Derivation?.ToText(),
        image.Review.ToString().ToLowerInvariant(),
        image.ReviewedAt,
        image.ReviewedBy,
        lineage?.Select(i => new LineageJson(i.Id, i.Derivation?.ToText(), i.Prompt, i.Width, i.Height, i.Score)).ToList());

    public static EvaluationJson ToJson(this Evaluation e) => new(
        e.Error is null ? e.Score : null,
        e.Evaluator,
        e.Feedback,
        e.Criteria.Select(c => new CriterionJson(c.Name, c.Score, c.Passed, c.Comment, c.Suggestion)).ToList(),
        e.Unchecked,
        e.Error);
}
