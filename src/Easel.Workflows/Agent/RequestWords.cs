using System.Collections.Frozen;
using System.Globalization;
using Easel.Core.Generation;

namespace Easel.Workflows.Agent;

/// <summary>The words <see cref="RequestParser"/> knows, grouped by what they mean in a request.</summary>
internal static class RequestWords
{
    private static FrozenSet<string> Set(params string[] words) => words.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Nouns that only say "an image"; dropped from the prompt: "6 images of cats" → "cats".</summary>
    public static readonly FrozenSet<string> GenericNouns = Set(
        "image", "images", "img", "imgs", "picture", "pictures", "pic", "pics", "photo", "photos", "photograph", "photographs",
        "snapshot", "snapshots", "render", "renders", "rendering", "renderings", "variation", "variations", "version", "versions",
        "option", "options", "alternative", "alternatives", "shot", "shots", "artwork", "artworks", "visual", "visuals",
        "graphic", "graphics", "output", "outputs", "result", "results", "sample", "samples", "generation", "generations");

    /// <summary>Generic nouns after which "for" introduces the subject: "3 options for a logo" → "a logo".</summary>
    public static readonly FrozenSet<string> ForNouns = Set(
        "option", "options", "variation", "variations", "version", "versions", "alternative", "alternatives");

    /// <summary>Nouns that make the picture a photograph: "a photo of a cat" is style photographic.</summary>
    public static readonly FrozenSet<string> PhotoNouns = Set("photo", "photos", "photograph", "photographs", "snapshot", "snapshots");

    /// <summary>
    /// Nouns that say what kind of picture it is; kept in the prompt, made singular, because a model
    /// asked for "a logo for a bakery" draws a better logo than one asked for "a bakery".
    /// </summary>
    public static readonly FrozenDictionary<string, string> ContentNouns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["logo"] = "logo", ["logos"] = "logo", ["icon"] = "icon", ["icons"] = "icon",
        ["wallpaper"] = "wallpaper", ["wallpapers"] = "wallpaper", ["poster"] = "poster", ["posters"] = "poster",
        ["sticker"] = "sticker", ["stickers"] = "sticker", ["avatar"] = "avatar", ["avatars"] = "avatar",
        ["banner"] = "banner", ["banners"] = "banner", ["thumbnail"] = "thumbnail", ["thumbnails"] = "thumbnail",
        ["portrait"] = "portrait", ["portraits"] = "portrait", ["landscape"] = "landscape", ["landscapes"] = "landscape",
        ["painting"] = "painting", ["paintings"] = "painting", ["drawing"] = "drawing", ["drawings"] = "drawing",
        ["sketch"] = "sketch", ["sketches"] = "sketch", ["illustration"] = "illustration", ["illustrations"] = "illustration",
        ["cartoon"] = "cartoon", ["cartoons"] = "cartoon", ["comic"] = "comic", ["comics"] = "comic",
        ["meme"] = "meme", ["memes"] = "meme", ["mockup"] = "mockup", ["mockups"] = "mockup", ["mock-up"] = "mock-up", ["mock-ups"] = "mock-up",
        ["flyer"] = "flyer", ["flyers"] = "flyer", ["postcard"] = "postcard", ["postcards"] = "postcard",
        ["emoji"] = "emoji", ["emojis"] = "emoji", ["doodle"] = "doodle", ["doodles"] = "doodle",
        ["mascot"] = "mascot", ["mascots"] = "mascot", ["design"] = "design", ["designs"] = "design",
        ["concept"] = "concept", ["concepts"] = "concept", ["infographic"] = "infographic", ["infographics"] = "infographic",
        ["cover"] = "cover", ["covers"] = "cover", ["sprite"] = "sprite", ["sprites"] = "sprite",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words between an image noun and its subject: "images of", "a picture showing".</summary>
    public static readonly FrozenSet<string> HeadConnectors = Set(
        "of", "showing", "depicting", "featuring", "with", "about", "displaying", "containing", "portraying", "illustrating",
        "representing", "capturing");

    /// <summary>Words before an image noun that say nothing about the subject: "6 more images", "3 different versions".</summary>
    public static readonly FrozenSet<string> FillerAdjectives = Set(
        "more", "different", "new", "unique", "distinct", "separate", "various", "random", "alternative", "additional", "extra",
        "other", "fresh", "possible", "quick", "individual", "distinctive", "varied");

    /// <summary>
    /// Praise before an image noun with no subject after it ("6 beautiful pictures"): not a subject
    /// on its own, so the person is asked what the pictures should show and the praise is kept for it.
    /// </summary>
    public static readonly FrozenSet<string> PraiseAdjectives = Set(
        "beautiful", "nice", "cool", "pretty", "awesome", "amazing", "stunning", "great", "good", "lovely", "gorgeous", "cute",
        "funny", "interesting", "creative", "artistic", "colorful", "colourful", "fun", "fancy", "epic", "inspiring", "simple",
        "detailed", "wonderful", "fantastic", "incredible", "striking", "unusual", "original");

    /// <summary>Words that cannot be an adjective between a count and its image noun.</summary>
    public static readonly FrozenSet<string> NotAdjectives = Set(
        "of", "with", "and", "or", "in", "at", "on", "for", "to", "from", "by", "the", "this", "that", "these", "those", "my", "your",
        "our", "their", "his", "her", "its", "a", "an", "but", "no", "not", "without", "is", "are", "be", "as", "into", "than", "like",
        "me", "us", "it", "them", "i", "you", "we", "they", "please", "top", "number", "each", "per", "every", "all", "only", "just");

    /// <summary>Words before a number that make it something other than a count: "top 10", "#7", "number 9".</summary>
    public static readonly FrozenSet<string> NotCountBefore = Set(
        "top", "number", "no", "page", "chapter", "episode", "level", "season", "part", "version", "v", "model", "gen", "seed",
        "route", "apollo", "area", "room", "floor", "size", "the", "best", "worst", "first", "last");

    /// <summary>Vague amounts: "several images" asks how many (see <see cref="RequestParser"/> for why).</summary>
    public static readonly FrozenSet<string> VagueAmounts = Set("several", "some", "many", "multiple", "various", "numerous", "few");

    /// <summary>Vague amounts written "a ... of" / "... of": "a bunch of", "lots of", "dozens of".</summary>
    public static readonly FrozenSet<string> VagueOf = Set("bunch", "lot", "lots", "handful", "ton", "tons", "load", "loads", "dozens", "hundreds", "number");

    /// <summary>Verbs that ask for images; request filler at the start of a sentence.</summary>
    public static readonly FrozenSet<string> Verbs = Set(
        "generate", "create", "make", "draw", "render", "paint", "produce", "design", "illustrate", "imagine", "visualize",
        "visualise", "show", "give", "get", "send", "find", "do", "craft", "build", "prepare", "want", "need", "try", "depict",
        "conjure");

    /// <summary>Words after such a verb that refer to the person or the images: "give me", "make them".</summary>
    public static readonly FrozenSet<string> VerbObjects = Set("me", "us", "it", "them", "these", "those", "some", "up", "out", "each", "all", "both");

    /// <summary>Single filler words at the start of a sentence.</summary>
    public static readonly FrozenSet<string> FillerWords = Set(
        "please", "pls", "plz", "kindly", "hey", "hi", "hello", "yo", "ok", "okay", "alright", "so", "now", "also", "then", "and",
        "just", "quickly", "simply", "maybe", "perhaps", "easel", "again", "actually", "basically", "hmm", "um", "uh", "well", "oh",
        "sure", "yes", "yeah", "yep", "no", "nope", "thanks", "only", "exactly", "about", "around", "approximately", "roughly", "like");

    /// <summary>Filler phrases at the start of a sentence, longest first where they share a start.</summary>
    public static readonly string[][] FillerPhrases = Phrases(
        "would you mind", "would you please", "could you please", "can you please", "can you", "could you", "would you", "will you",
        "can u", "could u", "i would like to see", "i'd like to see", "i want to see", "i would like you to", "i'd like you to",
        "i want you to", "i need you to", "i would like", "i'd like", "id like", "i would love", "i'd love", "i want", "i wanna",
        "i need", "i'm looking for", "im looking for", "i am looking for", "looking for", "we need", "we want", "we'd like",
        "we would like", "let's see", "let me see", "let me have", "let's have", "lets", "let's", "can i get", "could i get",
        "can i have", "could i have", "can we get", "can we have", "may i have", "i'm after", "help me", "please try to", "try to",
        "go ahead and", "i'd appreciate", "it would be great to have", "for me", "a set of", "a series of", "a batch of",
        "a collection of", "a pack of", "a grid of", "a sheet of", "a gallery of", "set of", "series of", "batch of",
        "how about", "what about", "come up with", "whip up", "put together", "dream up", "mock up");

    /// <summary>Filler at the end of a sentence.</summary>
    public static readonly string[][] TrailingPhrases = Phrases(
        "please", "pls", "plz", "thanks", "thank you", "thx", "ty", "for me", "if possible", "if you can", "if you could", "asap",
        "for me please", "at all", "in total", "total", "each", "overall", "altogether", "thanks a lot", "thank you very much", "cheers");

    /// <summary>Connectors left hanging at the end of a part once the parameters after them are taken out.</summary>
    public static readonly FrozenSet<string> DanglingAtEnd = Set(
        "and", "or", "but", "in", "at", "with", "on", "as", "using", "via", "from", "by", "of", "for", "to", "the", "a", "an",
        "plus", "also", "then", "into", "onto", "through", "than", "like", "is", "are", "be", "that", "which", "should", "using",
        "use", "make", "it", "them");

    /// <summary>Connectors left hanging at the start of a part.</summary>
    public static readonly FrozenSet<string> DanglingAtStart = Set("and", "or", "but", "also", "then", "plus", "so");

    /// <summary>Determiners after which moved adjectives go: "a" + "cute" + "cat".</summary>
    public static readonly FrozenSet<string> Articles = Set("a", "an", "the", "some");

    private static string[][] Phrases(params string[] phrases) =>
        [.. phrases.Select(p => p.Split(' ')).OrderByDescending(p => p.Length)];

    private static readonly FrozenDictionary<string, int> Units = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14,
        ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> Tens = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fourty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70,
        ["eighty"] = 80, ["ninety"] = 90,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words that start a number or an amount; they end the adjectives before an image noun.</summary>
    public static bool IsAmountWord(string word) =>
        Units.ContainsKey(word) || Tens.ContainsKey(word) || TryNumberWord(word, out _)
        || word is "a" or "an" or "dozen" or "half" or "couple" or "pair" or "single" or "another" or "hundred" or "of"
        || VagueAmounts.Contains(word) || VagueOf.Contains(word);

    public static bool IsUnit(string word, out int value) => Units.TryGetValue(word, out value) && value is >= 1 and <= 9;

    public static bool IsTens(string word, out int value) => Tens.TryGetValue(word, out value);

    /// <summary>"six", "twelve", "twenty", "twenty-one" (one token).</summary>
    public static bool TryNumberWord(string word, out int value)
    {
        if (Units.TryGetValue(word, out value) || Tens.TryGetValue(word, out value))
            return true;
        var dash = word.IndexOf('-');
        if (dash > 0 && Tens.TryGetValue(word[..dash], out var tens) && IsUnit(word[(dash + 1)..], out var unit))
        {
            value = tens + unit;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Digits as a count; more than fit an int are kept as <see cref="int.MaxValue"/> for validation to report.</summary>
    public static bool TryDigits(string text, out int value)
    {
        value = 0;
        var digits = text.Replace(",", "", StringComparison.Ordinal);
        if (digits.Length == 0 || digits.Any(c => c is < '0' or > '9'))
            return false;
        value = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var big) && big <= int.MaxValue ? (int)big : int.MaxValue;
        return true;
    }

    /// <summary>
    /// Style words and phrases as <see cref="ImageStyles.Known"/> names, through <see cref="ImageStyles.Normalize"/>
    /// after mapping the spellings it does not know ("watercolours", "hyperrealistic", "pixelated").
    /// </summary>
    public static string? Style(string phrase)
    {
        var key = phrase switch
        {
            "watercolors" or "watercolours" or "water color" or "water colour" or "water-color" or "water-colour" or "water colors"
                or "water colours" => "watercolor",
            "pixelated" or "8bit" or "8 bit" or "pixel-art-style" => "pixel-art",
            "photo-realistic" or "photo realistic" or "photoreal" or "hyperrealistic" or "hyper-realistic" or "hyper realistic"
                or "hyperreal" or "photographic" or "photography" or "lifelike" or "life-like" => "photographic",
            "minimalistic" => "minimal",
            "flat designs" => "flat",
            _ => phrase,
        };
        return ImageStyles.Normalize(key);
    }

    /// <summary>
    /// Style words that mean a style wherever they stand ("a cyberpunk city" is style cyberpunk).
    /// The others ("neon", "flat", "minimal", "photo", "pixel") are style only where the request
    /// says so ("in neon", "neon style", "neon images", ", neon,"): "a neon sign" keeps its sign.
    /// </summary>
    public static readonly FrozenSet<string> StyleOnly = Set(
        "watercolor", "watercolour", "watercolors", "watercolours", "water color", "water colour", "water-color", "water-colour",
        "pixel art", "pixel-art", "pixelart", "pixelated", "8-bit", "8bit", "8 bit", "photorealistic", "photo-realistic",
        "photo realistic", "photoreal", "hyperrealistic", "hyper-realistic", "hyper realistic", "hyperreal", "realistic",
        "photographic", "minimalist", "minimalistic", "flat design", "flat-design", "cyberpunk", "lifelike", "life-like");

    /// <summary>Style words that can name the picture itself: "a watercolor of a fox".</summary>
    public static readonly FrozenSet<string> StyleNouns = Set("watercolor", "watercolour", "watercolors", "watercolours");

    /// <summary>Words after a style that belong to it: "in a watercolor style", "with a cyberpunk look", "as pixel art".</summary>
    public static readonly FrozenSet<string> StyleSuffixes = Set(
        "style", "styles", "styled", "look", "aesthetic", "aesthetics", "vibe", "vibes", "theme", "feel", "fashion", "manner",
        "mode", "art", "artwork", "painting", "illustration", "drawing", "render", "rendering", "effect", "technique", "version",
        "design", "image", "images", "picture", "pictures");

    /// <summary>Words after a style that make it explicit without "in"/"as": "neon style", "cyberpunk aesthetic".</summary>
    public static readonly FrozenSet<string> StyleMarkers = Set("style", "styled", "aesthetic", "look", "vibe", "vibes", "theme", "feel");

    /// <summary>Shape words and the aspect ratio each stands for.</summary>
    public static readonly FrozenDictionary<string, string> ShapeWords = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["square"] = "1:1", ["squared"] = "1:1",
        ["portrait"] = "2:3", ["vertical"] = "2:3", ["tall"] = "2:3",
        ["landscape"] = "3:2", ["horizontal"] = "3:2",
        ["wide"] = "16:9", ["widescreen"] = "16:9", ["wide-screen"] = "16:9",
        ["cinematic"] = "21:9", ["ultrawide"] = "21:9", ["ultra-wide"] = "21:9", ["panoramic"] = "21:9", ["panorama"] = "21:9",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Shape words that mean a shape wherever they stand.</summary>
    public static readonly FrozenSet<string> ShapeOnly = Set("widescreen", "wide-screen", "ultrawide", "ultra-wide");

    /// <summary>Shape words that name a shape when they come right before an image noun ("square icons", "a tall image").</summary>
    public static readonly FrozenSet<string> ShapeBeforeNoun = Set(
        "square", "squared", "portrait", "vertical", "tall", "landscape", "horizontal", "wide", "widescreen", "wide-screen", "ultrawide",
        "ultra-wide", "panoramic");

    /// <summary>Words after a shape word that make it a shape: "landscape orientation", "square format".</summary>
    public static readonly FrozenSet<string> ShapeMarkers = Set(
        "format", "orientation", "aspect", "ratio", "mode", "layout", "shape", "frame", "crop", "composition", "oriented");

    /// <summary>Phones and the like: their wallpapers and stories are tall (9:16).</summary>
    public static readonly FrozenSet<string> PhoneWords = Set(
        "phone", "mobile", "iphone", "android", "smartphone", "cellphone", "cell-phone", "tablet-portrait", "lockscreen", "lock-screen");

    /// <summary>Desktops and the like: their wallpapers are wide (16:9).</summary>
    public static readonly FrozenSet<string> DesktopWords = Set("desktop", "laptop", "pc", "computer", "monitor", "tv", "television");

    /// <summary>Wallpaper nouns after <see cref="PhoneWords"/> or <see cref="DesktopWords"/>.</summary>
    public static readonly FrozenSet<string> ScreenNouns = Set(
        "wallpaper", "wallpapers", "background", "backgrounds", "lock-screen", "lockscreen", "lockscreens", "screen", "screens",
        "screensaver", "screensavers", "backdrop", "backdrops");

    /// <summary>Tall social formats.</summary>
    public static readonly FrozenSet<string> StoryNouns = Set("story", "stories", "reel", "reels", "short", "shorts", "tiktok", "tiktoks");

    public static readonly FrozenSet<string> StoryPlatforms = Set("instagram", "ig", "insta", "facebook", "fb", "snapchat", "youtube", "whatsapp");

    /// <summary>Quality words that stand alone.</summary>
    public static readonly FrozenDictionary<string, string> QualityWords = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["hd"] = "high", ["uhd"] = "high", ["4k"] = "high", ["8k"] = "high", ["hq"] = "high", ["high-res"] = "high", ["hi-res"] = "high",
        ["highres"] = "high", ["high-resolution"] = "high", ["high-definition"] = "high", ["full-hd"] = "high", ["ultra-hd"] = "high",
        ["low-res"] = "low", ["lo-res"] = "low", ["lowres"] = "low", ["low-resolution"] = "low", ["lq"] = "low",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words before "quality" and what they mean: "high quality", "draft-quality".</summary>
    public static readonly FrozenDictionary<string, string> QualityLevels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["high"] = "high", ["highest"] = "high", ["best"] = "high", ["top"] = "high", ["max"] = "high", ["maximum"] = "high",
        ["ultra"] = "high", ["premium"] = "high", ["great"] = "high", ["good"] = "high", ["excellent"] = "high", ["superb"] = "high",
        ["studio"] = "high", ["professional"] = "high", ["pro"] = "high", ["hd"] = "high",
        ["medium"] = "medium", ["mid"] = "medium", ["standard"] = "medium", ["normal"] = "medium", ["average"] = "medium",
        ["moderate"] = "medium", ["regular"] = "medium", ["decent"] = "medium",
        ["low"] = "low", ["lowest"] = "low", ["lower"] = "low", ["draft"] = "low", ["cheap"] = "low", ["poor"] = "low",
        ["rough"] = "low", ["basic"] = "low", ["minimum"] = "low", ["min"] = "low", ["fast"] = "low", ["quick"] = "low",
        ["auto"] = "auto", ["automatic"] = "auto", ["default"] = "auto",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Nouns for the loop's iterations: "up to 3 iterations", "max 2 tries".</summary>
    public static readonly FrozenSet<string> IterationNouns = Set(
        "iteration", "iterations", "try", "tries", "attempt", "attempts", "round", "rounds", "pass", "passes", "refinement",
        "refinements", "cycle", "cycles", "go", "goes");

    /// <summary>Words before an iteration count: "up to", "at most", "max".</summary>
    public static readonly string[][] IterationLimits = Phrases(
        "up to", "at most", "max", "maximum", "max of", "maximum of", "a max of", "a maximum of", "no more than", "not more than",
        "limit of", "a limit of", "limited to", "limit to", "within", "in", "with", "using", "only", "just", "and", "for",
        "with up to", "and up to", "in up to", "with at most", "with a max of", "with a maximum of", "with max");

    /// <summary>Words between "score" and its number: "score at least 80", "score >= 80".</summary>
    public static readonly string[][] ScoreComparisons = Phrases(
        "at least", "of at least", "no less than", "no lower than", "not below", "above", "over", "of", "of over", "of above",
        "greater than", "higher than", "more than", "minimum of", "min of", "a minimum of", "=", ">", "> =", "≥", "is", "reaches",
        "to at least", "is at least", "a score of", "a score of at least", "a", "an");
}
