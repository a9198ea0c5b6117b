using System.IO.Compression;
using System.Text;

namespace Easel.Imaging.Png;

/// <summary>Reads tEXt, zTXt and iTXt chunks; writes tEXt (ASCII) or iTXt (anything else) chunks.</summary>
internal static class PngTextChunks
{
    // Writes throw on unpaired surrogates instead of silently storing U+FFFD.
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsText(uint type) => type is PngChunkType.Text or PngChunkType.ZText or PngChunkType.IText;

    /// <summary>Parses one text chunk; <paramref name="budget"/> is the number of text bytes still allowed.</summary>
    public static KeyValuePair<string, string> Parse(uint type, ReadOnlySpan<byte> data, ref long budget, long maxTextBytes)
    {
        var name = PngChunkType.Name(type);
        var separator = data.IndexOf((byte)0);
        if (separator < 0)
            throw new ImageFormatException($"The {name} chunk has no keyword terminator.");
        if (separator is < 1 or > 79)
            throw new ImageFormatException($"The {name} chunk has a keyword of {separator} bytes; keywords have 1-79.");
        var keyword = Encoding.Latin1.GetString(data[..separator]);
        var rest = data[(separator + 1)..];
        string text;
        switch (type)
        {
            case PngChunkType.Text:
                Spend(rest.Length, ref budget, maxTextBytes);
                text = Encoding.Latin1.GetString(rest);
                break;
            case PngChunkType.ZText:
                if (rest.IsEmpty || rest[0] != 0)
                    throw new ImageFormatException($"The zTXt chunk '{keyword}' uses an unknown compression method.");
                text = Encoding.Latin1.GetString(Inflate(rest[1..], ref budget, maxTextBytes, name));
                break;
            default:
                if (rest.Length < 2 || rest[0] > 1 || (rest[0] == 1 && rest[1] != 0))
                    throw new ImageFormatException($"The iTXt chunk '{keyword}' has an invalid compression flag or method.");
                var compressed = rest[0] == 1;
                rest = rest[2..];
                // Skip the language tag and the translated keyword.
                for (var field = 0; field < 2; field++)
                {
                    var end = rest.IndexOf((byte)0);
                    if (end < 0)
                        throw new ImageFormatException($"The iTXt chunk '{keyword}' is missing its language tag or translated keyword terminator.");
                    rest = rest[(end + 1)..];
                }

                if (compressed)
                {
                    text = Encoding.UTF8.GetString(Inflate(rest, ref budget, maxTextBytes, name));
                }
                else
                {
                    Spend(rest.Length, ref budget, maxTextBytes);
                    text = Encoding.UTF8.GetString(rest);
                }

                break;
        }

        return new(keyword, text);
    }

    /// <summary>
    /// The chunk for one entry: tEXt when the text is plain ASCII (the same bytes under every reading,
    /// and ImageMagick 6 shows only tEXt/zTXt), else an uncompressed UTF-8 iTXt chunk with no language
    /// tag or translated keyword. Call <see cref="Validate"/> first.
    /// </summary>
    public static (uint Type, byte[] Data) Create(string keyword, string text)
    {
        if (Ascii.IsValid(text))
        {
            var plain = new byte[keyword.Length + 1 + text.Length];
            Encoding.Latin1.GetBytes(keyword, plain);
            Encoding.ASCII.GetBytes(text, plain.AsSpan(keyword.Length + 1));
            return (PngChunkType.Text, plain);
        }

        byte[] value;
        try
        {
            value = _strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The PNG text for keyword \"{keyword}\" is not valid Unicode (unpaired surrogate).", ex);
        }

        var data = new byte[keyword.Length + 5 + value.Length];
        Encoding.Latin1.GetBytes(keyword, data);
        // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL.
        value.CopyTo(data.AsSpan(keyword.Length + 5));
        return (PngChunkType.IText, data);
    }

    /// <summary>Checks a text entry for writing; keywords follow the PNG rules for tEXt/iTXt.</summary>
    public static void Validate(KeyValuePair<string, string> entry, string paramName)
    {
        var keyword = entry.Key ?? throw new ArgumentException("A PNG text keyword is null.", paramName);
        var valid = keyword.Length is >= 1 and <= 79
            && keyword[0] != ' ' && keyword[^1] != ' ' && !keyword.Contains("  ", StringComparison.Ordinal);
        foreach (var c in keyword)
            valid &= c is (>= ' ' and <= '~') or (>= '\u00A1' and <= '\u00FF');
        if (!valid)
        {
            throw new ArgumentException(
                $"PNG text keyword \"{keyword}\" is invalid: a keyword must be 1-79 printable Latin-1 characters " +
                "(codes 32-126 or 161-255) without leading, trailing or consecutive spaces.", paramName);
        }

        if (entry.Value is null)
            throw new ArgumentException($"The PNG text for keyword \"{keyword}\" is null.", paramName);
        if (entry.Value.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"The PNG text for keyword \"{keyword}\" contains a NUL character, which PNG text must not contain.", paramName);
    }

    private static void Spend(long bytes, ref long budget, long maxTextBytes)
    {
        budget -= bytes;
        if (budget < 0)
            throw new ImageFormatException($"The PNG text chunks hold more than the MaxTextBytes limit of {maxTextBytes} bytes.");
    }

    /// <summary>Inflates compressed text, never past the remaining budget (a tiny chunk can be a zlib bomb).</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> compressed, ref long budget, long maxTextBytes, string chunkName)
    {
        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                Spend(read, ref budget, maxTextBytes);
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImageFormatException($"The {chunkName} chunk holds corrupt compressed text: {ex.Message}", ex);
        }

        return output.ToArray();
    }
}
