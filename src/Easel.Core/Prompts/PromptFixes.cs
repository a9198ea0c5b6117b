using System.Text.RegularExpressions;
using Easel.Core.Quality.Builtin;

namespace Easel.Core.Prompts;

/// <summary>A correction of the user's own words, and why, as part of a reason ("moves …", "replaces …").</summary>
/// <param name="Negative">What was moved out for the negative prompt, when this fix moved negations ("text, people").</param>
/// <param name="Brief">The reason in a few words, for a suggestion that also does more ("replaces \"nice\" with \"serene\"").</param>
/// <param name="Moved">The negations as the user wrote them, quoted for reasons ("\"no text\", \"without people\"").</param>
internal sealed record PromptFix(string Text, string Reason, string Brief, string? Negative = null, string? Moved = null);

/// <summary>Negations found in a prompt: the words as written ("no text") and what they exclude ("text").</summary>
internal sealed record Negations(IReadOnlyList<string> Phrases, IReadOnlyList<string> Excluded, IReadOnlyList<(int Start, int End)> Spans)
{
    public string Negative => string.Join(", ", Excluded);
}

/// <summary>
/// The corrections the built-in refiner makes to the user's own words. Each reads the prompt as
/// tokens, rewrites only the words it is about, never touches quoted text, and returns null when
/// it has nothing to change.
/// </summary>
internal static partial class PromptFixes
{
    /// <summary>Above this many words a prompt is long enough to be a run-on worth splitting.</summary>
    internal const int RunOnWords = 40;

    /// <summary>Above this many words a shorter version is offered: CLIP-based models read about 75 tokens, some 60 words.</summary>
    internal const int LongWords = 75;

    /// <summary>How many words a shortened prompt keeps.</summary>
    internal const int ShortenedWords = 60;

    // "Create an image of", "can you please draw me", "I'd like to see": instructions, not a description.
    [GeneratedRegex(
        @"^(?<lead>\s*(?:please[\s,]+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?<verb>generate|create|make|produce|render|design|imagine|give\s+me|show\s+me|i\s+(?:want|need|would\s+like|['’]?d\s+like)(?:\s+to\s+see)?|draw|paint|sketch|illustrate|photograph)(?:\s+me)?\s+(?:(?<art>an?|the|some)\s+)?(?:(?<kind>images?|pictures?|pics?|artworks?|art|photos?|photographs?|drawings?|paintings?|illustrations?|renders?|renderings?|sketch(?:es)?|portraits?)\s+(?:of|showing|depicting)\s+)?)(?<rest>\S.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex RequestWording();

    [GeneratedRegex(@"[\s,]*\b(?:please|for\s+me|thanks|thank\s+you)\s*[.!]*\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Politeness();

    private static readonly HashSet<string> MediumKinds =
        ["photo", "photos", "photograph", "photographs", "drawing", "drawings", "painting", "paintings", "illustration", "illustrations",
            "render", "renders", "rendering", "renderings", "sketch", "sketches", "portrait", "portraits"];

    /// <summary>Drops request wording ("Create an image of", "please"): the model reads a description, not an instruction.</summary>
    public static PromptFix? DropRequestWording(string text)
    {
        if (text.Length == 0 || PromptText.Tokenize(text) is not [{ IsWord: true }, ..])
            return null;
        var result = text;
        string? dropped = null;
        var match = RequestWording().Match(text);
        var rest = match.Success ? match.Groups["rest"].Value : "";
        if (match.Success && !Regex.IsMatch(rest, @"^(?:it|this|that|sure|sense|up|out|of)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
        {
            var verb = match.Groups["verb"].Value.ToLowerInvariant();
            var article = match.Groups["art"].Success ? match.Groups["art"].Value : null;
            var kind = match.Groups["kind"].Success ? match.Groups["kind"].Value : null;
            string prefix;
            if (kind is not null)
                prefix = MediumKinds.Contains(kind.ToLowerInvariant()) ? $"{article ?? PromptText.Article("a", kind)} {kind} of " : "";
            else
            {
                var medium = verb switch
                {
                    "draw" => "drawing",
                    "paint" => "painting",
                    "sketch" => "sketch",
                    "illustrate" => "illustration",
                    "photograph" => "photograph",
                    _ => null,
                };
                prefix = (medium is null ? "" : $"{PromptText.Article("a", medium)} {medium} of ") + (article is null ? "" : article + " ");
            }
            result = prefix + rest;
            var verbGroup = match.Groups["verb"];
            dropped = prefix.Length == 0 ? match.Groups["lead"].Value.Trim() : text[..(verbGroup.Index + verbGroup.Length)].Trim();
        }
        var polite = Politeness().Match(result);
        string? politeWord = null;
        if (polite.Success && polite.Index > 0 && PromptText.WordCount(result[..polite.Index]) > 0)
        {
            politeWord = polite.Value.Trim(' ', ',', '.', '!');
            result = result[..polite.Index];
        }
        if (dropped is not { Length: > 0 } && politeWord is not { Length: > 0 })
            return null;
        result = PromptText.Tidy(result);
        if (result == text.Trim() || PromptText.WordCount(result) == 0)
            return null;
        var what = new List<string>();
        if (dropped is { Length: > 0 })
            what.Add(PromptText.Quote(dropped));
        if (politeWord is { Length: > 0 })
            what.Add(PromptText.Quote(politeWord));
        return new PromptFix(result,
            $"drops the request wording ({string.Join(", ", what)}): image models need a description of the picture, not an instruction",
            "drops the request wording");
    }

    private static readonly HashSet<string> Negators = ["no", "without", "excluding"];

    // Negations that only read as one at the start of a phrase: "a cat that is not sleeping" is a request.
    private static readonly HashSet<string> PhraseNegators = ["not", "avoid", "never"];

    private static readonly string[][] DoNot =
    [
        ["don't", "include"], ["don't", "show"], ["don't", "add"], ["don't", "draw"], ["don't", "put"], ["don't", "want"],
        ["do", "not", "include"], ["do", "not", "show"], ["do", "not", "add"], ["do", "not", "draw"], ["do", "not", "put"],
        ["do", "not", "want"], ["dont", "include"], ["dont", "show"],
    ];

    // Words that end what a negation excludes: "without people in the morning" excludes people, not the morning.
    private static readonly HashSet<string> NegationStops =
    [
        "in", "on", "at", "under", "over", "above", "below", "near", "beside", "behind", "inside", "during", "against", "for", "from",
        "into", "onto", "through", "across", "along", "around", "while", "but", "except", "where", "which", "that", "so", "because",
        "as", "like", "to", "then", "just", "only", "is", "are", "has", "have", "visible", "with",
    ];

    private static readonly HashSet<string> ListJoiners = ["and", "or", "nor", "&", "no", "any", "without"];

    private static readonly HashSet<string> Articles = ["a", "an", "the", "any", "some"];

    // "no one in sight", "no longer": not a thing to exclude.
    private static readonly HashSet<string> NotExcluded = ["one", "longer", "matter", "doubt", "way", "more", "less", "end", "entry", "parking", "smoking"];

    /// <summary>The negations in a prompt ("no text", "without people", ", not blurry"), outside quotes.</summary>
    public static Negations FindNegations(string text)
    {
        var tokens = PromptText.Tokenize(text);
        var phrases = new List<string>();
        var excluded = new List<string>();
        var spans = new List<(int, int)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].IsWord)
                continue;
            var negatorLength = NegatorAt(tokens, i);
            if (negatorLength == 0)
                continue;
            var first = i + negatorLength;
            if (first >= tokens.Count || !tokens[first].IsWord || NotExcluded.Contains(tokens[first].Key))
                continue;

            // "with no cars", "and no people": the connector goes with the negation.
            var start = i;
            while (start > 0 && tokens[start - 1].IsWord && tokens[start - 1].Key is "with" or "and" or "but" or "or" or "&" && start > i - 2)
                start--;

            var end = first;
            var items = new List<(int Start, int End)>();
            var itemStart = -1;
            for (var j = first; j < tokens.Count && tokens[j].IsWord && !NegationStops.Contains(tokens[j].Key); j++)
            {
                end = j;
                if (ListJoiners.Contains(tokens[j].Key))
                {
                    if (itemStart >= 0)
                        items.Add((itemStart, j - 1));
                    itemStart = -1;
                    continue;
                }
                if (itemStart < 0 && Articles.Contains(tokens[j].Key))
                    continue;
                if (itemStart < 0)
                    itemStart = j;
            }
            if (itemStart >= 0)
                items.Add((itemStart, end));
            // A list ending in "and" or "or" ("without a collar and with a scarf") gives its joiner back, and
            // takes it out with the negation unless a connector before it already goes ("a dog with a scarf").
            var spanEnd = end;
            while (end > first && ListJoiners.Contains(tokens[end].Key))
                end--;
            if (start < i)
                spanEnd = end;
            if (items.Count == 0)
                continue;

            foreach (var (s, e) in items)
            {
                var item = text[tokens[s].Start..tokens[e].End];
                if (!excluded.Contains(item, StringComparer.OrdinalIgnoreCase))
                    excluded.Add(item);
            }
            phrases.Add(text[tokens[i].Start..tokens[end].End]);
            spans.Add((tokens[start].Start, tokens[spanEnd].End));
            i = spanEnd;
        }
        return new Negations(phrases, excluded, spans);
    }

    /// <summary>How many words of negation start at <paramref name="i"/> (0 when none).</summary>
    private static int NegatorAt(List<Token> tokens, int i)
    {
        var key = tokens[i].Key;
        if (Negators.Contains(key))
        {
            // "a no parking sign" names a sign.
            if (key == "no" && i > 0 && tokens[i - 1].IsWord && tokens[i - 1].Key is "a" or "an" or "the")
                return 0;
            return 1;
        }
        if (key == "free" && PromptText.At(tokens, i, ["free", "of"]))
            return 2;
        if (!PromptText.StartsPhrase(tokens, i))
            return 0;
        if (PhraseNegators.Contains(key))
            return 1;
        foreach (var words in DoNot)
        {
            if (PromptText.At(tokens, i, words))
                return words.Length;
        }
        return 0;
    }

    /// <summary>
    /// Takes "no text", "without people" out of the prompt: models tend to draw what a prompt names,
    /// even after "no", so what must not appear belongs in the negative prompt.
    /// </summary>
    public static PromptFix? MoveNegations(string text)
    {
        var found = FindNegations(text);
        if (found.Spans.Count == 0)
            return null;
        var result = PromptText.Tidy(PromptText.Apply(text, found.Spans.Select(s => (s.Start, s.End, ""))));
        // "no people" alone leaves nothing to draw: then the negation stays.
        if (PromptText.Tokenize(result).Count(t => t.IsWord && !Articles.Contains(t.Key)) == 0)
            return null;
        var phrases = string.Join(", ", found.Phrases.Select(p => PromptText.Quote(p)));
        return new PromptFix(result,
            $"moves {phrases} to --negative \"{found.Negative}\": models tend to draw what a prompt names, even when it says not to",
            $"moves {phrases} to --negative \"{found.Negative}\"",
            found.Negative, phrases);
    }

    private static readonly HashSet<string> Intensifiers = ["very", "really", "so", "super", "extremely", "quite", "incredibly", "truly", "totally", "absolutely", "most"];

    /// <summary>Replaces praise ("beautiful", "cool", "nice") with a concrete look that suits what it describes.</summary>
    public static PromptFix? ReplaceVagueWords(string text, SubjectKind subject)
    {
        var tokens = PromptText.Tokenize(text);
        var edits = new List<(int Start, int End, string Replacement)>();
        var replaced = new List<(string From, string To)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (!t.IsWord || !PromptVocabulary.VagueWords.TryGetValue(t.Key, out var vague))
                continue;
            // A capital in mid-sentence, or before a comma or another capital, is a name: "Nice, France", "the Great Wall".
            if (char.IsUpper(text[t.Start])
                && (!PromptText.StartsPhrase(tokens, i) || i + 1 >= tokens.Count || !tokens[i + 1].IsWord || char.IsUpper(text[tokens[i + 1].Start])))
                continue;
            var next = i + 1 < tokens.Count && tokens[i + 1].IsWord ? tokens[i + 1].Key : null;
            if (next is not null && PromptVocabulary.NotVagueBefore.TryGetValue(t.Key, out var exceptions) && exceptions.Contains(next))
                continue;
            if (t.Key == "pretty" && next is not null && next.EndsWith("ly", StringComparison.Ordinal))
                continue;

            var kind = subject;
            for (var j = i + 1; j < tokens.Count && j <= i + 4 && tokens[j].IsWord; j++)
            {
                if (PromptVocabulary.KindOf(tokens[j].Key) is { } k)
                {
                    kind = k;
                    break;
                }
            }
            var concrete = PromptVocabulary.Concrete(vague, kind);

            var start = i;
            if (start > 0 && tokens[start - 1].IsWord && Intensifiers.Contains(tokens[start - 1].Key))
                start--;
            if (edits.Count > 0 && edits[^1].End > tokens[start].Start)
                continue;
            var from = text[tokens[start].Start..t.End];
            if (start > 0 && tokens[start - 1].IsWord && tokens[start - 1].Key is "a" or "an")
            {
                var article = tokens[start - 1];
                edits.Add((article.Start, t.End, PromptText.Article(text[article.Start..article.End], concrete) + " " + concrete));
            }
            else
            {
                edits.Add((tokens[start].Start, t.End, concrete));
            }
            replaced.Add((from, concrete));
        }
        if (edits.Count == 0)
            return null;
        var result = PromptText.Apply(text, edits);
        var brief = replaced.Count == 1
            ? $"replaces {PromptText.Quote(replaced[0].From)} with {PromptText.Quote(replaced[0].To)}"
            : $"replaces {string.Join(", ", replaced.Select(r => PromptText.Quote(r.From)).Distinct())} with concrete words";
        return new PromptFix(result, brief + ": praise gives the model nothing to draw, a concrete look does", brief);
    }

    private static readonly (string[] Words, bool NeedsNoun)[] TextTriggers =
    [
        (["with", "the", "text"], false), (["with", "the", "words"], false), (["with", "the", "word"], false),
        (["with", "the", "caption"], false), (["with", "the", "slogan"], false), (["with", "the", "title"], false),
        (["with", "the", "name"], false), (["with", "text"], false), (["with", "the", "message"], false),
        (["the", "words"], false), (["the", "word"], false),
        (["that", "says"], true), (["which", "says"], true), (["that", "reads"], true), (["which", "reads"], true),
        (["that", "spells"], true), (["spelling", "out"], true),
        (["says"], true), (["saying"], true), (["reads"], true), (["reading"], true), (["titled"], true), (["entitled"], true),
        (["labeled"], true), (["labelled"], true), (["spelling"], true), (["called"], true), (["named"], true),
    ];

    // Words that end the text to write: "a sign that says open in red letters".
    private static readonly HashSet<string> TextStops =
    [
        "in", "on", "at", "with", "written", "painted", "printed", "against", "above", "below", "under", "over", "next", "beside",
        "using", "across", "along", "carved", "engraved", "embroidered", "stitched", "spelled", "lettered", "hanging", "glowing",
    ];

    private const int MaxTextWords = 8;

    /// <summary>Quotes the words a sign or poster should show: quoted, they are spelled; bare, they may be drawn as objects.</summary>
    public static PromptFix? QuoteText(string text)
    {
        var tokens = PromptText.Tokenize(text);
        var edits = new List<(int Start, int End, string Replacement)>();
        var quoted = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var length = TextTriggerAt(tokens, i);
            if (length == 0)
                continue;
            var first = i + length;
            if (first < tokens.Count && tokens[first] is { IsBoundary: true, Key: ":" })
                first++;
            var last = -1;
            for (var j = first; j < tokens.Count && j < first + MaxTextWords && tokens[j].IsWord && !TextStops.Contains(tokens[j].Key); j++)
                last = j;
            if (last < 0)
                continue;
            var words = text[tokens[first].Start..tokens[last].End];
            edits.Add((tokens[first].Start, tokens[last].End, "\"" + words + "\""));
            quoted.Add(words);
            i = last;
        }
        if (edits.Count == 0)
            return null;
        var what = string.Join(", ", quoted.Select(q => PromptText.Quote(q)));
        return new PromptFix(PromptText.Apply(text, edits),
            $"puts the exact text in quotes ({what}): models spell quoted words more reliably and do not draw them as objects",
            $"quotes the text to write ({what})");
    }

    private static int TextTriggerAt(List<Token> tokens, int i)
    {
        if (!tokens[i].IsWord)
            return 0;
        // "a poster, text: SUMMER SALE".
        if (tokens[i].Key is "text" or "caption" or "title" or "headline" or "slogan" && i + 1 < tokens.Count && tokens[i + 1] is { IsBoundary: true, Key: ":" })
            return 1;
        foreach (var (words, needsNoun) in TextTriggers)
        {
            if (!PromptText.At(tokens, i, words))
                continue;
            if (needsNoun && !NounBefore(tokens, i))
                return 0;
            return words.Length;
        }
        return 0;
    }

    private static bool NounBefore(List<Token> tokens, int i)
    {
        for (var j = i - 1; j >= 0 && !tokens[j].IsBoundary; j--)
        {
            if (tokens[j].IsWord && PromptVocabulary.TextNouns.Contains(tokens[j].Key))
                return true;
        }
        return false;
    }

    /// <summary>Whether the prompt asks for writing in the image: a quotation on something that carries text.</summary>
    public static bool AsksForText(string text)
    {
        var tokens = PromptText.Tokenize(text);
        return tokens.Any(t => t.Kind == TokenKind.Quoted && t.Key.Trim().Length > 0)
            && tokens.Any(t => t.IsWord && (PromptVocabulary.TextNouns.Contains(t.Key) || t.Key is "says" or "saying" or "reads" or "reading" or "titled"));
    }

    /// <summary>Drops words said twice in a row ("a red red car") and phrases that repeat an earlier one ("highly detailed, …, highly detailed").</summary>
    public static PromptFix? RemoveRepeats(string text)
    {
        var tokens = PromptText.Tokenize(text);
        var edits = new List<(int Start, int End, string Replacement)>();
        var repeated = new List<string>();
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].IsWord && tokens[i - 1].IsWord && tokens[i].Key == tokens[i - 1].Key && tokens[i].Key.Any(char.IsLetter))
            {
                edits.Add((tokens[i - 1].End, tokens[i].End, ""));
                repeated.Add(text[tokens[i].Start..tokens[i].End]);
            }
        }

        // Phrases between commas and semicolons, by their words.
        var phrases = new List<(int Start, int End, int SeparatorStart, string Key)>();
        var phraseStart = 0;
        var separatorStart = 0;
        for (var i = 0; i <= tokens.Count; i++)
        {
            if (i < tokens.Count && !(tokens[i] is { IsBoundary: true, Key: "," or ";" }))
                continue;
            var first = phraseStart;
            var last = i - 1;
            if (last >= first)
            {
                var start = tokens[first].Start;
                var end = tokens[last].End;
                phrases.Add((start, end, separatorStart, BuiltinPrompter.Phrase.Normalize(text[start..end])));
            }
            if (i < tokens.Count)
                separatorStart = tokens[i].Start;
            phraseStart = i + 1;
        }
        var dropped = new HashSet<int>();
        for (var b = 1; b < phrases.Count; b++)
        {
            if (phrases[b].Key.Length == 0)
                continue;
            for (var a = 0; a < b; a++)
            {
                if (dropped.Contains(a) || phrases[a].Key.Length == 0)
                    continue;
                if (BuiltinPrompter.Phrase.Contains(phrases[a].Key, phrases[b].Key))
                {
                    dropped.Add(b);
                    break;
                }
                // "detailed, …, highly detailed": the stronger, later phrase stays; the subject (first phrase) always stays.
                if (a > 0 && BuiltinPrompter.Phrase.Contains(phrases[b].Key, phrases[a].Key))
                    dropped.Add(a);
            }
        }
        foreach (var p in dropped.Order())
        {
            var (start, end, separator, _) = phrases[p];
            if (edits.Any(e => e.Start < end && e.End > separator))
                continue;
            edits.Add((separator, end, ""));
            repeated.Add(text[start..end]);
        }
        if (edits.Count == 0)
            return null;
        var result = PromptText.Tidy(PromptText.Apply(text, edits));
        if (result == text.Trim())
            return null;
        var what = repeated.Distinct(StringComparer.OrdinalIgnoreCase).Select(r => PromptText.Quote(r)).ToList();
        return new PromptFix(result,
            $"removes the repeated {string.Join(", ", what)}: saying it twice does not make it stronger and crowds out the rest",
            $"removes the repeated {string.Join(", ", what)}");
    }

    // Sentence openings that say nothing about the picture; longest first.
    private static readonly string[][] LeadIns =
    [
        ["i", "want", "it", "to", "look", "like"], ["make", "it", "look", "like"], ["it", "should", "look", "like"],
        ["the", "image", "should", "show"], ["the", "picture", "should", "show"], ["the", "image", "should", "be"],
        ["i", "want", "it", "to", "be"], ["it", "should", "be"], ["the", "image", "shows"], ["there", "should", "be"], ["i", "want"],
        ["make", "it"], ["there", "is"], ["there", "are"], ["there's"], ["it", "is"], ["it's"], ["this", "is"], ["she", "is"],
        ["he", "is"], ["they", "are"], ["in", "addition"], ["also"], ["and"], ["plus"], ["then"],
    ];

    private static readonly HashSet<string> Fillers = ["very", "really", "just", "quite", "basically", "actually", "literally", "somewhat"];

    private static readonly string[][] FillerPhrases = [["kind", "of"], ["sort", "of"]];

    private static readonly HashSet<string> LowerAfterBreak =
        ["the", "a", "an", "it", "its", "there", "this", "these", "those", "and", "in", "on", "at", "with", "she", "he", "they", "his", "her", "their", "behind", "above", "below", "next", "make"];

    /// <summary>Rewrites a long run-on prompt as short comma-separated phrases without filler words.</summary>
    public static PromptFix? SplitRunOn(string text)
    {
        var tokens = PromptText.Tokenize(text);
        var words = tokens.Count(t => t.IsWord);
        if (words < RunOnWords)
            return null;
        var sentences = tokens.Where((t, i) => t is { IsBoundary: true, Key: "." or "!" or "?" or "\n" } && i + 1 < tokens.Count && IsBreak(text, t)).Count();
        var longest = 0;
        var run = 0;
        foreach (var t in tokens)
        {
            run = t.IsBoundary ? 0 : run + 1;
            longest = Math.Max(longest, run);
        }
        if (sentences == 0 && longest < 20)
            return null;

        var result = PromptText.Tidy(DropFiller(SplitPhrases(text)));
        if (result == text.Trim() || PromptText.WordCount(result) == 0)
            return null;
        return new PromptFix(result,
            $"rewrites the {words}-word run-on as short comma-separated phrases without filler: models follow a list of visual phrases better than long sentences",
            "splits the run-on into short phrases");
    }

    /// <summary>Sentences become comma-separated phrases, and so do long clauses joined by "and" ("black and white" stays).</summary>
    private static string SplitPhrases(string text)
    {
        var tokens = PromptText.Tokenize(text);
        var edits = new List<(int Start, int End, string Replacement)>();
        var phraseWords = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsBoundary)
            {
                if (t.Key is "." or "!" or "?" or "\n" && i + 1 < tokens.Count && IsBreak(text, t))
                {
                    edits.Add((t.Start, t.End, ","));
                    if (tokens[i + 1].IsWord && LowerAfterBreak.Contains(tokens[i + 1].Key) && char.IsUpper(text[tokens[i + 1].Start]))
                    {
                        var w = tokens[i + 1];
                        edits.Add((w.Start, w.Start + 1, char.ToLowerInvariant(text[w.Start]).ToString()));
                    }
                }
                phraseWords = 0;
                continue;
            }
            if (t.IsWord && t.Key == "and" && phraseWords >= 3 && WordsAhead(tokens, i + 1) >= 3 && PhraseLength(tokens, i) > 15)
            {
                edits.Add((tokens[i - 1].End, t.End, ","));
                phraseWords = 0;
                continue;
            }
            phraseWords++;
        }
        return PromptText.Apply(text, edits);
    }

    /// <summary>Drops sentence openings that describe nothing ("there is", "it should be") and filler ("very", "kind of").</summary>
    private static string DropFiller(string text)
    {
        var tokens = PromptText.Tokenize(text);
        var edits = new List<(int Start, int End, string Replacement)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (!t.IsWord)
                continue;
            if (PromptText.StartsPhrase(tokens, i) && LeadIns.FirstOrDefault(l => PromptText.At(tokens, i, l) && i + l.Length < tokens.Count && tokens[i + l.Length].IsWord) is { } lead)
            {
                edits.Add((t.Start, tokens[i + lead.Length].Start, ""));
                i += lead.Length - 1;
                continue;
            }
            if (FillerPhrases.FirstOrDefault(f => PromptText.At(tokens, i, f)) is { } filler)
            {
                edits.Add((t.Start, tokens[i + filler.Length - 1].End, ""));
                i += filler.Length - 1;
                continue;
            }
            if (Fillers.Contains(t.Key) && i + 1 < tokens.Count && tokens[i + 1].IsWord)
                edits.Add((t.Start, tokens[i + 1].Start, ""));
        }
        return PromptText.Apply(text, edits);
    }

    private static bool IsBreak(string text, Token boundary) =>
        boundary.Key == "\n" || boundary.End >= text.Length || char.IsWhiteSpace(text[boundary.End]);

    private static int WordsAhead(List<Token> tokens, int from)
    {
        var n = 0;
        for (var j = from; j < tokens.Count && !tokens[j].IsBoundary && tokens[j].Key != "and"; j++)
            n++;
        return n;
    }

    private static int PhraseLength(List<Token> tokens, int at)
    {
        var start = at;
        while (start > 0 && !tokens[start - 1].IsBoundary)
            start--;
        var end = at;
        while (end + 1 < tokens.Count && !tokens[end + 1].IsBoundary)
            end++;
        return end - start + 1;
    }

    /// <summary>Words the style phrases of a shortened prompt may take at most, so the subject keeps most of the room.</summary>
    private const int StyleWords = 15;

    /// <summary>
    /// A long prompt cut to about <see cref="ShortenedWords"/> words: its first phrases, plus the
    /// phrases that name the medium or style (<paramref name="isStyle"/>) wherever they were, since
    /// those change the picture most. Null when the prompt is not long or has no phrase to drop.
    /// </summary>
    public static (string Text, int Kept, int Total)? Shorten(string text, Func<string, bool> isStyle)
    {
        var tokens = PromptText.Tokenize(text);
        var total = tokens.Sum(WordsIn);
        if (total <= LongWords)
            return null;

        var phrases = new List<(string Text, int Words)>();
        var first = -1;
        var words = 0;
        for (var i = 0; i <= tokens.Count; i++)
        {
            if (i < tokens.Count && !(tokens[i].IsBoundary && tokens[i].Key is "," or ";" or "." or "!" or "?" or "\n"))
            {
                if (first < 0 && !tokens[i].IsBoundary)
                    first = i;
                if (first >= 0)
                    words += WordsIn(tokens[i]);
                continue;
            }
            if (first >= 0)
            {
                var last = i - 1;
                while (tokens[last].IsBoundary)
                    last--;
                phrases.Add((text[tokens[first].Start..tokens[last].End], words));
            }
            first = -1;
            words = 0;
        }

        var keep = new bool[phrases.Count];
        var budget = ShortenedWords;
        var styleBudget = StyleWords;
        for (var p = phrases.Count - 1; p > 0; p--)
        {
            if (phrases[p].Words <= styleBudget && isStyle(phrases[p].Text))
            {
                keep[p] = true;
                styleBudget -= phrases[p].Words;
                budget -= phrases[p].Words;
            }
        }
        var kept = 0;
        for (var p = 0; p < phrases.Count; p++)
        {
            if (keep[p])
            {
                kept += phrases[p].Words;
                continue;
            }
            if (phrases[p].Words > budget)
            {
                if (p > 0)
                    break;
                // One endless first phrase: its first words that fit.
                var cut = tokens.Where(t => !t.IsBoundary).Take(budget).Last().End;
                phrases[0] = (text[..cut], budget);
            }
            keep[p] = true;
            budget -= phrases[p].Words;
            kept += phrases[p].Words;
        }
        var result = PromptText.Tidy(string.Join(", ", phrases.Where((_, p) => keep[p]).Select(p => p.Text.Trim())));
        if (kept == 0 || kept >= total)
            return null;
        return (result, kept, total);
    }

    private static int WordsIn(Token t) => t.Kind switch
    {
        TokenKind.Word => 1,
        TokenKind.Quoted => Math.Max(1, t.Key.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length),
        _ => 0,
    };
}
