using System.Globalization;

namespace Easel.Workflows.Agent;

internal enum RequestTokenKind
{
    /// <summary>Letters and digits, with inner apostrophes, hyphens and underscores ("don't", "8-bit", "twenty-one", "1920s").</summary>
    Word,

    /// <summary>Only digits, maybe with thousands commas or a decimal point ("6", "1,000", "2.5").</summary>
    Number,

    /// <summary>W:H ("16:9", "2.39:1"); <see cref="RequestToken.Lower"/> is the ratio as written.</summary>
    Ratio,

    /// <summary>WxH, W×H or W*H, maybe with spaces and "px" ("1024 x 768"); <see cref="RequestToken.Lower"/> is "WxH".</summary>
    Size,

    /// <summary>An http(s) address.</summary>
    Url,

    /// <summary>Text between double quotes; <see cref="RequestToken.Lower"/> is the text inside, lower-cased.</summary>
    Quote,

    /// <summary>One punctuation mark (a run of the same sentence end counts as one: "...", "!!").</summary>
    Punct,

    /// <summary>A line break: the clarification flow appends each answer on its own line.</summary>
    Newline,

    /// <summary>Anything else (emoji, symbols), kept in the prompt as written.</summary>
    Other,
}

/// <param name="Start">Index of the first character in the normalised request.</param>
/// <param name="End">Index just after the last character.</param>
/// <param name="Lower">The token lower-cased, or its canonical form (sizes, ratios); what the parser compares.</param>
internal sealed record RequestToken(RequestTokenKind Kind, int Start, int End, string Lower);

/// <summary>
/// Splits a request into tokens in one pass over the text, without regular expressions, so any
/// input (100 KB of text, emoji, control characters, unbalanced quotes) costs linear time and
/// never throws.
/// </summary>
internal static class RequestTokens
{
    /// <summary>
    /// Line breaks become "\n", other control characters and odd spaces a plain space, typographic
    /// apostrophes and double quotes their ASCII forms, so the rest of the parser sees one spelling.
    /// </summary>
    public static string Normalize(string request)
    {
        var chars = new char[request.Length];
        var length = 0;
        for (var i = 0; i < request.Length; i++)
        {
            var c = request[i];
            switch (c)
            {
                case '\r':
                    if (i + 1 < request.Length && request[i + 1] == '\n')
                        continue;
                    c = '\n';
                    break;
                case '\n':
                    break;
                case '\u2018' or '\u2019' or '\u02BC' or '\u2032':
                    c = '\'';
                    break;
                case '\u201C' or '\u201D' or '\u201E' or '\u00AB' or '\u00BB' or '\u2033':
                    c = '"';
                    break;
                case '\u2026':
                    c = '.';
                    break;
                default:
                    if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u200B' or '\uFEFF')
                        c = ' ';
                    break;
            }
            chars[length++] = c;
        }
        return new string(chars, 0, length);
    }

    public static List<RequestToken> Tokenize(string s)
    {
        var tokens = new List<RequestToken>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == ' ')
            {
                i++;
                continue;
            }
            var start = i;
            if (c == '\n')
            {
                tokens.Add(new(RequestTokenKind.Newline, i, i + 1, "\n"));
                i++;
            }
            else if (c == '"')
            {
                var close = s.IndexOf('"', i + 1);
                if (close < 0)
                {
                    tokens.Add(new(RequestTokenKind.Punct, i, i + 1, "\""));
                    i++;
                }
                else
                {
                    tokens.Add(new(RequestTokenKind.Quote, i, close + 1, s[(i + 1)..close].ToLowerInvariant()));
                    i = close + 1;
                }
            }
            else if (StartsUrl(s, i))
            {
                while (i < s.Length && s[i] is not (' ' or '\n' or '"' or '<' or '>'))
                    i++;
                while (i > start && s[i - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or '\'')
                    i--;
                tokens.Add(new(RequestTokenKind.Url, start, i, s[start..i]));
            }
            else if (IsDigit(c))
            {
                i = ReadNumeric(s, i, tokens);
            }
            else if (IsWordChar(c))
            {
                i = ReadWord(s, i);
                tokens.Add(new(RequestTokenKind.Word, start, i, s[start..i].ToLowerInvariant()));
            }
            else if (c == '.' && FileExtensionAfterDot(s, i) is { } extension)
            {
                // ".png": a file extension, not the end of a sentence.
                i += extension.Length + 1;
                tokens.Add(new(RequestTokenKind.Word, start, i, extension));
            }
            else if (IsPunct(c))
            {
                i++;
                if (c is '.' or '!' or '?')
                {
                    while (i < s.Length && s[i] is '.' or '!' or '?')
                        i++;
                }
                tokens.Add(new(RequestTokenKind.Punct, start, i, c.ToString()));
            }
            else
            {
                while (i < s.Length && s[i] is not (' ' or '\n' or '"') && !IsWordChar(s[i]) && !IsPunct(s[i]))
                    i++;
                if (i == start)
                    i++;
                tokens.Add(new(RequestTokenKind.Other, start, i, s[start..i]));
            }
        }
        return tokens;
    }

    /// <summary>Sentence ends: a token after one of these starts a new sentence.</summary>
    public static bool IsTerminator(RequestToken token) =>
        token.Kind == RequestTokenKind.Newline
        || (token.Kind == RequestTokenKind.Punct && token.Lower is "." or "!" or "?" or ";");

    /// <summary>Marks between the parts of one sentence: "cats, watercolor - 16:9 (no text)".</summary>
    public static bool IsSeparator(RequestToken token) =>
        token.Kind == RequestTokenKind.Punct && token.Lower is "," or ":" or "-" or "–" or "—" or "(" or ")" or "[" or "]";

    private static bool StartsUrl(string s, int i) =>
        s.AsSpan(i).StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || s.AsSpan(i).StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || c == '_'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static bool IsPunct(char c) =>
        c is ',' or '.' or ';' or ':' or '!' or '?' or '(' or ')' or '[' or ']' or '{' or '}' or '-' or '–' or '—'
            or '/' or '\\' or '#' or '=' or '%' or '&' or '+' or '*' or '<' or '>' or '|' or '~' or '^' or '@' or '$' or '\'' or '`';

    /// <summary>A word: word characters, with apostrophes, hyphens and underscores allowed between them.</summary>
    private static int ReadWord(string s, int i)
    {
        while (i < s.Length)
        {
            if (IsWordChar(s[i]))
                i++;
            else if (s[i] is '\'' or '-' && i + 1 < s.Length && IsWordChar(s[i + 1]))
                i++;
            else
                break;
        }
        return i;
    }

    private static string? FileExtensionAfterDot(string s, int i)
    {
        if (i > 0 && IsWordChar(s[i - 1]))
            return null;
        var end = i + 1;
        while (end < s.Length && char.IsAsciiLetter(s[end]))
            end++;
        if (end < s.Length && IsWordChar(s[end]))
            return null;
        var extension = s[(i + 1)..end].ToLowerInvariant();
        return extension is "png" or "jpg" or "jpeg" or "webp" ? extension : null;
    }

    private static int Digits(string s, int i)
    {
        while (i < s.Length && IsDigit(s[i]))
            i++;
        return i;
    }

    /// <summary>A size ("1024x768", "1920 × 1080 px"), a ratio ("16:9"), a number ("1,000") or a word starting with a digit ("1920s", "4k").</summary>
    private static int ReadNumeric(string s, int start, List<RequestToken> tokens)
    {
        var first = Digits(s, start);

        // Size: both sides at least two digits, so "a 2x2 grid" and "8x10 print" stay words.
        var j = SkipPx(s, first);
        var k = SkipSpaces(s, j);
        if (first - start >= 2 && k < s.Length && s[k] is 'x' or 'X' or '×' or '*')
        {
            var m = SkipSpaces(s, k + 1);
            var second = Digits(s, m);
            if (second - m >= 2)
            {
                var end = SkipPx(s, second);
                if (end >= s.Length || !IsWordChar(s[end]))
                {
                    tokens.Add(new(RequestTokenKind.Size, start, end, $"{s[start..first]}x{s[m..second]}"));
                    return end;
                }
            }
        }

        // Ratio: "16:9", "2.39:1"; not "10:30am".
        var whole = first;
        if (whole + 1 < s.Length && s[whole] == '.' && IsDigit(s[whole + 1]))
            whole = Digits(s, whole + 1);
        if (whole + 1 < s.Length && s[whole] == ':' && IsDigit(s[whole + 1]))
        {
            var after = Digits(s, whole + 1);
            if (after + 1 < s.Length && s[after] == '.' && IsDigit(s[after + 1]))
                after = Digits(s, after + 1);
            if (after >= s.Length || !IsWordChar(s[after]))
            {
                tokens.Add(new(RequestTokenKind.Ratio, start, after, s[start..after]));
                return after;
            }
        }

        // Number with thousands separators ("1,000") or a decimal part ("2.5").
        var i = first;
        while (i + 3 < s.Length && s[i] == ',' && Digits(s, i + 1) == i + 4)
            i += 4;
        if (i + 1 < s.Length && s[i] == '.' && IsDigit(s[i + 1]))
            i = Digits(s, i + 1);
        if (i < s.Length && IsWordChar(s[i]))
        {
            // "1920s", "4k", "3d", "8-bit": a word.
            var wordEnd = ReadWord(s, start);
            tokens.Add(new(RequestTokenKind.Word, start, wordEnd, s[start..wordEnd].ToLowerInvariant()));
            return wordEnd;
        }
        if (i < s.Length && s[i] is '-' or '\'' && i + 1 < s.Length && IsWordChar(s[i + 1]))
        {
            var wordEnd = ReadWord(s, start);
            tokens.Add(new(RequestTokenKind.Word, start, wordEnd, s[start..wordEnd].ToLowerInvariant()));
            return wordEnd;
        }
        tokens.Add(new(RequestTokenKind.Number, start, i, s[start..i]));
        return i;
    }

    private static int SkipPx(string s, int i) =>
        i + 1 < s.Length && (s[i] is 'p' or 'P') && (s[i + 1] is 'x' or 'X') && (i + 2 >= s.Length || !char.IsLetter(s[i + 2])) ? i + 2 : i;

    private static int SkipSpaces(string s, int i)
    {
        while (i < s.Length && s[i] == ' ')
            i++;
        return i;
    }
}
