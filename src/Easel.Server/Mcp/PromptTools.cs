using System.ComponentModel;
using System.Text;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Workflows;
using Easel.Workflows.Configuration;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Easel.Server.Mcp;

/// <summary>refine_prompt: better versions of a prompt before it is ordered.</summary>
[McpServerToolType]
internal sealed class PromptTools(EaselServices services)
{
    public const int MaxSuggestions = 10;
    public const int DefaultSuggestions = 3;

    [McpServerTool(Name = "refine_prompt", Title = "Refine a prompt", ReadOnly = true, Idempotent = false, OpenWorld = false)]
    [Description(
        "Suggests better versions of an image prompt, best first, each with a one-line reason (what changed and why it helps). " +
        "Nothing is generated or spent; pass the chosen prompt to generate_images.")]
    public async Task<CallToolResult> RefinePrompt(
        [Description("The prompt to improve, in plain words.")] string prompt,
        [Description("How many suggestions (1-10, default 3).")] int? count = null,
        CancellationToken cancellationToken = default)
    {
        var text = prompt.Trim();
        var n = count ?? DefaultSuggestions;
        var errors = new List<string>();
        if (text.Length == 0)
            errors.Add("prompt: the prompt is empty; give the prompt to improve, e.g. \"a red fox in the snow\".");
        else if (text.Length > OrderSpec.MaxPromptLength)
            errors.Add($"prompt: the prompt is {text.Length} characters long; the limit is {OrderSpec.MaxPromptLength}.");
        if (n is < 1 or > MaxSuggestions)
            errors.Add($"count must be between 1 and {MaxSuggestions}; got {n}.");
        if (errors.Count > 0)
            return ToolResults.Error("The prompt cannot be refined as asked:\n" + string.Join("\n", errors.Select(e => "- " + e)));

        string source;
        IReadOnlyList<Core.Prompts.PromptSuggestion> suggestions;
        try
        {
            var refiner = services.Refiner;
            source = refiner.Source;
            suggestions = await refiner.SuggestAsync(text, n, cancellationToken);
        }
        catch (ConfigurationException ex)
        {
            return ToolResults.Error($"Prompt suggestions are not available: {ex.Message}");
        }
        catch (ProviderException ex)
        {
            return ToolResults.Error($"The prompter could not suggest anything: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            return ToolResults.Error(ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal));
        }

        var view = new SuggestionsView(text, source, suggestions.Select(s => new SuggestionView(s.Prompt, s.Reason)).ToList());
        var answer = new StringBuilder();
        answer.AppendLine(suggestions.Count == 0
            ? $"No better prompt found ({source}); the prompt can be used as it is."
            : $"{suggestions.Count} {(suggestions.Count == 1 ? "suggestion" : "suggestions")} from {source}, best first:");
        var number = 0;
        foreach (var s in suggestions)
            answer.AppendLine($"{++number}. \"{s.Prompt}\" ({s.Reason})");
        return ToolResults.Ok(answer.ToString().TrimEnd(), view);
    }
}
