using System.Text;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Core.Quality.Builtin;

namespace Easel.Core.Language;

/// <summary>
/// A prompter that asks a language model to rewrite the prompt from the evaluation's feedback and
/// the preset's instructions. The model is told to keep the user's text first and whole; what it
/// answers is then checked, and if the user's words are missing, moved or reworded they are put
/// back in front, as the built-in prompter does, so a refinement can add but never lose intent.
/// </summary>
public sealed class ModelPrompter(ILanguageModel model) : IPrompter
{
    /// <summary>The length the model is asked to stay under, as for the built-in prompter.</summary>
    public const int SoftMaxLength = BuiltinPrompter.SoftMaxLength;

    /// <summary>Room for additions beyond <see cref="SoftMaxLength"/> before an answer is cut (or beyond a long user prompt).</summary>
    internal const int HardAllowance = 1000;

    internal static readonly OutputSchema Schema = new("refined_prompt", "The next prompt for the image generator.", """
        {
          "type": "object",
          "properties": {
            "prompt": { "type": "string", "description": "The complete new prompt: the user's text first, exactly as written, then the additions." }
          },
          "required": ["prompt"],
          "additionalProperties": false
        }
        """);

    private const string BaseInstructions = """
        You refine prompts for an image generator. You get the user's own prompt, the prompt the last image was made from, and a critique of that image. Write the next prompt.
        Rules:
        - Start with the user's text exactly as they wrote it, then add to it. Never drop, reword or contradict anything they asked for.
        - Fix what the critique says is wrong with concrete visual words: the subject's details, colours, lighting, composition, style. Keep earlier additions that still help; drop those that did not.
        - Do not add anything that changes what the user asked for.
        - Say what should be in the image, not what should not.
        - Write one prompt in plain text: no quotes, no explanations, no lists.
        """;

    public string Name => $"{model.Name}:{model.Model}";

    public async Task<string> RefineAsync(RefineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = User(request);
        var reply = await model.GenerateJsonAsync(new LanguageModelRequest(Instructions(request.Preset), Text(request), [], Schema), cancellationToken);
        var answer = ModelAnswer.Read(model, "a prompt", reply.Json);
        var rewrite = answer.Property(answer.Root, "prompt") is { } p
            ? ModelAnswer.Text(p) ?? throw answer.Error("whose \"prompt\" is not text")
            : throw answer.Missing("prompt");
        rewrite = Unquote(rewrite);
        if (rewrite.Length == 0)
            throw answer.Error("that is empty");
        return KeepUserFirst(user, rewrite);
    }

    private static string User(RefineRequest request)
    {
        var user = request.OriginalPrompt?.Trim() is { Length: > 0 } o ? o : request.CurrentPrompt?.Trim() ?? "";
        if (user.Length == 0)
            throw new ArgumentException("The prompt is empty; there is nothing to refine.", nameof(request));
        return user;
    }

    internal static string Instructions(Preset? preset)
    {
        var text = new StringBuilder(BaseInstructions.TrimEnd());
        text.Append("\n- Keep the prompt under ").Append(SoftMaxLength).Append(" characters unless the user's own text is longer.");
        if (preset is { PrompterInstructions.Count: > 0 })
        {
            text.Append("\n\n");
            foreach (var line in preset.PrompterInstructions.Where(l => !string.IsNullOrWhiteSpace(l)))
                text.Append(line.Trim()).Append('\n');
        }
        return text.ToString().TrimEnd();
    }

    internal static string Text(RefineRequest request)
    {
        var evaluation = request.Evaluation;
        var text = new StringBuilder();
        text.Append("The user's prompt: \"").Append(User(request)).Append("\"\n");
        text.Append("The last image was made from: \"").Append(request.CurrentPrompt?.Trim() ?? "").Append("\"\n");
        if (evaluation is not null)
        {
            text.Append("Its score: ").Append(evaluation.Score).Append(" out of 100.\n");
            if (!string.IsNullOrWhiteSpace(evaluation.Feedback))
                text.Append("Critique: ").Append(evaluation.Feedback.Trim()).Append('\n');
            var failing = evaluation.Criteria.Where(c => !c.Passed).OrderBy(c => c.Score).ToList();
            if (failing.Count > 0)
            {
                text.Append("Criteria that failed, worst first:\n");
                foreach (var c in failing)
                {
                    text.Append("- ").Append(c.Name).Append(" (").Append(c.Score).Append(')');
                    if (c.Comment.Length > 0)
                        text.Append(": ").Append(c.Comment.Trim());
                    if (!string.IsNullOrWhiteSpace(c.Suggestion))
                        text.Append(". Suggested words: ").Append(c.Suggestion.Trim());
                    text.Append('\n');
                }
            }
            var passed = evaluation.Criteria.Where(c => c.Passed).Select(c => c.Name).ToList();
            if (passed.Count > 0)
                text.Append("Criteria that passed (keep what achieves them): ").AppendJoin(", ", passed).Append('\n');
        }
        text.Append("This will be attempt ").Append(request.Iteration).Append('.');
        return text.ToString();
    }

    /// <summary>
    /// The user's text, exactly as written, at the front of the rewrite: kept when the rewrite already
    /// starts with the same words (its case and punctuation are put back), moved to the front when
    /// the rewrite has it elsewhere, added in front when the rewrite lost it. An overlong answer is
    /// cut at a phrase boundary; the user's text is never cut.
    /// </summary>
    internal static string KeepUserFirst(string user, string rewrite)
    {
        var userWords = Words(user);
        var words = Words(rewrite);
        var at = userWords.Count == 0 ? -1 : Find(words, userWords, rewrite, user);
        var rest = rewrite;
        var keepConnector = false;
        if (at == 0)
        {
            rest = rewrite[words[userWords.Count - 1].End..];
            // " at sunset" or ", vivid fur" continue the user's words as the model wrote them, unless the user ended with punctuation of their own.
            keepConnector = user[userWords[^1].End..].Trim().Length == 0;
        }
        else if (at > 0)
        {
            var before = rewrite[..words[at].Start].TrimEnd();
            var after = rewrite[words[at + userWords.Count - 1].End..].TrimStart();
            // Taken out only when it stands as a phrase of its own; inside a sentence the whole rewrite follows the user's text.
            if ((before.Length == 0 || before[^1] is ',' or ';' or '.' or ':') && (after.Length == 0 || after[0] is ',' or ';' or '.'))
                rest = Join(before.TrimEnd(Separators), after.TrimStart(Separators));
        }

        rest = rest.TrimEnd();
        if (rest.Trim(Separators).Length == 0)
            return user;
        if (keepConnector && (char.IsWhiteSpace(rest[0]) || rest[0] is ',' or ';' or ':'))
            return Cap(user, user + rest);
        var joiner = ",;:.!?".Contains(user[^1]) ? " " : ", ";
        return Cap(user, user + joiner + rest.TrimStart(Separators));
    }

    private static readonly char[] Separators = [' ', ',', ';', ':', '.', '-', '\n', '\t'];

    private static string Join(string before, string after) =>
        before.Length == 0 ? after : after.Length == 0 ? before : before + ", " + after;

    /// <summary>The longest answer kept: room for additions after the soft limit, or after a user's long text.</summary>
    private static string Cap(string user, string prompt)
    {
        var limit = Math.Min(OrderSpec.MaxPromptLength, Math.Max(SoftMaxLength, user.Length) + HardAllowance);
        if (prompt.Length <= limit || user.Length >= limit)
            return prompt.Length <= limit ? prompt : user;
        var cut = prompt[..limit];
        var boundary = cut.LastIndexOfAny([',', ';', '.']);
        if (boundary < user.Length)
            boundary = cut.LastIndexOf(' ');
        return boundary <= user.Length ? user : cut[..boundary].TrimEnd(' ', ',', ';');
    }

    /// <summary>Where the user's words appear together, in order, in the rewrite (case and punctuation ignored), or -1.</summary>
    private static int Find(List<(int Start, int End)> words, List<(int Start, int End)> userWords, string rewrite, string user)
    {
        for (var i = 0; i + userWords.Count <= words.Count; i++)
        {
            var match = true;
            for (var j = 0; j < userWords.Count && match; j++)
            {
                var (s, e) = words[i + j];
                var (us, ue) = userWords[j];
                match = rewrite.AsSpan(s, e - s).Equals(user.AsSpan(us, ue - us), StringComparison.OrdinalIgnoreCase);
            }
            if (match)
                return i;
        }
        return -1;
    }

    /// <summary>The spans of the words (letters and digits) in a text.</summary>
    private static List<(int Start, int End)> Words(string text)
    {
        var words = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (letter && start < 0)
                start = i;
            else if (!letter && start >= 0)
            {
                words.Add((start, i));
                start = -1;
            }
        }
        return words;
    }

    /// <summary>The prompt without the quotes or label a model sometimes wraps it in.</summary>
    private static string Unquote(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("Prompt:", StringComparison.OrdinalIgnoreCase))
            t = t["Prompt:".Length..].Trim();
        if (t.Length >= 2 && (t[0], t[^1]) is ('"', '"') or ('\'', '\'') or ('“', '”'))
            t = t[1..^1].Trim();
        return t;
    }
}
