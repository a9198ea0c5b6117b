namespace Easel.Imaging.Png;

/// <summary>PNG colour types (IHDR byte 9).</summary>
public enum PngColorType : byte
{
    Grayscale = 0,
    Rgb = 2,
    Palette = 3,
    GrayscaleAlpha = 4,
    Rgba = 6,
}

/// <summary>
/// A decoded PNG: always 8-bit RGBA pixels, plus the text chunks (tEXt, zTXt, iTXt, in file
/// order) and the header fields of the original file.
/// </summary>
public sealed record PngImage(
    RgbaImage Image,
    IReadOnlyList<KeyValuePair<string, string>> Text,
    int BitDepth,
    PngColorType ColorType,
    bool Interlaced);

/// <summary>The IHDR fields of a PNG file.</summary>
public sealed record PngInfo(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced);

public sealed record PngDecoderOptions
{
    internal static readonly PngDecoderOptions Default = new();

    /// <summary>Images with more pixels are refused from the IHDR, before any pixel memory is allocated.
    /// Values above <see cref="RgbaImage.MaxPixels"/> act as that limit.</summary>
    public long MaxPixels { get; init; } = RgbaImage.MaxPixels;

    /// <summary>Largest PNG file accepted, in bytes; a stream is read no further than this.</summary>
    public long MaxInputBytes { get; init; } = 256L << 20;

    /// <summary>Largest total size of text chunk contents, in bytes after decompression, so a
    /// compressed text chunk cannot be used as a zlib bomb. 8 MB matches libpng's default limit.</summary>
    public long MaxTextBytes { get; init; } = 8_000_000;
}

/// <summary>Which scanline filter the encoder writes.</summary>
public enum PngFilterStrategy
{
    /// <summary>Per row, the filter with the smallest sum of absolute (signed) filtered bytes.</summary>
    Adaptive,
    None,
    Sub,
    Up,
    Average,
    Paeth,
}

public sealed record PngEncoderOptions
{
    internal static readonly PngEncoderOptions Default = new();

    /// <summary>
    /// Text entries, written before the image data: uncompressed UTF-8 iTXt chunks, except that plain
    /// ASCII text goes in a tEXt chunk (identical bytes for every reader, and ImageMagick 6 ignores iTXt).
    /// Keywords must be 1-79 printable Latin-1 characters without leading, trailing or double spaces;
    /// text must not contain NUL.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Text { get; init; } = [];

    /// <summary>
    /// zlib level, 0 (store) to 9. Default 4, from timing adaptive-filtered 1024x1024 encodes (.NET 10,
    /// zlib-ng; best of 10 on a shared 2-core machine): on a photo-like RGB image level 4 took about 40 ms
    /// for 1.12 MB, level 6 about 120 ms for 1.09 MB (2.5% smaller), level 9 nearly 900 ms and no
    /// smaller; level 3 was 2% and level 2 8% larger for 5-20 ms less. On flat graphics levels 3-7 took
    /// 4-15 ms. Level 4 keeps every encode in the tens of milliseconds at close to level 6's size.
    /// (zlib's "filtered" strategy made no difference; "RLE" was smaller on photos but up to 3x larger on
    /// noise and patterns, so the default strategy stays.)
    /// </summary>
    public int CompressionLevel { get; init; } = 4;

    public PngFilterStrategy Filter { get; init; } = PngFilterStrategy.Adaptive;
}
