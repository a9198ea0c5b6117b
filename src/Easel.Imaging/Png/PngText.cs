namespace Easel.Imaging.Png;

/// <summary>Reads and adds PNG text chunks without touching the image data.</summary>
public static class PngText
{
    /// <summary>
    /// Returns a copy of <paramref name="png"/> with one text chunk per entry inserted before the first
    /// IDAT: tEXt for plain ASCII text, else uncompressed UTF-8 iTXt (as <see cref="PngEncoder"/> writes).
    /// The pixels are not re-encoded. The file's signature, chunk framing, CRCs and chunk order are
    /// checked first (<see cref="ImageFormatException"/>); bytes after IEND are dropped.
    /// Keywords are validated as for <see cref="PngEncoder"/> (<see cref="ArgumentException"/>).
    /// </summary>
    public static byte[] Add(ReadOnlySpan<byte> png, IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var chunks = new List<(uint Type, byte[] Data)>();
        foreach (var entry in entries)
        {
            PngTextChunks.Validate(entry, nameof(entries));
            chunks.Add(PngTextChunks.Create(entry.Key, entry.Value));
        }

        var reader = new PngChunkReader(png);
        var firstIdat = -1;
        var end = 0;
        while (reader.MoveNext())
        {
            if (reader.Type == PngChunkType.Idat && firstIdat < 0)
                firstIdat = reader.Offset;
            end = reader.Offset + reader.TotalLength;
        }

        var added = 0;
        foreach (var (_, data) in chunks)
            added += data.Length + 12;
        using var output = new MemoryStream(end + added);
        output.Write(png[..firstIdat]);
        foreach (var (type, data) in chunks)
            PngChunkWriter.Write(output, type, data);
        output.Write(png[firstIdat..end]);
        return output.ToArray();
    }

    /// <summary>The tEXt, zTXt and iTXt entries of a PNG, in file order; the whole file's structure and CRCs are checked.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(ReadOnlySpan<byte> png)
    {
        var reader = new PngChunkReader(png);
        var entries = new List<KeyValuePair<string, string>>();
        var maxTextBytes = PngDecoderOptions.Default.MaxTextBytes;
        var budget = maxTextBytes;
        while (reader.MoveNext())
        {
            if (PngTextChunks.IsText(reader.Type))
                entries.Add(PngTextChunks.Parse(reader.Type, reader.Data, ref budget, maxTextBytes));
        }

        return entries;
    }
}
