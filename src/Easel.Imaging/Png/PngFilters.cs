using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Easel.Imaging.Png;

/// <summary>
/// The five PNG scanline filters (None, Sub, Up, Average, Paeth).
/// Unfiltering Sub/Average/Paeth is a chain through the pixel to the left, so it goes one pixel
/// per step: the pixel's bytes (bpp is 1-8) sit in the low lanes of a Vector128 and the left
/// neighbour stays in a register; Up has no chain and goes 16 bytes per step. Filtering (encoder)
/// has no chain at all and goes 16 bytes per step for every filter.
/// </summary>
internal static class PngFilters
{
    /// <summary>Bytes a row buffer must have after the row, for 8-byte pixel loads/stores and 16-byte Up steps.</summary>
    public const int Slack = 16;

    /// <summary>Zero bytes the encoder keeps in front of each raw row, so "left of the first pixel" reads zero.</summary>
    public const int FrontPad = 16;

    /// <summary>
    /// Undoes <paramref name="filter"/> (0-4): <paramref name="raw"/> (filtered bytes) and <paramref name="prior"/>
    /// (the unfiltered row above; zeros for the first row of an image or pass) give <paramref name="output"/>.
    /// All three start at the row's first data byte and have <see cref="Slack"/> bytes after it. Working
    /// out of place means a pixel's load never overlaps the previous pixel's store, which would defeat the
    /// CPU's store-to-load forwarding and cost several times the work itself.
    /// </summary>
    public static void Unfilter(int filter, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prior, Span<byte> output, int rowBytes, int bpp)
    {
        var needed = rowBytes + Slack;
        if (raw.Length < needed || prior.Length < needed || output.Length < needed || bpp is < 1 or > 8)
            throw new ArgumentException("Row buffers are too small.");
        ref var x = ref MemoryMarshal.GetReference(raw);
        ref var b = ref MemoryMarshal.GetReference(prior);
        ref var o = ref MemoryMarshal.GetReference(output);
        switch (filter)
        {
            case 0:
                raw[..rowBytes].CopyTo(output);
                break;
            case 1:
                UnfilterSub(ref x, ref o, rowBytes, bpp);
                break;
            case 2:
                for (nuint i = 0; i < (nuint)rowBytes; i += 16)
                    (Vector128.LoadUnsafe(ref x, i) + Vector128.LoadUnsafe(ref b, i)).StoreUnsafe(ref o, i);
                break;
            case 3:
                UnfilterAverage(ref x, ref b, ref o, rowBytes, bpp);
                break;
            case 4:
                UnfilterPaeth(ref x, ref b, ref o, rowBytes, bpp);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter));
        }
    }

    // A pixel (1-8 bytes) in the low lanes of a vector. The lanes above bpp carry the next pixels'
    // bytes and become garbage, which the next pixel's store overwrites (or the slack absorbs).
    private static Vector128<byte> LoadPixel(ref byte p) =>
        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref p)).AsByte();

    private static void StorePixel(ref byte p, Vector128<byte> value) =>
        Unsafe.WriteUnaligned(ref p, value.AsUInt64().ToScalar());

    private static void UnfilterSub(ref byte x, ref byte o, int rowBytes, int bpp)
    {
        var a = Vector128<byte>.Zero;
        for (var i = 0; i < rowBytes; i += bpp)
        {
            a += LoadPixel(ref Unsafe.Add(ref x, i));
            StorePixel(ref Unsafe.Add(ref o, i), a);
        }
    }

    private static void UnfilterAverage(ref byte x, ref byte b, ref byte o, int rowBytes, int bpp)
    {
        var a = Vector128<byte>.Zero;
        for (var i = 0; i < rowBytes; i += bpp)
        {
            a = LoadPixel(ref Unsafe.Add(ref x, i)) + FloorAverage(a, LoadPixel(ref Unsafe.Add(ref b, i)));
            StorePixel(ref Unsafe.Add(ref o, i), a);
        }
    }

    private static void UnfilterPaeth(ref byte x, ref byte b, ref byte o, int rowBytes, int bpp)
    {
        // Works in 16-bit lanes throughout, so the chain through the left pixel has no widen/narrow
        // steps; b - c, |b - c| and the raw bytes do not depend on the left pixel.
        var low = Vector128.Create((short)0xFF);
        var a = Vector128<short>.Zero;
        var c = Vector128<short>.Zero;
        for (var i = 0; i < rowBytes; i += bpp)
        {
            var up = Vector128.WidenLower(LoadPixel(ref Unsafe.Add(ref b, i))).AsInt16();
            var filtered = Vector128.WidenLower(LoadPixel(ref Unsafe.Add(ref x, i))).AsInt16();
            var bc = up - c;
            var pa = Vector128.Abs(bc);
            var ac = a - c;
            var pb = Vector128.Abs(ac);
            var pc = Vector128.Abs(ac + bc);
            var useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
            var useB = Vector128.LessThanOrEqual(pb, pc);
            var predictor = Vector128.ConditionalSelect(useA, a, Vector128.ConditionalSelect(useB, up, c));
            a = (filtered + predictor) & low;
            StorePixel(ref Unsafe.Add(ref o, i), Vector128.Narrow(a.AsUInt16(), a.AsUInt16()));
            c = up;
        }
    }

    /// <summary>floor((a + b) / 2) per byte without widening.</summary>
    private static Vector128<byte> FloorAverage(Vector128<byte> a, Vector128<byte> b) =>
        (a & b) + Vector128.ShiftRightLogical(a ^ b, 1);

    /// <summary>The Paeth predictor on 16-bit lanes holding bytes: the neighbour closest to a + b - c,
    /// ties going to a, then b.</summary>
    private static Vector128<short> PaethPredictor(Vector128<short> a, Vector128<short> b, Vector128<short> c)
    {
        var pa = Vector128.Abs(b - c);
        var pb = Vector128.Abs(a - c);
        var pc = Vector128.Abs(a + b - c - c);
        var useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
        var useB = Vector128.LessThanOrEqual(pb, pc);
        return Vector128.ConditionalSelect(useA, a, Vector128.ConditionalSelect(useB, b, c));
    }

    private static byte PaethPredictor(byte a, byte b, byte c)
    {
        var pa = Math.Abs(b - c);
        var pb = Math.Abs(a - c);
        var pc = Math.Abs(a + b - c - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>
    /// Filters a raw row with <paramref name="filter"/> (0-4) into <paramref name="output"/> and returns the
    /// sum of the filtered bytes read as signed values' magnitudes, the usual adaptive-filter cost.
    /// <paramref name="row"/> and <paramref name="prior"/> hold <see cref="FrontPad"/> zero bytes, then the row.
    /// </summary>
    public static long Filter(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int rowBytes, int bpp, Span<byte> output)
    {
        if (row.Length < FrontPad + rowBytes || prior.Length < FrontPad + rowBytes || output.Length < rowBytes || bpp is < 1 or > 8)
            throw new ArgumentException("Row buffers are too small.");
        ref var current = ref Unsafe.Add(ref MemoryMarshal.GetReference(row), FrontPad);
        ref var above = ref Unsafe.Add(ref MemoryMarshal.GetReference(prior), FrontPad);
        ref var o = ref MemoryMarshal.GetReference(output);
        ref var left = ref Unsafe.Subtract(ref current, bpp);
        ref var aboveLeft = ref Unsafe.Subtract(ref above, bpp);
        var acc = Vector128<ulong>.Zero;
        var i = 0;
        for (; i + 16 <= rowBytes; i += 16)
        {
            var n = (nuint)i;
            var x = Vector128.LoadUnsafe(ref current, n);
            var filtered = filter switch
            {
                0 => x,
                1 => x - Vector128.LoadUnsafe(ref left, n),
                2 => x - Vector128.LoadUnsafe(ref above, n),
                3 => x - FloorAverage(Vector128.LoadUnsafe(ref left, n), Vector128.LoadUnsafe(ref above, n)),
                _ => x - PaethPredictor(Vector128.LoadUnsafe(ref left, n), Vector128.LoadUnsafe(ref above, n), Vector128.LoadUnsafe(ref aboveLeft, n)),
            };
            filtered.StoreUnsafe(ref o, n);
            acc += AbsoluteSum(filtered);
        }

        long sum = (long)Vector128.Sum(acc);
        for (; i < rowBytes; i++)
        {
            var x = Unsafe.Add(ref current, i);
            var a = Unsafe.Add(ref left, i);
            var b = Unsafe.Add(ref above, i);
            var c = Unsafe.Add(ref aboveLeft, i);
            var f = (byte)(filter switch
            {
                0 => x,
                1 => x - a,
                2 => x - b,
                3 => x - ((a + b) >> 1),
                _ => x - PaethPredictor(a, b, c),
            });
            Unsafe.Add(ref o, i) = f;
            sum += Math.Abs((int)(sbyte)f);
        }

        return sum;
    }

    private static Vector128<byte> PaethPredictor(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c)
    {
        var (aLow, aHigh) = Vector128.Widen(a);
        var (bLow, bHigh) = Vector128.Widen(b);
        var (cLow, cHigh) = Vector128.Widen(c);
        var low = PaethPredictor(aLow.AsInt16(), bLow.AsInt16(), cLow.AsInt16()).AsUInt16();
        var high = PaethPredictor(aHigh.AsInt16(), bHigh.AsInt16(), cHigh.AsInt16()).AsUInt16();
        return Vector128.Narrow(low, high);
    }

    /// <summary>Per-lane sums of |(sbyte)v| in two 64-bit lanes.</summary>
    private static Vector128<ulong> AbsoluteSum(Vector128<byte> v)
    {
        var magnitude = Vector128.Abs(v.AsSByte()).AsByte(); // |-128| wraps to 0x80 = 128, as wanted
        if (Sse2.IsSupported)
            return Sse2.SumAbsoluteDifferences(magnitude, Vector128<byte>.Zero).AsUInt64();
        var (low, high) = Vector128.Widen(magnitude);
        var (low32, high32) = Vector128.Widen(low + high);
        var (low64, high64) = Vector128.Widen(low32 + high32);
        return low64 + high64;
    }
}
