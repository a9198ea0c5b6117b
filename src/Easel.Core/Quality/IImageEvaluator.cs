using Easel.Core.Generation;

namespace Easel.Core.Quality;

/// <summary>Scores an image against what was asked for. The built-in one reads pixels; language-model ones look.</summary>
public interface IImageEvaluator
{
    /// <summary>The name recorded with every evaluation ("builtin", "openai:gpt-4o", ...).</summary>
    string Name { get; }

    Task<Evaluation> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken);
}

/// <summary>An image and everything it was meant to be.</summary>
/// <param name="Image">The encoded image (PNG for every provider today).</param>
/// <param name="Prompt">The prompt this image was made from (possibly refined).</param>
/// <param name="OriginalPrompt">The user's own words: what the image is finally judged against.</param>
/// <param name="Preset">Domain criteria to judge by, when the order names a preset.</param>
public sealed record EvaluationRequest(
    byte[] Image,
    string MediaType,
    string Prompt,
    string OriginalPrompt,
    string? NegativePrompt,
    ImageSize RequestedSize,
    string? AspectRatio,
    string? Style,
    Background Background,
    Preset? Preset);

/// <summary>A score from 0 to 100, what it is made of, and what to change.</summary>
/// <param name="Feedback">One actionable paragraph: what is off and how to fix it, then what could not be checked.</param>
/// <param name="Unchecked">What this evaluator cannot judge (e.g. "the subject itself: whether it is a fox"), in plain words.</param>
public sealed record Evaluation(
    int Score,
    IReadOnlyList<CriterionResult> Criteria,
    string Feedback,
    IReadOnlyList<string> Unchecked,
    string Evaluator)
{
    public const int MinScore = 0;
    public const int MaxScore = 100;

    /// <summary>Why the image could not be judged (the evaluator failed); the score then means nothing.</summary>
    public string? Error { get; init; }

    /// <summary>An evaluation that did not happen, kept so the loop moves on and the reason is shown.</summary>
    public static Evaluation Failed(string evaluator, string error) =>
        new(0, [], $"Not evaluated: {error}", [], evaluator) { Error = error };
}

/// <summary>One thing checked.</summary>
/// <param name="Name">Short id, e.g. "color:red", "time_of_day", "sharpness", "preset:sparkle".</param>
/// <param name="Score">0-100 for this criterion alone.</param>
/// <param name="Comment">What was seen, e.g. "little red: 3% of the image; the fox should be vivid red".</param>
/// <param name="Suggestion">Words a prompter can add to fix it (e.g. "vivid red fox"), or null when nothing to add.</param>
public sealed record CriterionResult(string Name, int Score, bool Passed, string Comment, string? Suggestion = null);
