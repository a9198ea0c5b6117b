using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Easel.Providers.References;

/// <summary>
/// Decides whether an IP address is on the public internet, and parses IP literals in every
/// spelling an OS resolver or URI parser may accept. A reference URL must never make Easel talk
/// to itself, the local network or a cloud metadata service (server-side request forgery).
/// </summary>
internal static class AddressPolicy
{
    private static readonly IPAddress _awsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>Why the address may not be fetched from, or null when it is a public unicast address.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return RefusalV4(V4(address));
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return "not an IP address";
        if (address.ScopeId != 0)
            return "an IPv6 address with a zone id (scoped to a local network interface)";

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        var high = BinaryPrimitives.ReadUInt64BigEndian(b);
        var low = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);

        if (high == 0 && low == 0)
            return "the unspecified address";
        if (high == 0 && low == 1)
            return "the loopback address";
        // Forms that carry an IPv4 address: the connection goes to (or through) that address.
        if (high == 0 && (low >> 32) == 0xFFFF)
            return Embedded("an IPv4-mapped address", b[12..]);
        if (high == 0 && (low >> 32) == 0)
            return Embedded("an IPv4-compatible address", b[12..]);
        if (high == 0 && (low >> 32) == 0xFFFF_0000)
            return Embedded("an IPv4-translated address", b[12..]);
        if (high == 0x0064_FF9B_0000_0000 && (low >> 32) == 0)
            return Embedded("a NAT64 address", b[12..]);
        if ((high >> 48) == 0x2002)
            return Embedded("a 6to4 address", b[2..6]);
        if ((high >> 32) == 0x2001_0000)
        {
            // Teredo: the client's IPv4 address is stored inverted in the last 32 bits.
            Span<byte> client = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(client, ~BinaryPrimitives.ReadUInt32BigEndian(b[12..]));
            return Embedded("a Teredo address", client) ?? Embedded("a Teredo address", b[4..8]);
        }

        if (address.Equals(_awsMetadataV6))
            return "a cloud metadata service address";
        if ((b[0] & 0xFE) == 0xFC)
            return "a unique-local (private) IPv6 address";
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)
            return "a link-local address";
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)
            return "a site-local (private) IPv6 address";
        if (b[0] == 0xFF)
            return "a multicast address";
        if ((high >> 32) == 0x2001_0DB8)
            return "a documentation address";
        if ((high >> 32) == 0x0064_FF9B)
            return "a local-use NAT64 address";
        if ((b[0] & 0xE0) != 0x20)
            return "not a global unicast IPv6 address";
        return null;
    }

    private static string? Embedded(string kind, ReadOnlySpan<byte> v4)
    {
        var address = BinaryPrimitives.ReadUInt32BigEndian(v4);
        var refusal = RefusalV4(address);
        return refusal is null ? null : $"{kind} of {new IPAddress(v4)}, {refusal}";
    }

    private static string? RefusalV4(uint a)
    {
        bool In(uint network, int bits) => bits == 0 || (a >> (32 - bits)) == (network >> (32 - bits));

        // Cloud metadata first: some sit inside ranges below, and the specific reason helps more.
        if (a == 0xA9FE_A9FE || a == 0xA9FE_A9FB || a == 0xA9FE_AA02)
            return "a cloud metadata service address"; // 169.254.169.254 (AWS, GCP, Azure), .169.251, .170.2
        if (a == 0xA83F_8110)
            return "a cloud metadata service address"; // 168.63.129.16, Azure's host endpoint
        if (a == 0x6464_64C8)
            return "a cloud metadata service address"; // 100.100.100.200, Alibaba Cloud
        if (a == 0xC000_00C0)
            return "a cloud metadata service address"; // 192.0.0.192, Oracle Cloud
        if (a == 0)
            return "the unspecified address";
        if (In(0x0000_0000, 8))
            return "a \"this network\" address (0.0.0.0/8)";
        if (In(0x7F00_0000, 8))
            return "the loopback address";
        if (In(0x0A00_0000, 8) || In(0xAC10_0000, 12) || In(0xC0A8_0000, 16))
            return "a private network address";
        if (In(0xA9FE_0000, 16))
            return "a link-local address";
        if (In(0x6440_0000, 10))
            return "a carrier-grade NAT (shared) address";
        if (a == 0xFFFF_FFFF)
            return "the broadcast address";
        if (In(0xE000_0000, 4))
            return "a multicast address";
        if (In(0xF000_0000, 4))
            return "a reserved address (240.0.0.0/4)";
        if (In(0xC000_0000, 24))
            return "an IETF protocol address (192.0.0.0/24)";
        if (In(0xC000_0200, 24) || In(0xC633_6400, 24) || In(0xCB00_7100, 24))
            return "a documentation address";
        if (In(0xC612_0000, 15))
            return "a benchmarking address (198.18.0.0/15)";
        if (In(0xC058_6300, 24))
            return "a 6to4 relay address (192.88.99.0/24)";
        return null;
    }

    private static uint V4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    /// <summary>
    /// Parses an IPv4 literal the way inet_aton does: 1 to 4 parts, each decimal, octal (leading
    /// 0) or hexadecimal (0x), the last part filling the remaining bytes, and one trailing dot.
    /// So 2130706433, 0x7f000001, 0x7f.0.0.1, 0177.0.0.1, 127.1 and "127.0.0.1." are all 127.0.0.1.
    /// </summary>
    public static bool TryParseIPv4(string host, out IPAddress address)
    {
        address = IPAddress.None;
        var text = host.EndsWith('.') ? host[..^1] : host;
        if (text.Length == 0 || text.Length > 64)
            return false;
        var parts = text.Split('.');
        if (parts.Length > 4)
            return false;
        Span<ulong> values = stackalloc ulong[4];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
                return false;
        }

        ulong result = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (values[i] > 0xFF)
                return false;
            result |= values[i] << (24 - (8 * i));
        }

        var last = values[parts.Length - 1];
        var lastBits = 8 * (5 - parts.Length);
        if (last >= 1UL << lastBits)
            return false;
        result |= last;
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)result);
        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0)
            return false;
        var radix = 10;
        var digits = part.AsSpan();
        if (digits.Length >= 2 && digits[0] == '0' && (digits[1] is 'x' or 'X'))
        {
            radix = 16;
            digits = digits[2..];
        }
        else if (digits.Length >= 2 && digits[0] == '0')
        {
            radix = 8;
            digits = digits[1..];
        }

        foreach (var c in digits)
        {
            int d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
                return false;
            value = (value * (ulong)radix) + (ulong)d;
            if (value > uint.MaxValue)
                return false;
        }

        return true;
    }
}
