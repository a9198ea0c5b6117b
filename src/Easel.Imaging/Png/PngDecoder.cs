using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Easel.Imaging.Png;

/// <summary>
/// Decodes PNG files of every standard bit depth and colour type, interlaced or not, to 8-bit RGBA.
/// 16-bit samples become 8-bit exactly as in ImageMagick 6's <c>-depth 8</c> output (colour
/// floor(v / 257), alpha ceil(v / 257)); lower depths scale exactly (a 4-bit v becomes v * 17).
/// Colour management chunks (gAMA, cHRM, sRGB, iCCP) are ignored: samples are returned as stored,
/// as most viewers do for web images. Other unknown ancillary chunks are skipped; unknown critical
/// chunks are refused. Hostile input fails with <see cref="ImageFormatException"/> and never makes
/// the decoder allocate more than the declared image (capped by <see cref="PngDecoderOptions.MaxPixels"/>)
/// needs: image data is inflated no further than one byte past the image's size.
/// </summary>
public static class PngDecoder
{
    // The best deflate can do is about 1032:1, so less IDAT than this cannot hold the image.
    private const int MaxDeflateRatio = 1032;

    // Adam7 passes: x offset, y offset, x step, y step.
    private static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    /// <summary>Reads only the signature and IHDR: dimensions, bit depth, colour type, interlacing.</summary>
    public static PngInfo ReadInfo(ReadOnlySpan<byte> png)
    {
        var reader = new PngChunkReader(png);
        reader.MoveNext();
        return reader.Header;
    }

    /// <summary>Reads the stream to its end, but never more than <see cref="PngDecoderOptions.MaxInputBytes"/>, and decodes it.</summary>
    public static PngImage Decode(Stream stream, PngDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= PngDecoderOptions.Default;
        var (buffer, length) = ReadBounded(stream, options.MaxInputBytes);
        try
        {
            return Decode(buffer.AsSpan(0, length), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static PngImage Decode(ReadOnlySpan<byte> png, PngDecoderOptions? options = null)
    {
        options ??= PngDecoderOptions.Default;
        if (png.Length > options.MaxInputBytes)
            throw new ImageFormatException($"The PNG data is {png.Length} bytes, over the MaxInputBytes limit of {options.MaxInputBytes}.");

        var reader = new PngChunkReader(png);
        var text = new List<KeyValuePair<string, string>>();
        var textBudget = options.MaxTextBytes;
        ReadOnlySpan<byte> palette = default;
        ReadOnlySpan<byte> transparency = default;
        var hasTransparency = false;
        var idat = new List<(int Start, int Length)>();
        long idatBytes = 0;
        while (reader.MoveNext())
        {
            var data = reader.Data;
            switch (reader.Type)
            {
                case PngChunkType.Ihdr:
                    CheckPixelLimit(reader.Header, options);
                    break;
                case PngChunkType.Plte:
                    if (data.Length % 3 != 0 || data.Length is 0 or > 768)
                        throw new ImageFormatException($"The PLTE chunk has {data.Length} bytes; it must hold 1-256 RGB entries (a multiple of 3 bytes).");
                    palette = data;
                    break;
                case PngChunkType.Trns:
                    if (reader.SeenIdat)
                        throw new ImageFormatException("The tRNS chunk comes after the image data (IDAT); it must come before.");
                    if (hasTransparency)
                        throw new ImageFormatException("Duplicate tRNS chunk.");
                    CheckTransparency(reader.Header.ColorType, data, reader.SeenPalette, palette.Length / 3);
                    transparency = data;
                    hasTransparency = true;
                    break;
                case PngChunkType.Idat:
                    idat.Add((reader.Offset + 8, data.Length));
                    idatBytes += data.Length;
                    break;
                case var type when PngTextChunks.IsText(type):
                    text.Add(PngTextChunks.Parse(type, data, ref textBudget, options.MaxTextBytes));
                    break;
            }
        }

        var header = reader.Header;
        var expected = ExpectedDataBytes(header);
        if (expected > (idatBytes * MaxDeflateRatio) + 1024)
        {
            throw new ImageFormatException(
                $"The image data is truncated: {idatBytes} compressed bytes cannot hold the {expected} bytes a {header.Width}x{header.Height} image needs.");
        }

        var converter = new PngPixelConverter(header, palette, hasTransparency ? transparency : default);
        var image = new RgbaImage(header.Width, header.Height);
        var compressed = ArrayPool<byte>.Shared.Rent((int)idatBytes);
        try
        {
            var length = 0;
            foreach (var (start, count) in idat)
            {
                png.Slice(start, count).CopyTo(compressed.AsSpan(length));
                length += count;
            }

            using var input = new MemoryStream(compressed, 0, length, writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            DecodeImageData(zlib, header, converter, image, expected);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }

        return new PngImage(image, text, header.BitDepth, header.ColorType, header.Interlaced);
    }

    private static void CheckPixelLimit(PngInfo header, PngDecoderOptions options)
    {
        var limit = Math.Min(options.MaxPixels, RgbaImage.MaxPixels);
        var pixels = (long)header.Width * header.Height;
        if (pixels > limit)
            throw new ImageFormatException($"The image is {header.Width}x{header.Height} ({pixels} pixels), over the limit of {limit} pixels.");
    }

    private static void CheckTransparency(PngColorType colorType, ReadOnlySpan<byte> data, bool seenPalette, int paletteEntries)
    {
        switch (colorType)
        {
            case PngColorType.Palette:
                if (!seenPalette)
                    throw new ImageFormatException("The tRNS chunk comes before PLTE; it must come after.");
                if (data.Length > paletteEntries)
                    throw new ImageFormatException($"The tRNS chunk has {data.Length} alpha values but the palette has only {paletteEntries} entries.");
                break;
            case PngColorType.Grayscale when data.Length != 2:
            case PngColorType.Rgb when data.Length != 6:
                throw new ImageFormatException($"The tRNS chunk has {data.Length} bytes; a {colorType} image needs {(colorType == PngColorType.Rgb ? 6 : 2)}.");
            case PngColorType.GrayscaleAlpha or PngColorType.Rgba:
                throw new ImageFormatException("A tRNS chunk is not allowed in an image that has an alpha channel.");
        }
    }

    internal static int Channels(PngColorType colorType) => colorType switch
    {
        PngColorType.Rgb => 3,
        PngColorType.GrayscaleAlpha => 2,
        PngColorType.Rgba => 4,
        _ => 1,
    };

    private static int RowBytes(long width, int bitsPerPixel) => (int)(((width * bitsPerPixel) + 7) >> 3);

    /// <summary>Filter bytes plus packed rows over all passes: exactly what the zlib stream must inflate to.</summary>
    private static long ExpectedDataBytes(PngInfo header)
    {
        var bitsPerPixel = Channels(header.ColorType) * header.BitDepth;
        if (!header.Interlaced)
            return (long)header.Height * (1 + RowBytes(header.Width, bitsPerPixel));
        long total = 0;
        for (var pass = 0; pass < 7; pass++)
        {
            var (width, height) = PassSize(header, pass);
            if (width > 0 && height > 0)
                total += (long)height * (1 + RowBytes(width, bitsPerPixel));
        }

        return total;
    }

    private static (int Width, int Height) PassSize(PngInfo header, int pass)
    {
        var p = Adam7.Slice(pass * 4, 4);
        var width = header.Width > p[0] ? ((header.Width - p[0] + p[2] - 1) / p[2]) : 0;
        var height = header.Height > p[1] ? ((header.Height - p[1] + p[3] - 1) / p[3]) : 0;
        return (width, height);
    }

    private static void DecodeImageData(ZLibStream zlib, PngInfo header, PngPixelConverter converter, RgbaImage image, long expected)
    {
        var bitsPerPixel = Channels(header.ColorType) * header.BitDepth;
        var bpp = Math.Max(1, bitsPerPixel >> 3);
        var maxRowBytes = RowBytes(header.Width, bitsPerPixel);
        // raw: the filter type byte, the filtered row, slack for whole-vector loads.
        // current/previous: unfiltered rows, with a leading byte so all three line up.
        // The three live in one array, spaced so that no two are a multiple of 4 KB apart: otherwise
        // loads from one row falsely wait on recent stores to another ("4K aliasing"), which made
        // Sub/Paeth rows several times slower.
        var rowLength = 1 + maxRowBytes + PngFilters.Slack;
        var spacing = (((rowLength + 4095) / 4096) * 4096) + 1344;
        var rows = new byte[(2 * spacing) + rowLength];
        var raw = 0;
        var current = spacing;
        var previous = 2 * spacing;
        var passRow = header.Interlaced ? new uint[header.Width] : null;
        long consumed = 0;
        for (var pass = 0; pass < (header.Interlaced ? 7 : 1); pass++)
        {
            var (width, height) = header.Interlaced ? PassSize(header, pass) : (header.Width, header.Height);
            if (width == 0 || height == 0)
                continue; // empty passes have no rows at all, not even filter bytes
            var rowBytes = RowBytes(width, bitsPerPixel);
            rows.AsSpan(previous, rowLength).Clear();
            for (var y = 0; y < height; y++)
            {
                var row = rows.AsSpan(raw, 1 + rowBytes);
                ReadExactly(zlib, row, consumed, expected);
                consumed += row.Length;
                int filter = row[0];
                if (filter > 4)
                {
                    var where = header.Interlaced ? $"row {y} of Adam7 pass {pass + 1}" : $"row {y}";
                    throw new ImageFormatException($"Invalid filter type {filter} on {where}; PNG filter types are 0-4.");
                }

                PngFilters.Unfilter(
                    filter,
                    rows.AsSpan(raw + 1, rowLength - 1),
                    rows.AsSpan(previous + 1, rowLength - 1),
                    rows.AsSpan(current + 1, rowLength - 1),
                    rowBytes,
                    bpp);
                var samples = rows.AsSpan(current + 1, rowBytes);
                if (passRow is null)
                {
                    converter.Convert(samples, image.Row(y), width);
                }
                else
                {
                    var p = Adam7.Slice(pass * 4, 4);
                    converter.Convert(samples, MemoryMarshal.AsBytes(passRow.AsSpan(0, width)), width);
                    var target = MemoryMarshal.Cast<byte, uint>(image.Row(p[1] + (y * p[3])));
                    for (int i = 0, x = p[0]; i < width; i++, x += p[2])
                        target[x] = passRow[i];
                }

                (current, previous) = (previous, current);
            }
        }

        // Anything beyond the image is refused after reading a single extra byte, so a
        // zlib bomb is never inflated further than the image itself.
        Span<byte> extra = stackalloc byte[1];
        int more;
        try
        {
            more = zlib.Read(extra);
        }
        catch (InvalidDataException ex)
        {
            throw new ImageFormatException($"The image data (IDAT) is not valid zlib data after the last row: {ex.Message}", ex);
        }

        if (more > 0)
        {
            throw new ImageFormatException(
                $"The image data inflates to more than the {expected} bytes a {header.Width}x{header.Height} image needs (zlib bomb or corrupt file); decoding stopped there.");
        }
    }

    private static void ReadExactly(ZLibStream zlib, Span<byte> destination, long consumed, long expected)
    {
        while (!destination.IsEmpty)
        {
            int read;
            try
            {
                read = zlib.Read(destination);
            }
            catch (InvalidDataException ex)
            {
                throw new ImageFormatException($"The image data (IDAT) is not valid zlib data: {ex.Message}", ex);
            }

            if (read == 0)
                throw new ImageFormatException($"The image data ends after {consumed} of the {expected} bytes the image needs (truncated or corrupt IDAT).");
            destination = destination[read..];
            consumed += read;
        }
    }

    private static (byte[] Buffer, int Length) ReadBounded(Stream stream, long maxBytes)
    {
        var limit = (int)Math.Min(Math.Max(maxBytes, 0), Array.MaxLength - 1);
        var size = 64 * 1024;
        if (stream.CanSeek)
        {
            var remaining = stream.Length - stream.Position;
            if (remaining > limit)
                throw TooLarge(maxBytes);
            size = (int)Math.Max(remaining + 1, 1);
        }

        // Never ask the stream for more than limit + 1 bytes in total: one byte over proves it too large.
        var capacity = Math.Min(size, limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var total = 0;
        try
        {
            while (true)
            {
                if (total == capacity)
                {
                    capacity = (int)Math.Min(2L * capacity, limit + 1L);
                    if (capacity > buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(capacity);
                        buffer.AsSpan(0, total).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }

                var read = stream.Read(buffer, total, capacity - total);
                if (read == 0)
                    return (buffer, total);
                total += read;
                if (total > limit)
                    throw TooLarge(maxBytes);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static ImageFormatException TooLarge(long maxBytes) =>
        new($"The PNG stream is larger than the MaxInputBytes limit of {maxBytes} bytes.");
}
