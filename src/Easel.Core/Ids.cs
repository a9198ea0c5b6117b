using System.Security.Cryptography;

namespace Easel.Core;

/// <summary>
/// Sortable ids such as <c>img_01jd3k9x2m4q7r8s9t0v1w2x3y</c>: a prefix, 48 bits of milliseconds
/// and 80 random bits in lower-case Crockford base32 (a ULID), so ids sort by creation time.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix, DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }
        RandomNumberGenerator.Fill(bytes[6..]);

        Span<char> chars = stackalloc char[26];
        // 128 bits as 26 base32 digits, most significant first (the first digit holds 3 bits).
        var hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var lo = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = ((UInt128)hi << 64) | lo;
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return $"{prefix}_{chars}";
    }
}
