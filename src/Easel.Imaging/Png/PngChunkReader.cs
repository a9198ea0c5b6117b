using System.Buffers.Binary;

namespace Easel.Imaging.Png;

internal static class PngChunkType
{
    public const uint Ihdr = 0x49484452;
    public const uint Plte = 0x504C5445;
    public const uint Idat = 0x49444154;
    public const uint Iend = 0x49454E44;
    public const uint Trns = 0x74524E53;
    public const uint Text = 0x74455874;
    public const uint ZText = 0x7A545874;
    public const uint IText = 0x69545874;

    /// <summary>Bit 5 of the first type byte (lower case) marks an ancillary chunk.</summary>
    public static bool IsCritical(uint type) => (type & 0x2000_0000) == 0;

    public static string Name(uint type) => string.Create(4, type, static (span, t) =>
    {
        for (var i = 0; i < 4; i++)
            span[i] = (char)((t >> (24 - (8 * i))) & 0xFF);
    });
}

/// <summary>
/// Walks the chunks of a PNG held in memory and enforces what every reader of the file relies on:
/// the signature, chunk framing, the CRC of every chunk, and chunk order (IHDR first, PLTE before
/// consecutive IDATs, IEND last, no unknown critical chunks). Stops after IEND; bytes after it
/// are ignored, as libpng does.
/// </summary>
internal ref struct PngChunkReader
{
    private enum IdatState : byte { NotYet, Inside, After }

    private readonly ReadOnlySpan<byte> _png;
    private int _next;
    private int _count;
    private bool _seenPalette;
    private bool _ended;
    private IdatState _idat;
    private PngInfo? _header;

    public PngChunkReader(ReadOnlySpan<byte> png)
    {
        if (png.IsEmpty)
            throw new ImageFormatException("The PNG data is empty.");
        var signature = Signature;
        if (png.Length < signature.Length)
        {
            throw new ImageFormatException(signature.StartsWith(png)
                ? $"The PNG file is truncated: only {png.Length} bytes of the 8-byte signature."
                : "Not a PNG file: the PNG signature is missing.");
        }

        if (!png[..signature.Length].SequenceEqual(signature))
            throw new ImageFormatException("Not a PNG file: the PNG signature is missing.");
        _png = png;
        _next = signature.Length;
    }

    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The parsed IHDR; available once the first chunk has been read.</summary>
    public readonly PngInfo Header => _header ?? throw new InvalidOperationException("IHDR has not been read yet.");

    public uint Type { get; private set; }

    public ReadOnlySpan<byte> Data { get; private set; }

    /// <summary>Offset of the current chunk's length field in the file.</summary>
    public int Offset { get; private set; }

    /// <summary>Bytes of the whole current chunk: length, type, data and CRC.</summary>
    public readonly int TotalLength => Data.Length + 12;

    public readonly bool SeenIdat => _idat != IdatState.NotYet;

    public readonly bool SeenPalette => _seenPalette;

    /// <summary>Moves to the next chunk; false once IEND has been returned.</summary>
    public bool MoveNext()
    {
        if (_ended)
            return false;
        var offset = _next;
        var remaining = _png.Length - offset;
        if (remaining == 0)
        {
            throw new ImageFormatException(_count == 0
                ? "The PNG file ends right after its signature: there is no IHDR chunk (truncated?)."
                : "The PNG file ends without an IEND chunk (truncated?).");
        }

        if (remaining < 12)
            throw new ImageFormatException($"The PNG file is truncated: {remaining} bytes at offset {offset} are too few for a chunk.");

        var length = BinaryPrimitives.ReadUInt32BigEndian(_png.Slice(offset, 4));
        var typeBytes = _png.Slice(offset + 4, 4);
        foreach (var b in typeBytes)
        {
            if (!char.IsAsciiLetter((char)b))
                throw new ImageFormatException($"Invalid chunk type bytes 0x{Convert.ToHexString(typeBytes)} at offset {offset}: the PNG data is corrupt.");
        }

        var type = BinaryPrimitives.ReadUInt32BigEndian(typeBytes);
        var name = PngChunkType.Name(type);
        if (length > int.MaxValue)
            throw new ImageFormatException($"The '{name}' chunk at offset {offset} has an invalid length of {length} bytes.");
        if (length > (uint)(remaining - 12))
            throw new ImageFormatException($"The '{name}' chunk at offset {offset} declares {length} data bytes but only {remaining - 12} remain (file truncated?).");

        var dataLength = (int)length;
        var stored = BinaryPrimitives.ReadUInt32BigEndian(_png.Slice(offset + 8 + dataLength, 4));
        var computed = Crc32.Compute(_png.Slice(offset + 4, 4 + dataLength));
        if (stored != computed)
            throw new ImageFormatException($"CRC mismatch in the '{name}' chunk at offset {offset} (stored {stored:x8}, computed {computed:x8}): the PNG file is corrupt.");

        Type = type;
        Offset = offset;
        Data = _png.Slice(offset + 8, dataLength);
        CheckOrder(type, name);
        _next = offset + 12 + dataLength;
        _count++;
        return true;
    }

    private void CheckOrder(uint type, string name)
    {
        if (_count == 0)
        {
            if (type != PngChunkType.Ihdr)
                throw new ImageFormatException($"The first chunk is '{name}', but a PNG file must start with IHDR.");
            _header = ParseHeader(Data);
            return;
        }

        if (type != PngChunkType.Idat && _idat == IdatState.Inside)
            _idat = IdatState.After;
        switch (type)
        {
            case PngChunkType.Ihdr:
                throw new ImageFormatException($"Duplicate IHDR chunk at offset {Offset}.");
            case PngChunkType.Plte:
                if (_idat != IdatState.NotYet)
                    throw new ImageFormatException("The PLTE chunk comes after the image data (IDAT); it must come before.");
                if (_seenPalette)
                    throw new ImageFormatException("Duplicate PLTE chunk.");
                if (Header.ColorType is PngColorType.Grayscale or PngColorType.GrayscaleAlpha)
                    throw new ImageFormatException("A grayscale PNG must not have a PLTE chunk.");
                _seenPalette = true;
                break;
            case PngChunkType.Idat:
                if (_idat == IdatState.After)
                    throw new ImageFormatException($"The IDAT chunks are not consecutive: another chunk comes between them (IDAT at offset {Offset}).");
                if (Header.ColorType == PngColorType.Palette && !_seenPalette)
                    throw new ImageFormatException("The palette image has no PLTE chunk before its image data.");
                _idat = IdatState.Inside;
                break;
            case PngChunkType.Iend:
                if (_idat == IdatState.NotYet)
                    throw new ImageFormatException("The PNG file has no image data: IEND comes before any IDAT chunk.");
                if (!Data.IsEmpty)
                    throw new ImageFormatException($"The IEND chunk must be empty but has {Data.Length} bytes.");
                _ended = true;
                break;
            default:
                if (PngChunkType.IsCritical(type))
                    throw new ImageFormatException($"Unknown critical chunk '{name}' at offset {Offset}: this PNG needs a feature Easel does not support.");
                break;
        }
    }

    private static PngInfo ParseHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
            throw new ImageFormatException($"The IHDR chunk has {data.Length} bytes; it must have 13.");
        var width = BinaryPrimitives.ReadUInt32BigEndian(data);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (width == 0 || height == 0)
            throw new ImageFormatException($"The image has a zero dimension ({width}x{height}).");
        if (width > int.MaxValue || height > int.MaxValue)
            throw new ImageFormatException($"The image dimensions {width}x{height} are out of range (PNG allows at most 2^31-1).");

        int bitDepth = data[8];
        var colorType = data[9];
        var depthOk = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => throw new ImageFormatException($"Unknown PNG colour type {colorType}."),
        };
        if (!depthOk)
            throw new ImageFormatException($"Bit depth {bitDepth} is not allowed for PNG colour type {colorType}.");
        if (data[10] != 0)
            throw new ImageFormatException($"Unknown PNG compression method {data[10]}.");
        if (data[11] != 0)
            throw new ImageFormatException($"Unknown PNG filter method {data[11]}.");
        if (data[12] > 1)
            throw new ImageFormatException($"Unknown PNG interlace method {data[12]}.");
        return new PngInfo((int)width, (int)height, bitDepth, (PngColorType)colorType, data[12] == 1);
    }
}

internal static class PngChunkWriter
{
    /// <summary>Writes one chunk: big-endian length, type, data, CRC over type and data.</summary>
    public static void Write(Stream output, uint type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], type);
        output.Write(header);
        output.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, ~Crc32.Append(Crc32.Append(~0u, header[4..]), data));
        output.Write(crc);
    }
}
