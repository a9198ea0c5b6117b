using Easel.Core.Orders;

namespace Easel.Core.Prompts;

/// <summary>
/// Prompt assistance (`easel refine`, the agent's and MCP's refine_prompt tool): better versions of
/// a prompt, each with why it should work better. The built-in rules need no model; a language
/// model does it when <c>Language:Prompter</c> names one.
/// </summary>
public interface IPromptRefiner
{
    /// <summary>Where the suggestions come from, as messages say it ("built-in rules", "OpenAI gpt-4o").</summary>
    string Source { get; }

    /// <summary>Up to <paramref name="count"/> distinct suggestions, best first; never the prompt unchanged.</summary>
    /// <exception cref="ArgumentException">The prompt is empty or too long, or the count is out of range.</exception>
    /// <exception cref="Generation.ProviderException">The model refused, failed or answered something unusable.</exception>
    Task<IReadOnlyList<PromptSuggestion>> SuggestAsync(string prompt, int count, CancellationToken cancellationToken);
}

/// <param name="Prompt">The whole suggested prompt, ready to pass to `easel generate`.</param>
/// <param name="Reason">One line: what changed and why it helps.</param>
public sealed record PromptSuggestion(string Prompt, string Reason)
{
    /// <summary>
    /// What the suggestion took out of the prompt because it belongs in the negative prompt
    /// (`--negative`), from "no text" or "without people"; null when nothing was moved. Models tend
    /// to draw what a prompt names even after "no", so the suggestion alone would lose the request.
    /// </summary>
    public string? Negative { get; init; }
}

/// <summary>What every <see cref="IPromptRefiner"/> accepts, for the commands and tools that call one.</summary>
public static class PromptRefiner
{
    /// <summary>The most suggestions asked for at once: more are variations nobody reads.</summary>
    public const int MaxSuggestions = 10;

    /// <summary>How many suggestions a caller that does not say gets.</summary>
    public const int DefaultSuggestions = 3;

    /// <summary>The prompt, trimmed, once it and the count are known to be usable.</summary>
    /// <exception cref="ArgumentException">The prompt is empty or longer than <see cref="OrderSpec.MaxPromptLength"/>, or the count is not 1 to <see cref="MaxSuggestions"/>.</exception>
    internal static string CheckArguments(string prompt, int count)
    {
        if (string.IsNullOrWhiteSpace(prompt))
            throw new ArgumentException("The prompt is empty: say what the image should show, e.g. \"a red fox in the snow\".", nameof(prompt));
        if (prompt.Length > OrderSpec.MaxPromptLength)
            throw new ArgumentException($"The prompt is {prompt.Length} characters long; the limit is {OrderSpec.MaxPromptLength}.", nameof(prompt));
        if (count is < 1 or > MaxSuggestions)
            throw new ArgumentException($"The number of suggestions must be between 1 and {MaxSuggestions}; got {count}.", nameof(count));
        return prompt.Trim();
    }
}
