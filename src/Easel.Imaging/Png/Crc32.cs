using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Easel.Imaging.Png;

/// <summary>
/// The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320). Slicing-by-8 tables
/// process 8 bytes per step, several times faster than the byte-wise loop; System.IO.Hashing
/// would do this too but is not an available package.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] _table = CreateTable();

    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>Continues a running (pre-inverted) CRC; start with ~0u and invert the result.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        ref var t = ref MemoryMarshal.GetArrayDataReference(_table);
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i, 4)) ^ crc;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i + 4, 4));
            crc = Unsafe.Add(ref t, (7 * 256) + (int)(one & 0xFF))
                ^ Unsafe.Add(ref t, (6 * 256) + (int)((one >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, (5 * 256) + (int)((one >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, (4 * 256) + (int)(one >> 24))
                ^ Unsafe.Add(ref t, (3 * 256) + (int)(two & 0xFF))
                ^ Unsafe.Add(ref t, (2 * 256) + (int)((two >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, 256 + (int)((two >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, (int)(two >> 24));
        }

        for (; i < data.Length; i++)
            crc = Unsafe.Add(ref t, (int)((crc ^ data[i]) & 0xFF)) ^ (crc >> 8);
        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        // Table k advances a byte that is followed by k more bytes.
        for (var k = 1; k < 8; k++)
        {
            for (var n = 0; n < 256; n++)
            {
                var previous = table[((k - 1) * 256) + n];
                table[(k * 256) + n] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }
}
