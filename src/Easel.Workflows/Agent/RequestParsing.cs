using System.Collections.Frozen;
using static Easel.Workflows.Agent.RequestTokenKind;

namespace Easel.Workflows.Agent;

/// <summary>
/// One run of <see cref="RequestParser"/> over one request: the tokens, which of them have been
/// taken as parameters (<c>_used</c>), and what was understood. Each pass looks for one kind of
/// parameter in a bounded window around each token, so a run is linear in the request's length.
/// </summary>
internal sealed partial class RequestParsing
{
    private enum AmountKind
    {
        /// <summary>A number: "6", "six", "a dozen", "a couple of".</summary>
        Count,

        /// <summary>"a"/"an" before an image noun: one image.</summary>
        Article,

        /// <summary>"several", "some", "a bunch of": more than one, but how many is not said.</summary>
        Vague,
    }

    private readonly record struct Amount(AmountKind Kind, int Value, int End);

    private readonly string _text;
    private readonly List<RequestToken> _t;
    private readonly bool[] _used;

    /// <summary>Taken as a parameter, but may still name the picture: "pngs", "drafts", "a watercolor of", "instagram stories".</summary>
    private readonly bool[] _nounLike;

    /// <summary>Text that replaces a token in the prompt ("logos" → "logo").</summary>
    private readonly string?[] _replace;

    /// <summary>Text put before a token in the prompt ("a " before "logo").</summary>
    private readonly string?[] _before;

    private readonly int[] _segmentOf;
    private readonly int[] _sentenceOf;
    private readonly int[] _lineOf;
    private readonly List<(int Start, int End)> _segments = [];
    private readonly List<(int Start, int End)> _sentences = [];
    private readonly FrozenDictionary<string, string> _providers;

    public RequestParsing(string request, IReadOnlyCollection<string>? providerNames)
    {
        _text = RequestTokens.Normalize(request);
        _t = RequestTokens.Tokenize(_text);
        var n = _t.Count;
        _used = new bool[n];
        _nounLike = new bool[n];
        _replace = new string?[n];
        _before = new string?[n];
        _segmentOf = new int[n];
        _sentenceOf = new int[n];
        _lineOf = new int[n];

        var providers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in providerNames ?? [])
        {
            if (!string.IsNullOrWhiteSpace(name))
                providers.TryAdd(name.Trim().ToLowerInvariant(), name.Trim());
        }
        _providers = providers.ToFrozenDictionary(StringComparer.Ordinal);

        int segmentStart = 0, sentenceStart = 0, line = 0;
        for (var i = 0; i < n; i++)
        {
            _lineOf[i] = line;
            _sentenceOf[i] = _sentences.Count;
            var token = _t[i];
            if (RequestTokens.IsTerminator(token) || RequestTokens.IsSeparator(token))
            {
                _segmentOf[i] = -1;
                if (i > segmentStart)
                    _segments.Add((segmentStart, i));
                segmentStart = i + 1;
                if (RequestTokens.IsTerminator(token))
                {
                    if (i > sentenceStart)
                        _sentences.Add((sentenceStart, i));
                    sentenceStart = i + 1;
                }
                if (token.Kind == Newline)
                    line++;
            }
            else
            {
                _segmentOf[i] = _segments.Count;
            }
        }
        if (n > segmentStart)
            _segments.Add((segmentStart, n));
        if (n > sentenceStart)
            _sentences.Add((sentenceStart, n));
    }

    private int Count => _t.Count;

    private bool Free(int i) => (uint)i < (uint)_t.Count && !_used[i];

    /// <summary>The lower-cased text of a free token that can be part of a phrase, else null.</summary>
    private string? L(int i) => Free(i) && _t[i].Kind is Word or Punct or Other or Number ? _t[i].Lower : null;

    /// <summary>The lower-cased text of a free word, else null.</summary>
    private string? W(int i) => Free(i) && _t[i].Kind == Word ? _t[i].Lower : null;

    private bool Is(int i, string text) => L(i) == text;

    private bool IsAny(int i, ICollection<string> words) => L(i) is { } w && words.Contains(w);

    /// <summary>A few words to match, written where they are matched.</summary>
    private static string[] Words(params string[] words) => words;

    private bool IsNumber(int i, out int value)
    {
        value = 0;
        return Free(i) && _t[i].Kind == Number && RequestWords.TryDigits(_t[i].Lower, out value);
    }

    private bool IsBoundaryToken(int i) => RequestTokens.IsTerminator(_t[i]) || RequestTokens.IsSeparator(_t[i]);

    /// <summary>Nothing free follows at <paramref name="i"/>: the end, a used token, or a separator or sentence end.</summary>
    private bool AtBoundary(int i) => i >= _t.Count || i < 0 || _used[i] || IsBoundaryToken(i);

    private void Use(int from, int to)
    {
        for (var k = Math.Max(0, from); k < Math.Min(to, _t.Count); k++)
            _used[k] = true;
    }

    /// <summary>The length of the longest phrase of <paramref name="phrases"/> (longest first) that starts at <paramref name="i"/>, or 0.</summary>
    private int Phrase(int i, string[][] phrases)
    {
        foreach (var phrase in phrases)
        {
            var k = 0;
            while (k < phrase.Length && L(i + k) == phrase[k])
                k++;
            if (k == phrase.Length)
                return k;
        }
        return 0;
    }

    /// <summary>The start of the longest phrase of <paramref name="phrases"/> that ends just before <paramref name="end"/>, or <paramref name="end"/>.</summary>
    private int PhraseBefore(int end, string[][] phrases)
    {
        foreach (var phrase in phrases)
        {
            var start = end - phrase.Length;
            if (start >= 0 && Phrase(start, [phrase]) == phrase.Length)
                return start;
        }
        return end;
    }

    /// <summary>
    /// Walks back over optional words, nearest first: each layer is taken at most once. An article
    /// is taken only with a word before it from a later layer ("in a 16:9 format"): alone, "a" is
    /// the count of "a 16:9 image".
    /// </summary>
    private int Lead(int i, params ICollection<string>[] layers)
    {
        for (var l = 0; l < layers.Length; l++)
        {
            if (!IsAny(i - 1, layers[l]))
                continue;
            if (layers[l].Contains("a") || layers[l].Contains("the"))
            {
                var anchored = false;
                for (var m = l + 1; m < layers.Length && !anchored; m++)
                    anchored = IsAny(i - 2, layers[m]);
                if (!anchored)
                    continue;
            }
            i--;
        }
        return i;
    }

    /// <summary>Walks forward over optional words, one from each layer in order.</summary>
    private int Trail(int i, params ICollection<string>[] layers)
    {
        foreach (var layer in layers)
        {
            if (IsAny(i, layer))
                i++;
        }
        return i;
    }

    /// <summary>The first free token in [from, end) that is not a separator, or -1.</summary>
    private int NextFree(int from, int end)
    {
        for (var k = Math.Max(0, from); k < Math.Min(end, _t.Count); k++)
        {
            if (!_used[k] && !IsBoundaryToken(k))
                return k;
        }
        return -1;
    }

    /// <summary>The next token after <paramref name="i"/> that is free or names a picture, skipping taken parameters.</summary>
    private int NextVisible(int i)
    {
        var k = i;
        while (k < _t.Count && _used[k] && !_nounLike[k])
            k++;
        return k;
    }

    private bool IsImageNoun(int i)
    {
        if ((uint)i >= (uint)_t.Count)
            return false;
        if (_nounLike[i])
            return true;
        return W(i) is { } w && (RequestWords.GenericNouns.Contains(w) || RequestWords.ContentNouns.ContainsKey(w));
    }

    /// <summary>The original text of a token as the person wrote it.</summary>
    private string Original(int i) => _text[_t[i].Start.._t[i].End];

    /// <summary>The original text of tokens [from, to), with single spaces where the person had any.</summary>
    private string Span(int from, int to)
    {
        var parts = new System.Text.StringBuilder();
        for (var k = from; k < to; k++)
        {
            if (parts.Length > 0 && _t[k - 1].End != _t[k].Start && !(_t[k].Kind == Punct && _t[k].Lower is "," or "." or ";" or ":" or "!" or "?" or ")"))
                parts.Append(' ');
            parts.Append(Original(k));
        }
        return parts.ToString();
    }

    private Amount? ReadAmount(int i, bool allowArticle)
    {
        if (!Free(i))
            return null;
        if (_t[i].Kind == Number)
            return RequestWords.TryDigits(_t[i].Lower, out var digits) ? Dozen(digits, i + 1) : null;
        var w = W(i);
        if (w is null)
            return null;
        switch (w)
        {
            case "a" or "an":
                if (Is(i + 1, "dozen"))
                    return new(AmountKind.Count, 12, i + 2);
                if (Is(i + 1, "half") && Is(i + 2, "dozen"))
                    return new(AmountKind.Count, 6, i + 3);
                if (Is(i + 1, "couple") || Is(i + 1, "pair"))
                    return new(AmountKind.Count, 2, Of(i + 2));
                if (Is(i + 1, "few"))
                    return new(AmountKind.Count, 3, i + 2);
                if (Is(i + 1, "single"))
                    return new(AmountKind.Count, 1, i + 2);
                if (Is(i + 1, "hundred"))
                    return Hundreds(1, i + 2);
                if (IsAny(i + 1, RequestWords.VagueOf) && Is(i + 2, "of"))
                    return new(AmountKind.Vague, 0, i + 3);
                return allowArticle ? new(AmountKind.Article, 1, i + 1) : null;
            case "half":
                if (Is(i + 1, "a") && Is(i + 2, "dozen"))
                    return new(AmountKind.Count, 6, i + 3);
                return Is(i + 1, "dozen") ? new(AmountKind.Count, 6, i + 2) : null;
            case "couple" or "pair":
                return new(AmountKind.Count, 2, Of(i + 1));
            case "single" or "another":
                return new(AmountKind.Count, 1, i + 1);
        }
        if (RequestWords.VagueOf.Contains(w) && Is(i + 1, "of"))
            return new(AmountKind.Vague, 0, i + 2);
        if (RequestWords.VagueAmounts.Contains(w))
            return new(AmountKind.Vague, 0, i + 1);
        if (!RequestWords.TryNumberWord(w, out var value))
            return null;
        var end = i + 1;
        if (RequestWords.IsTens(w, out _) && W(end) is { } u && RequestWords.IsUnit(u, out var unit))
        {
            value += unit;
            end++;
        }
        if (value is > 0 and < 10 && Is(end, "hundred"))
            return Hundreds(value, end + 1);
        return Dozen(value, end);

        int Of(int k) => Is(k, "of") ? k + 1 : k;
    }

    private Amount Dozen(int value, int end) =>
        Is(end, "dozen") ? new(AmountKind.Count, value > int.MaxValue / 12 ? int.MaxValue : value * 12, end + 1) : new(AmountKind.Count, value, end);

    private Amount Hundreds(int hundreds, int i)
    {
        var value = hundreds * 100;
        var j = Is(i, "and") ? i + 1 : i;
        if (W(j) is { } w && RequestWords.TryNumberWord(w, out var rest) && rest is > 0 and < 100)
        {
            var end = j + 1;
            if (RequestWords.IsTens(w, out _) && W(end) is { } u && RequestWords.IsUnit(u, out var unit))
            {
                rest += unit;
                end++;
            }
            return new(AmountKind.Count, value + rest, end);
        }
        return new(AmountKind.Count, value, i);
    }

    /// <summary>
    /// Skips request filler at <paramref name="start"/>: "please", "can you", "I'd like", "generate",
    /// "give me", "make them", "a set of", and tokens already taken as parameters.
    /// </summary>
    private int SkipFiller(int start, int end)
    {
        var i = start;
        var afterVerb = false;
        while (i < end)
        {
            if (_nounLike[i])
                break; // "Generate PNGs of a cat": the picture starts here.
            if (!Free(i) || IsBoundaryToken(i))
            {
                i++;
                continue;
            }
            var phrase = Phrase(i, RequestWords.FillerPhrases);
            if (phrase > 0 && i + phrase <= end)
            {
                i += phrase;
                afterVerb = true;
                continue;
            }
            var w = W(i);
            if (w is null)
                break;
            if (RequestWords.FillerWords.Contains(w))
                i++;
            else if (RequestWords.Verbs.Contains(w))
            {
                i++;
                afterVerb = true;
            }
            else if (afterVerb && RequestWords.VerbObjects.Contains(w))
                i++;
            else
                break;
        }
        return Math.Min(i, end);
    }

    /// <summary>Where filler at the end of [start, end) begins: "please", "thanks", "if possible".</summary>
    private int TrailingFillerStart(int start, int end)
    {
        var j = end;
        while (j > start)
        {
            if (!Free(j - 1))
            {
                j--;
                continue;
            }
            var before = PhraseBefore(j, RequestWords.TrailingPhrases);
            if (before == j || before < start)
                break;
            j = before;
        }
        return j;
    }
}
