using System.Buffers.Binary;
using System.IO.Compression;

namespace Easel.Imaging.Png;

/// <summary>
/// Encodes an <see cref="RgbaImage"/> as an 8-bit PNG: colour type 2 (RGB) when every pixel is
/// opaque, else 6 (RGBA); not interlaced; text entries before the image data, as tEXt chunks when
/// the text is plain ASCII and as UTF-8 iTXt chunks otherwise.
/// </summary>
public static class PngEncoder
{
    // IDAT chunk size: large enough that chunk overhead is negligible, small enough to stream.
    private const int IdatChunkBytes = 64 * 1024;

    public static byte[] Encode(RgbaImage image, PngEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        // A starting guess; the stream grows if the image compresses less than 8:1.
        using var output = new MemoryStream((image.Pixels.Length / 8) + 1024);
        Encode(image, output, options);
        return output.ToArray();
    }

    public static void Encode(RgbaImage image, Stream output, PngEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        options ??= PngEncoderOptions.Default;
        if (options.CompressionLevel is < 0 or > 9)
            throw new ArgumentOutOfRangeException(nameof(options), options.CompressionLevel, "PNG CompressionLevel must be 0 (store) to 9.");
        if (!Enum.IsDefined(options.Filter))
            throw new ArgumentOutOfRangeException(nameof(options), $"Unknown PNG filter strategy {options.Filter}.");
        ArgumentNullException.ThrowIfNull(options.Text, nameof(options));
        // Validate every entry before writing a byte, so a bad keyword leaves the stream untouched.
        var textChunks = new List<(uint Type, byte[] Data)>(options.Text.Count);
        foreach (var entry in options.Text)
        {
            PngTextChunks.Validate(entry, nameof(options));
            textChunks.Add(PngTextChunks.Create(entry.Key, entry.Value));
        }

        var opaque = image.IsOpaque();
        output.Write(PngChunkReader.Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;
        header[9] = (byte)(opaque ? PngColorType.Rgb : PngColorType.Rgba);
        // Compression, filter and interlace methods stay 0.
        PngChunkWriter.Write(output, PngChunkType.Ihdr, header);
        foreach (var (type, data) in textChunks)
            PngChunkWriter.Write(output, type, data);

        var idat = new IdatStream(output);
        var zlibOptions = new ZLibCompressionOptions { CompressionLevel = options.CompressionLevel };
        using (var zlib = new ZLibStream(idat, zlibOptions, leaveOpen: true))
            WriteRows(image, opaque ? 3 : 4, options.Filter, zlib);
        idat.Finish();
        PngChunkWriter.Write(output, PngChunkType.Iend, []);
    }

    private static void WriteRows(RgbaImage image, int channels, PngFilterStrategy strategy, Stream zlib)
    {
        var rowBytes = image.Width * channels;
        var current = new byte[PngFilters.FrontPad + rowBytes];
        var previous = new byte[current.Length]; // zeros: the row above the first row
        // One output buffer per filter type; byte 0 is the filter type written before the row.
        var filtered = new byte[5][];
        for (var f = 0; f < 5; f++)
        {
            filtered[f] = new byte[1 + rowBytes];
            filtered[f][0] = (byte)f;
        }

        var fixedFilter = strategy == PngFilterStrategy.Adaptive ? -1 : (int)strategy - 1;
        for (var y = 0; y < image.Height; y++)
        {
            var raw = current.AsSpan(PngFilters.FrontPad, rowBytes);
            var pixels = image.ReadOnlyRow(y);
            if (channels == 4)
                pixels.CopyTo(raw);
            else
                DropAlpha(pixels, raw);

            int best;
            if (fixedFilter >= 0)
            {
                best = fixedFilter;
                PngFilters.Filter(best, current, previous, rowBytes, channels, filtered[best].AsSpan(1));
            }
            else
            {
                best = 0;
                var bestCost = long.MaxValue;
                for (var f = 0; f < 5; f++)
                {
                    var cost = PngFilters.Filter(f, current, previous, rowBytes, channels, filtered[f].AsSpan(1));
                    if (cost < bestCost)
                        (best, bestCost) = (f, cost);
                }
            }

            zlib.Write(filtered[best]);
            (current, previous) = (previous, current);
        }
    }

    private static void DropAlpha(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        for (int i = 0, o = 0; i < rgba.Length; i += 4, o += 3)
        {
            rgb[o] = rgba[i];
            rgb[o + 1] = rgba[i + 1];
            rgb[o + 2] = rgba[i + 2];
        }
    }

    /// <summary>Cuts the zlib stream into IDAT chunks as it is written.</summary>
    private sealed class IdatStream(Stream output) : Stream
    {
        private readonly byte[] _buffer = new byte[IdatChunkBytes];
        private int _count;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _buffer.Length - _count);
                buffer[..n].CopyTo(_buffer.AsSpan(_count));
                _count += n;
                buffer = buffer[n..];
                if (_count == _buffer.Length)
                    Finish();
            }
        }

        /// <summary>Writes whatever is buffered as one more IDAT chunk.</summary>
        public void Finish()
        {
            if (_count == 0)
                return;
            PngChunkWriter.Write(output, PngChunkType.Idat, _buffer.AsSpan(0, _count));
            _count = 0;
        }

        // Chunks are cut by size, not by zlib's flushes.
        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
