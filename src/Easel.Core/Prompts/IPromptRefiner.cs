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
public sealed record PromptSuggestion(string Prompt, string Reason);
