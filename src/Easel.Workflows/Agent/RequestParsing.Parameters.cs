using System.Collections.Frozen;
using System.Globalization;
using Easel.Core.Generation;
using static Easel.Workflows.Agent.RequestTokenKind;

namespace Easel.Workflows.Agent;

/// <summary>The passes that take parameters (size, ratio, seed, loop, quality, format, background, provider, shape, style, negatives) out of the text.</summary>
internal sealed partial class RequestParsing
{
    private static FrozenSet<string> Set(params string[] words) => words.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Articles = Set("a", "an", "the");
    private static readonly FrozenSet<string> AnArticle = Set("a", "an");
    private static readonly FrozenSet<string> The = Set("the");
    private static readonly FrozenSet<string> Assign = Set(":", "=", "of", "is", "to");
    private static readonly FrozenSet<string> Negations = Set("no", "not", "without", "avoid", "avoiding", "exclude", "excluding", "never", "don't", "dont", "omit");

    // What was understood.
    private int? _count;
    private string? _size;
    private string? _ratio;
    private string? _style;
    private int _styleRank = int.MaxValue;
    private readonly List<string> _negatives = [];
    private long? _seed;
    private string? _provider;
    private string? _quality;
    private string? _format;
    private string? _background;
    private int? _maxIterations;
    private int? _threshold;
    private int? _candidates;
    private string? _preset;
    private readonly List<string> _references = [];
    private bool _impliedPhoto;

    private void TakeParameters()
    {
        TakeReferences();
        TakeSizes();
        TakeRatios();
        TakeSeeds();
        TakeThresholds();
        TakeCandidates();
        TakeIterations();
        TakePreset();
        TakeBackground();
        TakeQuality();
        TakeFormat();
        TakeProvider();
        TakeShapes();
        TakeExplicitStyles();
        TakeNegatives();
        TakeBareStyles();
        TakeBeforeNoun();
    }

    private static readonly FrozenSet<string> ReferenceLeads = Set(
        "based", "on", "like", "using", "use", "with", "from", "reference", "references", "ref", "refs", "see", "similar", "to",
        "inspired", "by", "this", "image", ":", "and");

    /// <summary>Addresses are reference images: "based on https://example.com/fox.png".</summary>
    private void TakeReferences()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!Free(i) || _t[i].Kind != Url)
                continue;
            _references.Add(Original(i));
            var start = i;
            for (var back = 0; back < 4 && IsAny(start - 1, ReferenceLeads); back++)
                start--;
            var end = i + 1;
            var asWhat = Is(end + 1, "a") || Is(end + 1, "an") ? end + 2 : end + 1;
            if (Is(end, "as") && IsAny(asWhat, Words("reference", "ref", "guide", "inspiration", "references")))
                end = asWhat + 1;
            Use(start, end);
        }
    }

    private static readonly FrozenSet<string> SizeNouns = Set("size", "resolution", "dimensions", "dimension", "res");
    private static readonly FrozenSet<string> SizeUnits = Set("pixels", "pixel", "px", "resolution", "res");

    /// <summary>"1024x768", "1920 by 1080", "1536×1024", "at a size of 1024x1024".</summary>
    private void TakeSizes()
    {
        for (var i = 0; i < Count; i++)
        {
            int width, height, end;
            if (Free(i) && _t[i].Kind == Size)
            {
                var parts = _t[i].Lower.Split('x');
                if (!RequestWords.TryDigits(parts[0], out width) || !RequestWords.TryDigits(parts[1], out height))
                    continue;
                end = i + 1;
            }
            else if (IsNumber(i, out width) && Is(i + 1, "by") && IsNumber(i + 2, out height))
            {
                end = i + 3;
            }
            else
            {
                continue;
            }
            // Smaller sides are things in the picture ("a 12 by 12 room"), not the image.
            if (width < 16 || height < 16)
                continue;
            _size ??= string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");
            end = Trail(end, SizeUnits);
            if (Is(end, "in") && Is(end + 1, "size"))
                end += 2;
            Use(Lead(i, Words(":", "=", "of", "is"), SizeNouns, Articles, Words("at", "in", "with", "of", "to", "sized", "and")), end);
            i = end - 1;
        }
    }

    private static readonly FrozenSet<string> RatioNouns = Set("ratio", "aspect-ratio", "ar", "proportions", "proportion");

    /// <summary>"16:9", "at 16:9", "in 4:3", "aspect ratio 3:2", "with a 21:9 aspect ratio"; not "at 10:30am".</summary>
    private void TakeRatios()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!Free(i) || _t[i].Kind != Ratio)
                continue;
            var parts = _t[i].Lower.Split(':');
            if (!double.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var w)
                || !double.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var h))
                continue;
            if (IsAny(i + 1, Words("am", "pm", "a.m", "p.m", "o'clock", "h", "hrs", "hours", "utc")))
                continue;

            var start = Lead(i, Assign, RatioNouns, Words("aspect"), Articles, Words("at", "in", "with", "using", "to", "and"));
            var end = Trail(i + 1, Words("aspect", "aspect-ratio"), Words("ratio"), Words("format", "frame", "ratio"));
            var explicitRatio = (IsAny(i - 1, RatioNouns) || (IsAny(i - 1, Assign) && IsAny(i - 2, RatioNouns))) || end > i + 1;
            // Without "aspect ratio", "at 10:30" is a time and "1:100" a scale: a ratio's numbers are
            // close (1:4 to 4:1), the second small and without a leading zero. Named as a ratio, any
            // ratio is taken, for the order's checks to report one that is too extreme.
            if (!explicitRatio && (w <= 0 || h <= 0 || w / h > 4 || w / h < 0.25 || parts[1].StartsWith('0') || h > 21))
                continue;
            if (_ratio is null)
                _ratio = parts[0] + ":" + parts[1];
            else if (_ratio != parts[0] + ":" + parts[1])
                continue;
            Use(start, end);
            i = end - 1;
        }
    }

    private static readonly FrozenSet<string> SeedWords = Set("number", "value", "of", ":", "=", "#", "is", "to", "set");

    /// <summary>"seed 42", "with seed 42", "seed=42", "using seed #7".</summary>
    private void TakeSeeds()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!Is(i, "seed"))
                continue;
            var j = i + 1;
            for (var k = 0; k < 3 && IsAny(j, SeedWords); k++)
                j++;
            if (!Free(j) || _t[j].Kind != Number || !long.TryParse(_t[j].Lower, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                continue;
            _seed ??= seed;
            Use(Lead(i, Words("random", "fixed", "specific"), Articles, Words("with", "using", "use", "and", "at", "via", "on")), j + 1);
            i = j;
        }
    }

    private static readonly FrozenSet<string> ScoreWords = Set("score", "scores", "scoring", "scored", "rating", "rated");
    private static readonly FrozenSet<string> ScoreLeads = Set(
        "min", "minimum", "target", "quality", "a", "the", "with", "at", "of", "until", "till", "til", "and", "that", "it", "they",
        "its", "their", "it's", "which", "is", "are", "has", "have", "gets", "get", "evaluation",
        "evaluator", "judge", "aim", "for", "an", "overall", "needs", "need", "to", "must", "should");
    private static readonly FrozenSet<string> ScoreTails = Set("points", "point", "%", "percent", "+", "or", "more", "higher", "better", "above", "/", "100");

    /// <summary>"threshold 80", "score at least 80", "until it scores 85", "a score of 90 or more".</summary>
    private void TakeThresholds()
    {
        for (var i = 0; i < Count; i++)
        {
            int j;
            if (Is(i, "threshold"))
            {
                j = i + 1;
                for (var k = 0; k < 2 && IsAny(j, Words("of", ":", "=", "at", "to", "is", "set")); k++)
                    j++;
            }
            else if (IsAny(i, ScoreWords))
            {
                j = i + 1 + Phrase(i + 1, RequestWords.ScoreComparisons);
            }
            else if (IsAny(i, Words("reaches", "reach", "hits", "hit", "achieves", "achieve", "target")) && IsAny(i - 1, Words("it", "until", "till", "they", "image", "images", "each")))
            {
                j = i + 1 + Phrase(i + 1, RequestWords.ScoreComparisons);
            }
            else
            {
                continue;
            }
            if (!IsNumber(j, out var threshold))
                continue;
            _threshold ??= threshold;
            var start = i;
            for (var back = 0; back < 6 && IsAny(start - 1, ScoreLeads); back++)
                start--;
            // "until each image scores 85", "until all of them score 90"
            if (IsAny(start - 1, Words("image", "images", "one", "picture", "pictures")) && IsAny(start - 2, Words("each", "every", "all", "the")) && IsAny(start - 3, Words("until", "till", "til")))
                start -= 3;
            else if (IsAny(start - 1, Words("each", "all", "every")) && IsAny(start - 2, Words("until", "till", "til")))
                start -= 2;
            var end = j + 1;
            if (Is(end, "out") && Is(end + 1, "of") && IsNumber(end + 2, out _))
                end += 3;
            for (var k = 0; k < 3 && IsAny(end, ScoreTails); k++)
            {
                if (Is(end, "or") && !IsAny(end + 1, Words("more", "higher", "better", "above")))
                    break;
                end++;
            }
            Use(start, end);
            i = end - 1;
        }
    }

    private static readonly FrozenSet<string> CandidateNouns = Set("candidate", "candidates");

    /// <summary>"best of 3", "pick the best of 4", "best-of-3", "3 candidates each".</summary>
    private void TakeCandidates()
    {
        for (var i = 0; i < Count; i++)
        {
            if (Is(i, "best") && (Is(i + 1, "of") || Is(i + 1, "from") || (Is(i + 1, "out") && Is(i + 2, "of")) || (IsAny(i + 1, Words("one", "image", "ones", "images")) && IsAny(i + 2, Words("of", "from")))))
            {
                var j = i + 1;
                if (IsAny(j, Words("one", "image", "ones", "images")))
                    j++;
                j += Is(j, "out") ? 2 : 1;
                if (ReadAmount(j, allowArticle: false) is not { Kind: AmountKind.Count } amount)
                    continue;
                _candidates ??= amount.Value;
                var end = Trail(amount.End, Words("each", "candidates", "images", "tries", "attempts"));
                Use(Lead(i, The, Words("pick", "choose", "select", "keep", "take", "use", "and", "with", "using", "as")), end);
                i = end - 1;
            }
            else if (W(i) is { } word && word.StartsWith("best-of-", StringComparison.Ordinal))
            {
                var tail = word["best-of-".Length..];
                if (!RequestWords.TryDigits(tail, out var k) && !RequestWords.TryNumberWord(tail, out k))
                    continue;
                _candidates ??= k;
                Use(Lead(i, Articles, Words("with", "using", "and", "as")), i + 1);
            }
            else if (IsAny(i, CandidateNouns))
            {
                // "3 candidates", "candidates: 3", "with 3 candidates per image"
                var j = i + 1;
                if (IsAny(j, Words(":", "=", "of")))
                    j++;
                int start, end, value;
                if (ReadAmount(j, allowArticle: false) is { Kind: AmountKind.Count } after)
                {
                    (start, end, value) = (i, after.End, after.Value);
                }
                else if (AmountBefore(i) is { } before)
                {
                    (start, end, value) = (before.Start, i + 1, before.Value);
                }
                else
                {
                    continue;
                }
                _candidates ??= value;
                end = Trail(end, Words("each", "per"), Words("image", "slot", "round", "iteration", "try", "attempt"));
                Use(Lead(start, Words("with", "using", "and", "use")), end);
                i = end - 1;
            }
        }
    }

    /// <summary>A count that ends right before <paramref name="i"/>: "3" in "3 candidates", "twenty-one" in "twenty-one tries".</summary>
    private (int Start, int Value)? AmountBefore(int i)
    {
        for (var s = Math.Max(0, i - 3); s < i; s++)
        {
            if (ReadAmount(s, allowArticle: false) is { Kind: AmountKind.Count } amount && amount.End == i)
                return (s, amount.Value);
        }
        return null;
    }

    private static readonly string[][] OnePass = [
        ["no", "refinement"], ["no", "refinements"], ["no", "refining"], ["without", "refinement"], ["without", "refining"],
        ["no", "retries"], ["no", "iterations"], ["don't", "refine"], ["dont", "refine"], ["do", "not", "refine"], ["single", "pass"],
        ["one", "pass"], ["just", "one", "pass"], ["no", "loop"],
    ];

    /// <summary>"up to 3 iterations", "max 2 tries", "iterations: 4", "refine up to 3 times", "no refinement" (one pass).</summary>
    private void TakeIterations()
    {
        for (var i = 0; i < Count; i++)
        {
            if (Phrase(i, OnePass) is var one and > 0)
            {
                _maxIterations ??= 1;
                Use(Lead(i, Words("with", "and", "but")), i + one);
                i += one - 1;
                continue;
            }
            if (W(i) is { } w && (w is "max-iterations" or "max_iterations" or "maxiterations" or "iterations" or "max-tries" or "max-attempts"
                || (w is "max" or "maximum" && IsAny(i + 1, RequestWords.IterationNouns))))
            {
                // "max iterations 4", "iterations: 4"
                var j = w is "max" or "maximum" ? i + 2 : i + 1;
                if (IsAny(j, Words(":", "=", "of", "is", "to")))
                    j++;
                if (ReadAmount(j, allowArticle: false) is { Kind: AmountKind.Count } after)
                {
                    _maxIterations ??= after.Value;
                    Use(Lead(i, Articles, Words("with", "and", "using")), after.End);
                    i = after.End - 1;
                    continue;
                }
            }
            if (IsAny(i, RequestWords.IterationNouns) && AmountBefore(i) is { } before)
            {
                if (W(i) is "go" or "goes" or "pass" or "passes" or "round" or "rounds" && PhraseBefore(before.Start, RequestWords.IterationLimits) == before.Start)
                    continue;
                _maxIterations ??= before.Value;
                var start = PhraseBefore(before.Start, RequestWords.IterationLimits);
                var end = i + 1;
                if (Is(end, "at") && Is(end + 1, "most"))
                    end += 2;
                else if (IsAny(end, Words("max", "maximum", "each", "tops")))
                    end++;
                Use(start, end);
                i = end - 1;
            }
            else if (IsAny(i, Words("refine", "iterate", "try", "attempt", "regenerate", "loop")))
            {
                // "refine up to 3 times"
                var j = i + 1;
                j += Phrase(j, RequestWords.IterationLimits);
                if (ReadAmount(j, allowArticle: false) is { Kind: AmountKind.Count } times && IsAny(times.End, Words("times", "time")))
                {
                    _maxIterations ??= times.Value;
                    Use(Lead(i, Words("and", "to", "please")), times.End + 1);
                    i = times.End;
                }
            }
        }
    }

    private static readonly FrozenSet<string> NotPresetNames = Set("a", "an", "the", "my", "this", "that", "your", "our", "default", "same", "with", "using", "use", ":", "=");

    /// <summary>"using the product preset", "preset: portrait"; checked when the order is placed.</summary>
    private void TakePreset()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!Is(i, "preset"))
                continue;
            var j = i + 1;
            var named = IsAny(j, Words(":", "=", "named", "called"));
            if (named)
                j++;
            var presetLeads = Words("using", "with", "use", "apply", "in", "and");
            // "the product preset", "using product preset" name it before; "preset product", "preset: product" after.
            var before = W(i - 1) is { } b && !NotPresetNames.Contains(b) && !IsImageNoun(i - 1) && (IsAny(i - 2, Articles) || IsAny(i - 2, presetLeads) || W(j) is null);
            if (!named && before)
            {
                _preset ??= Original(i - 1);
                Use(Lead(i - 1, Articles, presetLeads), i + 1);
            }
            else if (W(j) is { } after && !NotPresetNames.Contains(after))
            {
                _preset ??= Original(j);
                Use(Lead(i, Articles, presetLeads), j + 1);
                i = j;
            }
        }
    }

    private static readonly FrozenSet<string> BackgroundNouns = Set("background", "backgrounds", "bg", "backdrop");

    /// <summary>"transparent background", "on a transparent background", "transparent png", "no background", "background: opaque".</summary>
    private void TakeBackground()
    {
        for (var i = 0; i < Count; i++)
        {
            var w = W(i);
            if (w is null)
                continue;
            if (w is "transparent" && IsAny(i + 1, BackgroundNouns))
            {
                SetBackground("transparent", Lead(i, AnArticle, Words("with", "on", "against", "in", "over", "and", "having")), i + 2);
            }
            else if (w is "transparent" && IsAny(i + 1, Words("png", "pngs", "webp", "webps")))
            {
                SetBackground("transparent", i, i + 1);
            }
            else if (w is "transparent-background" or "transparent-bg" or "transparency" or "see-through-background")
            {
                SetBackground("transparent", Lead(i, AnArticle, Words("with", "on", "and", "keep", "supporting")), i + 1);
            }
            else if (w is "alpha" && IsAny(i + 1, Words("channel", "background", "transparency")))
            {
                SetBackground("transparent", Lead(i, AnArticle, Words("with", "and")), i + 2);
            }
            else if (w is "no" or "without" && Trail(i + 1, Words("a", "any", "the")) is var b && IsAny(b, BackgroundNouns)
                && (AtBoundary(b + 1) || IsAny(b + 1, Words("and", "or", "with", "in", "at", "as", "using", "but", "please"))))
            {
                SetBackground("transparent", Lead(i, Words("with", "and", "but")), b + 1);
            }
            else if (w is "background" or "bg" && IsAny(i + 1, Words(":", "=", "is")) && IsAny(i + 2, Words("transparent", "opaque", "none", "removed")))
            {
                SetBackground(L(i + 2) is "opaque" ? "opaque" : "transparent", Lead(i, The, Words("with", "and")), i + 3);
            }
            else if (w is "background" or "bg" && IsAny(i + 1, Words("removed", "transparent")))
            {
                SetBackground("transparent", Lead(i, The, Words("with", "and")), i + 2);
            }
            else if (w is "remove" or "removed" && Trail(i + 1, The) is var r && IsAny(r, BackgroundNouns))
            {
                SetBackground("transparent", Lead(i, Words("with", "and", "the")), r + 1);
            }
            else if (w is "opaque" && IsAny(i + 1, BackgroundNouns))
            {
                SetBackground("opaque", Lead(i, AnArticle, Words("with", "on", "and")), i + 2);
            }
        }
    }

    private void SetBackground(string value, int start, int end)
    {
        _background ??= value;
        Use(start, end);
    }

    private static readonly FrozenSet<string> QualityLeads = Set("in", "at", "with", "using", "and", "of");

    /// <summary>"in high quality", "high-quality", "low quality draft", "HD", "4k", "quality: medium".</summary>
    private void TakeQuality()
    {
        for (var i = 0; i < Count; i++)
        {
            var w = W(i);
            if (w is null)
                continue;
            string? level = null;
            int start = i, end = i + 1;
            if (RequestWords.QualityLevels.TryGetValue(w, out var before) && Is(i + 1, "quality") && !IsAny(i + 2, Words("score", "threshold")))
            {
                level = before;
                end = i + 2;
                start = IsAny(i - 1, Words("very", "super", "really", "extra", "ultra")) ? i - 1 : i;
            }
            else if (w.EndsWith("-quality", StringComparison.Ordinal) && RequestWords.QualityLevels.TryGetValue(w[..^"-quality".Length], out var hyphenated))
            {
                level = hyphenated;
            }
            else if (w is "quality" && !IsAny(i + 1, Words("score", "threshold")))
            {
                var j = IsAny(i + 1, Words(":", "=", "of", "is", "to", "set")) ? i + 2 : i + 1;
                if (Is(j, "to"))
                    j++;
                if (W(j) is { } value && (RequestWords.QualityLevels.TryGetValue(value, out level) || RequestWords.QualityWords.TryGetValue(value, out level)))
                    end = j + 1;
            }
            else if (RequestWords.QualityWords.TryGetValue(w, out var word))
            {
                level = word;
            }
            else if ((w is "full" or "ultra" && Is(i + 1, "hd")) || (w is "high" or "hi" && IsAny(i + 1, Words("res", "resolution", "definition"))))
            {
                level = "high";
                end = i + 2;
            }
            else if (w is "low" or "lo" && IsAny(i + 1, Words("res", "resolution")))
            {
                level = "low";
                end = i + 2;
            }
            else if (w is "draft" or "drafts" && !Is(i + 1, "quality"))
            {
                // "a quick draft of a logo": low quality, and the picture is still one draft.
                level = "low";
                _nounLike[i] = true;
                start = IsAny(i - 1, Words("rough", "quick", "fast", "first")) ? i - 1 : i;
                if (IsAny(start - 1, Words("as", "in")))
                    start--;
                else if (IsAny(start - 1, AnArticle) && IsAny(start - 2, Words("as", "in")))
                    start -= 2;
                Use(start, end);
                _quality ??= level;
                continue;
            }
            if (level is null)
                continue;
            _quality ??= level;
            Use(Lead(start, Articles, QualityLeads), end);
            i = end - 1;
        }
    }

    private static readonly FrozenSet<string> FormatWords = Set("png", "pngs", "jpg", "jpgs", "jpeg", "jpegs", "webp", "webps");

    /// <summary>"as jpeg", "in webp format", "png files", "format: webp", "6 PNGs of".</summary>
    private void TakeFormat()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!IsAny(i, FormatWords))
                continue;
            var word = W(i)!;
            if (!ImageOptionsText.TryParseFormat(word.EndsWith('s') ? word[..^1] : word, out var format))
                continue;
            _format ??= format.ToText();
            _nounLike[i] = true;
            var start = i;
            if (IsAny(i - 1, Words(":", "=")) && Is(i - 2, "format"))
                start = Lead(i - 2, Articles, Words("in", "with", "as", "and", "using"));
            else if (Is(i - 1, "format"))
                start = Lead(i - 1, Articles, Words("in", "with", "as", "and", "using"));
            else if (IsAny(i - 1, Words("as", "in", "into", "to")))
                start = Lead(i - 1, Words("save", "saved", "export", "exported", "output", "delivered", "and"));
            else if (IsAny(i - 1, AnArticle) && IsAny(i - 2, Words("as", "in", "into")))
                start = Lead(i - 2, Words("save", "saved", "export", "exported", "output", "and"));
            var end = Trail(i + 1, Words("format", "file", "files", "output", "extension"), Words("format"));
            if (end > i + 1)
                _nounLike[i] = false;
            Use(start, end);
            i = end - 1;
        }
    }

    private static readonly FrozenSet<string> ProviderLeads = Set("using", "with", "on", "via", "from", "through", "use", "by", "thru");
    private static readonly FrozenSet<string> ProviderTails = Set("provider", "api", "model", "backend", "engine", "service", "generator", "models");

    /// <summary>"using openai", "with gemini", "via sketch", "provider: replicate"; only names the installation knows.</summary>
    private void TakeProvider()
    {
        if (_providers.Count == 0)
            return;
        for (var i = 0; i < Count; i++)
        {
            if (ProviderAt(i) is not { } name)
                continue;
            if (IsAny(i + 1, RequestWords.StyleMarkers) || IsAny(i + 1, Words("art", "-style")))
                continue;
            int start;
            if (IsAny(i - 1, ProviderLeads))
                start = i - 1;
            else if (Is(i - 1, "the") && IsAny(i - 2, ProviderLeads))
                start = i - 2;
            else if (IsAny(i - 1, Words(":", "=", "is")) && Is(i - 2, "provider"))
                start = Lead(i - 2, Articles, ProviderLeads);
            else if (Is(i - 1, "provider"))
                start = Lead(i - 1, Articles, ProviderLeads);
            else if (IsAny(i + 1, ProviderTails))
                start = Lead(i, Articles, ProviderLeads);
            else
                continue;
            if (IsAny(start - 1, Negations))
                continue;
            _provider ??= name;
            var end = Trail(i + 1, ProviderTails);
            if (Is(end, "provider"))
                end++;
            Use(Lead(start, Words("and", "please")), end);
            i = end - 1;
        }
    }

    private string? ProviderAt(int i)
    {
        if (W(i) is not { } w)
            return null;
        if (_providers.TryGetValue(w, out var name))
            return name;
        return w.EndsWith("'s", StringComparison.Ordinal) && _providers.TryGetValue(w[..^2], out name) ? name : null;
    }

    private static readonly FrozenSet<string> ShapeLeads = Set("in", "as", "at", "with", "using", "and", "into");

    /// <summary>
    /// Shape words where the request makes them a shape: "in portrait", "landscape orientation",
    /// "square format", "widescreen", phone wallpapers and stories (9:16), desktop wallpapers (16:9).
    /// </summary>
    private void TakeShapes()
    {
        for (var i = 0; i < Count; i++)
        {
            var w = W(i);
            if (w is null)
                continue;

            // Phones and stories are tall; desktops are wide. The device word goes (a model asked for
            // "a phone wallpaper" may draw a phone); the wallpaper stays.
            if ((RequestWords.PhoneWords.Contains(w) || (w is "cell" && Is(i + 1, "phone"))) && (IsAny(NextDevice(i), RequestWords.ScreenNouns) || (Is(NextDevice(i), "lock") && Is(NextDevice(i) + 1, "screen"))))
            {
                SetRatio("9:16", i, NextDevice(i));
                continue;
            }
            if (RequestWords.DesktopWords.Contains(w) && IsAny(i + 1, RequestWords.ScreenNouns))
            {
                SetRatio("16:9", i, i + 1);
                continue;
            }
            if (w is "for" && Trail(i + 1, Words("my", "a", "an", "the", "your", "our")) is var device
                && (IsAny(device, RequestWords.PhoneWords) || IsAny(device, RequestWords.DesktopWords)) && AtBoundary(device + 1))
            {
                SetRatio(IsAny(device, RequestWords.PhoneWords) ? "9:16" : "16:9", i, device + 1);
                continue;
            }
            if (RequestWords.StoryPlatforms.Contains(w) && IsAny(i + 1, RequestWords.StoryNouns))
            {
                var start = IsAny(i - 1, Words("my", "a", "an", "the", "your", "our")) && Is(i - 2, "for") ? i - 2 : Is(i - 1, "for") ? i - 1 : i;
                // "3 instagram stories about coffee": the stories are the pictures; "for my instagram story": a purpose.
                _nounLike[i + 1] = start == i;
                SetRatio("9:16", start, i + 2);
                continue;
            }
            if (w is "tiktok" or "tiktoks")
            {
                _nounLike[i] = true;
                SetRatio("9:16", Is(i - 1, "for") ? i - 1 : i, i + 1);
                continue;
            }
            if (w is "for" && Trail(i + 1, Words("my", "a", "an", "the", "your", "our")) is var story && IsAny(story, RequestWords.StoryNouns)
                && !IsAny(story, Words("short", "shorts")) && AtBoundary(story + 1))
            {
                SetRatio("9:16", i, story + 1);
                continue;
            }

            if (w is "orientation" or "aspect" && IsAny(i + 1, Words(":", "=")) && W(i + 2) is { } o && RequestWords.ShapeWords.TryGetValue(o, out var oriented))
            {
                SetRatio(oriented, Lead(i, Articles, ShapeLeads), i + 3);
                continue;
            }
            if (!RequestWords.ShapeWords.TryGetValue(w, out var ratio) || IsAny(i - 1, Negations))
                continue;
            if (IsAny(i + 1, RequestWords.ShapeMarkers))
            {
                // "landscape orientation", "in a square format", "cinematic aspect ratio"
                var end = Trail(i + 1, RequestWords.ShapeMarkers, Words("ratio", "format"));
                SetRatio(ratio, Lead(i, Articles, ShapeLeads), end);
            }
            else if (IsAny(i - 1, Words("in", "as", "into")) && AtBoundary(i + 1))
            {
                SetRatio(ratio, i - 1, i + 1);
            }
            else if (IsAny(i - 1, AnArticle) && IsAny(i - 2, Words("in", "as", "into")) && AtBoundary(i + 1))
            {
                SetRatio(ratio, i - 2, i + 1);
            }
            else if (RequestWords.ShapeOnly.Contains(w))
            {
                SetRatio(ratio, Lead(i, AnArticle, Words("in", "as", "at")), i + 1);
            }
        }
    }

    private int NextDevice(int i) => W(i) is "cell" ? i + 2 : i + 1;

    private void SetRatio(string ratio, int start, int end)
    {
        // The first shape wins; a size already says the shape.
        if (_size is null)
            _ratio ??= ratio;
        Use(start, end);
    }

    /// <summary>A style phrase of one or two tokens at <paramref name="i"/>: its name and length.</summary>
    private (string Style, string Phrase, int Length)? StyleAt(int i)
    {
        if (!Free(i) || _t[i].Kind is not (Word or Number))
            return null;
        if (Free(i + 1) && _t[i + 1].Kind is Word or Number)
        {
            var two = _t[i].Lower + " " + _t[i + 1].Lower;
            if (RequestWords.Style(two) is { } style2)
                return (style2, two, 2);
        }
        if (_t[i].Kind == Number)
            return null;
        return RequestWords.Style(_t[i].Lower) is { } style ? (style, _t[i].Lower, 1) : null;
    }

    /// <summary>Explicit styles come first (rank 0), then style words (1), then a photo noun's implied style (2).</summary>
    private bool SetStyle(string style, int rank)
    {
        if (_style is null || rank < _styleRank)
        {
            _style = style;
            _styleRank = rank;
            return true;
        }
        return _style == style;
    }

    private static readonly FrozenSet<string> StyleLeads = Set("in", "as", "with", "using", "into");

    /// <summary>"in watercolor style", "as pixel art", "in the style of watercolor", "neon style", "style: flat", "cyberpunk-style".</summary>
    private void TakeExplicitStyles()
    {
        for (var i = 0; i < Count; i++)
        {
            var w = L(i);
            if (w is null)
                continue;

            if (w is "in" && Is(i + 1, "the") && IsAny(i + 2, Words("style", "styles")) && Is(i + 3, "of") && StyleAt(i + 4) is { } of)
            {
                TakeStyle(of.Style, 0, i, i + 4 + of.Length);
                continue;
            }
            if (w is "style" or "styles" && Trail(i + 1, Words(":", "=", "of", "is")) is var s && StyleAt(s) is { } named)
            {
                TakeStyle(named.Style, 0, Lead(i, Articles, StyleLeads), s + named.Length);
                continue;
            }
            if (w.EndsWith("-style", StringComparison.Ordinal) || w.EndsWith("-styled", StringComparison.Ordinal))
            {
                var stem = w[..w.LastIndexOf('-')];
                if (RequestWords.Style(stem) is { } hyphenated)
                    TakeStyle(hyphenated, 0, Lead(i, AnArticle, StyleLeads), i + 1);
                continue;
            }
            if (StyleAt(i) is not { } found)
                continue;
            var after = i + found.Length;
            if (IsAny(after, RequestWords.StyleMarkers) || (IsAny(after, RequestWords.StyleSuffixes) && (IsAny(i - 1, StyleLeads) || (IsAny(i - 1, Articles) && IsAny(i - 2, StyleLeads)))))
            {
                // "neon style", "in a watercolor painting style", "as pixel art", "with a cyberpunk look"
                var end = after + 1;
                if (IsAny(end, RequestWords.StyleMarkers))
                    end++;
                TakeStyle(found.Style, 0, Lead(i, Articles, StyleLeads), end);
                i = end - 1;
            }
            else if (IsAny(i - 1, Words("in", "as", "into")) && (AtBoundary(after) || RequestWords.StyleOnly.Contains(found.Phrase)))
            {
                TakeStyle(found.Style, 0, i - 1, after);
            }
            else if (IsAny(i - 1, AnArticle) && IsAny(i - 2, Words("in", "as", "into")) && (AtBoundary(after) || RequestWords.StyleOnly.Contains(found.Phrase)))
            {
                TakeStyle(found.Style, 0, i - 2, after);
            }
            else if (IsAny(i - 1, Words("with", "using")) && RequestWords.StyleOnly.Contains(found.Phrase))
            {
                TakeStyle(found.Style, 0, i - 1, after);
            }
        }
    }

    private void TakeStyle(string style, int rank, int start, int end)
    {
        if (IsAny(start - 1, Negations) || !SetStyle(style, rank))
            return;
        Use(start, end);
    }

    /// <summary>Style words that mean a style anywhere ("a cyberpunk city", "photorealistic"): rank 1.</summary>
    private void TakeBareStyles()
    {
        for (var i = 0; i < Count; i++)
        {
            if (StyleAt(i) is not { } found || !RequestWords.StyleOnly.Contains(found.Phrase))
                continue;
            if (IsAny(i - 1, Negations) || !SetStyle(found.Style, 1))
                continue;
            Use(i, i + found.Length);
            if (RequestWords.StyleNouns.Contains(found.Phrase))
                _nounLike[i] = true;
        }
    }

    /// <summary>Style and shape words right before an image noun: "neon images", "square icons", "a portrait photo".</summary>
    private void TakeBeforeNoun()
    {
        for (var i = 0; i < Count; i++)
        {
            if (StyleAt(i) is { } found && IsImageNoun(NextVisible(i + found.Length)) && !IsAny(i - 1, Negations))
            {
                if (SetStyle(found.Style, 1))
                    Use(i, i + found.Length);
                continue;
            }
            if (W(i) is { } w && RequestWords.ShapeBeforeNoun.Contains(w) && IsImageNoun(NextVisible(i + 1)) && !IsAny(i - 1, Negations))
            {
                SetRatio(RequestWords.ShapeWords[w], i, i + 1);
            }
        }
    }

    private static readonly string[][] NegativeLeads = RequestWordsPhrases(
        "don't include", "do not include", "dont include", "don't show", "do not show", "dont show", "don't add", "do not add",
        "dont add", "don't want", "do not want", "dont want", "don't use", "do not use", "dont use", "don't put", "do not put",
        "dont put", "don't draw", "do not draw", "dont draw", "don't have", "do not have", "dont have", "don't give", "do not give",
        "never include", "never show", "leave out", "free of", "free from", "but not", "and not", "not including", "no", "without",
        "avoid", "avoiding", "exclude", "excluding", "omit", "omitting", "minus", "remove", "nothing");

    private static readonly string[][] ExplicitNegativeLeads = RequestWordsPhrases("negative prompt", "negative prompts", "negatives", "negative");

    private static readonly FrozenSet<string> NotNegated = Set(
        "more", "less", "longer", "need", "matter", "problem", "doubt", "way", "one", "other", "thanks", "thank", "idea", "worries",
        "rush", "pressure", "limit", "rules", "fewer", "sooner", "later", "earlier", "changes", "preference", "particular", "specific");

    private static readonly FrozenSet<string> Quoting = Set(
        "says", "say", "saying", "said", "reads", "read", "reading", "written", "writing", "spelling", "spells", "spelled", "labeled",
        "labelled", "titled", "marked", "word", "words", "text", "caption", "captioned", "slogan", "sign", "reads:");

    private static string[][] RequestWordsPhrases(params string[] phrases) =>
        [.. phrases.Select(p => p.Split(' ')).OrderByDescending(p => p.Length)];

    /// <summary>
    /// "no text", "without people", "avoid blur", "don't include logos", "exclude cars", "but not X",
    /// "negative prompt: blur, noise". What is excluded runs to the next comma, sentence end or
    /// parameter; one longer than eight words is taken to be description, not an exclusion.
    /// </summary>
    private void TakeNegatives()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!Free(i) || _t[i].Kind != Word)
                continue;
            var explicitLead = Phrase(i, ExplicitNegativeLeads);
            if (explicitLead > 0 && (IsAny(i + explicitLead, Words(":", "=")) || explicitLead >= 2))
            {
                var from = IsAny(i + explicitLead, Words(":", "=")) ? i + explicitLead + 1 : i + explicitLead;
                var to = from;
                while (to < Count && to - from < 40 && Free(to) && !RequestTokens.IsTerminator(_t[to]))
                    to++;
                if (to == from)
                    continue;
                foreach (var part in Span(from, to).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    AddNegative(part);
                Use(Lead(i, Articles, Words("with", "and", "using")), to);
                i = to - 1;
                continue;
            }

            var lead = Phrase(i, NegativeLeads);
            if (lead == 0)
                continue;
            var w = W(i)!;
            if (w is "remove" && !(Is(i - 1, "and") || i == 0 || AtBoundary(i - 1)))
                continue;
            var start = i + lead;
            if (w is "no" or "without" or "nothing" && (W(start) is not { } next || NotNegated.Contains(next)))
                continue;
            if (IsAny(i - 1, Quoting))
                continue; // "a sign that says no parking"
            if (w is "nothing" && !IsAny(start, Words("like")))
                continue;
            var first = start;
            while (IsAny(first, Words("any", "a", "an", "the", "like", "visible")) && first - start < 2)
                first++;
            var end = first;
            while (end < Count && Free(end) && _t[end].Kind is Word or Number or Quote or Other)
            {
                var word = _t[end].Lower;
                if (end - first >= 8)
                    break;
                if (word is "but")
                    break;
                if (word is "and" or "or" or "&" && (Phrase(end + 1, NegativeLeads) > 0 || IsAny(end + 1, Words("a", "an", "the", "some", "with")) || end - first > 2))
                    break;
                if (end > first && word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal))
                    break;
                if (end > first && Phrase(end, NegativeLeads) > 0)
                    break;
                end++;
            }
            if (end - first >= 8 && Free(end) && !IsBoundaryToken(end))
                continue;
            // Connectors before a parameter stay out of it: "no text in" (in 16:9).
            var objectEnd = end;
            while (objectEnd > first && RequestWords.DanglingAtEnd.Contains(_t[objectEnd - 1].Lower))
                objectEnd--;
            if (objectEnd == first)
                continue;
            AddNegative(Span(first, objectEnd));
            var useEnd = objectEnd;
            if (Is(useEnd, "at") && Is(useEnd + 1, "all"))
                useEnd += 2;
            Use(Lead(i, Words("with", "and", "but", "please", "also", "yet")), useEnd);
            i = useEnd - 1;
        }
    }

    private void AddNegative(string text)
    {
        text = text.Trim().Trim('"').Trim();
        if (text.Length > 0 && !_negatives.Contains(text, StringComparer.OrdinalIgnoreCase))
            _negatives.Add(text);
    }
}
