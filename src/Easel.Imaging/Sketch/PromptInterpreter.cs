using System.Text;

namespace Easel.Imaging.Sketch;

/// <summary>
/// Reads a prompt word by word against <see cref="Vocabulary"/>. A colour directly before a thing
/// (allowing a couple of unknown adjectives in between: "a red fluffy fox") colours that thing;
/// "no"/"without" removes what follows up to the next comma; everything else tints the scene.
/// </summary>
internal static class PromptInterpreter
{
    /// <summary>Nouns that stand for a whole kind: negating them removes every subject of that kind.</summary>
    private static readonly Dictionary<string, (SketchSubjectKind Kind, string Removed)> GenericNouns = new()
    {
        ["person"] = (SketchSubjectKind.Person, "people"),
        ["animal"] = (SketchSubjectKind.Animal, "animals"),
        ["vehicle"] = (SketchSubjectKind.Vehicle, "vehicles"),
        ["building"] = (SketchSubjectKind.Building, "buildings"),
        ["box"] = (SketchSubjectKind.Product, "products"),
    };

    private static readonly HashSet<string> IrregularPlurals =
        ["people", "men", "women", "children", "mice", "geese", "cattle", "crowd", "kids", "fishes"];

    private static readonly Term Unknown = new(TermKind.Break, "?");
    private static readonly Term Comma = new(TermKind.Break, ",");

    private const int MaxSubjects = 3;
    private const int MaxFigures = 6;

    public static SketchScene Interpret(SketchRequest request)
    {
        var reader = new Reader();
        reader.Read(request.Prompt ?? "", negative: false);
        if (!string.IsNullOrWhiteSpace(request.NegativePrompt))
            reader.Read(request.NegativePrompt, negative: true);
        return reader.Build(request);
    }

    internal readonly record struct Token(string Text, bool IsPunctuation);

    private readonly record struct Match(Term Term, string Words, bool Plural, int Start, int Length);

    internal static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var word = new StringBuilder();

        void Flush()
        {
            if (word.Length == 0)
                return;
            var w = word.ToString();
            // "fox's" -> "fox"
            if (w.EndsWith("'s", StringComparison.Ordinal))
                w = w[..^2];
            w = w.Replace("'", "", StringComparison.Ordinal);
            if (w.Length > 0)
                tokens.Add(new Token(w, false));
            word.Clear();
        }

        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (c == '\u2019')
                c = '\'';
            if (char.IsLetterOrDigit(c) || c == '\'' || (c == '#' && word.Length == 0))
            {
                word.Append(c);
            }
            else if (c is ',' or '.' or ';' or ':' or '!' or '?' or '(' or ')' or '[' or ']' or '|' or '\n' or '/')
            {
                Flush();
                tokens.Add(new Token(",", true));
            }
            else if (c == '&')
            {
                Flush();
                tokens.Add(new Token("&", false));
            }
            else
            {
                Flush();
            }
        }
        Flush();
        return tokens;
    }

    private static List<Match> MatchTerms(List<Token> tokens)
    {
        var matches = new List<Match>();
        for (var i = 0; i < tokens.Count;)
        {
            if (tokens[i].IsPunctuation)
            {
                matches.Add(new Match(Comma, ",", false, i, 1));
                i++;
                continue;
            }
            Match? found = null;
            for (var n = Math.Min(Vocabulary.MaxPhraseWords, tokens.Count - i); n >= 1 && found is null; n--)
            {
                if (tokens.Skip(i).Take(n).Any(t => t.IsPunctuation))
                    continue;
                var phrase = string.Join(' ', tokens.Skip(i).Take(n).Select(t => t.Text));
                if (Vocabulary.Terms.TryGetValue(phrase, out var term))
                    found = new Match(term, phrase, IsPlural(phrase), i, n);
                else if (n == 1 && Singular(phrase) is { } singular && Vocabulary.Terms.TryGetValue(singular, out term))
                    found = new Match(term, singular, true, i, 1);
            }
            if (found is { } m)
            {
                matches.Add(m);
                i += m.Length;
            }
            else
            {
                var text = tokens[i].Text;
                if (text.StartsWith('#') && TryHexColor(text, out var hex))
                    matches.Add(new Match(new Term(TermKind.Color, text) { Color = hex }, text, false, i, 1));
                else
                    matches.Add(new Match(Unknown, text, false, i, 1));
                i++;
            }
        }
        return matches;
    }

    private static bool IsPlural(string word) =>
        IrregularPlurals.Contains(word) || (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && word.Length > 3
            && Vocabulary.Terms.ContainsKey(Singular(word) ?? ""));

    private static string? Singular(string word)
    {
        if (word.Length <= 3)
            return null;
        if (word.EndsWith("ies", StringComparison.Ordinal))
            return word[..^3] + "y";
        if (word.EndsWith("ves", StringComparison.Ordinal))
            return word[..^3] + "f";
        if (word.EndsWith("es", StringComparison.Ordinal) && Vocabulary.Terms.ContainsKey(word[..^2]))
            return word[..^2];
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
            return word[..^1];
        return null;
    }

    private static bool TryHexColor(string text, out SketchColor color)
    {
        color = default;
        var hex = text.AsSpan(1);
        if (hex.Length == 3)
            hex = new string([hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]]);
        if (hex.Length != 6 || !uint.TryParse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var v))
            return false;
        color = new SketchColor(text, (byte)(v >> 16), (byte)(v >> 8), (byte)v);
        return true;
    }

    private static readonly string[] ModifierKeys = ["light", "pale", "pastel", "soft", "dark", "deep", "bright", "muted"];

    /// <summary>The colour word without its modifier: "vivid red" (named "bright red") and "deep red" are both "red".</summary>
    private static string BaseName(SketchColor color)
    {
        var space = color.Name.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && ModifierKeys.Contains(color.Name[..space]) ? color.Name[(space + 1)..] : color.Name;
    }

    /// <summary>Each repetition of a subject's colour makes it a little more saturated (at most three count).</summary>
    private static SketchColor? Emphasised(SketchColor? color, int emphasis)
    {
        if (color is not { } c || emphasis <= 0)
            return color;
        var (h, s, l) = new Rgb(c.R / 255f, c.G / 255f, c.B / 255f).ToHsl();
        if (s < 0.12f)
            return color;
        var rgb = Rgb.FromHsl(h, s + (1 - s) * 0.25f * Math.Min(emphasis, 3), l);
        return c with { R = ToByte(rgb.R), G = ToByte(rgb.G), B = ToByte(rgb.B) };
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255), 0, 255);

    private sealed class SubjectBuilder(SketchSubjectKind kind, string noun)
    {
        public SketchSubjectKind Kind { get; } = kind;
        public string Noun { get; } = noun;
        public SketchColor? Color { get; set; }
        public SketchColor? Second { get; set; }
        public SketchColor? Detail { get; set; }
        public int Count { get; set; } = 1;
        public double Scale { get; set; } = 1;

        /// <summary>How many times the main colour was named again after it was set ("a red fox, vivid red fox").</summary>
        public int Emphasis { get; set; }

        public bool IsJewellery => Noun is "ring" or "necklace" or "earrings" or "bracelet" or "watch";

        public SketchSubject Build() => new(Kind, Noun, Emphasised(Color, Emphasis), Second, Detail, Count, Scale);

        /// <summary>
        /// Takes a repeated colour: it replaces the main colour when it carries a modifier ("vivid red"
        /// after "red") and counts as emphasis. False when the colour is a different one.
        /// </summary>
        public bool Emphasise(SketchColor color)
        {
            if (Color is not { } current || BaseName(current) != BaseName(color))
                return false;
            if (color.Name != BaseName(color))
                Color = color;
            Emphasis++;
            return true;
        }
    }

    private sealed class Reader
    {
        private readonly List<SketchTimeOfDay> _times = [];
        private readonly List<SketchSetting> _settings = [];
        private readonly List<SketchWeather> _weathers = [];
        private readonly List<SketchLighting> _lightings = [];
        private readonly List<SketchStyle> _styles = [];
        private readonly List<SubjectBuilder> _subjects = [];
        private readonly List<string> _elements = [];
        private readonly Dictionary<string, SketchColor> _elementColors = [];
        private readonly List<SketchColor> _accents = [];
        private readonly List<string> _removed = [];
        private readonly HashSet<string> _removedColors = [];
        private readonly HashSet<SketchSetting> _removedSettings = [];
        private readonly HashSet<SketchStyle> _removedStyles = [];
        private readonly HashSet<SketchLighting> _removedLightings = [];
        private readonly HashSet<SketchWeather> _removedWeathers = [];
        private readonly List<string> _recognized = [];
        private SketchEnhancements _enhancements;
        private SketchEnhancements _removedEnhancements;
        private bool _snowy;
        private bool _snowRemoved;
        private bool _neonWord;
        private string? _season;

        // Per-clause state.
        private readonly List<(SketchColor Color, bool IsGem)> _pending = [];
        private float _modifier;
        private string? _modifierKey;
        private int _gap;
        private int? _count;
        private double? _scale;
        private bool _negate;
        private SubjectBuilder? _last;
        private readonly List<(string Part, SketchColor Color)> _partsForNext = [];

        public void Read(string text, bool negative)
        {
            var matches = MatchTerms(Tokenize(text));
            _negate = negative;
            _last = null;
            var (clauseWords, clauseColorWords, clauseColors) = (0, 0, 0);
            for (var i = 0; i < matches.Count; i++)
            {
                var m = matches[i];
                var next = i + 1 < matches.Count ? matches[i + 1] : (Match?)null;
                if (ReferenceEquals(m.Term, Comma))
                {
                    if (clauseWords > 0 && clauseWords == clauseColorWords && clauseColors == 1)
                        EmphasiseLoneColor();
                    (clauseWords, clauseColorWords, clauseColors) = (0, 0, 0);
                }
                else
                {
                    clauseWords++;
                    if (m.Term.Kind is TermKind.Color or TermKind.Gem or TermKind.ColorModifier)
                        clauseColorWords++;
                    if (m.Term.Kind is TermKind.Color or TermKind.Gem)
                        clauseColors++;
                }
                if (m.Term.Kind != TermKind.Break)
                    _recognized.Add(m.Words);
                Step(m, next, negative);
            }
            if (clauseWords > 0 && clauseWords == clauseColorWords && clauseColors == 1)
                EmphasiseLoneColor();
            FlushColors();
            _negate = false;
        }

        private void Step(Match m, Match? next, bool negative)
        {
            var term = m.Term;
            if (term.Adds != SketchEnhancements.None)
            {
                if (_negate)
                    _removedEnhancements |= term.Adds;
                else
                    _enhancements |= term.Adds;
            }
            switch (term.Kind)
            {
                case TermKind.Enhancement:
                    // Like an adjective: "a blue sparkling sapphire" keeps blue on the sapphire.
                    if (++_gap > 2)
                        FlushColors();
                    break;
                case TermKind.Break when term.Key == "?":
                    // An unknown word: adjectives between a colour and its noun are fine, a long gap is not.
                    if (++_gap > 2)
                        FlushColors();
                    break;
                case TermKind.Break:
                    FlushColors();
                    _count = null;
                    _scale = null;
                    if (!negative && term.Key is "," or "but" or "with" or "while")
                        _negate = false;
                    break;
                case TermKind.Negator:
                    FlushColors();
                    _negate = true;
                    break;
                case TermKind.Connector:
                    // "black and white cat": keep the first colour waiting for the noun.
                    if (_pending.Count == 0 || next is not { Term.Kind: TermKind.Color or TermKind.Gem or TermKind.ColorModifier })
                        FlushColors();
                    break;
                case TermKind.ColorModifier:
                    if (next is { Term.Kind: TermKind.Color or TermKind.Gem })
                    {
                        _modifier = term.Amount;
                        _modifierKey = term.Key;
                        if (m.Words == "neon")
                            _neonWord = true;
                    }
                    else if (!_negate)
                    {
                        ModifierAlone(m.Words);
                    }
                    break;
                case TermKind.Color:
                case TermKind.Gem:
                    if (_negate)
                    {
                        _removedColors.Add(term.Color.Name);
                        break;
                    }
                    if (term.Also is { Kind: TermKind.Subject } also
                        && next is not { Term.Kind: TermKind.Subject or TermKind.Part or TermKind.Element or TermKind.Setting or TermKind.Color or TermKind.Gem or TermKind.Snowy })
                    {
                        AddSubject(also, m.Plural);
                        break;
                    }
                    var color = ApplyModifier(term.Color);
                    if (term.Kind == TermKind.Gem && _pending.Count > 0)
                    {
                        // "a blue sapphire": the colour word describes the stone.
                        color = _pending[0].Color;
                        _pending.Clear();
                    }
                    if (term.Kind == TermKind.Gem && _last is { IsJewellery: true } && next is not { Term.Kind: TermKind.Subject })
                        _last.Detail = color;
                    else
                        _pending.Add((color, term.Kind == TermKind.Gem));
                    _gap = 0;
                    break;
                case TermKind.Subject:
                    if (_negate)
                    {
                        RemoveSubject(term);
                        _pending.Clear();
                        break;
                    }
                    AddSubject(term, m.Plural);
                    break;
                case TermKind.Part:
                    if (!_negate && _pending.Count > 0)
                    {
                        var c = _pending[0].Color;
                        if (_last is null)
                            _partsForNext.Add((term.Key, c));
                        else if (term.Key == "main")
                            _last.Color = c;
                        else
                            _last.Detail = c;
                    }
                    _pending.Clear();
                    _gap = 0;
                    break;
                case TermKind.Element:
                    if (_negate)
                    {
                        Remove(term.Key);
                        if (term.Key == "trees")
                            RemoveNoun("tree");
                        if (term.Key == "birds")
                            RemoveNoun("bird");
                        _pending.Clear();
                        break;
                    }
                    if (term.Key == "flowers" && _last is { Noun: "vase" })
                    {
                        // "a vase with yellow flowers": the flowers are the vase's, not the meadow's.
                        if (_pending.Count > 0)
                            _last.Detail = _pending[0].Color;
                        _pending.Clear();
                        break;
                    }
                    if (!_elements.Contains(term.Key))
                        _elements.Add(term.Key);
                    TakeColorFor(term.Key);
                    break;
                case TermKind.Setting:
                    var setting = (SketchSetting)term.Number;
                    if (_negate)
                    {
                        _removedSettings.Add(setting);
                        Remove(setting.ToString().ToLowerInvariant());
                        _pending.Clear();
                        break;
                    }
                    _settings.Add(setting);
                    if (term.HasColor && _pending.Count == 0)
                        _elementColors["background"] = term.Color;
                    TakeColorFor(setting switch
                    {
                        SketchSetting.Forest => "trees",
                        SketchSetting.Sea => "water",
                        SketchSetting.Desert => "sand",
                        SketchSetting.Mountains => "mountains",
                        SketchSetting.City => "buildings",
                        SketchSetting.Studio => "background",
                        _ => "ground",
                    });
                    break;
                case TermKind.Snowy:
                    if (_negate)
                    {
                        _snowRemoved = true;
                        Remove("snow");
                    }
                    else
                    {
                        _snowy = true;
                        TakeColorFor("ground");
                    }
                    break;
                case TermKind.Time:
                    if (!_negate)
                        _times.Add((SketchTimeOfDay)term.Number);
                    break;
                case TermKind.Weather:
                    if (_negate)
                    {
                        _removedWeathers.Add((SketchWeather)term.Number);
                        Remove(term.Key);
                    }
                    else
                    {
                        _weathers.Add((SketchWeather)term.Number);
                    }
                    break;
                case TermKind.Lighting:
                    if (_negate)
                        _removedLightings.Add((SketchLighting)term.Number);
                    else
                        _lightings.Add((SketchLighting)term.Number);
                    break;
                case TermKind.Style:
                    if (_negate)
                        _removedStyles.Add((SketchStyle)term.Number);
                    else
                        _styles.Add((SketchStyle)term.Number);
                    break;
                case TermKind.Season:
                    if (!_negate)
                        _season ??= term.Key;
                    break;
                case TermKind.Count:
                    _count = term.Number;
                    break;
                case TermKind.Size:
                    _scale = term.Amount;
                    break;
            }
        }

        /// <summary>
        /// A clause that is one colour and nothing else ("a red rose, deep red") repeating a subject's
        /// colour is about that subject: it takes the colour as emphasis instead of tinting the scene.
        /// </summary>
        private void EmphasiseLoneColor()
        {
            if (_negate || _pending.Count != 1)
                return;
            var color = _pending[0].Color;
            if (_subjects.FirstOrDefault(s => s.Color is { } c && BaseName(c) == BaseName(color)) is not { } subject)
                return;
            subject.Emphasise(color);
            _pending.Clear();
        }

        private void ModifierAlone(string word)
        {
            switch (word)
            {
                case "soft" or "pastel":
                    _lightings.Add(SketchLighting.Soft);
                    break;
                case "dark":
                    _lightings.Add(SketchLighting.Dramatic);
                    break;
                case "neon":
                    _lightings.Add(SketchLighting.Neon);
                    _neonWord = true;
                    break;
            }
        }

        private SketchColor ApplyModifier(SketchColor c)
        {
            if (_modifierKey is null)
                return c;
            var rgb = new Rgb(c.R / 255f, c.G / 255f, c.B / 255f);
            rgb = _modifierKey switch
            {
                "light" or "pale" or "pastel" or "soft" => rgb.Lighten(_modifier).Saturate(_modifierKey == "pastel" ? 0.8f : 1f),
                "dark" or "deep" => rgb.Darken(-_modifier),
                "bright" => rgb.Saturate(1 + _modifier).Shade(0.05f),
                "muted" => rgb.Saturate(1 + _modifier),
                _ => rgb,
            };
            var name = _modifierKey + " " + c.Name;
            _modifierKey = null;
            return new SketchColor(name, ToByte(rgb.R), ToByte(rgb.G), ToByte(rgb.B));
        }

        private void AddSubject(Term term, bool plural)
        {
            var noun = term.Key;
            var existing = _subjects.FirstOrDefault(s => s.Noun == noun);
            var s = existing ?? new SubjectBuilder(term.SubjectKind, noun);
            if (existing is null)
            {
                if (_subjects.Count >= MaxSubjects || _subjects.Sum(x => x.Count) >= MaxFigures)
                {
                    _pending.Clear();
                    return;
                }
                s.Count = _count ?? noun switch
                {
                    "couple" => 2,
                    "family" => 3,
                    _ when plural && s.Kind != SketchSubjectKind.Product => 3,
                    _ => 1,
                };
                s.Count = Math.Clamp(s.Count, 1, Math.Max(1, MaxFigures - _subjects.Sum(x => x.Count)));
                if (_scale is { } scale)
                    s.Scale = scale;
                _subjects.Add(s);
            }
            if (term.HasColor && _pending.Count == 0)
                s.Color ??= term.Color;
            foreach (var (color, isGem) in _pending)
            {
                if (isGem && s.IsJewellery)
                    s.Detail = color;
                else if (s.Color is null)
                    s.Color = color;
                else if (existing is not null && s.Emphasise(color))
                    continue;
                else if (s.Second is null)
                    s.Second = color;
            }
            foreach (var (part, color) in _partsForNext)
            {
                if (part == "main")
                    s.Color ??= color;
                else
                    s.Detail ??= color;
            }
            _partsForNext.Clear();
            _pending.Clear();
            _count = null;
            _scale = null;
            _gap = 0;
            _last = s;
        }

        private void RemoveSubject(Term term)
        {
            if (GenericNouns.TryGetValue(term.Key, out var generic))
            {
                Remove(generic.Removed);
                _subjects.RemoveAll(s => s.Kind == generic.Kind);
            }
            else
            {
                RemoveNoun(term.Key);
            }
            if (term.Key is "tree" or "palm")
                Remove("trees");
        }

        private void RemoveNoun(string noun)
        {
            Remove(noun);
            _subjects.RemoveAll(s => s.Noun == noun);
        }

        private void Remove(string what)
        {
            if (!_removed.Contains(what))
                _removed.Add(what);
        }

        private void TakeColorFor(string element)
        {
            if (_pending.Count > 0)
                _elementColors[element] = _pending[0].Color;
            _pending.Clear();
            _gap = 0;
        }

        private void FlushColors()
        {
            foreach (var (color, _) in _pending)
            {
                if (!_accents.Any(a => a.Name == color.Name))
                    _accents.Add(color);
            }
            _pending.Clear();
            _modifierKey = null;
            _gap = 0;
        }

        public SketchScene Build(SketchRequest request)
        {
            // Things removed anywhere (prompt "no ..." or the negative prompt) win over things asked for.
            var removedKinds = GenericNouns.Values.Where(g => _removed.Contains(g.Removed)).Select(g => g.Kind).ToHashSet();
            var subjects = _subjects
                .Where(s => !removedKinds.Contains(s.Kind) && !_removed.Contains(s.Noun))
                .Where(s => !(_removed.Contains("trees") && s.Noun is "tree" or "palm"))
                .Select(s => s.Build())
                .ToList();

            var style = ParseStyle(request.Style)
                ?? _styles.Where(s => !_removedStyles.Contains(s)).Select(s => (SketchStyle?)s).FirstOrDefault()
                ?? (_neonWord && !_removedStyles.Contains(SketchStyle.Neon) ? SketchStyle.Neon : SketchStyle.Illustration);

            var settings = _settings.Where(s => !_removedSettings.Contains(s)).ToList();
            var snowy = !_snowRemoved && (_snowy || settings.Contains(SketchSetting.Snow));
            var setting = settings.Where(s => s != SketchSetting.Snow).Select(s => (SketchSetting?)s).FirstOrDefault()
                ?? (snowy ? SketchSetting.Snow : (SketchSetting?)null)
                ?? ImpliedSetting(subjects, style)
                ?? SketchSetting.Meadow;
            if (_removedSettings.Contains(setting))
                setting = SketchSetting.Meadow;

            var weather = _weathers.Where(w => !_removedWeathers.Contains(w)).Select(w => (SketchWeather?)w).FirstOrDefault() ?? SketchWeather.Clear;
            if (weather == SketchWeather.Snowfall && !_snowRemoved)
                snowy = true;
            if (setting == SketchSetting.Studio)
                snowy = false;

            var time = _times.Select(t => (SketchTimeOfDay?)t).FirstOrDefault()
                ?? (style is SketchStyle.Cyberpunk or SketchStyle.Neon || _elements.Contains("stars") || _elements.Contains("moon")
                    ? SketchTimeOfDay.Night
                    : SketchTimeOfDay.Day);

            var lighting = _lightings.Where(l => !_removedLightings.Contains(l)).Select(l => (SketchLighting?)l).FirstOrDefault()
                ?? (style is SketchStyle.Cyberpunk or SketchStyle.Neon ? SketchLighting.Neon : SketchLighting.Natural);

            var elements = _elements.Where(e => !_removed.Contains(e)).ToList();
            if (_season is not null)
                elements.Add(_season);

            var elementColors = _elementColors
                .Where(kv => !_removedColors.Contains(kv.Value.Name))
                .ToDictionary(kv => kv.Key, kv => kv.Value);
            var accents = _accents.Where(a => !_removedColors.Contains(a.Name)).Take(3).ToList();

            return new SketchScene(time, setting, snowy, weather, subjects, lighting, style, elements, elementColors, accents,
                _removed.ToList(), _recognized.ToList())
            {
                Enhancements = _enhancements & ~_removedEnhancements,
            };
        }

        private SketchSetting? ImpliedSetting(List<SketchSubject> subjects, SketchStyle style)
        {
            if (_elementColors.ContainsKey("background") || _elements.Contains("background"))
                return SketchSetting.Studio;
            if (subjects.Count > 0)
            {
                var first = subjects[0];
                switch (first.Noun)
                {
                    case "sailboat" or "ship" or "whale" or "dolphin" or "shark" or "fish" or "lighthouse" or "swan":
                        return SketchSetting.Sea;
                    case "camel" or "cactus":
                        return SketchSetting.Desert;
                    case "penguin":
                        return SketchSetting.Snow;
                    case "skyscraper" or "taxi" or "bus":
                        return SketchSetting.City;
                }
                if (first.Kind == SketchSubjectKind.Product)
                    return SketchSetting.Studio;
            }
            return style == SketchStyle.Cyberpunk ? SketchSetting.City : null;
        }

        private static SketchStyle? ParseStyle(string? style) => style?.Trim().ToLowerInvariant() switch
        {
            "watercolor" or "watercolour" => SketchStyle.Watercolor,
            "pixel-art" or "pixel" or "pixelart" or "8-bit" => SketchStyle.PixelArt,
            "flat" or "flat-design" => SketchStyle.Flat,
            "minimal" or "minimalist" => SketchStyle.Minimal,
            "photographic" or "photo" or "photorealistic" or "realistic" => SketchStyle.Photographic,
            "cyberpunk" => SketchStyle.Cyberpunk,
            "neon" => SketchStyle.Neon,
            _ => null,
        };
    }
}
