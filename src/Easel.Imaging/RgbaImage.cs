namespace Easel.Imaging;

/// <summary>
/// An 8-bit-per-channel RGBA raster, row-major, straight (not premultiplied) alpha.
/// Every imaging operation in Easel reads and writes this one type.
/// </summary>
public sealed class RgbaImage
{
    /// <summary>Largest image Easel will hold in memory: 50 megapixels (200 MB of RGBA).</summary>
    public const long MaxPixels = 50_000_000;

    public RgbaImage(int width, int height)
        : this(width, height, new byte[CheckedLength(width, height)])
    {
    }

    public RgbaImage(int width, int height, byte[] pixels)
    {
        var length = CheckedLength(width, height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != length)
            throw new ArgumentException($"Expected {length} bytes for a {width}x{height} RGBA image, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>RGBA bytes, <c>Width * 4</c> per row.</summary>
    public byte[] Pixels { get; }

    public int Stride => Width * 4;

    public Span<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);

    public ReadOnlySpan<byte> ReadOnlyRow(int y) => Pixels.AsSpan(y * Stride, Stride);

    /// <summary>True when every pixel is fully opaque.</summary>
    public bool IsOpaque()
    {
        var p = Pixels;
        for (var i = 3; i < p.Length; i += 4)
            if (p[i] != 255)
                return false;
        return true;
    }

    private static int CheckedLength(int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image dimensions must be positive, got {width}x{height}.");
        if ((long)width * height > MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} exceeds the {MaxPixels / 1_000_000} megapixel limit.");
        return checked(width * height * 4);
    }
}
