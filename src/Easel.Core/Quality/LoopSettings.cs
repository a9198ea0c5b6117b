namespace Easel.Core.Quality;

/// <summary>
/// The generate → evaluate → refine loop of one order: each slot is made, scored and, while below
/// <see cref="Threshold"/>, refined and made again, at most <see cref="MaxIterations"/> times,
/// with <see cref="Candidates"/> images per iteration of which the best counts.
/// </summary>
public sealed record LoopSettings
{
    public const int DefaultMaxIterations = 3;
    public const int DefaultThreshold = 80;
    public const int MaxIterationsLimit = 10;
    public const int MaxCandidates = 8;

    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>Score (0-100) at which a slot is good enough and stops.</summary>
    public int Threshold { get; init; } = DefaultThreshold;

    /// <summary>Images made per iteration for each slot (best-of-K).</summary>
    public int Candidates { get; init; } = 1;

    /// <summary>Name of the domain preset guiding the prompter and evaluator, or null.</summary>
    public string? Preset { get; init; }

    /// <summary>One pass, no refinement: variations, upscales and orders run before the loop existed.</summary>
    public static LoopSettings Once { get; } = new() { MaxIterations = 1, Threshold = 0 };

    /// <summary>Images made at most for each slot.</summary>
    public int MaxImagesPerSlot => MaxIterations * Candidates;

    /// <summary>The first problem with these settings, in plain words, or null.</summary>
    public string? Validate()
    {
        if (MaxIterations is < 1 or > MaxIterationsLimit)
            return $"--max-iterations must be between 1 and {MaxIterationsLimit}; got {MaxIterations}.";
        if (Threshold is < Evaluation.MinScore or > Evaluation.MaxScore)
            return $"--threshold must be between {Evaluation.MinScore} and {Evaluation.MaxScore}; got {Threshold}.";
        if (Candidates is < 1 or > MaxCandidates)
            return $"--candidates must be between 1 and {MaxCandidates}; got {Candidates}.";
        return null;
    }
}
