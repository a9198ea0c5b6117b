using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Easel.Imaging.Png;

/// <summary>Turns one unfiltered row of PNG samples into 8-bit RGBA.</summary>
internal sealed class PngPixelConverter
{
    private readonly PngColorType _colorType;
    private readonly int _bitDepth;

    // Grey (depth 1-8) and palette images map each sample through a table of packed RGBA pixels.
    private readonly uint[]? _lookup;
    private readonly int _lookupEntries;

    // tRNS for grey and RGB images: the raw sample values (16-bit range) that mean "transparent".
    private readonly bool _hasKey;
    private readonly int _keyRed;
    private readonly int _keyGreen;
    private readonly int _keyBlue;

    public PngPixelConverter(PngInfo header, ReadOnlySpan<byte> palette, ReadOnlySpan<byte> transparency)
    {
        _colorType = header.ColorType;
        _bitDepth = header.BitDepth;
        if (_colorType == PngColorType.Palette)
        {
            _lookupEntries = palette.Length / 3;
            _lookup = new uint[256];
            for (var i = 0; i < _lookupEntries; i++)
            {
                var alpha = i < transparency.Length ? transparency[i] : (byte)255;
                _lookup[i] = Pack(palette[3 * i], palette[(3 * i) + 1], palette[(3 * i) + 2], alpha);
            }

            return;
        }

        if (!transparency.IsEmpty)
        {
            _hasKey = true;
            _keyRed = BinaryPrimitives.ReadUInt16BigEndian(transparency);
            _keyGreen = _colorType == PngColorType.Rgb ? BinaryPrimitives.ReadUInt16BigEndian(transparency[2..]) : _keyRed;
            _keyBlue = _colorType == PngColorType.Rgb ? BinaryPrimitives.ReadUInt16BigEndian(transparency[4..]) : _keyRed;
        }

        if (_colorType == PngColorType.Grayscale && _bitDepth <= 8)
        {
            var max = (1 << _bitDepth) - 1;
            _lookup = new uint[256];
            _lookupEntries = 256; // every sample value is valid
            for (var v = 0; v <= max; v++)
            {
                var gray = (byte)(v * 255 / max); // exact: 255 is a multiple of 1, 3, 15 and 255
                _lookup[v] = Pack(gray, gray, gray, _hasKey && v == _keyRed ? (byte)0 : (byte)255);
            }
        }
    }

    /// <summary>Converts <paramref name="width"/> pixels of <paramref name="samples"/> into <paramref name="rgba"/>.</summary>
    public void Convert(ReadOnlySpan<byte> samples, Span<byte> rgba, int width)
    {
        rgba = rgba[..(width * 4)];
        if (_lookup is not null)
        {
            ConvertIndexed(samples, MemoryMarshal.Cast<byte, uint>(rgba), width);
            return;
        }

        if (_bitDepth == 8)
            Convert8(samples, rgba, width);
        else
            Convert16(samples, rgba, width);
    }

    private void ConvertIndexed(ReadOnlySpan<byte> samples, Span<uint> pixels, int width)
    {
        var lookup = _lookup!;
        var entries = _lookupEntries;
        if (_bitDepth == 8)
        {
            samples = samples[..width];
            for (var i = 0; i < samples.Length; i++)
            {
                var index = samples[i];
                if (index >= entries)
                    throw PaletteIndexOutOfRange(index);
                pixels[i] = lookup[index];
            }

            return;
        }

        var depth = _bitDepth;
        var mask = (1 << depth) - 1;
        for (var i = 0; i < width; i++)
        {
            var bit = i * depth;
            var index = (samples[bit >> 3] >> (8 - depth - (bit & 7))) & mask;
            if (index >= entries)
                throw PaletteIndexOutOfRange(index);
            pixels[i] = lookup[index];
        }
    }

    private ImageFormatException PaletteIndexOutOfRange(int index) =>
        new($"Palette index {index} is out of range: the PLTE chunk has only {_lookupEntries} entries.");

    private void Convert8(ReadOnlySpan<byte> s, Span<byte> d, int width)
    {
        switch (_colorType)
        {
            case PngColorType.Rgba:
                s[..(width * 4)].CopyTo(d);
                break;
            case PngColorType.Rgb:
                s = s[..(width * 3)];
                for (int i = 0, o = 0; i < s.Length; i += 3, o += 4)
                {
                    byte r = s[i], g = s[i + 1], b = s[i + 2];
                    d[o] = r;
                    d[o + 1] = g;
                    d[o + 2] = b;
                    d[o + 3] = _hasKey && r == _keyRed && g == _keyGreen && b == _keyBlue ? (byte)0 : (byte)255;
                }

                break;
            default: // grey + alpha
                s = s[..(width * 2)];
                for (int i = 0, o = 0; i < s.Length; i += 2, o += 4)
                {
                    var gray = s[i];
                    d[o] = gray;
                    d[o + 1] = gray;
                    d[o + 2] = gray;
                    d[o + 3] = s[i + 1];
                }

                break;
        }
    }

    private void Convert16(ReadOnlySpan<byte> s, Span<byte> d, int width)
    {
        var channels = PngDecoder.Channels(_colorType);
        s = s[..(width * channels * 2)];
        for (int i = 0, o = 0; i < s.Length; i += channels * 2, o += 4)
        {
            var v0 = (s[i] << 8) | s[i + 1];
            switch (_colorType)
            {
                case PngColorType.Grayscale:
                    d[o] = d[o + 1] = d[o + 2] = To8(v0);
                    d[o + 3] = _hasKey && v0 == _keyRed ? (byte)0 : (byte)255;
                    break;
                case PngColorType.GrayscaleAlpha:
                    d[o] = d[o + 1] = d[o + 2] = To8(v0);
                    d[o + 3] = AlphaTo8((s[i + 2] << 8) | s[i + 3]);
                    break;
                case PngColorType.Rgb:
                    var v1 = (s[i + 2] << 8) | s[i + 3];
                    var v2 = (s[i + 4] << 8) | s[i + 5];
                    d[o] = To8(v0);
                    d[o + 1] = To8(v1);
                    d[o + 2] = To8(v2);
                    d[o + 3] = _hasKey && v0 == _keyRed && v1 == _keyGreen && v2 == _keyBlue ? (byte)0 : (byte)255;
                    break;
                default:
                    d[o] = To8(v0);
                    d[o + 1] = To8((s[i + 2] << 8) | s[i + 3]);
                    d[o + 2] = To8((s[i + 4] << 8) | s[i + 5]);
                    d[o + 3] = AlphaTo8((s[i + 6] << 8) | s[i + 7]);
                    break;
            }
        }
    }

    /// <summary>
    /// 16-bit colour to 8-bit exactly as ImageMagick 6 (Q16) does for <c>-depth 8</c>: floor(v / 257),
    /// checked against its output for all 65536 values. 65281 / 2^24 is close enough to 1/257 to be exact
    /// for every v up to 65791.
    /// </summary>
    internal static byte To8(int v) => (byte)(((uint)v * 65281u) >> 24);

    /// <summary>
    /// 16-bit alpha to 8-bit: ceil(v / 257). ImageMagick 6 stores opacity (65535 - alpha) and floors
    /// that, which rounds alpha up; matching it keeps pixels byte-identical with its output.
    /// </summary>
    internal static byte AlphaTo8(int v) => To8(v + 256);

    internal static uint Pack(byte r, byte g, byte b, byte a)
    {
        var value = r | ((uint)g << 8) | ((uint)b << 16) | ((uint)a << 24);
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }
}
