using System.Text.Json;
using Easel.Core.Language;
using Easel.Core.Orders;
using Easel.Core.Quality.Builtin;

namespace Easel.Core.Prompts;

/// <summary>
/// Prompt suggestions from a language model, asked as a prompt engineer with the same advice the
/// built-in rules follow. Its answer is checked: empty, repeated or unchanged prompts are dropped,
/// reasons are cut to one line, extra suggestions are left out; an answer with nothing usable is a
/// <see cref="Generation.ProviderException"/> naming the model. Negations the model took out of
/// the prompt ("no text") are reported as <see cref="PromptSuggestion.Negative"/>, as the built-in
/// rules do.
/// </summary>
public sealed class ModelPromptRefiner(ILanguageModel model) : IPromptRefiner
{
    /// <summary>A reason longer than this is cut at a word: it is one line of advice, not an essay.</summary>
    internal const int MaxReasonLength = 200;

    internal static readonly OutputSchema Schema = new("prompt_suggestions", "Improved versions of an image prompt, best first, each with why it is better.", """
        {
          "type": "object",
          "properties": {
            "suggestions": {
              "type": "array",
              "description": "The improved prompts, best first.",
              "items": {
                "type": "object",
                "properties": {
                  "prompt": { "type": "string", "description": "The complete improved prompt, ready for the image generator." },
                  "reason": { "type": "string", "description": "One short sentence: what changed and why it gives a better image." }
                },
                "required": ["prompt", "reason"],
                "additionalProperties": false
              }
            }
          },
          "required": ["suggestions"],
          "additionalProperties": false
        }
        """);

    private const string Instructions = """
        You are an expert prompt engineer for image generators. You get a user's prompt; write improved versions of it.
        Rules:
        - Each suggestion is the whole prompt, ready to use. Start with the user's own words, then add to them; change their words only to fix them (see below).
        - Name what the prompt leaves to chance with concrete visual words: a subject detail or setting when it is very short, the medium or style, the lighting, the composition or framing, the colours.
        - Replace vague praise ("beautiful", "nice", "cool") with what makes it so.
        - Negations ("no text", "without people") make models draw the very thing: leave them out of the prompt and say in the reason that they belong in the negative prompt (--negative).
        - Put text that should appear in the image in double quotes, exactly as the user wants it spelled.
        - Drop request wording ("create an image of") and repeated words; split long run-on sentences into short comma-separated phrases.
        - Never contradict what the user asked for. Every suggestion must differ from the prompt and from the others; the first is the one you recommend.
        - The reason is one short sentence: what changed and why it gives a better image.
        """;

    public string Source => $"{model.Vendor} {model.Model}";

    public async Task<IReadOnlyList<PromptSuggestion>> SuggestAsync(string prompt, int count, CancellationToken cancellationToken)
    {
        var user = PromptRefiner.CheckArguments(prompt, count);
        var request = new LanguageModelRequest(Instructions + $"\n- Keep each prompt under {BuiltinPrompter.SoftMaxLength} characters unless the user's own is longer.", Text(user, count), [], Schema);
        var reply = await model.GenerateJsonAsync(request, cancellationToken);
        return Read(user, count, reply.Json);
    }

    internal static string Text(string user, int count) =>
        $"The user's prompt: \"{user}\"\nWrite {count} suggestion{(count == 1 ? "" : "s")}, best first.";

    private IReadOnlyList<PromptSuggestion> Read(string user, int count, string json)
    {
        var answer = ModelAnswer.Read(model, "prompt suggestions", json);
        var list = answer.Property(answer.Root, "suggestions") ?? throw answer.Missing("suggestions");
        if (list.ValueKind != JsonValueKind.Array)
            throw answer.Error("whose \"suggestions\" is not a list");

        var userNegations = PromptFixes.FindNegations(user);
        var seen = new HashSet<string>(StringComparer.Ordinal) { BuiltinPromptRefiner.Key(user) };
        var suggestions = new List<PromptSuggestion>();
        int empty = 0, unchanged = 0, repeated = 0, tooLong = 0;
        foreach (var item in list.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? ModelAnswer.Text(item) : ModelAnswer.Text(answer.Property(item, "prompt"));
            text = Unquote(OneLine(text ?? ""));
            if (text.Length == 0)
            {
                empty++;
                continue;
            }
            if (text.Length > OrderSpec.MaxPromptLength)
            {
                tooLong++;
                continue;
            }
            var key = BuiltinPromptRefiner.Key(text);
            if (key == BuiltinPromptRefiner.Key(user))
            {
                unchanged++;
                continue;
            }
            if (!seen.Add(key))
            {
                repeated++;
                continue;
            }
            var reason = Reason(ModelAnswer.Text(answer.Property(item, "reason")));
            suggestions.Add(new PromptSuggestion(text, reason) { Negative = Moved(userNegations, text) });
            if (suggestions.Count == count)
                break;
        }
        if (suggestions.Count > 0)
            return suggestions;

        var problems = new List<string>();
        if (empty > 0)
            problems.Add($"{empty} empty");
        if (unchanged > 0)
            problems.Add($"{unchanged} the prompt unchanged");
        if (repeated > 0)
            problems.Add($"{repeated} repeated");
        if (tooLong > 0)
            problems.Add($"{tooLong} over {OrderSpec.MaxPromptLength} characters");
        throw problems.Count == 0
            ? answer.Error("with no suggestions; try again, or unset Language:Prompter to use the built-in rules")
            : answer.Error($"with nothing usable ({string.Join(", ", problems)}); try again, or unset Language:Prompter to use the built-in rules");
    }

    /// <summary>What the user's prompt excluded ("no text") that the suggestion no longer mentions, for <c>--negative</c>.</summary>
    private static string? Moved(Negations user, string suggestion)
    {
        if (user.Excluded.Count == 0)
            return null;
        var kept = PromptFixes.FindNegations(suggestion).Excluded;
        var moved = user.Excluded.Where(e => !kept.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
        return moved.Count == 0 ? null : string.Join(", ", moved);
    }

    /// <summary>The reason on one line, cut at a word when it runs long; a stand-in when the model gave none.</summary>
    private string Reason(string? text)
    {
        var line = (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        line = OneLine(line);
        if (line.Length > MaxReasonLength)
        {
            var cut = line.LastIndexOf(' ', MaxReasonLength - 1);
            line = (cut > MaxReasonLength / 2 ? line[..cut] : line[..(MaxReasonLength - 1)]).TrimEnd(' ', ',', ';', ':', '.') + "…";
        }
        return line.Length == 0 ? $"Suggested by {Source}, without a reason." : line;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The prompt without the quotes or label a model sometimes wraps it in; quotes inside it (text to write) stay.</summary>
    private static string Unquote(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("Prompt:", StringComparison.OrdinalIgnoreCase))
            t = t["Prompt:".Length..].Trim();
        if (t.Length >= 2 && (t[0], t[^1]) is ('"', '"') or ('\u201C', '\u201D') && t[1..^1].IndexOfAny(['"', '\u201C', '\u201D']) < 0)
            t = t[1..^1].Trim();
        return t;
    }
}
