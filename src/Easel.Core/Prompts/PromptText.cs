using System.Text;
using System.Text.RegularExpressions;

namespace Easel.Core.Prompts;

internal enum TokenKind
{
    Word,

    /// <summary>A phrase boundary: , ; . ! ? : ( ) [ ] or a line break.</summary>
    Boundary,

    /// <summary>Text in quotes, kept whole: "OPEN" on a sign is the user's exact text, never rewritten.</summary>
    Quoted,
}

/// <param name="Key">A word lower-cased, with curly apostrophes straightened and outer hyphens dropped; a boundary's character; a quotation's inner text.</param>
internal readonly record struct Token(TokenKind Kind, int Start, int End, string Key)
{
    public bool IsWord => Kind == TokenKind.Word;

    public bool IsBoundary => Kind == TokenKind.Boundary;

    public int Length => End - Start;
}

/// <summary>
/// A prompt read as words, phrase boundaries and quotations, each with its place in the text, so
/// rules can rewrite a few words and leave every other character as the user typed it.
/// </summary>
internal static partial class PromptText
{
    private const string Boundaries = ",;.!?:()[]\n";

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (Boundaries.Contains(c))
            {
                tokens.Add(new Token(TokenKind.Boundary, i, i + 1, c.ToString()));
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (Closers(c) is { } closers)
            {
                var end = text.IndexOfAny(closers, i + 1);
                if (end > i)
                {
                    tokens.Add(new Token(TokenKind.Quoted, i, end + 1, text[(i + 1)..end]));
                    i = end + 1;
                    continue;
                }
                // A quote that never closes is punctuation, not a quotation.
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && !Boundaries.Contains(text[i]) && Closers(text[i]) is null)
                i++;
            var key = text[start..i].ToLowerInvariant().Replace('\u2019', '\'').Trim('-', '\'');
            tokens.Add(new Token(TokenKind.Word, start, i, key));
        }
        return tokens;
    }

    private static char[]? Closers(char c) => c switch
    {
        '"' => ['"', '\u201D'],
        '\u201C' => ['\u201D', '"'],
        '\u201E' => ['\u201C', '\u201D', '"'],
        '\u00AB' => ['\u00BB'],
        _ => null,
    };

    /// <summary>Whether token <paramref name="i"/> starts a phrase: first, or right after a boundary.</summary>
    public static bool StartsPhrase(List<Token> tokens, int i) => i == 0 || tokens[i - 1].IsBoundary;

    /// <summary>Whether the words at <paramref name="i"/> are <paramref name="words"/>, in order.</summary>
    public static bool At(List<Token> tokens, int i, string[] words)
    {
        if (i + words.Length > tokens.Count)
            return false;
        for (var j = 0; j < words.Length; j++)
        {
            if (!tokens[i + j].IsWord || tokens[i + j].Key != words[j])
                return false;
        }
        return true;
    }

    /// <summary>The words of a prompt outside quotations: "a sign that says "sunset sale"" has no sunset in it.</summary>
    public static int WordCount(string text) => Tokenize(text).Count(t => t.IsWord);

    /// <summary>The text with every quotation blanked out, for deciding what the prompt already says.</summary>
    public static string WithoutQuotes(string text)
    {
        var builder = new StringBuilder(text);
        foreach (var t in Tokenize(text).Where(t => t.Kind == TokenKind.Quoted))
        {
            for (var i = t.Start; i < t.End; i++)
                builder[i] = ' ';
        }
        return builder.ToString();
    }

    /// <summary>The text with the spans replaced (spans in order, not overlapping).</summary>
    public static string Apply(string text, IEnumerable<(int Start, int End, string Replacement)> edits)
    {
        var builder = new StringBuilder();
        var at = 0;
        foreach (var (start, end, replacement) in edits.OrderBy(e => e.Start))
        {
            if (start < at)
                continue;
            builder.Append(text, at, start - at).Append(replacement);
            at = end;
        }
        builder.Append(text, at, text.Length - at);
        return builder.ToString();
    }

    /// <summary>
    /// Tidies the text around removed words: one space between words, none before punctuation,
    /// no doubled or leading separators. Quotations are left exactly as written.
    /// </summary>
    public static string Tidy(string text)
    {
        var tokens = Tokenize(text).Where(t => t.Kind == TokenKind.Quoted).ToList();
        var builder = new StringBuilder();
        var at = 0;
        foreach (var q in tokens)
        {
            builder.Append(TidyPlain(text[at..q.Start], first: at == 0, last: false)).Append(text, q.Start, q.Length);
            at = q.End;
        }
        builder.Append(TidyPlain(text[at..], first: at == 0, last: true));
        var result = builder.ToString().Trim();
        result = LeadingSeparators().Replace(result, "");
        result = TrailingSeparators().Replace(result, "");
        return result;
    }

    private static string TidyPlain(string text, bool first, bool last)
    {
        var t = Spaces().Replace(text, " ");
        t = SpaceBeforePunctuation().Replace(t, "$1");
        t = RepeatedSeparators().Replace(t, "$1");
        t = EmptyBrackets().Replace(t, "");
        t = SeparatorBeforeStop().Replace(t, "$1");
        if (first)
            t = t.TrimStart();
        if (last)
            t = t.TrimEnd();
        return t;
    }

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[ \t]+([,;.!?:)\]])")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"([,;:])(?:\s*[,;:])+")]
    private static partial Regex RepeatedSeparators();

    [GeneratedRegex(@"[(\[]\s*[)\]]")]
    private static partial Regex EmptyBrackets();

    [GeneratedRegex(@"[,;:]\s*([.!?])")]
    private static partial Regex SeparatorBeforeStop();

    [GeneratedRegex(@"^[\s,;:.]+")]
    private static partial Regex LeadingSeparators();

    [GeneratedRegex(@"[\s,;:]+$")]
    private static partial Regex TrailingSeparators();

    /// <summary>"a" or "an" for a following word, in the case of the article it replaces.</summary>
    public static string Article(string replacing, string next)
    {
        var an = next.Length > 0 && "aeiouAEIOU".Contains(next[0]);
        var article = an ? "an" : "a";
        return replacing.Length > 0 && char.IsUpper(replacing[0]) ? char.ToUpperInvariant(article[0]) + article[1..] : article;
    }

    /// <summary>Text in a reason: on one line and not so long that the reason stops being one.</summary>
    public static string Quote(string text, int max = 60)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return "\"" + (flat.Length <= max ? flat : flat[..max].TrimEnd() + "…") + "\"";
    }
}
