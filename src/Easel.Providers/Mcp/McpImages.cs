using System.Buffers.Binary;
using Easel.Imaging;
using Easel.Imaging.Formats;
using Easel.Imaging.Png;

namespace Easel.Providers.Mcp;

/// <summary>
/// Checks that an image from an MCP server is one Easel can keep and read: a PNG is decoded in full
/// (the gallery adds text chunks to it and makes thumbnails from it), other formats are checked by
/// their header. A PNG whose only fault is a damaged ancillary chunk (a colour profile or metadata
/// with a wrong CRC) loses that chunk, as libpng and browsers do by default, instead of the image;
/// the reference MCP server's own sample image is such a file.
/// </summary>
internal static class McpImages
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>The bytes to keep (repaired when needed) and their media type, from the bytes themselves.</summary>
    /// <exception cref="ImageFormatException">Not an image Easel can read.</exception>
    public static (byte[] Bytes, string MediaType) Readable(byte[] bytes)
    {
        var header = ImageHeader.Read(bytes);
        if (header.Format != ImageFileFormat.Png)
            return (bytes, header.MediaType);
        try
        {
            PngDecoder.Decode(bytes);
            return (bytes, header.MediaType);
        }
        catch (ImageFormatException) when (WithoutDamagedAncillaryChunks(bytes) is { } repaired)
        {
            PngDecoder.Decode(repaired);
            return (repaired, header.MediaType);
        }
    }

    /// <summary>The PNG without its ancillary chunks whose CRC is wrong; null when none is, or when a critical chunk or the framing is damaged.</summary>
    internal static byte[]? WithoutDamagedAncillaryChunks(ReadOnlySpan<byte> png)
    {
        const int signature = 8;
        using var output = new MemoryStream(png.Length);
        output.Write(png[..signature]);
        var dropped = false;
        var offset = signature;
        while (offset + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length > int.MaxValue || offset + 12 + (long)length > png.Length)
                return null;
            var chunk = png.Slice(offset, 12 + (int)length);
            var typeAndData = chunk[4..^4];
            var stored = BinaryPrimitives.ReadUInt32BigEndian(chunk[^4..]);
            // Bit 5 of the first type byte: lower case means ancillary, which a reader may skip.
            var ancillary = (typeAndData[0] & 0x20) != 0;
            if (Crc(typeAndData) == stored)
                output.Write(chunk);
            else if (ancillary)
                dropped = true;
            else
                return null;
            offset += chunk.Length;
            if (typeAndData[..4].SequenceEqual("IEND"u8))
                break;
        }
        return dropped ? output.ToArray() : null;
    }

    internal static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
