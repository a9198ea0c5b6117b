using Easel.Imaging.Png;

namespace Easel.Imaging.Tests.Png;

/// <summary>
/// Decodes files ImageMagick writes (or this test crafts and ImageMagick reads) and compares every
/// pixel with ImageMagick's own 8-bit RGBA decoding of the same file.
/// </summary>
public sealed class PngDecoderMagickTests : IDisposable
{
    private const string Alpha = "-alpha set -channel A -fx i/w +channel";
    private const string BinaryAlpha = "-alpha set -channel A -fx (i<6&&j<6)?0:1 +channel";

    // name -> (ImageMagick operators after the plasma source, expected "depth type interlace" from IHDR, tRNS expected)
    private static readonly Dictionary<string, (string Args, string Header, bool Transparency)> _cases = new()
    {
        ["gray-1"] = ("-colorspace Gray -depth 1 -define png:color-type=0 -define png:bit-depth=1 out.png", "1 0 0", false),
        ["gray-2"] = ("-colorspace Gray -depth 2 -define png:color-type=0 -define png:bit-depth=2 out.png", "2 0 0", false),
        ["gray-4"] = ("-colorspace Gray -depth 4 -define png:color-type=0 -define png:bit-depth=4 out.png", "4 0 0", false),
        ["gray-8"] = ("-colorspace Gray -depth 8 -define png:color-type=0 -define png:bit-depth=8 out.png", "8 0 0", false),
        ["gray-16"] = ("-colorspace Gray -define png:color-type=0 -define png:bit-depth=16 out.png", "16 0 0", false),
        ["gray-alpha-8"] = ($"-colorspace Gray {Alpha} -define png:color-type=4 -define png:bit-depth=8 out.png", "8 4 0", false),
        ["gray-alpha-16"] = ($"-colorspace Gray {Alpha} -define png:color-type=4 -define png:bit-depth=16 out.png", "16 4 0", false),
        ["rgb-8"] = ("PNG24:out.png", "8 2 0", false),
        ["rgb-16"] = ("PNG48:out.png", "16 2 0", false),
        ["rgba-8"] = ($"{Alpha} PNG32:out.png", "8 6 0", false),
        ["rgba-16"] = ($"{Alpha} PNG64:out.png", "16 6 0", false),
        ["palette-1"] = ("-colors 2 -define png:exclude-chunks=bKGD -define png:color-type=3 -define png:bit-depth=1 out.png", "1 3 0", false),
        ["palette-2"] = ("-colors 4 -define png:exclude-chunks=bKGD -define png:color-type=3 -define png:bit-depth=2 out.png", "2 3 0", false),
        ["palette-4"] = ("-colors 16 -define png:exclude-chunks=bKGD -define png:color-type=3 -define png:bit-depth=4 out.png", "4 3 0", false),
        ["palette-8"] = ("-colors 200 -define png:exclude-chunks=bKGD -define png:color-type=3 -define png:bit-depth=8 out.png", "8 3 0", false),
        ["palette-trns-8"] = ("-alpha set -channel A -fx i>w/2?1:0 +channel -colors 16 PNG8:out.png", "8 3 0", true),
        ["gray-trns-1"] = ($"-colorspace Gray -depth 1 {BinaryAlpha} -define png:exclude-chunks=bKGD -define png:color-type=0 -define png:bit-depth=1 out.png", "1 0 0", true),
        ["gray-trns-8"] = ($"-colorspace Gray -depth 8 {BinaryAlpha} -define png:exclude-chunks=bKGD -define png:color-type=0 -define png:bit-depth=8 out.png", "8 0 0", true),
        ["gray-trns-16"] = ($"-colorspace Gray {BinaryAlpha} -define png:exclude-chunks=bKGD -define png:color-type=0 -define png:bit-depth=16 out.png", "16 0 0", true),
        ["rgb-trns-8"] = ($"-depth 8 {BinaryAlpha} -define png:exclude-chunks=bKGD -define png:color-type=2 -define png:bit-depth=8 out.png", "8 2 0", true),
        ["rgb-trns-16"] = ($"{BinaryAlpha} -define png:exclude-chunks=bKGD -define png:color-type=2 -define png:bit-depth=16 out.png", "16 2 0", true),
        ["interlaced-gray-2"] = ("-colorspace Gray -depth 2 -interlace PNG -define png:color-type=0 -define png:bit-depth=2 out.png", "2 0 1", false),
        ["interlaced-palette-4"] = ("-colors 16 -interlace PNG -define png:exclude-chunks=bKGD -define png:color-type=3 -define png:bit-depth=4 out.png", "4 3 1", false),
        ["interlaced-gray-alpha-8"] = ($"-colorspace Gray {Alpha} -interlace PNG -define png:color-type=4 -define png:bit-depth=8 out.png", "8 4 1", false),
        ["interlaced-rgb-8"] = ("-interlace PNG PNG24:out.png", "8 2 1", false),
        ["interlaced-rgba-16"] = ($"{Alpha} -interlace PNG PNG64:out.png", "16 6 1", false),
        ["interlaced-rgba-8-1x1"] = ("-crop 1x1+5+5 +repage -interlace PNG PNG32:out.png", "8 6 1", false),
        ["interlaced-rgba-8-3x2"] = ("-crop 3x2+5+5 +repage -interlace PNG PNG32:out.png", "8 6 1", false),
        ["interlaced-rgb-16-9x9"] = ("-crop 9x9+5+5 +repage -interlace PNG PNG48:out.png", "16 2 1", false),
        // ImageMagick 6.9's PNG "quality" 91-94 all give filter None (not Sub..Paeth as documented);
        // 95 (adaptive) mixes Sub, Up, Average and Paeth. The random-row tests below cover each filter alone.
        ["filters-none"] = ($"{Alpha} -quality 91 PNG32:out.png", "8 6 0", false),
        ["filters-adaptive"] = ($"{Alpha} -quality 95 PNG32:out.png", "8 6 0", false),
        ["filters-adaptive-rgb-16"] = ("-quality 95 PNG48:out.png", "16 2 0", false),
    };

    private readonly TempDir _dir = new();

    public static TheoryData<string> CaseNames => [.. _cases.Keys];

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decodes_ImageMagick_files_to_the_pixels_ImageMagick_reads(string name)
    {
        var (args, header, transparency) = _cases[name];
        var file = _dir.File("out.png");
        var ops = args.Split(' ');
        ops[^1] = ops[^1].Replace("out.png", file, StringComparison.Ordinal);
        Magick.Convert(["-seed", "7", "-size", "37x23", "plasma:fractal", .. ops]);
        Magick.Header(file).ShouldStartWith(header, customMessage: "ImageMagick did not write the intended kind of file");
        Magick.HasTransparencyChunk(file).ShouldBe(transparency);

        var bytes = File.ReadAllBytes(file);
        var png = PngDecoder.Decode(bytes);

        var parts = header.Split(' ');
        png.BitDepth.ShouldBe(int.Parse(parts[0]));
        png.ColorType.ShouldBe((PngColorType)int.Parse(parts[1]));
        png.Interlaced.ShouldBe(parts[2] == "1");
        PngDecoder.ReadInfo(bytes).ShouldBe(new PngInfo(png.Image.Width, png.Image.Height, png.BitDepth, png.ColorType, png.Interlaced));
        if (transparency)
            png.Image.IsOpaque().ShouldBeFalse();
        Pixels.ShouldMatch(Magick.Rgba(file), png.Image);
        if (name.StartsWith("filters-", StringComparison.Ordinal))
        {
            int[] expected = name == "filters-none" ? [0] : [1, 2, 3, 4];
            FilterTypes(bytes, png).Distinct().Order().ToArray().ShouldBe(expected, "ImageMagick did not use the intended filters");
        }
    }

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(0, 2, false)]
    [InlineData(0, 4, true)]
    [InlineData(0, 8, false)]
    [InlineData(0, 16, true)]
    [InlineData(2, 8, false)]
    [InlineData(2, 16, false)]
    [InlineData(2, 16, true)]
    [InlineData(3, 1, true)]
    [InlineData(3, 2, false)]
    [InlineData(3, 4, false)]
    [InlineData(3, 8, true)]
    [InlineData(4, 8, false)]
    [InlineData(4, 16, true)]
    [InlineData(6, 8, false)]
    [InlineData(6, 8, true)]
    [InlineData(6, 16, false)]
    public void Decodes_random_rows_with_every_filter_like_ImageMagick(int colorType, int bitDepth, bool interlaced)
    {
        // Random filter types and random bytes are always valid image data, and exercise every
        // filter at every pixel size (1 to 8 bytes) and every sub-byte packing.
        var random = new Random((colorType * 100) + (bitDepth * 2) + (interlaced ? 1 : 0));
        const int width = 19, height = 13;
        byte[]? palette = null;
        byte[]? transparency = null;
        if (colorType == 3)
        {
            palette = new byte[3 << bitDepth]; // every index a random row can hold
            random.NextBytes(palette);
            transparency = [0, 128, 255];
            transparency = transparency[..Math.Min(transparency.Length, 1 << bitDepth)];
        }

        var file = _dir.File("random.png");
        File.WriteAllBytes(file, RawPng.Image(width, height, bitDepth, colorType, RawPng.RandomScanlines(random, width, height, bitDepth, colorType, interlaced), palette, transparency, interlaced));

        var png = PngDecoder.Decode(File.ReadAllBytes(file));

        Pixels.ShouldMatch(Magick.Rgba(file), png.Image);
    }

    [Fact]
    public void Scales_every_16_bit_value_like_ImageMagick()
    {
        // 256x256 grey + alpha: grey takes every value 0-65535 once, alpha every value in reverse.
        var scanlines = new byte[256 * (1 + (256 * 4))];
        var o = 0;
        for (var y = 0; y < 256; y++)
        {
            scanlines[o++] = 0;
            for (var x = 0; x < 256; x++)
            {
                var v = (y * 256) + x;
                scanlines[o++] = (byte)(v >> 8);
                scanlines[o++] = (byte)v;
                scanlines[o++] = (byte)((65535 - v) >> 8);
                scanlines[o++] = (byte)(65535 - v);
            }
        }

        var file = _dir.File("all16.png");
        File.WriteAllBytes(file, RawPng.Image(256, 256, 16, 4, scanlines));

        Pixels.ShouldMatch(Magick.Rgba(file), PngDecoder.Decode(File.ReadAllBytes(file)).Image);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(0, 4)]
    [InlineData(0, 8)]
    [InlineData(0, 16)]
    [InlineData(2, 8)]
    [InlineData(2, 16)]
    public void Makes_only_the_exact_tRNS_colour_transparent(int colorType, int bitDepth)
    {
        // Samples cycle through values around the key so that near misses (the same 8-bit value
        // after scaling, or one channel off) sit next to exact matches.
        const int width = 16, height = 4;
        var max = (1 << bitDepth) - 1;
        var key = Math.Min(9, max - 1);
        var channels = colorType == 2 ? 3 : 1;
        var samples = new int[width * height * channels];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = Math.Clamp(key + (i % 3) - 1, 0, max);
        if (bitDepth == 16)
        {
            key = 0x1234;
            for (var i = 0; i < samples.Length; i++)
                samples[i] = i % 3 == 0 ? key : key + (i % 5);
        }

        if (colorType == 2)
        {
            for (var p = 0; p < width * height; p += 2)
                samples[3 * p] = samples[(3 * p) + 1] = samples[(3 * p) + 2] = key; // every other pixel matches exactly
        }

        var transparency = new byte[2 * channels];
        for (var c = 0; c < channels; c++)
            (transparency[2 * c], transparency[(2 * c) + 1]) = ((byte)(key >> 8), (byte)key);
        var file = _dir.File("trns.png");
        File.WriteAllBytes(file, RawPng.Image(width, height, bitDepth, colorType, Pack(samples, width, height, bitDepth, channels), transparency: transparency));

        var image = PngDecoder.Decode(File.ReadAllBytes(file)).Image;

        Pixels.ShouldMatch(Magick.Rgba(file), image);
        var transparent = Enumerable.Range(0, width * height).Count(p => image.Pixels[(4 * p) + 3] == 0);
        transparent.ShouldBeInRange(1, (width * height) - 1);
    }

    /// <summary>Unfiltered scanlines (filter byte 0) packing the samples MSB first.</summary>
    private static byte[] Pack(int[] samples, int width, int height, int bitDepth, int channels)
    {
        var rowBytes = ((width * channels * bitDepth) + 7) / 8;
        var data = new byte[height * (1 + rowBytes)];
        for (var y = 0; y < height; y++)
        {
            var row = data.AsSpan((y * (1 + rowBytes)) + 1, rowBytes);
            for (var i = 0; i < width * channels; i++)
            {
                var v = samples[(y * width * channels) + i];
                if (bitDepth == 16)
                {
                    row[2 * i] = (byte)(v >> 8);
                    row[(2 * i) + 1] = (byte)v;
                }
                else
                {
                    var bit = i * bitDepth;
                    row[bit / 8] |= (byte)(v << (8 - bitDepth - (bit % 8)));
                }
            }
        }

        return data;
    }

    /// <summary>The filter type byte of every row of a non-interlaced file.</summary>
    private static IEnumerable<int> FilterTypes(byte[] file, PngImage png)
    {
        var data = RawPng.InflatedImageData(file);
        var rowBytes = RawPng.RowBytes(png.Image.Width, png.BitDepth, (int)png.ColorType);
        for (var y = 0; y < png.Image.Height; y++)
            yield return data[y * (1 + rowBytes)];
    }
}

internal static class Pixels
{
    /// <summary>Byte-for-byte equality, reporting the first differing pixel rather than two huge arrays.</summary>
    public static void ShouldMatch(byte[] expected, RgbaImage actual)
    {
        actual.Pixels.Length.ShouldBe(expected.Length, "pixel buffer sizes differ");
        var mismatch = actual.Pixels.AsSpan().CommonPrefixLength(expected);
        if (mismatch == expected.Length)
            return;
        var pixel = mismatch / 4;
        var differing = Enumerable.Range(0, expected.Length).Count(i => expected[i] != actual.Pixels[i]);
        throw new ShouldAssertException(
            $"{differing} bytes differ; first at pixel ({pixel % actual.Width}, {pixel / actual.Width}) channel {"RGBA"[mismatch % 4]}: " +
            $"expected {Convert.ToHexString(expected, pixel * 4, 4)}, got {Convert.ToHexString(actual.Pixels, pixel * 4, 4)}");
    }
}
