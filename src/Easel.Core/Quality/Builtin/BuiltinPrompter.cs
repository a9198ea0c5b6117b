using System.Text;
using Easel.Core.Orders;

namespace Easel.Core.Quality.Builtin;

/// <summary>
/// The offline prompter: the user's text stays first and whole; after it come the failing
/// criteria's suggested words (worst first), the earlier refinements, then one or two detail
/// phrases from the preset (or general quality words chosen by what failed). No phrase is added
/// twice, no detail is added on a subject the user already described (their lighting, background,
/// style, framing, colours or time of day win), and the same request always gives the same prompt.
/// </summary>
public sealed class BuiltinPrompter : IPrompter
{
    /// <summary>Target length: longer prompts dilute what matters and some models truncate them.</summary>
    public const int SoftMaxLength = 1000;

    /// <summary>Room for refinement words after a user's prompt that is already longer than <see cref="SoftMaxLength"/>.</summary>
    internal const int LongPromptAllowance = 120;

    /// <summary>New suggestion phrases per refinement: more would drown the user's own words.</summary>
    internal const int MaxNewSuggestions = 4;

    private const string PresetPrefix = "preset:";

    public string Name => "builtin";

    public Task<string> RefineAsync(RefineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Refine(request));
    }

    internal static string Refine(RefineRequest request)
    {
        var user = request.OriginalPrompt?.Trim() ?? "";
        var current = request.CurrentPrompt?.Trim() ?? "";
        if (user.Length == 0)
            user = current;
        if (user.Length == 0)
            throw new ArgumentException("The prompt is empty; there is nothing to refine.", nameof(request));

        var budget = Math.Min(OrderSpec.MaxPromptLength, Math.Max(SoftMaxLength, user.Length + LongPromptAllowance));
        var joiner = ",;:.!?".Contains(user[^1]) ? " " : ", ";
        if (user.Length + joiner.Length >= budget)
            return user;

        var plan = new Plan(user);
        foreach (var phrase in CarriedPhrases(user, current))
            plan.Carry(phrase);

        var failing = request.Evaluation.Criteria
            .Select((criterion, index) => (criterion, index, preset: PresetCriterionFor(criterion, request.Preset)))
            .Where(c => !c.criterion.Passed)
            .OrderBy(c => c.criterion.Score)
            .ThenByDescending(c => c.preset?.Weight ?? 1.0)
            .ThenBy(c => c.index)
            .ToList();

        var newSuggestions = 0;
        foreach (var (criterion, _, preset) in failing)
        {
            // The evaluator's words were chosen against the user's prompt; a preset's are generic,
            // so they give way where the user already said something on the subject.
            var fromEvaluator = !string.IsNullOrWhiteSpace(criterion.Suggestion);
            var suggestion = fromEvaluator ? criterion.Suggestion : preset?.Suggestion;
            foreach (var phrase in SplitPhrases(suggestion))
            {
                if (!fromEvaluator && plan.ConflictsWithUser(phrase))
                    continue;
                if (plan.Strengthen(phrase, allowNew: newSuggestions < MaxNewSuggestions))
                    newSuggestions++;
            }
        }

        // Early refinements add more detail; later ones concentrate on what still fails.
        var detailCount = failing.Count == 0 ? 1 : request.Iteration <= 2 ? 2 : 1;
        var added = 0;
        foreach (var detail in DetailCandidates(request.Preset, failing.Select(f => Category(f.criterion, f.preset))))
        {
            if (added == detailCount)
                break;
            if (!plan.ConflictsWithUser(detail) && plan.AddDetail(detail))
                added++;
        }

        return plan.Compose(joiner, budget);
    }

    /// <summary>The words an earlier refinement added after the user's text, as separate phrases.</summary>
    private static IEnumerable<string> CarriedPhrases(string user, string current)
    {
        var rest = current;
        if (current.StartsWith(user, StringComparison.OrdinalIgnoreCase)
            && (current.Length == user.Length || !char.IsLetterOrDigit(current[user.Length]) || !char.IsLetterOrDigit(user[^1])))
            rest = current[user.Length..];
        // Otherwise the prompt was rewritten elsewhere: its phrases the user did not write are kept after the user's text.
        return SplitPhrases(rest);
    }

    private static IEnumerable<string> SplitPhrases(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split([',', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Trim(' ', '\t', '\r', '.', ':'))
                .Where(p => Phrase.Normalize(p).Length > 0);

    private static PresetCriterion? PresetCriterionFor(CriterionResult criterion, Preset? preset)
    {
        if (preset is null)
            return null;
        var name = criterion.Name.StartsWith(PresetPrefix, StringComparison.OrdinalIgnoreCase)
            ? criterion.Name[PresetPrefix.Length..]
            : criterion.Name;
        return preset.Criteria.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What kind of quality a failed criterion is about, to pick general detail words for it.</summary>
    private static string Category(CriterionResult criterion, PresetCriterion? preset)
    {
        if (preset?.Check is { } check)
            return check;
        var name = criterion.Name.StartsWith(PresetPrefix, StringComparison.OrdinalIgnoreCase)
            ? criterion.Name[PresetPrefix.Length..]
            : criterion.Name;
        var colon = name.IndexOf(':');
        var key = (colon >= 0 ? name[..colon] : name).Trim().ToLowerInvariant();
        return key switch
        {
            "color" or "colour" or "colors" or "saturation" => PresetChecks.Colorfulness,
            "detail" or "focus" or "blur" => PresetChecks.Sharpness,
            "background" => PresetChecks.PlainBackground,
            "lighting" or "light" => PresetChecks.Exposure,
            _ => key,
        };
    }

    private static IEnumerable<string> DetailCandidates(Preset? preset, IEnumerable<string> failedCategories)
    {
        if (preset is not null)
        {
            foreach (var detail in preset.PromptDetails)
                yield return detail;
        }

        foreach (var category in failedCategories)
        {
            if (CategoryDetails.TryGetValue(category, out var details))
            {
                foreach (var detail in details)
                    yield return detail;
            }
        }

        foreach (var detail in GeneralDetails)
            yield return detail;
    }

    private static readonly Dictionary<string, string[]> CategoryDetails = new(StringComparer.Ordinal)
    {
        [PresetChecks.Sharpness] = ["sharp focus", "fine detail", "crisp edges"],
        [PresetChecks.Sparkle] = ["brilliant highlights", "sparkling reflections"],
        [PresetChecks.PlainBackground] = ["clean uncluttered background", "simple backdrop"],
        // None for brightness: it fails in either direction, and the evaluator's suggestion already says which.
        [PresetChecks.Exposure] = ["balanced exposure", "well lit"],
        [PresetChecks.Contrast] = ["good contrast", "defined shadows and highlights"],
        [PresetChecks.Colorfulness] = ["rich vivid colors", "vibrant color palette"],
        ["composition"] = ["balanced composition", "clear focal point"],
    };

    /// <summary>Quality words that suit nearly any image, for when nothing more specific applies.</summary>
    private static readonly string[] GeneralDetails =
        ["high quality", "sharp focus", "fine detail", "balanced exposure", "balanced composition", "harmonious colors", "professional quality"];

    /// <summary>
    /// Subjects a detail phrase may speak to. When the user's own words touch a subject, no detail
    /// on it is added: "clean white seamless background" would contradict "on black velvet".
    /// </summary>
    internal static readonly string[][] Topics =
    [
        ["background", "backdrop", "seamless", "surface", "tabletop"],
        ["light", "lights", "lighting", "lit", "sunlight", "moonlight", "backlit", "backlight", "softbox", "exposure", "exposed",
            "low key", "high key", "chiaroscuro", "moody", "dramatic", "silhouette", "overcast", "glow", "glowing", "neon", "shadow", "shadows",
            "dark", "darker", "dim", "gloomy", "bright", "brightly"],
        ["focus", "focused", "sharp", "blur", "blurry", "blurred", "bokeh", "depth of field", "tilt shift"],
        ["color", "colors", "colour", "colours", "colorful", "colourful", "vibrant", "vivid", "saturated", "desaturated",
            "monochrome", "black and white", "grayscale", "greyscale", "sepia", "pastel", "muted"],
        ["photo", "photograph", "photography", "photographic", "photorealistic", "realistic", "painting", "painted", "watercolor",
            "watercolour", "illustration", "drawing", "sketch", "cartoon", "anime", "render", "rendering", "3d", "pixel art", "oil",
            "digital art", "vector", "cinematic", "film"],
        ["macro", "close up", "closeup", "flat lay", "wide angle", "wide shot", "full body", "full length", "headshot",
            "head and shoulders", "half length", "aerial", "overhead", "top down", "bird s eye", "three quarter", "side view",
            "front view", "profile view"],
        ["sunrise", "sunset", "dawn", "dusk", "night", "midnight", "golden hour", "blue hour", "noon", "midday", "morning",
            "afternoon", "evening", "twilight", "daytime", "nighttime"],
    ];

    /// <summary>The prompt being built: the user's text plus ordered additions, none repeating another.</summary>
    private sealed class Plan(string user)
    {
        private readonly string _user = Phrase.Normalize(user);
        private readonly string _userText = user;
        private readonly List<string> _failing = [];
        private readonly List<string> _carried = [];
        private readonly List<string> _details = [];

        private IEnumerable<string> Additions => _failing.Concat(_carried).Concat(_details);

        public void Carry(string phrase)
        {
            var key = Phrase.Normalize(phrase);
            if (Phrase.Contains(_user, key) || Additions.Any(a => Phrase.Overlaps(Phrase.Normalize(a), key)))
                return;
            _carried.Add(phrase);
        }

        /// <summary>Puts a failing criterion's phrase next: moved forward if an earlier refinement added it, new otherwise.</summary>
        /// <returns>Whether a new phrase was added.</returns>
        public bool Strengthen(string phrase, bool allowNew)
        {
            var key = Phrase.Normalize(phrase);
            if (Phrase.Contains(_user, key) || _failing.Any(f => Phrase.Contains(Phrase.Normalize(f), key)))
                return false;

            var carriedIndex = _carried.FindIndex(c => Phrase.Contains(Phrase.Normalize(c), key));
            if (carriedIndex >= 0)
            {
                _failing.Add(_carried[carriedIndex]);
                _carried.RemoveAt(carriedIndex);
                return false;
            }

            if (!allowNew || _failing.Any(f => Phrase.Contains(key, Phrase.Normalize(f))))
                return false;

            // A stronger phrase replaces a weaker one it contains ("sharp focus" becomes "sharp focus on every facet").
            _carried.RemoveAll(c => Phrase.Contains(key, Phrase.Normalize(c)));
            _failing.Add(phrase);
            return true;
        }

        public bool AddDetail(string phrase)
        {
            var key = Phrase.Normalize(phrase);
            if (key.Length == 0 || Phrase.Contains(_user, key) || Additions.Any(a => Phrase.Overlaps(Phrase.Normalize(a), key)))
                return false;
            _details.Add(phrase);
            return true;
        }

        public bool ConflictsWithUser(string phrase)
        {
            var key = Phrase.Normalize(phrase);
            return Topics.Any(topic =>
                topic.Any(word => Phrase.Contains(key, word)) && topic.Any(word => Phrase.Contains(_user, word)));
        }

        /// <summary>
        /// The user's text, then the additions that fit in <paramref name="budget"/>. What gives way
        /// first: extra details, then the latest earlier refinements, then the one new detail, then
        /// the least bad failures.
        /// </summary>
        public string Compose(string joiner, int budget)
        {
            var failing = new List<string>(_failing);
            var carried = new List<string>(_carried);
            var details = new List<string>(_details);
            while (Length(joiner, failing, carried, details) > budget)
            {
                if (details.Count > 1)
                    details.RemoveAt(details.Count - 1);
                else if (carried.Count > 0)
                    carried.RemoveAt(carried.Count - 1);
                else if (details.Count > 0)
                    details.RemoveAt(0);
                else
                    failing.RemoveAt(failing.Count - 1);
            }

            var additions = failing.Concat(carried).Concat(details).ToList();
            if (additions.Count == 0)
                return _userText;
            return new StringBuilder(_userText).Append(joiner).AppendJoin(", ", additions).ToString();
        }

        private int Length(string joiner, List<string> failing, List<string> carried, List<string> details)
        {
            var count = failing.Count + carried.Count + details.Count;
            if (count == 0)
                return _userText.Length;
            return _userText.Length + joiner.Length
                + failing.Sum(p => p.Length) + carried.Sum(p => p.Length) + details.Sum(p => p.Length)
                + (count - 1) * 2;
        }
    }

    /// <summary>Phrase comparison by words: case, punctuation and hyphens ignored ("Close-up" is "close up").</summary>
    internal static class Phrase
    {
        public static string Normalize(string text)
        {
            var builder = new StringBuilder(text.Length);
            var space = false;
            foreach (var c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    if (space && builder.Length > 0)
                        builder.Append(' ');
                    builder.Append(char.ToLowerInvariant(c));
                    space = false;
                }
                else
                {
                    space = true;
                }
            }

            return builder.ToString();
        }

        /// <summary>Whether <paramref name="needle"/>'s words appear together, in order, in <paramref name="haystack"/>.</summary>
        public static bool Contains(string haystack, string needle)
        {
            if (needle.Length == 0)
                return true;
            var at = 0;
            while ((at = haystack.IndexOf(needle, at, StringComparison.Ordinal)) >= 0)
            {
                var end = at + needle.Length;
                if ((at == 0 || haystack[at - 1] == ' ') && (end == haystack.Length || haystack[end] == ' '))
                    return true;
                at++;
            }

            return false;
        }

        public static bool Overlaps(string a, string b) => Contains(a, b) || Contains(b, a);
    }
}
