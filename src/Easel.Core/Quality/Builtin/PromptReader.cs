using System.Text;

namespace Easel.Core.Quality.Builtin;

/// <summary>What a coloured word describes, which decides how much of the image it should cover.</summary>
internal enum ColorRole
{
    /// <summary>The thing the picture is of ("a red fox"): a good share of the image.</summary>
    Subject,

    /// <summary>Sky, background, water, walls: a large share.</summary>
    Scenery,

    /// <summary>Eyes, a gem, a ribbon: a small share.</summary>
    Detail,

    /// <summary>No noun ("in red and gold"): a tint somewhere in the image.</summary>
    Tint,
}

internal enum TimeOfDay
{
    Day,
    Morning,
    Dawn,
    Sunset,
    Night,
}

internal enum Brightness
{
    Dark,
    Bright,
    Moody,
}

internal enum StyleHint
{
    Monochrome,
    Pastel,
    Neon,
    Colorful,
    Muted,
}

/// <param name="Noun">The words the colour qualifies ("fox", "sky"), or null.</param>
/// <param name="Sharing">How many colours share the noun ("a red and white lighthouse": 2), each covering part of it.</param>
internal sealed record ColorRequest(ColorWord Color, string? Modifier, string? Noun, ColorRole Role, string Source, int Sharing = 1);

/// <summary>What a prompt asks for that pixels can show, plus what it mentions that they cannot.</summary>
internal sealed class PromptIntent
{
    public List<ColorRequest> Colors { get; } = [];

    /// <summary>Colours the prompt excludes ("no red", or in the negative prompt), with where they were excluded.</summary>
    public List<(ColorWord Color, string Source)> Excluded { get; } = [];

    public (TimeOfDay Time, string Word)? Time { get; set; }

    public (Brightness Brightness, string Word)? Brightness { get; set; }

    public List<(StyleHint Style, string Word)> Styles { get; } = [];

    /// <summary>Grain or noise is wanted ("film grain", "grainy").</summary>
    public bool WantsGrain { get; set; }

    /// <summary>Softness is wanted ("soft focus", "dreamy", "bokeh", "watercolor", "fog").</summary>
    public bool WantsSoft { get; set; }

    /// <summary>A white or light background, or high-key light: large white areas are expected.</summary>
    public bool WantsLightBackground { get; set; }

    /// <summary>A black or dark background, or night: large black areas are expected.</summary>
    public bool WantsDarkBackground { get; set; }

    public bool MentionsText { get; set; }

    public bool MentionsPlacement { get; set; }

    public bool MentionsCount { get; set; }

    /// <summary>Styles named that pixels cannot confirm, as "like a photograph", "minimalist".</summary>
    public List<string> StyleWords { get; } = [];
}

/// <summary>
/// Reads prompts for the built-in evaluator: colour words with the noun they describe, time of
/// day, brightness and style words, and negations ("no red"). A deliberately small reading, as
/// the sketch renderer's: it looks at word order, not grammar.
/// </summary>
internal static class PromptReader
{
    private static readonly HashSet<string> Negators = ["no", "without", "not", "minus", "excluding", "except", "lacking", "nothing"];

    // Words that end a noun phrase after a colour ("red fox in ...", "red fox with ...").
    private static readonly HashSet<string> Stops =
    [
        "a", "an", "the", "and", "or", "&", "in", "on", "at", "under", "over", "above", "below", "by", "near", "beside", "through",
        "across", "from", "into", "onto", "inside", "behind", "during", "against", "with", "of", "among", "along", "around", "is", "are",
        "while", "but", "then", "as", "like", "for", "to", "has", "having", "wearing", "holding", "riding", "standing", "sitting",
        "walking", "running", "flying", "swimming", "looking", "that", "which", "who", "its", "their", "his", "her", "very", "background",
    ];

    private static readonly HashSet<string> SceneryNouns =
    [
        "sky", "skies", "background", "backdrop", "water", "sea", "ocean", "lake", "river", "grass", "field", "fields", "meadow",
        "forest", "trees", "leaves", "foliage", "walls", "wall", "room", "sand", "desert", "snow", "mountains", "hills", "clouds",
        "lights", "sunset", "horizon", "floor", "ground", "landscape", "scene", "surface", "fabric",
        "velvet", "silk", "paper", "canvas", "atmosphere", "seamless", "studio", "setting",
        "world", "city", "street", "streets", "garden", "tablecloth", "table", "sheets", "bedding", "curtains", "wallpaper",
    ];

    private static readonly HashSet<string> DetailNouns =
    [
        "eyes", "eye", "gem", "gems", "gemstone", "gemstones", "stone", "stones", "ribbon", "bow", "label", "cap", "lid", "buttons",
        "button", "lips", "nose", "hair", "collar", "trim", "accent", "details", "detail", "stripes", "stripe", "spots", "dots",
        "buckle", "laces", "strap", "beak", "feet", "paws", "tips", "tip", "roof", "door", "window", "windows", "sail", "sails",
        "scarf", "tie", "hat", "flower", "flowers", "petals", "earrings", "highlights", "logo",
    ];

    private static readonly HashSet<string> GemColors = ["ruby", "sapphire", "emerald", "amethyst", "jade"];

    private static readonly (string Phrase, TimeOfDay Time)[] Times =
    [
        ("golden hour", TimeOfDay.Sunset), ("blue hour", TimeOfDay.Night), ("first light", TimeOfDay.Dawn), ("night time", TimeOfDay.Night),
        ("broad daylight", TimeOfDay.Day), ("blue sky", TimeOfDay.Day), ("early morning", TimeOfDay.Dawn),
        ("night", TimeOfDay.Night), ("nighttime", TimeOfDay.Night), ("midnight", TimeOfDay.Night), ("moonlight", TimeOfDay.Night),
        ("moonlit", TimeOfDay.Night), ("starry", TimeOfDay.Night), ("starlit", TimeOfDay.Night), ("nights", TimeOfDay.Night),
        ("sunset", TimeOfDay.Sunset), ("sundown", TimeOfDay.Sunset), ("dusk", TimeOfDay.Sunset), ("twilight", TimeOfDay.Sunset),
        ("evening", TimeOfDay.Sunset), ("sunsets", TimeOfDay.Sunset),
        ("dawn", TimeOfDay.Dawn), ("sunrise", TimeOfDay.Dawn), ("daybreak", TimeOfDay.Dawn), ("morning", TimeOfDay.Morning),
        ("noon", TimeOfDay.Day), ("midday", TimeOfDay.Day), ("daytime", TimeOfDay.Day), ("daylight", TimeOfDay.Day),
        ("afternoon", TimeOfDay.Day), ("sunny", TimeOfDay.Day), ("sunshine", TimeOfDay.Day), ("day", TimeOfDay.Day),
    ];

    // Words that make a time word name a thing instead: "evening gown", "morning glory", "night stand".
    private static readonly HashSet<string> NotTimes = ["gown", "gowns", "dress", "dresses", "wear", "glory", "stand", "cream", "bag", "shift"];

    private static readonly (string Phrase, StyleHint Style)[] StylePhrases =
    [
        ("black and white", StyleHint.Monochrome), ("black & white", StyleHint.Monochrome), ("b&w", StyleHint.Monochrome),
        ("b & w", StyleHint.Monochrome), ("monochrome", StyleHint.Monochrome), ("monochromatic", StyleHint.Monochrome),
        ("grayscale", StyleHint.Monochrome), ("greyscale", StyleHint.Monochrome), ("noir", StyleHint.Monochrome),
        ("pastel", StyleHint.Pastel), ("pastels", StyleHint.Pastel), ("neon", StyleHint.Neon), ("synthwave", StyleHint.Neon),
        ("vibrant", StyleHint.Colorful), ("colorful", StyleHint.Colorful), ("colourful", StyleHint.Colorful), ("vivid", StyleHint.Colorful),
        ("muted", StyleHint.Muted), ("desaturated", StyleHint.Muted), ("washed out", StyleHint.Muted),
    ];

    private static readonly (string Phrase, Brightness Brightness)[] BrightnessPhrases =
    [
        ("low key", Brightness.Dark), ("high key", Brightness.Bright), ("well lit", Brightness.Bright), ("brightly lit", Brightness.Bright),
        ("dark", Brightness.Dark), ("dim", Brightness.Dark), ("dimly", Brightness.Dark), ("gloomy", Brightness.Dark),
        ("bright", Brightness.Bright), ("airy", Brightness.Bright), ("luminous", Brightness.Bright), ("sunlit", Brightness.Bright),
        ("moody", Brightness.Moody), ("dramatic", Brightness.Moody), ("chiaroscuro", Brightness.Moody),
    ];

    private static readonly HashSet<string> GrainWords = ["grain", "grainy", "noise", "noisy", "film", "analog", "analogue"];

    private static readonly HashSet<string> SoftWords =
    [
        "soft", "dreamy", "blur", "blurry", "blurred", "bokeh", "hazy", "haze", "fog", "foggy", "mist", "misty", "watercolor",
        "watercolour", "ethereal", "impressionist", "impressionistic", "pastel", "gauzy",
    ];

    private static readonly HashSet<string> TextWords =
    [
        "text", "word", "words", "letters", "lettering", "logo", "sign", "signs", "caption", "title", "typography", "saying", "reads",
        "label", "headline", "font", "poster", "quote",
    ];

    private static readonly HashSet<string> PlacementWords =
    [
        "under", "behind", "above", "below", "beside", "between", "inside", "beneath", "atop", "left", "right", "front",
        "next", "holding", "riding", "carrying",
    ];

    private static readonly HashSet<string> CountWords =
    [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "pair", "couple", "several", "many", "dozen",
        "dozens", "group", "herd", "pack", "flock", "trio", "twins", "crowd",
    ];

    // Style words pixels cannot confirm, and how to name them: "whether it looks like a photograph", "... looks minimalist".
    private static readonly Dictionary<string, string> StyleNames = new(StringComparer.Ordinal)
    {
        ["watercolor"] = "like a watercolour painting", ["watercolour"] = "like a watercolour painting",
        ["gouache"] = "like a gouache painting", ["painting"] = "like a painting", ["painted"] = "like a painting",
        ["pixel"] = "like pixel art", ["pixel-art"] = "like pixel art", ["anime"] = "like anime", ["manga"] = "like manga",
        ["sketch"] = "like a sketch", ["pencil"] = "like a pencil drawing", ["drawing"] = "like a drawing",
        ["cartoon"] = "like a cartoon", ["comic"] = "like a comic", ["illustration"] = "like an illustration",
        ["vector"] = "like vector art", ["flat"] = "like flat design", ["photo"] = "like a photograph",
        ["photograph"] = "like a photograph", ["photographic"] = "like a photograph", ["photorealistic"] = "like a photograph",
        ["realistic"] = "like a photograph", ["3d"] = "like a 3D render", ["minimal"] = "minimalist", ["minimalist"] = "minimalist",
        ["impressionist"] = "impressionist", ["cubist"] = "cubist", ["surreal"] = "surreal", ["lowpoly"] = "low-poly",
        ["isometric"] = "isometric", ["cyberpunk"] = "cyberpunk", ["steampunk"] = "steampunk", ["ukiyo"] = "like ukiyo-e",
        ["claymation"] = "like claymation", ["origami"] = "like origami", ["neon"] = "like neon art",
    };

    // Words for the picture itself: "black and white" before them means monochrome.
    private static readonly HashSet<string> Media =
    [
        "photo", "photograph", "photography", "image", "picture", "film", "movie", "style", "portrait", "shot", "print",
        "illustration", "drawing", "sketch", "painting", "art", "artwork", "still", "scene", "version", "filter", "tones",
    ];

    private const int MaxPhraseWords = 3;

    /// <summary>Reads the user's prompt, then the current (refined) one: what the user asked for comes first and wins.</summary>
    public static PromptIntent Read(string originalPrompt, string currentPrompt, string? negativePrompt, string? style)
    {
        var intent = new PromptIntent();
        ReadPositive(intent, originalPrompt ?? "", "the prompt");
        if (!string.Equals(originalPrompt?.Trim(), currentPrompt?.Trim(), StringComparison.OrdinalIgnoreCase))
            ReadPositive(intent, currentPrompt ?? "", "the refined prompt");
        if (!string.IsNullOrWhiteSpace(negativePrompt))
            ReadNegative(intent, negativePrompt);
        if (!string.IsNullOrWhiteSpace(style))
        {
            var s = style.Trim().ToLowerInvariant();
            AddStyleWord(intent, s);
            if (s is "neon" or "cyberpunk" or "synthwave")
                AddStyle(intent, StyleHint.Neon, s);
            if (s is "watercolor" or "watercolour")
                intent.WantsSoft = true;
        }

        // A colour both asked for and excluded is a contradiction: judge only the request.
        intent.Excluded.RemoveAll(e => intent.Colors.Any(c => c.Color.Name == e.Color.Name));
        return intent;
    }

    internal static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length == 0)
                return;
            var w = word.ToString();
            if (w.EndsWith("'s", StringComparison.Ordinal))
                w = w[..^2];
            w = w.Replace("'", "", StringComparison.Ordinal);
            if (w.Length > 0)
                tokens.Add(w);
            word.Clear();
        }

        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (c == '\u2019')
                c = '\'';
            if (char.IsLetterOrDigit(c) || c == '\'')
            {
                word.Append(c);
            }
            else if (c == '&')
            {
                // "b&w" stays one word; "black & white" keeps the ampersand as a word.
                if (word.Length == 1 && word[0] == 'b')
                {
                    word.Append(c);
                    continue;
                }
                Flush();
                tokens.Add("&");
            }
            else if (c is ',' or '.' or ';' or ':' or '!' or '?' or '(' or ')' or '[' or ']' or '|' or '\n' or '/' or '"')
            {
                Flush();
                tokens.Add(",");
            }
            else
            {
                // Spaces, and hyphens too: "black-and-white" reads as "black and white".
                Flush();
            }
        }
        Flush();
        return tokens;
    }

    private static void ReadNegative(PromptIntent intent, string text)
    {
        var tokens = Tokenize(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            // "black and white" in the negative prompt excludes monochrome, not the two colours.
            if (Match(tokens, i, StylePhrases, out _, out var styleLength) && styleLength > 1 && !IsColorPair(tokens, i, styleLength))
            {
                i += styleLength - 1;
                continue;
            }
            if (MatchColor(tokens, i, out var color, out var length))
            {
                if (!intent.Excluded.Any(e => e.Color.Name == color.Name))
                    intent.Excluded.Add((color, "the negative prompt"));
                i += length - 1;
            }
        }
    }

    private static void ReadPositive(PromptIntent intent, string text, string source)
    {
        var tokens = Tokenize(text);
        var negated = false;
        string? modifier = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t == ",")
            {
                negated = false;
                modifier = null;
                continue;
            }
            if (t is "but" or "with" or "while")
                negated = false;
            if (Negators.Contains(t) || (t == "free" && i + 1 < tokens.Count && tokens[i + 1] == "of"))
            {
                negated = true;
                continue;
            }

            Mentions(intent, tokens, i);

            if (Match(tokens, i, StylePhrases, out var styleHint, out var styleLength)
                && !(styleHint is StyleHint.Pastel or StyleHint.Neon or StyleHint.Colorful or StyleHint.Muted && NextIsColor(tokens, i + styleLength))
                && !IsColorPair(tokens, i, styleLength))
            {
                if (!negated)
                    AddStyle(intent, styleHint, string.Join(' ', tokens.Skip(i).Take(styleLength)));
                if (styleHint == StyleHint.Pastel)
                    intent.WantsSoft = true;
                i += styleLength - 1;
                continue;
            }
            if (Match(tokens, i, Times, out var time, out var timeLength) && !(i + timeLength < tokens.Count && NotTimes.Contains(tokens[i + timeLength])))
            {
                if (!negated && intent.Time is null)
                    intent.Time = (time, string.Join(' ', tokens.Skip(i).Take(timeLength)));
                if (time == TimeOfDay.Night)
                    intent.WantsDarkBackground = true;
                i += timeLength - 1;
                continue;
            }
            if (ColorWords.Modifiers.Contains(t) && NextIsColor(tokens, i + 1))
            {
                modifier = NormalModifier(t);
                continue;
            }
            if (t == "bright" && i + 1 < tokens.Count && tokens[i + 1] is "colors" or "colours" or "hues" or "tones")
            {
                // "bright colours" asks for vivid colour, not a bright picture.
                if (!negated)
                    AddStyle(intent, StyleHint.Colorful, "bright colors");
                i++;
                continue;
            }
            if (Match(tokens, i, BrightnessPhrases, out var brightness, out var brightLength))
            {
                if (!negated && intent.Brightness is null)
                    intent.Brightness = (brightness, string.Join(' ', tokens.Skip(i).Take(brightLength)));
                if (brightness == Brightness.Dark && !negated)
                    intent.WantsDarkBackground = true;
                if (brightness == Brightness.Bright && !negated && brightLength > 1)
                    intent.WantsLightBackground = true;
                i += brightLength - 1;
                continue;
            }
            if (MatchColor(tokens, i, out var color, out var length))
            {
                // "red and white lighthouse": colours joined by "and" share the noun after the last one.
                var group = new List<(ColorWord Color, string? Modifier, bool Gem)>();
                var end = ReadColor(tokens, i, color, length, modifier, group);
                while (end + 1 < tokens.Count && tokens[end] is "and" or "&")
                {
                    var k = end + 1;
                    string? nextModifier = null;
                    if (ColorWords.Modifiers.Contains(tokens[k]) && NextIsColor(tokens, k + 1))
                        nextModifier = NormalModifier(tokens[k++]);
                    if (!MatchColor(tokens, k, out var next, out var nextLength))
                        break;
                    end = ReadColor(tokens, k, next, nextLength, nextModifier, group);
                }
                foreach (var (c, m, gem) in group)
                {
                    if (negated)
                    {
                        if (!intent.Excluded.Any(e => e.Color.Name == c.Name))
                            intent.Excluded.Add((c, source));
                    }
                    else
                    {
                        AddColor(intent, tokens, c, m, end, source, gem, group.Count);
                    }
                }
                modifier = null;
                i = end - 1;
                continue;
            }
            modifier = null;
            if (GrainWords.Contains(t) && !negated)
                intent.WantsGrain = true;
            if (SoftWords.Contains(t) && !negated)
                intent.WantsSoft = true;
            // "flat lay" is a way to arrange a product shot, not flat design.
            if (StyleNames.ContainsKey(t) && !negated && !(t == "flat" && i + 1 < tokens.Count && tokens[i + 1] == "lay"))
                AddStyleWord(intent, t);
        }
    }

    private static void AddStyleWord(PromptIntent intent, string word)
    {
        var looks = StyleNames.TryGetValue(word, out var known) ? known : word;
        if (!intent.StyleWords.Contains(looks))
            intent.StyleWords.Add(looks);
    }

    private static string NormalModifier(string word) => word switch
    {
        "vibrant" or "neon" => "vivid",
        "dusty" or "faded" => "muted",
        _ => word,
    };

    /// <summary>Adds the colour at <paramref name="i"/> to <paramref name="group"/>; returns the index after it.</summary>
    private static int ReadColor(List<string> tokens, int i, ColorWord color, int length, string? modifier, List<(ColorWord, string?, bool)> group)
    {
        var end = i + length;
        var gem = GemColors.Contains(tokens[i]);
        // "emerald green", "ruby red": the second word names the colour.
        if (MatchColor(tokens, end, out var second, out var secondLength))
        {
            color = second;
            end += secondLength;
            gem = false;
        }
        group.Add((color, modifier, gem));
        return end;
    }

    private static void Mentions(PromptIntent intent, List<string> tokens, int i)
    {
        var t = tokens[i];
        if (TextWords.Contains(t))
            intent.MentionsText = true;
        if (PlacementWords.Contains(t))
            intent.MentionsPlacement = true;
        if (CountWords.Contains(t) || (t.Length <= 2 && t.All(char.IsDigit) && t != "0"))
            intent.MentionsCount = true;
    }

    private static void AddStyle(PromptIntent intent, StyleHint style, string word)
    {
        if (!intent.Styles.Any(s => s.Style == style))
            intent.Styles.Add((style, word));
    }

    private static void AddColor(PromptIntent intent, List<string> tokens, ColorWord color, string? modifier, int next, string source, bool gem, int sharing)
    {
        var j = next;
        var noun = new List<string>();
        while (j < tokens.Count && noun.Count < 2 && !Stops.Contains(tokens[j]) && tokens[j] != "," && !MatchColor(tokens, j, out _, out _))
            noun.Add(tokens[j++]);
        // "white background" names the background even though "background" ends most phrases.
        if (noun.Count == 0 && j < tokens.Count && tokens[j] is "background" or "backdrop")
            noun.Add(tokens[j]);

        var nounText = noun.Count > 0 ? string.Join(' ', noun) : null;
        var head = noun.Count > 0 ? noun[^1] : null;
        var role = gem ? ColorRole.Detail
            : head is null or "light" or "lighting" or "glow" or "tones" or "hues" or "palette" or "theme" or "accents" ? ColorRole.Tint
            : SceneryNouns.Contains(head) ? ColorRole.Scenery
            : DetailNouns.Contains(head) ? ColorRole.Detail
            : ColorRole.Subject;
        if (head is "background" or "backdrop" or "seamless" or "studio" or "wall" or "walls" or "paper" or "velvet" or "fabric" or "surface")
        {
            if (color.IsNeutral && color.Value >= 0.75)
                intent.WantsLightBackground = true;
            if (color.IsNeutral && color.Value <= 0.3)
                intent.WantsDarkBackground = true;
        }
        if (intent.Colors.Any(c => c.Color.Name == color.Name))
            return;
        intent.Colors.Add(new ColorRequest(color, modifier, nounText, role, source, sharing));
    }

    private static bool NextIsColor(List<string> tokens, int i) => MatchColor(tokens, i, out _, out _);

    private static bool MatchColor(List<string> tokens, int i, out ColorWord color, out int length)
    {
        for (var n = Math.Min(ColorWords.MaxPhraseWords, tokens.Count - i); n >= 1; n--)
        {
            var phrase = n == 1 ? tokens[i] : string.Join(' ', tokens.Skip(i).Take(n));
            if (ColorWords.ByPhrase.TryGetValue(phrase, out color!))
            {
                // "black and white" is a style, "golden hour" a time of day, "rose" alone is a flower.
                if (Match(tokens, i, StylePhrases, out _, out var styleLength) && styleLength > 1 && !IsColorPair(tokens, i, styleLength))
                    break;
                if (Match(tokens, i, Times, out _, out var timeLength) && timeLength > 1)
                    break;
                if (n == 1 && phrase == "rose" && !NextIsNounLike(tokens, i + 1))
                    break;
                length = n;
                return true;
            }
        }
        color = null!;
        length = 0;
        return false;
    }

    /// <summary>"a black and white cat" is a cat in two colours; "a black and white photo" is monochrome.</summary>
    private static bool IsColorPair(List<string> tokens, int i, int phraseLength) =>
        tokens[i] == "black" && phraseLength == 3 && NextIsNounLike(tokens, i + 3) && !Media.Contains(tokens[i + 3]);

    private static bool NextIsNounLike(List<string> tokens, int i) =>
        i < tokens.Count && tokens[i] != "," && !Stops.Contains(tokens[i]);

    private static bool Match<T>(List<string> tokens, int i, (string Phrase, T Value)[] table, out T value, out int length)
    {
        for (var n = Math.Min(MaxPhraseWords, tokens.Count - i); n >= 1; n--)
        {
            var phrase = n == 1 ? tokens[i] : string.Join(' ', tokens.Skip(i).Take(n));
            foreach (var (p, v) in table)
            {
                if (p == phrase)
                {
                    value = v;
                    length = n;
                    return true;
                }
            }
        }
        value = default!;
        length = 0;
        return false;
    }
}
