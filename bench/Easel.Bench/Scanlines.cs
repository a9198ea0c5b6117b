using System.Buffers.Binary;
using System.IO.Compression;

namespace Easel.Bench;

/// <summary>
/// The filtered scanlines inside a PNG (its IDAT data inflated). Two files with the same
/// scanlines chose the same filter for every row, so any size difference is the compressor's.
/// </summary>
internal static class Scanlines
{
    public static byte[] Read(byte[] png)
    {
        using var idat = new MemoryStream();
        for (var offset = 8; offset + 12 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            if (png.AsSpan(offset + 4, 4).SequenceEqual("IDAT"u8))
                idat.Write(png, offset + 8, length);
            offset += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        zlib.CopyTo(inflated);
        return inflated.ToArray();
    }
}
