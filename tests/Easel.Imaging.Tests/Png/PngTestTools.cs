using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Easel.Imaging.Tests.Png;

/// <summary>
/// Builds PNG files byte by byte, independently of the codec under test (its own CRC and chunk
/// code), so tests can craft exactly the file a case needs, valid or broken.
/// </summary>
internal static class RawPng
{
    public static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static byte[] File(params byte[][] chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data) => Chunk(type, data, (uint)data.Length);

    /// <summary>A chunk whose length field says <paramref name="declaredLength"/>; the CRC is correct for the data given.</summary>
    public static byte[] Chunk(string type, ReadOnlySpan<byte> data, uint declaredLength)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, declaredLength);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4, 4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Ihdr(uint width, uint height, int bitDepth, int colorType, int interlace = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        data[8] = (byte)bitDepth;
        data[9] = (byte)colorType;
        data[12] = (byte)interlace;
        return Chunk("IHDR", data);
    }

    public static byte[] Iend() => Chunk("IEND", []);

    public static byte[] Zlib(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(data);
        return output.ToArray();
    }

    /// <summary>A complete file: IHDR, optional PLTE and tRNS, one IDAT holding <paramref name="scanlines"/> (filter bytes included), IEND.</summary>
    public static byte[] Image(int width, int height, int bitDepth, int colorType, byte[] scanlines, byte[]? palette = null, byte[]? transparency = null, bool interlaced = false)
    {
        var chunks = new List<byte[]> { Ihdr((uint)width, (uint)height, bitDepth, colorType, interlaced ? 1 : 0) };
        if (palette is not null)
            chunks.Add(Chunk("PLTE", palette));
        if (transparency is not null)
            chunks.Add(Chunk("tRNS", transparency));
        chunks.Add(Chunk("IDAT", Zlib(scanlines)));
        chunks.Add(Iend());
        return File([.. chunks]);
    }

    public static int Channels(int colorType) => colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };

    public static int RowBytes(int width, int bitDepth, int colorType) => ((width * bitDepth * Channels(colorType)) + 7) / 8;

    /// <summary>(width, height) of each Adam7 pass, or the whole image when not interlaced.</summary>
    public static IEnumerable<(int Width, int Height)> Passes(int width, int height, bool interlaced)
    {
        if (!interlaced)
        {
            yield return (width, height);
            yield break;
        }

        int[][] passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
        foreach (var p in passes)
            yield return ((width - p[0] + p[2] - 1) / p[2], (height - p[1] + p[3] - 1) / p[3]);
    }

    /// <summary>Random filtered scanlines: every row gets a random filter type and random bytes, which is always valid data.</summary>
    public static byte[] RandomScanlines(Random random, int width, int height, int bitDepth, int colorType, bool interlaced)
    {
        using var output = new MemoryStream();
        foreach (var (w, h) in Passes(width, height, interlaced))
        {
            if (w <= 0 || h <= 0)
                continue;
            var row = new byte[1 + RowBytes(w, bitDepth, colorType)];
            for (var y = 0; y < h; y++)
            {
                random.NextBytes(row);
                row[0] = (byte)random.Next(5);
                output.Write(row);
            }
        }

        return output.ToArray();
    }

    /// <summary>The chunk types of a file in order (test-side parser).</summary>
    public static List<string> ChunkTypes(byte[] png)
    {
        var types = new List<string>();
        for (var offset = 8; offset + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            types.Add(Encoding.ASCII.GetString(png, offset + 4, 4));
            offset += 12 + length;
        }

        return types;
    }

    /// <summary>The inflated IDAT stream of a file (test-side parser).</summary>
    public static byte[] InflatedImageData(byte[] png)
    {
        using var compressed = new MemoryStream();
        for (var offset = 8; offset + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (Encoding.ASCII.GetString(png, offset + 4, 4) == "IDAT")
                compressed.Write(png, offset + 8, length);
            offset += 12 + length;
        }

        compressed.Position = 0;
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Bit-by-bit CRC-32, deliberately unlike the codec's table-driven one.</summary>
    public static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return ~crc;
    }
}

internal static class RawPngEdits
{
    /// <summary>Recomputes every chunk's CRC, so a test's edits reach the checks behind the CRC check.</summary>
    public static byte[] FixCrcs(byte[] png)
    {
        var copy = (byte[])png.Clone();
        for (var offset = 8; offset + 12 <= copy.Length;)
        {
            var declared = BinaryPrimitives.ReadUInt32BigEndian(copy.AsSpan(offset));
            if (offset + 12L + declared > copy.Length)
                break;
            var length = (int)declared;
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset + 8 + length), RawPng.Crc(copy.AsSpan(offset + 4, 4 + length)));
            offset += 12 + length;
        }

        return copy;
    }
}

/// <summary>A forward-only stream over bytes that counts what was read from it.</summary>
internal sealed class TrickleStream(byte[] data) : Stream
{
    private int _position;

    public int BytesRead => _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        // Hand out at most 1000 bytes per call, as a network stream might.
        var n = Math.Min(Math.Min(count, 1000), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
