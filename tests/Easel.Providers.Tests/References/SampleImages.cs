using System.Buffers.Binary;
using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Providers.Tests.References;

/// <summary>Small real images in each accepted format, and hostile look-alikes.</summary>
internal static class SampleImages
{
    /// <summary>64x48, from the project's own encoder.</summary>
    public static readonly byte[] Png = PngEncoder.Encode(new RgbaImage(64, 48));

    // 5x3 orange images written by ImageMagick 6 (convert -size 5x3 xc:orange -strip ...).
    public static readonly byte[] Jpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAADAAUDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAB//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/ALwAHkJ//9k=");

    public static readonly byte[] WebP = Convert.FromBase64String(
        "UklGRjwAAABXRUJQVlA4IDAAAADQAQCdASoFAAMAAgA0JaACdLoB+AADsAD+72SX/u837eb9vN/w0f/PTNeYP6aAAAA=");

    public static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhBQADAPAAAP+lAAAAACH5BAAAAAAALAAAAAAFAAMAAAIDhI9ZADs=");

    /// <summary>The JPEG cut off inside its quantisation tables, before the frame header.</summary>
    public static byte[] TruncatedJpeg => Jpeg[..100];

    public static readonly byte[] ZeroSizeGif = [.. "GIF89a"u8, 0, 0, 0, 0, 0, 0, 0, 0x3B];

    public static readonly byte[] Html = "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>"u8.ToArray();

    /// <summary>A valid PNG header (correct CRC) that claims 10000x6000 pixels, 60 megapixels.</summary>
    public static byte[] PngHeader(uint width, uint height)
    {
        var png = new byte[45];
        PngSignature.CopyTo(png);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(8), 13);
        "IHDR"u8.CopyTo(png.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), height);
        png[24] = 8;
        png[25] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        // An empty IEND chunk: a whole file, only its pixels are missing.
        "IEND"u8.CopyTo(png.AsSpan(37));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(41), Crc32("IEND"u8));
        return png;
    }

    private static ReadOnlySpan<byte> PngSignature => [137, 80, 78, 71, 13, 10, 26, 10];

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }

        return ~crc;
    }
}
