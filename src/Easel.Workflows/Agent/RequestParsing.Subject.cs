using System.Globalization;
using System.Text;
using static Easel.Workflows.Agent.RequestTokenKind;

namespace Easel.Workflows.Agent;

/// <summary>The passes that find the count and the subject: image nouns, counts, filler, and the prompt that is left.</summary>
internal sealed partial class RequestParsing
{
    /// <summary>Adjectives of an image noun with no subject after it ("6 cat images"), put before the subject found elsewhere.</summary>
    private string? _pendingModifiers;
    private bool _modifiersArePraise;

    /// <summary>A kind of picture with no subject after it ("6 logos"), put before the subject found elsewhere.</summary>
    private string? _pendingPhrase;
    private bool _headTaken;
    private int[]? _prefixEnds;

    private void TakeSubject()
    {
        FindHeads();
        TakeSegmentCount();
        TakeAnswerLineCount();
        TakeStandaloneSegments();
        if (_impliedPhoto)
            SetStyle("photographic", 2);
        RemoveFiller();
    }

    /// <summary>Where request filler ends in each segment, computed once: heads must start there.</summary>
    private int PrefixEnd(int segment)
    {
        _prefixEnds ??= Enumerable.Repeat(-1, _segments.Count).ToArray();
        if (_prefixEnds[segment] < 0)
            _prefixEnds[segment] = SkipFiller(_segments[segment].Start, _segments[segment].End);
        return _prefixEnds[segment];
    }

    /// <summary>
    /// Finds the image noun that carries the order ("6 images of", "a picture of", "three logos
    /// for"), at the start of a part after filler, or anywhere when a count comes right before it
    /// and nothing after it ("cats in the snow, 6 images"). A later one only supplies a missing count.
    /// </summary>
    private void FindHeads()
    {
        for (var n = 0; n < Count; n++)
        {
            if (_headTaken && _count is not null)
                return;
            if (!IsImageNoun(n) || _segmentOf[n] < 0)
                continue;
            var next = NextVisible(n + 1);
            if (next < Count && next != n && IsImageNoun(next) && _segmentOf[next] == _segmentOf[n])
                continue; // "6 png images": the last noun is the head
            var segment = _segmentOf[n];
            var (segmentStart, segmentEnd) = _segments[segment];
            var prefix = PrefixEnd(segment);
            if (n < prefix)
                continue;

            var adjectives = new List<int>();
            var fillers = new List<int>();
            var k = n - 1;
            var tooMany = false;
            while (k >= Math.Max(segmentStart, prefix))
            {
                if (_used[k])
                {
                    k--;
                    continue;
                }
                var token = _t[k];
                // An image noun before the head is a modifier: "4 logo designs".
                if (token.Kind != Word || RequestWords.NotAdjectives.Contains(token.Lower) || RequestWords.IsAmountWord(token.Lower))
                    break;
                if (adjectives.Count + fillers.Count == 3)
                {
                    tooMany = true;
                    break;
                }
                (RequestWords.FillerAdjectives.Contains(token.Lower) ? fillers : adjectives).Add(k);
                k--;
            }
            if (tooMany)
                continue;

            Amount? amount = null;
            var amountStart = -1;
            if (k >= segmentStart && Free(k))
            {
                for (var s = Math.Max(segmentStart, k - 3); s <= k; s++)
                {
                    if (ReadAmount(s, allowArticle: true) is { } found && found.End == k + 1)
                    {
                        amount = found;
                        amountStart = s;
                        break;
                    }
                }
            }
            if (amount is { Kind: AmountKind.Count } && IsAny(amountStart - 1, RequestWords.NotCountBefore))
                continue; // "the top 10 images"

            var first = amountStart >= 0 ? amountStart : adjectives.Concat(fillers).DefaultIfEmpty(n).Min();
            var atStart = first <= prefix || AllFillerBetween(prefix, first);
            var tail = amount is { Kind: AmountKind.Count } && (NextFree(n + 1, segmentEnd) < 0 || NextFree(n + 1, segmentEnd) >= TrailingFillerStart(n + 1, segmentEnd));
            if (!atStart && !tail)
                continue;
            if (_headTaken && amount is not { Kind: AmountKind.Count or AmountKind.Article })
                continue;
            TakeHead(n, amount, amountStart, adjectives, fillers, segmentEnd);
        }
    }

    private bool AllFillerBetween(int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (Free(k) && !IsBoundaryToken(k))
                return false;
        }
        return true;
    }

    private void TakeHead(int n, Amount? amount, int amountStart, List<int> adjectives, List<int> fillers, int segmentEnd)
    {
        _headTaken = true;
        if (amount is { Kind: AmountKind.Count } counted)
            _count ??= counted.Value;
        else if (amount is { Kind: AmountKind.Article })
            _count ??= 1;
        foreach (var f in fillers)
            Use(f, f + 1);
        adjectives.Sort();
        var word = _t[n].Lower;
        var after = NextFree(n + 1, segmentEnd);
        var nothingAfter = after < 0 || after >= TrailingFillerStart(n + 1, segmentEnd);

        if (!RequestWords.ContentNouns.TryGetValue(word, out var singular) || (_used[n] && _nounLike[n]))
        {
            if (RequestWords.PhotoNouns.Contains(word))
                _impliedPhoto = true;
            if (adjectives.Count > 0 && !nothingAfter)
            {
                // "a beautiful image of a cat", "3 cinematic shots of a car": the wording stays.
                if (amount is { Kind: AmountKind.Count or AmountKind.Vague })
                    Use(amountStart, amount.Value.End);
                else if (amount is { Kind: AmountKind.Article })
                    _replace[amountStart] = ArticleFor(Original(adjectives[0]), char.IsUpper(Original(amountStart)[0]));
                _used[n] = false;
                return;
            }
            if (amount is { } a)
                Use(amountStart, a.End);
            Use(n, n + 1);
            if (adjectives.Count > 0)
            {
                // "6 cat images" → "cat"; "6 cute pictures" → ask what they show, and keep "cute" for it.
                _pendingModifiers ??= string.Join(' ', adjectives.Select(Original));
                _modifiersArePraise = adjectives.All(j => RequestWords.PraiseAdjectives.Contains(_t[j].Lower));
                foreach (var j in adjectives)
                    Use(j, j + 1);
            }
            if (after >= 0 && !nothingAfter)
            {
                var connector = _t[after].Lower;
                if (RequestWords.HeadConnectors.Contains(connector) || (connector == "for" && RequestWords.ForNouns.Contains(word)))
                    Use(after, after + 1);
                else if (connector is "that" or "which" && IsAny(after + 1, Words("show", "shows", "depict", "depicts", "feature", "features", "display", "displays")))
                    Use(after, after + 2);
            }
            return;
        }

        // A kind of picture ("logo", "portrait", "wallpaper"): it stays in the prompt, one of it.
        var firstKept = adjectives.Count > 0 ? adjectives[0] : n;
        var capital = amount is not null && amountStart >= 0 && char.IsUpper(_text[_t[amountStart].Start]);
        string article;
        if (amount is { Kind: AmountKind.Article })
        {
            // "a [flat] icon" → "an icon": the word after the article may have been taken out.
            article = ArticleFor(Original(firstKept), capital);
            _replace[amountStart] = article;
        }
        else
        {
            if (amount is { } used)
                Use(amountStart, used.End);
            article = ArticleFor(Original(firstKept), capital);
            if (amount is not null || singular != word)
            {
                _replace[n] = MatchCase(Original(n), singular);
                _before[firstKept] = article + " ";
            }
        }
        if (adjectives.Count == 0 && nothingAfter)
        {
            // "6 logos": a kind of picture, but of what? Asked, and put before the answer.
            var noun = _replace[n] ?? Original(n);
            _pendingPhrase ??= amount is null && singular == word ? noun : $"{article} {noun}";
            _replace[n] = null;
            _before[firstKept] = null;
            if (amount is { } any)
                Use(amountStart, any.End);
            Use(n, n + 1);
        }
    }

    private static string ArticleFor(string word, bool capital)
    {
        var article = word.Length > 0 && "aeiouAEIOU".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";
        return capital ? char.ToUpperInvariant(article[0]) + article[1..] : article;
    }

    private static string MatchCase(string original, string singular) =>
        original.Length > 0 && char.IsUpper(original[0]) ? char.ToUpperInvariant(singular[0]) + singular[1..] : singular;

    /// <summary>
    /// A count that stands at the start of a part with nothing after it but filler ("Generate 6",
    /// "make it six", the answer "a dozen"), or before "of them" / "of a": "make 4 of a red fox".
    /// </summary>
    private void TakeSegmentCount()
    {
        if (_count is not null)
            return;
        foreach (var (start, end) in _segments)
        {
            // "cats in the snow x6"
            var tail = TrailingFillerStart(start, end) - 1;
            while (tail >= start && !Free(tail))
                tail--;
            if (tail > start && W(tail) is { Length: >= 2 } times && times[0] == 'x' && RequestWords.TryDigits(times[1..], out var multiple))
            {
                _count = multiple;
                Use(tail, tail + 1);
                return;
            }

            var p = SkipFiller(start, end);
            if (ReadAmount(p, allowArticle: false) is not { Kind: AmountKind.Count } amount || amount.End > end)
                continue;
            var next = NextFree(amount.End, end);
            var useEnd = amount.End;
            if (next >= 0 && next < TrailingFillerStart(amount.End, end))
            {
                if (Is(next, "of") && IsAny(next + 1, Words("them", "those", "these", "it", "each", "this", "that")))
                    useEnd = next + 2;
                else if (Is(next, "of") && IsAny(next + 1, AnArticle))
                    useEnd = next + 1;
                else if (IsAny(next, Words("more", "total", "times", "please")) && NextFree(next + 1, end) < 0)
                    useEnd = next + 1;
                else
                    continue;
            }
            _count = amount.Value;
            Use(p, useEnd);
            return;
        }
    }

    /// <summary>
    /// The answer to "How many images would you like, and what should they show?" given as
    /// "6 red foxes": on a line after the first, a leading count is the count when none was given.
    /// </summary>
    private void TakeAnswerLineCount()
    {
        if (_count is not null)
            return;
        foreach (var (start, end) in _segments)
        {
            if (start == 0 || _t[start - 1].Kind != Newline || _lineOf[start] == 0)
                continue;
            var p = SkipFiller(start, end);
            if (ReadAmount(p, allowArticle: false) is { Kind: AmountKind.Count } amount && W(amount.End) is not null)
            {
                _count = amount.Value;
                Use(p, amount.End);
                return;
            }
        }
    }

    /// <summary>A part that is only a style, a shape or a provider: "cats, neon", "make them square", "…, openai".</summary>
    private void TakeStandaloneSegments()
    {
        foreach (var (start, end) in _segments)
        {
            var p = SkipFiller(start, end);
            while (p < end && (!Free(p) || IsAny(p, RequestWords.DanglingAtStart)))
                p++;
            var q = TrailingFillerStart(p, end);
            var first = NextFree(p, q);
            if (first < 0)
                continue;
            var second = NextFree(first + 1, q);
            if (second >= 0 && (second != first + 1 || NextFree(second + 1, q) >= 0))
                continue;
            var length = second < 0 ? 1 : 2;
            if (StyleAt(first) is { } style && style.Length == length && !IsAny(first - 1, Negations))
            {
                if (SetStyle(style.Style, 1))
                    Use(start, end);
            }
            else if (length == 1 && W(first) is { } w && RequestWords.ShapeWords.TryGetValue(w, out var ratio))
            {
                SetRatio(ratio, start, end);
            }
            else if (length == 1 && ProviderAt(first) is { } provider)
            {
                _provider ??= provider;
                Use(start, end);
            }
        }
    }

    /// <summary>
    /// Takes out request filler: parts that hold nothing but filler and parameters, "please"
    /// anywhere, the filler that opens the subject's sentence ("Can you generate …"), and
    /// connectors left hanging where a parameter was taken out ("cats in" after "in 16:9" went).
    /// </summary>
    private void RemoveFiller()
    {
        for (var i = 0; i < Count; i++)
        {
            if (IsAny(i, Words("please", "pls", "plz", "kindly")))
                Use(i, i + 1);
        }

        var subjectSentence = -1;
        foreach (var (start, end) in _segments)
        {
            var sentence = _sentenceOf[start];
            var p = SkipFiller(start, end);
            var q = TrailingFillerStart(p, end);
            var hasContent = false;
            for (var k = p; k < q && !hasContent; k++)
                hasContent = Free(k) && _t[k].Kind is not Punct;
            if (!hasContent)
            {
                Use(start, end);
                continue;
            }
            if (subjectSentence < 0)
                subjectSentence = sentence;
            if (sentence == subjectSentence)
                Use(start, p);
            Use(q, end);
        }

        // Connectors left hanging: only where something was taken out after (or before) them in the sentence.
        var lastUsed = new int[_sentences.Count];
        var firstUsed = new int[_sentences.Count];
        Array.Fill(lastUsed, -1);
        Array.Fill(firstUsed, int.MaxValue);
        for (var i = 0; i < Count; i++)
        {
            if (!_used[i] || _t[i].Kind == Newline)
                continue;
            var s = _sentenceOf[i];
            if (s >= _sentences.Count)
                continue;
            lastUsed[s] = Math.Max(lastUsed[s], i);
            firstUsed[s] = Math.Min(firstUsed[s], i);
        }
        foreach (var (start, end) in _segments)
        {
            var s = _sentenceOf[start];
            if (s >= _sentences.Count)
                continue;
            var f = start;
            while (f < end)
            {
                if (!Free(f))
                {
                    f++;
                    continue;
                }
                if (firstUsed[s] < f && IsAny(f, RequestWords.DanglingAtStart))
                {
                    Use(f, f + 1);
                    f++;
                    continue;
                }
                break;
            }
            var l = end - 1;
            while (l >= f)
            {
                if (!Free(l))
                {
                    l--;
                    continue;
                }
                if (lastUsed[s] > l && W(l) is { } w && RequestWords.DanglingAtEnd.Contains(w))
                {
                    Use(l, l + 1);
                    l--;
                    continue;
                }
                break;
            }
        }
    }

    private enum Piece
    {
        Word,
        Separator,
        Terminator,
        Open,
    }

    /// <summary>The tokens left, with the person's spacing, commas collapsed and the ends tidied.</summary>
    private string? Reconstruct()
    {
        var contentCount = 0;
        var content = -1;
        for (var i = 0; i < Count && contentCount < 2; i++)
        {
            if (Free(i) && _t[i].Kind is not (Punct or Newline))
            {
                contentCount++;
                content = i;
            }
        }
        if (contentCount == 1 && _t[content].Kind == Quote)
        {
            // A quoted prompt alone is taken verbatim.
            var quoted = Original(content)[1..^1].Trim();
            return quoted.Length > 0 ? quoted : null;
        }

        var text = new StringBuilder();
        var pieces = new List<(int Position, Piece Kind)>();
        var last = -1;
        var newline = false;
        for (var i = 0; i < Count; i++)
        {
            if (!Free(i))
                continue;
            var token = _t[i];
            if (token.Kind == Newline)
            {
                newline |= pieces.Count > 0;
                continue;
            }
            if (token.Kind == Quote && Original(i)[1..^1].Trim().Length == 0)
                continue;
            var kind = Piece.Word;
            if (token.Kind == Punct)
            {
                if (token.Lower == "\"")
                    continue;
                if (token.Lower is "(" or "[")
                    kind = Piece.Open;
                else if (RequestTokens.IsTerminator(token))
                    kind = Piece.Terminator;
                else if (RequestTokens.IsSeparator(token) && token.Lower is not (")" or "]"))
                    kind = Piece.Separator;
            }
            var previous = pieces.Count > 0 ? pieces[^1].Kind : (Piece?)null;
            if (kind is Piece.Separator && previous is null or Piece.Separator or Piece.Terminator or Piece.Open)
                continue;
            if (kind is Piece.Terminator)
            {
                if (previous is null or Piece.Terminator)
                    continue;
                if (previous is Piece.Separator or Piece.Open)
                    Pop();
            }
            if (token.Lower is ")" or "]")
            {
                if (pieces.Count > 0 && pieces[^1].Kind == Piece.Separator)
                    Pop();
                if (pieces.Count > 0 && pieces[^1].Kind == Piece.Open)
                {
                    Pop();
                    last = i;
                    continue;
                }
            }
            if (kind == Piece.Word && token.Kind == Word && token.Lower is "and" or "or" && last >= 0 && last != i - 1 && _t[last].Lower == token.Lower)
                continue; // "cats and [16:9] and dogs"

            var part = (_before[i] ?? "") + (_replace[i] ?? Original(i));
            if (token.Kind == Word && last >= 0 && last != i - 1 && _t[last].Kind == Word && _t[last].Lower is "a" or "an" && _replace[last] is null
                && pieces.Count > 0 && pieces[^1].Kind == Piece.Word && _before[i] is null)
            {
                // "an [8-bit] castle" → "a castle": the word after the article was taken out.
                var article = ArticleFor(part, char.IsUpper(Original(last)[0]));
                text.Length = pieces[^1].Position + (text.Length - pieces[^1].Position - Original(last).Length);
                text.Append(article);
            }
            var position = text.Length;
            if (pieces.Count > 0)
            {
                previous = pieces[^1].Kind;
                if (newline)
                    text.Append(previous is Piece.Terminator or Piece.Separator ? " " : kind is Piece.Word or Piece.Open ? ", " : "");
                else if (!(kind is Piece.Terminator || (kind is Piece.Separator && token.Lower is "," or ":" or ";") || token.Lower is ")" or "]"
                    || previous == Piece.Open || (_t[last].End == token.Start && _before[i] is null)))
                    text.Append(' ');
            }
            newline = false;
            pieces.Add((position, kind));
            text.Append(part);
            last = i;
        }
        while (pieces.Count > 0 && pieces[^1].Kind is not Piece.Word)
            Pop();
        var result = text.ToString().Trim();
        return result.Length > 0 ? result : null;

        void Pop()
        {
            text.Length = pieces[^1].Position;
            pieces.RemoveAt(pieces.Count - 1);
        }
    }

    private static readonly string[] LeadingPrepositions = ["for", "of", "with", "about", "showing", "featuring", "depicting", "that", "in", "on", "at", "to"];

    /// <summary>Puts the adjectives and kind of picture held back by <see cref="TakeHead"/> before the subject.</summary>
    private string? ApplyPending(string? prompt)
    {
        if (_pendingModifiers is { } modifiers)
        {
            if (prompt is null)
            {
                prompt = _modifiersArePraise ? null : modifiers;
            }
            else
            {
                var space = prompt.IndexOf(' ', StringComparison.Ordinal);
                var firstWord = space > 0 ? prompt[..space] : "";
                if (firstWord.Length > 0 && RequestWords.Articles.Contains(firstWord.ToLowerInvariant()))
                {
                    var article = firstWord.ToLowerInvariant() is "a" or "an" ? ArticleFor(modifiers, char.IsUpper(firstWord[0])) : firstWord;
                    prompt = $"{article} {modifiers} {prompt[(space + 1)..]}";
                }
                else
                {
                    prompt = $"{modifiers} {prompt}";
                }
            }
        }
        if (_pendingPhrase is { } phrase && prompt is not null)
        {
            var space = prompt.IndexOf(' ', StringComparison.Ordinal);
            var firstWord = (space > 0 ? prompt[..space] : prompt).ToLowerInvariant();
            prompt = LeadingPrepositions.Contains(firstWord) ? $"{phrase} {prompt}" : $"{phrase}, {prompt}";
        }
        return prompt;
    }

    private const int UnderstoodPromptLength = 80;

    public RequestParse Run()
    {
        TakeParameters();
        TakeSubject();
        var prompt = ApplyPending(Reconstruct());

        var ratio = _ratio;
        if (_size is not null && ratio is not null && SameShape(_size, ratio))
            ratio = null; // "1024x768 at 4:3" says one shape twice; both would be refused.

        var order = new OrderInput
        {
            Prompt = prompt,
            Count = _count,
            Size = _size,
            AspectRatio = ratio,
            Style = _style,
            NegativePrompt = _negatives.Count > 0 ? string.Join(", ", _negatives) : null,
            Seed = _seed,
            Background = _background,
            Provider = _provider,
            Quality = _quality,
            Format = _format,
            MaxIterations = _maxIterations,
            Threshold = _threshold,
            Candidates = _candidates,
            Preset = _preset,
            References = _references.Count > 0 ? [.. _references] : null,
        };

        var question = (_count is null, prompt is null) switch
        {
            (true, true) => "How many images would you like, and what should they show?",
            (true, false) => "How many images would you like?",
            (false, true) => "What should the images show?",
            _ => null,
        };

        var understood = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (_count is { } count)
            understood.Add(count == 1 ? "1 image" : string.Create(c, $"{count} images"));
        if (prompt is not null)
            understood.Add($"prompt \"{(prompt.Length > UnderstoodPromptLength ? prompt[..UnderstoodPromptLength] + "…" : prompt)}\"");
        if (_style is not null)
            understood.Add($"style {_style}");
        if (_size is not null)
            understood.Add($"size {_size}");
        if (ratio is not null)
            understood.Add($"aspect ratio {ratio}");
        if (order.NegativePrompt is { } negative)
            understood.Add($"without: {negative}");
        if (_seed is { } seed)
            understood.Add(string.Create(c, $"seed {seed}"));
        if (_provider is not null)
            understood.Add($"provider {_provider}");
        if (_quality is not null)
            understood.Add($"quality {_quality}");
        if (_format is not null)
            understood.Add($"format {_format}");
        if (_background is not null)
            understood.Add($"background {_background}");
        if (_maxIterations is { } iterations)
            understood.Add(iterations == 1 ? "1 iteration" : string.Create(c, $"up to {iterations} iterations"));
        if (_threshold is { } threshold)
            understood.Add(string.Create(c, $"threshold {threshold}"));
        if (_candidates is { } candidates)
            understood.Add(string.Create(c, $"best of {candidates}"));
        if (_preset is not null)
            understood.Add($"preset {_preset}");
        foreach (var reference in _references)
            understood.Add($"reference {reference}");
        return new RequestParse(order, question, understood);
    }

    private static bool SameShape(string size, string ratio)
    {
        var sides = size.Split('x');
        var parts = ratio.Split(':');
        if (!double.TryParse(sides[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !double.TryParse(sides[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !double.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rw)
            || !double.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rh)
            || h == 0 || rh == 0)
            return false;
        return Math.Abs(w / h - rw / rh) <= 0.02 * (rw / rh);
    }
}
