using System.Buffers.Binary;
using Easel.Imaging.Png;

namespace Easel.Imaging.Formats;

/// <summary>The image formats Easel accepts as input from users (reference images).</summary>
public enum ImageFileFormat
{
    Png,
    Jpeg,
    WebP,
    Gif,
}

/// <summary>What an image's header says: its format, found from magic bytes, and its size in pixels.</summary>
public readonly record struct ImageHeaderInfo(ImageFileFormat Format, int Width, int Height)
{
    public string MediaType => ImageHeader.MediaTypeOf(Format);

    public long Pixels => (long)Width * Height;
}

/// <summary>
/// Identifies PNG, JPEG, WebP and GIF data by its magic bytes and reads the pixel size from the
/// header alone, so an untrusted file can be checked (type, dimensions) before anything decodes
/// it. The declared Content-Type of a download and a file's extension are never trusted.
/// </summary>
public static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => [137, 80, 78, 71, 13, 10, 26, 10];
    private static ReadOnlySpan<byte> Gif87 => "GIF87a"u8;
    private static ReadOnlySpan<byte> Gif89 => "GIF89a"u8;
    private static ReadOnlySpan<byte> Riff => "RIFF"u8;
    private static ReadOnlySpan<byte> Webp => "WEBP"u8;

    public static string MediaTypeOf(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => "image/png",
        ImageFileFormat.Jpeg => "image/jpeg",
        ImageFileFormat.WebP => "image/webp",
        ImageFileFormat.Gif => "image/gif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
    };

    /// <summary>The format whose signature the data starts with, or null when none matches.</summary>
    public static ImageFileFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
            return ImageFileFormat.Png;
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
            return ImageFileFormat.Jpeg;
        if (data.Length >= 12 && data.StartsWith(Riff) && data.Slice(8, 4).SequenceEqual(Webp))
            return ImageFileFormat.WebP;
        if (data.StartsWith(Gif87) || data.StartsWith(Gif89))
            return ImageFileFormat.Gif;
        return null;
    }

    /// <summary>
    /// Reads the format and the size in pixels without decoding pixel data.
    /// </summary>
    /// <exception cref="ImageFormatException">Empty, unknown, truncated or corrupt header, or a zero width or height.</exception>
    public static ImageHeaderInfo Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            throw new ImageFormatException("The image data is empty.");
        var info = Sniff(data) switch
        {
            ImageFileFormat.Png => ReadPng(data),
            ImageFileFormat.Jpeg => ReadJpeg(data),
            ImageFileFormat.WebP => ReadWebP(data),
            ImageFileFormat.Gif => ReadGif(data),
            _ => throw Unrecognised(data),
        };
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageFormatException($"The {Name(info.Format)} declares a zero width or height ({info.Width}x{info.Height} pixels).");
        return info;
    }

    private static ImageFormatException Unrecognised(ReadOnlySpan<byte> data)
    {
        // A cut-off signature is a truncated file, not an unknown one.
        if (data.Length < PngSignature.Length && PngSignature.StartsWith(data))
            return Truncated("PNG", $"only {data.Length} of the 8 signature bytes are present");
        if (data.Length < 3 && data[0] == 0xFF && (data.Length == 1 || data[1] == 0xD8))
            return Truncated("JPEG", $"only {data.Length} bytes are present");
        if (data.Length < 6 && (Gif87.StartsWith(data) || Gif89.StartsWith(data)))
            return Truncated("GIF", $"only {data.Length} of the 6 signature bytes are present");
        if (data.Length < 12 && Riff.StartsWith(data[..Math.Min(4, data.Length)]))
            return Truncated("WebP", $"only {data.Length} of the 12 RIFF header bytes are present");

        // Whitespace and a UTF-8 byte order mark may precede the markup.
        var start = data.TrimStart(" \t\r\n\uFEFF"u8);
        var hint = !start.IsEmpty && start[0] == (byte)'<' ? " It looks like HTML or XML text." : "";
        var head = Convert.ToHexString(data[..Math.Min(8, data.Length)]);
        return new ImageFormatException($"Not a PNG, JPEG, WebP or GIF image: the first bytes (0x{head}) match no known signature.{hint}");
    }

    private static ImageHeaderInfo ReadPng(ReadOnlySpan<byte> data)
    {
        // Signature (8), IHDR length (4), type (4), data (13), CRC (4).
        const int needed = 33;
        if (data.Length < needed)
            throw Truncated("PNG", $"the header needs {needed} bytes, only {data.Length} are present");
        var length = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        var type = data.Slice(12, 4);
        if (!type.SequenceEqual("IHDR"u8))
            throw new ImageFormatException($"The PNG is corrupt: its first chunk must be IHDR but is 0x{Convert.ToHexString(type)}.");
        if (length != 13)
            throw new ImageFormatException($"The PNG is corrupt: its IHDR chunk declares {length} data bytes instead of 13.");
        var crc = BinaryPrimitives.ReadUInt32BigEndian(data[29..]);
        if (Crc32.Compute(data.Slice(12, 17)) != crc)
            throw new ImageFormatException("The PNG is corrupt: the CRC of its IHDR chunk does not match.");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        if (width > int.MaxValue || height > int.MaxValue)
            throw new ImageFormatException($"The PNG is corrupt: it declares {width}x{height} pixels, over the format's limit of 2^31-1 per side.");
        return new ImageHeaderInfo(ImageFileFormat.Png, (int)width, (int)height);
    }

    /// <summary>Walks the marker segments after SOI up to the first frame header (SOFn), which holds the size.</summary>
    private static ImageHeaderInfo ReadJpeg(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        while (true)
        {
            if (pos >= data.Length)
                throw Truncated("JPEG", $"it ends at offset {pos}, before the frame header (SOF) that holds the size");
            if (data[pos] != 0xFF)
                throw new ImageFormatException($"The JPEG is corrupt: expected a marker (0xFF) at offset {pos} but found 0x{data[pos]:X2}.");
            var markerAt = pos;
            while (pos < data.Length && data[pos] == 0xFF)
                pos++; // fill bytes
            if (pos >= data.Length)
                throw Truncated("JPEG", $"it ends inside the marker at offset {markerAt}");
            var marker = data[pos++];
            switch (marker)
            {
                case 0x00:
                    throw new ImageFormatException($"The JPEG is corrupt: invalid marker 0xFF00 at offset {markerAt}.");
                case 0x01:
                case >= 0xD0 and <= 0xD7:
                    continue; // TEM and RSTn stand alone, without a length
                case 0xD8:
                    throw new ImageFormatException($"The JPEG is corrupt: a second start-of-image marker at offset {markerAt}.");
                case 0xD9:
                    throw new ImageFormatException($"The JPEG is corrupt: it ends (EOI at offset {markerAt}) without a frame header (SOF).");
                case 0xDA:
                    throw new ImageFormatException($"The JPEG is corrupt: scan data (SOS at offset {markerAt}) comes before any frame header (SOF).");
            }

            if (pos + 2 > data.Length)
                throw Truncated("JPEG", $"it ends inside the length of the segment at offset {markerAt}");
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2)
                throw new ImageFormatException($"The JPEG is corrupt: the segment 0xFF{marker:X2} at offset {markerAt} has an invalid length of {length}.");
            if (IsStartOfFrame(marker))
            {
                // Length (2), precision (1), height (2), width (2), component count (1).
                if (length < 8)
                    throw new ImageFormatException($"The JPEG is corrupt: its frame header at offset {markerAt} is {length} bytes, too short to hold a size.");
                if (pos + length > data.Length)
                    throw Truncated("JPEG", $"it ends inside the frame header at offset {markerAt}");
                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 3)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 5)..]);
                if (height == 0)
                    throw new ImageFormatException("The JPEG declares a zero height (to be defined later by a DNL marker), which is not supported.");
                return new ImageHeaderInfo(ImageFileFormat.Jpeg, width, height);
            }

            pos += length;
        }
    }

    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static ImageHeaderInfo ReadWebP(ReadOnlySpan<byte> data)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (riffSize < 4)
            throw new ImageFormatException($"The WebP is corrupt: its RIFF header declares {riffSize} bytes.");
        if ((ulong)riffSize + 8 > (ulong)data.Length)
            throw Truncated("WebP", $"the RIFF header declares {(ulong)riffSize + 8} bytes, only {data.Length} are present");
        if (data.Length < 20)
            throw Truncated("WebP", $"it ends at {data.Length} bytes, before its first chunk header");

        var fourCc = data.Slice(12, 4);
        var chunkSize = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]);
        var payload = data[20..];
        if (fourCc.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3), start code 9D 01 2A (3), 14-bit width and height, each with 2 scale bits.
            Need(payload, chunkSize, 10, "VP8");
            if ((payload[0] & 1) != 0)
                throw new ImageFormatException("The WebP is corrupt: its VP8 frame is not a key frame.");
            if (payload[3] != 0x9D || payload[4] != 0x01 || payload[5] != 0x2A)
                throw new ImageFormatException("The WebP is corrupt: its VP8 frame lacks the start code 9D 01 2A.");
            var width = BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]) & 0x3FFF;
            var height = BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]) & 0x3FFF;
            return new ImageHeaderInfo(ImageFileFormat.WebP, width, height);
        }

        if (fourCc.SequenceEqual("VP8L"u8))
        {
            // Signature 0x2F, then 14 bits width-1, 14 bits height-1, 1 bit alpha, 3 bits version.
            Need(payload, chunkSize, 5, "VP8L");
            if (payload[0] != 0x2F)
                throw new ImageFormatException($"The WebP is corrupt: its VP8L signature byte is 0x{payload[0]:X2} instead of 0x2F.");
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
            if (bits >> 29 != 0)
                throw new ImageFormatException($"The WebP is corrupt: unknown VP8L version {bits >> 29}.");
            return new ImageHeaderInfo(ImageFileFormat.WebP, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        if (fourCc.SequenceEqual("VP8X"u8))
        {
            // Flags (1), reserved (3), canvas width-1 (24 bits), canvas height-1 (24 bits).
            Need(payload, chunkSize, 10, "VP8X");
            var width = (payload[4] | (payload[5] << 8) | (payload[6] << 16)) + 1;
            var height = (payload[7] | (payload[8] << 8) | (payload[9] << 16)) + 1;
            return new ImageHeaderInfo(ImageFileFormat.WebP, width, height);
        }

        throw new ImageFormatException($"The WebP is corrupt: its first chunk is 0x{Convert.ToHexString(fourCc)}, not VP8, VP8L or VP8X.");
    }

    private static void Need(ReadOnlySpan<byte> payload, uint chunkSize, int bytes, string chunk)
    {
        if (chunkSize < bytes)
            throw new ImageFormatException($"The WebP is corrupt: its {chunk} chunk declares {chunkSize} bytes, too few for a header of {bytes}.");
        if (payload.Length < bytes)
            throw Truncated("WebP", $"its {chunk} header needs {bytes} bytes, only {payload.Length} are present");
    }

    private static ImageHeaderInfo ReadGif(ReadOnlySpan<byte> data)
    {
        // Signature (6), then the logical screen descriptor: width, height (16-bit LE), flags, background, aspect.
        const int needed = 13;
        if (data.Length < needed)
            throw Truncated("GIF", $"the header needs {needed} bytes, only {data.Length} are present");
        return new ImageHeaderInfo(
            ImageFileFormat.Gif,
            BinaryPrimitives.ReadUInt16LittleEndian(data[6..]),
            BinaryPrimitives.ReadUInt16LittleEndian(data[8..]));
    }

    private static ImageFormatException Truncated(string format, string detail) =>
        new($"The {format} data is truncated: {detail}.");

    private static string Name(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => "PNG",
        ImageFileFormat.Jpeg => "JPEG",
        ImageFileFormat.WebP => "WebP",
        _ => "GIF",
    };
}
