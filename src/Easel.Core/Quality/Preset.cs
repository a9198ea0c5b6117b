namespace Easel.Core.Quality;

/// <summary>
/// Domain knowledge for one kind of image (e.g. jewellery product photography): instructions for
/// the prompter and criteria for the evaluator. Presets are JSON data files; users add their own.
/// </summary>
public sealed record Preset
{
    /// <summary>What users pass to <c>--preset</c>: lower-case letters, digits and dashes.</summary>
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Instructions for a language-model prompter, one per line.</summary>
    public IReadOnlyList<string> PrompterInstructions { get; init; } = [];

    /// <summary>Detail phrases the built-in prompter adds, in order, when the prompt lacks them.</summary>
    public IReadOnlyList<string> PromptDetails { get; init; } = [];

    /// <summary>Instructions for a language-model evaluator.</summary>
    public string? EvaluatorInstructions { get; init; }

    public IReadOnlyList<PresetCriterion> Criteria { get; init; } = [];

    /// <summary>Where the preset came from (built in, or a file path), for messages.</summary>
    public string Source { get; init; } = "built-in";
}

/// <summary>One thing a preset asks the evaluator to judge.</summary>
/// <param name="Name">Short id, e.g. "sparkle".</param>
/// <param name="Description">What a person (or language model) should look for.</param>
/// <param name="Weight">Share of the score relative to the other criteria (1 = as much as one ordinary check).</param>
/// <param name="Check">The built-in pixel check that measures it ("sharpness", "sparkle", "plain_background", "brightness", "contrast", "colorfulness", "exposure"), or null when only a model can judge it.</param>
/// <param name="Suggestion">Words the built-in prompter adds when this criterion fails.</param>
public sealed record PresetCriterion(string Name, string Description, double Weight = 1.0, string? Check = null, string? Suggestion = null);
