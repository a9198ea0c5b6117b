using System.Text;

namespace Easel.Storage.Sqlite;

/// <summary>Turns what a user typed into an FTS5 query that cannot be a syntax error.</summary>
internal static class FtsQuery
{
    /// <summary>
    /// Every whitespace-separated word becomes a quoted FTS5 string (quotes doubled inside), so
    /// operators (AND, NEAR, -, *, ^, column:) are plain text; words are ANDed and the last one
    /// is prefix-matched. Inside a string the tokenizer splits on punctuation, so "red-fox"
    /// finds the phrase "red fox". Words of ASCII punctuation only ("-", "&amp;", "*") are dropped:
    /// unicode61 makes no token of them, and they would otherwise take the last word's prefix.
    /// Null when no word is left (no text filter).
    /// </summary>
    public static string? Build(string? text)
    {
        if (text is null)
            return null;

        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            // Control characters (NUL in particular would end the query early in SQLite's C
            // parser, leaving an unterminated string) separate words like spaces do.
            var separator = i == text.Length || char.IsWhiteSpace(text[i]) || char.IsControl(text[i]);
            if (!separator)
            {
                if (start < 0)
                    start = i;
                continue;
            }
            if (start >= 0)
            {
                var word = text[start..i];
                if (!word.All(c => char.IsAscii(c) && !char.IsAsciiLetterOrDigit(c)))
                    words.Add(word);
                start = -1;
            }
        }

        if (words.Count == 0)
            return null;
        var query = new StringBuilder(text.Length + 3 * words.Count);
        foreach (var word in words)
            query.Append('"').Append(word.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\" ");
        query.Length--; // the trailing space
        return query.Append('*').ToString();
    }
}
