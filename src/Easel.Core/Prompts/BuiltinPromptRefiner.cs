using Easel.Core.Orders;
using Easel.Core.Quality.Builtin;

namespace Easel.Core.Prompts;

/// <summary>
/// Prompt suggestions from fixed rules, as a prompt engineer would advise, without a model. First
/// it corrects the user's own words where they work against them: request wording dropped
/// ("Create an image of"), text to write put in quotes, negations ("no text") moved out for
/// <c>--negative</c>, praise ("beautiful") replaced with a concrete look, repeats removed, run-ons
/// split. Then it names what the prompt leaves to chance (a setting when it is very short, the
/// medium, the lighting, the framing, the lettering of text) with phrases chosen for the kind of
/// subject. The first suggestion does all of it; the next ones are other looks, the corrections
/// alone, more detail, or one change at a time. The user's words stay first; the same prompt always
/// gets the same suggestions.
/// </summary>
public sealed class BuiltinPromptRefiner : IPromptRefiner
{
    public string Source => "built-in rules";

    public Task<IReadOnlyList<PromptSuggestion>> SuggestAsync(string prompt, int count, CancellationToken cancellationToken)
    {
        var user = PromptRefiner.CheckArguments(prompt, count);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Suggest(user, count));
    }

    internal static IReadOnlyList<PromptSuggestion> Suggest(string user, int count)
    {
        var plan = new Plan(user);
        var seen = new HashSet<string>(StringComparer.Ordinal) { Key(user) };
        var suggestions = new List<PromptSuggestion>();
        foreach (var (text, reason) in plan.Candidates())
        {
            if (text.Length == 0 || text.Length > OrderSpec.MaxPromptLength || !seen.Add(Key(text)))
                continue;
            suggestions.Add(new PromptSuggestion(text, Sentence(reason)) { Negative = plan.Negative });
            if (suggestions.Count == count)
                break;
        }
        return suggestions;
    }

    /// <summary>Two prompts are the same suggestion when they differ only in case and spacing.</summary>
    internal static string Key(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string Sentence(string reason)
    {
        var r = reason.Trim();
        if (r.Length == 0)
            return r;
        r = char.ToUpperInvariant(r[0]) + r[1..];
        return r.EndsWith('.') ? r : r + ".";
    }

    /// <summary>Something the prompt leaves to chance, and the phrases that would settle it, best first.</summary>
    /// <param name="Name">As a reason lists it: "a setting", "lighting".</param>
    /// <param name="Joined">Joined with a space, as the end of the subject's phrase ("a cat curled up on …"), not after a comma.</param>
    private sealed record Addition(string Name, string[] Options, bool Joined = false)
    {
        public (string Phrase, bool Joined) Pick(int alternative) => (Options[alternative % Options.Length], Joined);
    }

    private sealed class Plan
    {
        private static readonly string[] MediumKeys = Normalized(PromptVocabulary.MediumWords);
        private static readonly string[] LightKeys = Normalized(PromptVocabulary.LightWords);
        private static readonly string[] FramingKeys = Normalized(PromptVocabulary.FramingWords);
        private static readonly string[] PaletteKeys = Normalized(PromptVocabulary.PaletteWords);
        private static readonly string[] LetteringKeys = Normalized(PromptVocabulary.LetteringWords);
        private static readonly string[] PhotoKeys = Normalized(PromptVocabulary.PhotoWords);

        private static readonly HashSet<string> SettingWords =
        [
            "in", "on", "at", "under", "over", "inside", "beside", "near", "by", "against", "through", "across", "along", "among",
            "above", "below", "behind", "beneath", "underneath", "around", "within", "into", "onto", "atop", "outside",
        ];

        private static readonly HashSet<string> NotContent = ["a", "an", "the", "of", "and", "with", "some", "my", "our", "his", "her", "their", "its", "this", "that"];

        private static readonly string[] Lettering = ["bold, legible lettering", "clean hand-lettered script", "retro block letters"];

        /// <summary>Above this many words no setting is suggested: the prompt already describes a scene.</summary>
        private const int ShortWords = 3;

        private readonly List<PromptFix> _fixes = [];
        private readonly string _detect;
        private readonly PromptVocabulary.Advice _advice;
        private readonly List<Addition> _additions = [];
        private readonly bool _hasPalette;
        private readonly bool _long;
        private readonly int _words;

        public Plan(string user)
        {
            // "no people, a quiet beach" is a beach: what the prompt excludes is not its subject.
            Subject = SubjectOf(PromptText.Apply(user, PromptFixes.FindNegations(user).Spans.Select(n => (n.Start, n.End, ""))));
            _advice = PromptVocabulary.For(Subject);
            var text = user;
            foreach (var fix in new Func<string, PromptFix?>[]
            {
                PromptFixes.DropRequestWording,
                PromptFixes.QuoteText,
                PromptFixes.MoveNegations,
                t => PromptFixes.ReplaceVagueWords(t, Subject),
                PromptFixes.RemoveRepeats,
                PromptFixes.SplitRunOn,
            })
            {
                if (fix(text) is { } applied)
                {
                    _fixes.Add(applied);
                    text = applied.Text;
                }
            }
            Base = text;
            Negative = _fixes.Select(f => f.Negative).FirstOrDefault(n => n is not null);
            var plain = PromptText.WithoutQuotes(Base);
            _detect = BuiltinPrompter.Phrase.Normalize(plain);
            _words = PromptText.WordCount(Base);
            _long = _words > PromptFixes.LongWords;

            var intent = PromptReader.Read(plain, plain, null, null);
            var hasMedium = Has(MediumKeys) || intent.StyleWords.Count > 0;
            var hasLight = Has(LightKeys) || intent.Time is not null || intent.Brightness is not null;
            _hasPalette = Has(PaletteKeys) || intent.Colors.Count > 0 || intent.Styles.Count > 0;
            // Flat graphics (logos, icons, vector art) have no light to speak of.
            var graphic = Subject == SubjectKind.Graphic || Technique(_detect) is { Technique: PromptVocabulary.FlatTechnique };

            if (IsShort(Base) && !_long)
            {
                // "a cat curled up on …" reads as one phrase; after "a cat, sleepy" the setting is a phrase of its own.
                var onePhrase = !PromptText.Tokenize(Base).Any(t => t.IsBoundary);
                _additions.Add(new Addition("a setting", _advice.Settings, Joined: onePhrase));
            }
            if (!hasMedium)
                _additions.Add(new Addition("a medium", _advice.Media));
            if (!hasLight && !graphic && _advice.Lighting.Length > 0)
                _additions.Add(new Addition("lighting", _advice.Lighting));
            if (!Has(FramingKeys))
                _additions.Add(new Addition("framing", _advice.Framing));
            if (PromptFixes.AsksForText(Base) && !Has(LetteringKeys))
                _additions.Add(new Addition("a lettering style", Lettering));
        }

        public SubjectKind Subject { get; }

        /// <summary>The user's text with every correction made.</summary>
        public string Base { get; }

        public string? Negative { get; }

        private bool Has(string[] keys) => keys.Any(k => BuiltinPrompter.Phrase.Contains(_detect, k));

        private static string[] Normalized(IEnumerable<string> words) =>
            words.Select(BuiltinPrompter.Phrase.Normalize).Where(w => w.Length > 0).Distinct().ToArray();

        /// <summary>
        /// The kind of the first thing the prompt names ("a portrait of an old fisherman": a person); of
        /// nouns in a row the last one is the thing ("a coffee shop sign" is a sign, not coffee).
        /// </summary>
        private static SubjectKind SubjectOf(string text)
        {
            var tokens = PromptText.Tokenize(text);
            for (var i = 0; i < tokens.Count; i++)
            {
                if (!tokens[i].IsWord || PromptVocabulary.KindOf(tokens[i].Key) is not { } kind)
                    continue;
                for (var j = i + 1; j < tokens.Count && tokens[j].IsWord && PromptVocabulary.KindOf(tokens[j].Key) is { } head; j++)
                    kind = head;
                return kind;
            }
            return SubjectKind.Thing;
        }

        private static bool IsShort(string text)
        {
            var words = PromptText.Tokenize(text).Where(t => t.IsWord).Select(t => t.Key).ToList();
            return words.Count(w => !NotContent.Contains(w)) <= ShortWords && !words.Any(SettingWords.Contains);
        }

        /// <summary>Technique words for the medium a text names, and which medium word matched; null when it names none.</summary>
        private (string Medium, string Technique)? Technique(string normalized)
        {
            foreach (var (mediums, technique) in PromptVocabulary.Techniques)
            {
                foreach (var medium in mediums)
                {
                    if (BuiltinPrompter.Phrase.Contains(normalized, BuiltinPrompter.Phrase.Normalize(medium)))
                        return (medium, technique);
                }
            }
            foreach (var photo in PhotoKeys)
            {
                if (BuiltinPrompter.Phrase.Contains(normalized, photo))
                    return (photo, _advice.PhotoTechnique);
            }
            return null;
        }

        /// <summary>Candidates in order of value; the caller drops repeats and stops at the count asked for.</summary>
        public IEnumerable<(string Text, string Reason)> Candidates()
        {
            if (_long)
                return LongCandidates();
            return _additions.Count > 0 ? OpenCandidates() : RichCandidates();
        }

        /// <summary>A prompt that leaves the basics open: all of them named, then other looks, then smaller steps.</summary>
        private IEnumerable<(string, string)> OpenCandidates()
        {
            yield return (Compose(Base, _additions.Select(a => a.Pick(0))), Join(FixBriefs().Append(AdditionsReason())));
            yield return (Compose(Base, _additions.Select(a => a.Pick(1))), WithNegative(AnotherLook(1)));
            if (_fixes.Count > 0)
                yield return (Base, OnlyFixes());
            if (Further(0) is { } further)
                yield return further;
            for (var a = 2; a < 4; a++)
                yield return (Compose(Base, _additions.Select(x => x.Pick(a))), WithNegative(AnotherLook(a)));
            if (_additions.Count > 1)
            {
                foreach (var addition in _additions)
                    yield return (Compose(Base, [addition.Pick(0)]), WithNegative(Single(addition)));
            }
            if (Further(1) is { } more)
                yield return more;
        }

        /// <summary>A prompt that already names medium, light and framing: corrections, then the finer points.</summary>
        private IEnumerable<(string, string)> RichCandidates()
        {
            if (_fixes.Count > 0)
                yield return (Base, OnlyFixes());
            var technique = Technique(_detect);
            string? techniquePhrase = null;
            if (technique is { } t && !BuiltinPrompter.Phrase.Contains(_detect, BuiltinPrompter.Phrase.Normalize(t.Technique)))
            {
                techniquePhrase = t.Technique;
                yield return (Compose(Base, [(t.Technique, false)]),
                    WithNegative($"adds technique words for the {t.Medium} ({t.Technique}): they steer texture and finish, which the prompt leaves open"));
            }
            if (!_hasPalette)
            {
                yield return (Compose(Base, [(PromptVocabulary.Palettes[0], false)]),
                    WithNegative($"adds a color palette ({PromptVocabulary.Palettes[0]}): the prompt names no colors, so the model would pick them"));
                if (techniquePhrase is not null)
                {
                    yield return (Compose(Base, [(techniquePhrase, false), (PromptVocabulary.Palettes[1], false)]),
                        WithNegative($"adds technique words and a cooler palette ({PromptVocabulary.Palettes[1]}): a different finish for the same picture"));
                }
            }
            foreach (var (finish, why) in PromptVocabulary.Finishes)
            {
                if (finish == techniquePhrase || BuiltinPrompter.Phrase.Contains(_detect, BuiltinPrompter.Phrase.Normalize(finish)))
                    continue;
                yield return (Compose(Base, [(finish, false)]), WithNegative($"adds \"{finish}\": {why}"));
            }
        }

        /// <summary>A prompt too long for many models: its first phrases, the corrections alone, and the short version with the basics.</summary>
        private IEnumerable<(string, string)> LongCandidates()
        {
            var shortened = PromptFixes.Shorten(Base, phrase =>
            {
                var key = BuiltinPrompter.Phrase.Normalize(PromptText.WithoutQuotes(phrase));
                return MediumKeys.Any(k => BuiltinPrompter.Phrase.Contains(key, k)) || PaletteKeys.Any(k => BuiltinPrompter.Phrase.Contains(key, k));
            });
            if (shortened is { } s)
            {
                var keep = $"keeps {s.Kept} of the {s.Total} words, the first phrases and the style: many image models read only about the first 75 tokens (some 60 words) and ignore the rest";
                yield return (s.Text, Join(FixBriefs().Append(keep)));
            }
            if (_fixes.Count > 0)
                yield return (Base, OnlyFixes());
            if (shortened is { } t && _additions.Count > 0)
            {
                yield return (Compose(t.Text, _additions.Select(a => a.Pick(0))),
                    WithNegative($"keeps {t.Kept} of the {t.Total} words and {AdditionsReason()}"));
            }
        }

        /// <summary>The first suggestion's basics plus technique words and a palette, for who wants more detail.</summary>
        private (string, string)? Further(int alternative)
        {
            var parts = _additions.Select(a => a.Pick(alternative)).ToList();
            var medium = _additions.FirstOrDefault(a => a.Name == "a medium")?.Pick(alternative).Phrase;
            var technique = Technique(BuiltinPrompter.Phrase.Normalize(string.Join(' ', _detect, medium ?? "")));
            var extras = new List<string>();
            if (technique is { } t && !BuiltinPrompter.Phrase.Contains(_detect, BuiltinPrompter.Phrase.Normalize(t.Technique)))
            {
                parts.Add((t.Technique, false));
                extras.Add($"technique words for the {medium ?? t.Medium}");
            }
            if (!_hasPalette)
            {
                parts.Add((PromptVocabulary.Palettes[alternative % PromptVocabulary.Palettes.Length], false));
                extras.Add("a color palette");
            }
            if (extras.Count == 0)
                return null;
            var which = alternative == 0 ? "the first suggestion" : "the second suggestion";
            return (Compose(Base, parts), WithNegative($"goes further than {which}: also {string.Join(" and ", extras)}, for more control over the finish"));
        }

        private IEnumerable<string> FixReasons() => _fixes.Select(f => f.Reason);

        /// <summary>The corrections in full when there is one, in brief when several share a reason with more.</summary>
        private IEnumerable<string> FixBriefs() => _fixes.Count == 1 ? FixReasons() : _fixes.Select(f => f.Brief);

        private string OnlyFixes() => "only the corrections, nothing added: " + string.Join("; ", FixReasons());

        private string AdditionsReason()
        {
            var names = _additions.Select(a => a.Name).ToList();
            var list = names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
            var them = names.Count == 1 ? "it" : "them";
            var why = _words <= ShortWords + 2
                ? $"a {_words}-word prompt leaves {them} to chance"
                : $"the prompt leaves {them} open, so the model would pick {them} at random";
            return $"adds {list}: {why}";
        }

        private string AnotherLook(int alternative)
        {
            var phrases = _additions.Select(a =>
            {
                var phrase = a.Pick(alternative).Phrase;
                return a.Name == "a medium" && PromptVocabulary.StyleOf(phrase) is { } style ? $"{phrase} (or --style {style})" : phrase;
            });
            return "another look: " + string.Join(", ", phrases);
        }

        private static string Single(Addition addition)
        {
            var phrase = addition.Pick(0).Phrase;
            return addition.Name switch
            {
                "a setting" => $"adds only a setting ({phrase}): a scene to place the subject in, instead of the model's guess",
                "a medium" => $"names only the medium ({phrase}): the biggest choice the model would otherwise make for you",
                "lighting" => $"adds only lighting ({phrase}): light sets the mood more than any other word",
                "framing" => $"adds only framing ({phrase}): it says how close the camera is and where the subject sits",
                _ => $"adds only a lettering style ({phrase}): plain, bold letters are easier for the model to spell",
            };
        }

        /// <summary>A reason that also says where the negations went, when the corrections moved some.</summary>
        private string WithNegative(string reason) =>
            _fixes.FirstOrDefault(f => f.Negative is not null) is { } moved ? $"{reason}; {moved.Moved} moved to --negative \"{moved.Negative}\"" : reason;

        private static string Join(IEnumerable<string> parts) => string.Join("; ", parts);

        /// <summary>The text with phrases after it: a setting continues the subject's phrase, the rest follow commas.</summary>
        private static string Compose(string text, IEnumerable<(string Phrase, bool Joined)> parts)
        {
            var result = text.TrimEnd(' ', ',', ';', ':');
            if (result.EndsWith('.') && !result.EndsWith("..", StringComparison.Ordinal))
                result = result[..^1];
            foreach (var (phrase, joined) in parts)
            {
                if (result.Length == 0)
                    result = phrase;
                else if (joined && (char.IsLetterOrDigit(result[^1]) || result[^1] is '"' or '\u201D' or ')'))
                    result += " " + phrase;
                else
                    result += (result[^1] is '!' or '?' ? " " : ", ") + phrase;
            }
            return result;
        }
    }
}
