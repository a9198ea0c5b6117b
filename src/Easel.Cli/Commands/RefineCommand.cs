using System.CommandLine;
using System.Text.Json.Serialization;
using Easel.Cli.Output;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Prompts;

namespace Easel.Cli.Commands;

/// <summary>
/// `easel refine PROMPT`: better versions of a prompt, each with why, before spending money on
/// images. The <c>Language:Prompter</c> model writes them when one is configured, the built-in
/// rules otherwise; a model that cannot be reached or answers nothing usable is a failure, not a
/// silent switch to the rules, so the user knows which advice they got.
/// </summary>
internal static class RefineCommand
{
    public static Command Create(CliConsole console, EaselServices services)
    {
        var prompt = new Argument<string>("prompt") { Description = "The prompt to improve, in plain words." };
        var count = new Option<int>("--count", "-n")
        {
            Description = $"Number of suggestions (1-{PromptRefiner.MaxSuggestions}).",
            DefaultValueFactory = _ => PromptRefiner.DefaultSuggestions,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout." };
        prompt.Validators.Add(r =>
        {
            var text = r.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(text))
                r.AddError("The prompt is empty: say what the image should show, e.g. easel refine \"a red fox in the snow\".");
            else if (text.Length > OrderSpec.MaxPromptLength)
                r.AddError($"The prompt is {text.Length} characters long; the limit is {OrderSpec.MaxPromptLength}.");
        });
        count.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<int>();
            if (n < 1 || n > PromptRefiner.MaxSuggestions)
                r.AddError($"--count must be between 1 and {PromptRefiner.MaxSuggestions}; got {n}.");
        });

        var command = new Command("refine", "Suggest better versions of a prompt, each with why (from the Language:Prompter model, else built-in rules).")
        {
            prompt, count, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(prompt).Trim();
            var refiner = services.Refiner;
            IReadOnlyList<PromptSuggestion> suggestions;
            try
            {
                suggestions = await refiner.SuggestAsync(text, parse.GetValue(count), cancellationToken);
            }
            catch (ProviderException ex)
            {
                // The model could not be reached, refused, or answered nothing usable: its message says which.
                console.ErrorLine(ex.Message);
                return ExitCodes.Failure;
            }
            if (parse.GetValue(json))
            {
                OrderOutput.WriteJson(console, new RefineJson(text, refiner.Source,
                    suggestions.Select(s => new SuggestionJson(s.Prompt, s.Reason, s.Negative)).ToList()), RefineJsonContext.Default.RefineJson);
                return ExitCodes.Success;
            }
            if (suggestions.Count == 0)
            {
                console.Log($"No suggestions: {refiner.Source} found nothing to improve in this prompt.");
                return ExitCodes.Success;
            }

            // Plain lines, never wrapped: a long suggestion and the command to use it must copy and paste whole.
            var output = console.RawOut;
            output.WriteLine($"Suggestions from {refiner.Source}, best first:");
            for (var i = 0; i < suggestions.Count; i++)
            {
                output.WriteLine();
                output.WriteLine($"{i + 1,2}. {suggestions[i].Prompt}");
                output.WriteLine($"    {suggestions[i].Reason}");
            }
            output.WriteLine();
            output.WriteLine($"Use one: {GenerateLine(suggestions[0])}");
            output.Flush();
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The command that makes images from a suggestion, quoted for a POSIX shell, with its negative prompt.</summary>
    internal static string GenerateLine(PromptSuggestion suggestion)
    {
        var line = $"easel generate {ShellQuote(suggestion.Prompt)}";
        return suggestion.Negative is { Length: > 0 } negative ? $"{line} --negative {ShellQuote(negative)}" : line;
    }

    /// <summary>Double quotes when nothing inside is special to the shell; single quotes otherwise ('"OPEN" sign').</summary>
    private static string ShellQuote(string text) =>
        text.IndexOfAny(['"', '$', '`', '\\', '!']) < 0 ? $"\"{text}\"" : "'" + text.Replace("'", "'\\''") + "'";
}

/// <summary>What `easel refine --json` prints.</summary>
/// <param name="Prompt">The prompt as given (trimmed).</param>
/// <param name="Source">Who made the suggestions: "built-in rules" or the model ("OpenAI gpt-4o").</param>
internal sealed record RefineJson(string Prompt, string Source, IReadOnlyList<SuggestionJson> Suggestions);

/// <param name="Negative">What the suggestion moved out of the prompt for `--negative`, or null.</param>
internal sealed record SuggestionJson(string Prompt, string Reason, string? Negative);

// Its own context, with the options of CliJsonContext, so this command's output types live beside it.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RefineJson))]
internal sealed partial class RefineJsonContext : JsonSerializerContext;
