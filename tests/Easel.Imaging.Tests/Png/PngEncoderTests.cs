using System.Text;
using Easel.Imaging.Png;

namespace Easel.Imaging.Tests.Png;

/// <summary>Files the encoder writes, read back by ImageMagick (and libvips for UTF-8 text).</summary>
public sealed class PngEncoderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1, 1, "noise", false)]
    [InlineData(1, 1, "noise", true)]
    [InlineData(2, 3, "smooth", true)]
    [InlineData(7, 5, "noise", false)]
    [InlineData(33, 17, "smooth", false)]
    [InlineData(33, 17, "noise", true)]
    [InlineData(101, 64, "plasma", false)]
    [InlineData(101, 64, "plasma", true)]
    [InlineData(257, 130, "smooth", true)]
    [InlineData(257, 130, "noise", false)]
    public void ImageMagick_reads_back_identical_pixels(int width, int height, string content, bool alpha)
    {
        var image = Content(width, height, content, alpha);

        var bytes = PngEncoder.Encode(image);

        var file = Save(bytes);
        Magick.Header(file).ShouldStartWith(alpha ? "8 6 0" : "8 2 0"); // RGBA only when something is not opaque
        Pixels.ShouldMatch(image.Pixels, new RgbaImage(width, height, Magick.Rgba(file)));
        var decoded = PngDecoder.Decode(bytes);
        decoded.ColorType.ShouldBe(alpha ? PngColorType.Rgba : PngColorType.Rgb);
        decoded.BitDepth.ShouldBe(8);
        decoded.Interlaced.ShouldBeFalse();
        Pixels.ShouldMatch(image.Pixels, decoded.Image);
    }

    [Fact]
    public void A_single_translucent_pixel_makes_the_file_RGBA()
    {
        var image = Content(16, 16, "smooth", alpha: false);
        image.Pixels[(4 * 100) + 3] = 254;

        var file = Save(PngEncoder.Encode(image));

        Magick.Header(file).ShouldStartWith("8 6 0");
        Pixels.ShouldMatch(image.Pixels, new RgbaImage(16, 16, Magick.Rgba(file)));
    }

    [Theory]
    [InlineData(PngFilterStrategy.None, 0)]
    [InlineData(PngFilterStrategy.Sub, 1)]
    [InlineData(PngFilterStrategy.Up, 2)]
    [InlineData(PngFilterStrategy.Average, 3)]
    [InlineData(PngFilterStrategy.Paeth, 4)]
    [InlineData(PngFilterStrategy.Adaptive, -1)]
    public void Every_filter_round_trips_through_ImageMagick(PngFilterStrategy filter, int filterType)
    {
        // Odd widths and both pixel sizes (3 and 4 bytes) so the vector loops and their scalar tails both run.
        foreach (var image in new[] { Content(37, 9, "noise", alpha: true), Content(29, 7, "plasma", alpha: false) })
        {
            var bytes = PngEncoder.Encode(image, new PngEncoderOptions { Filter = filter });

            Pixels.ShouldMatch(image.Pixels, new RgbaImage(image.Width, image.Height, Magick.Rgba(Save(bytes))));
            var rows = RowFilters(bytes, image);
            if (filterType >= 0)
                rows.ShouldAllBe(f => f == filterType);
            else
                rows.Distinct().Count().ShouldBeGreaterThan(1, "adaptive filtering should pick different filters for different rows");
        }
    }

    [Fact]
    public void Adaptive_filtering_beats_no_filtering_on_smooth_content()
    {
        var image = Content(256, 256, "plasma", alpha: false);

        var adaptive = PngEncoder.Encode(image).Length;
        var none = PngEncoder.Encode(image, new PngEncoderOptions { Filter = PngFilterStrategy.None }).Length;

        adaptive.ShouldBeLessThan(none * 9 / 10);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    public void Every_compression_level_round_trips_through_ImageMagick(int level)
    {
        var image = Content(64, 48, "plasma", alpha: true);

        var bytes = PngEncoder.Encode(image, new PngEncoderOptions { CompressionLevel = level });

        Pixels.ShouldMatch(image.Pixels, new RgbaImage(64, 48, Magick.Rgba(Save(bytes))));
        if (level == 0)
            bytes.Length.ShouldBeGreaterThan(image.Pixels.Length); // stored, not compressed
        if (level == 9)
            bytes.Length.ShouldBeLessThan(PngEncoder.Encode(image, new PngEncoderOptions { CompressionLevel = 0 }).Length);
    }

    [Fact]
    public void Large_images_are_split_into_several_IDAT_chunks()
    {
        var image = Content(300, 300, "noise", alpha: true); // 360 KB, incompressible

        var bytes = PngEncoder.Encode(image);

        RawPng.ChunkTypes(bytes).Count(t => t == "IDAT").ShouldBeGreaterThan(1);
        Pixels.ShouldMatch(image.Pixels, new RgbaImage(300, 300, Magick.Rgba(Save(bytes))));
    }

    [Fact]
    public void Writing_to_a_stream_gives_the_same_bytes()
    {
        var image = Content(40, 30, "smooth", alpha: true);
        var options = new PngEncoderOptions { Text = [new("Title", "stream")] };
        using var stream = new MemoryStream();
        stream.Write("prefix"u8);

        PngEncoder.Encode(image, stream, options);

        stream.ToArray()[6..].ShouldBe(PngEncoder.Encode(image, options));
    }

    [Fact]
    public void ASCII_text_is_written_as_tEXt_that_ImageMagick_shows()
    {
        var image = Content(8, 8, "noise", alpha: false);
        KeyValuePair<string, string>[] text = [new("prompt", "a red fox in the snow, golden hour"), new("Software", "Easel"), new("seed", "42")];

        var bytes = PngEncoder.Encode(image, new PngEncoderOptions { Text = text });

        RawPng.ChunkTypes(bytes).ShouldBe(["IHDR", "tEXt", "tEXt", "tEXt", "IDAT", "IEND"]);
        var verbose = Magick.Identify("-verbose", Save(bytes));
        verbose.ShouldContain("prompt: a red fox in the snow, golden hour");
        verbose.ShouldContain("Software: Easel");
        verbose.ShouldContain("seed: 42");
        PngDecoder.Decode(bytes).Text.ShouldBe(text);
    }

    [Fact]
    public void Other_text_is_written_as_UTF8_iTXt_that_libvips_reads()
    {
        // ImageMagick 6 ignores iTXt altogether, so libvips is the oracle here.
        var image = Content(8, 8, "noise", alpha: true);
        KeyValuePair<string, string>[] text = [new("prompt", "naïve café — ☕ 猫"), new("Beschreibung é", "Grüße")];

        var bytes = PngEncoder.Encode(image, new PngEncoderOptions { Text = text });

        RawPng.ChunkTypes(bytes).ShouldBe(["IHDR", "iTXt", "iTXt", "IDAT", "IEND"]);
        var header = Magick.VipsHeader(Save(bytes));
        header.ShouldContain("png-comment-0-prompt: naïve café — ☕ 猫");
        header.ShouldContain("Grüße");
        PngDecoder.Decode(bytes).Text.ShouldBe(text);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("double  space")]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    [InlineData("non breaking\u00A0space")]
    [InlineData("beyond latin-1 ☕")]
    [InlineData("80 characters")]
    public void Invalid_keywords_are_refused_before_anything_is_written(string keyword)
    {
        if (keyword == "80 characters")
            keyword = new string('k', 80);
        using var stream = new MemoryStream();

        var ex = Should.Throw<ArgumentException>(() =>
            PngEncoder.Encode(Content(2, 2, "noise", false), stream, new PngEncoderOptions { Text = [new("ok", "fine"), new(keyword, "value")] }));

        ex.Message.ShouldContain("1-79 printable Latin-1 characters");
        ex.ParamName.ShouldBe("options");
        stream.Length.ShouldBe(0);
    }

    [Fact]
    public void Keywords_at_the_limits_are_accepted()
    {
        var longest = new string('k', 79);
        KeyValuePair<string, string>[] text = [new(longest, "x"), new("K", ""), new("¡Latin-1 ÿ", "y")];

        var bytes = PngEncoder.Encode(Content(2, 2, "noise", false), new PngEncoderOptions { Text = text });

        PngDecoder.Decode(bytes).Text.ShouldBe(text);
        Magick.Identify("-verbose", Save(bytes)).ShouldContain($"{longest}: x");
    }

    [Fact]
    public void Invalid_text_values_are_refused()
    {
        var image = Content(2, 2, "noise", false);
        Should.Throw<ArgumentException>(() => PngEncoder.Encode(image, new PngEncoderOptions { Text = [new("k", "nul\0inside")] }))
            .Message.ShouldContain("NUL");
        Should.Throw<ArgumentException>(() => PngEncoder.Encode(image, new PngEncoderOptions { Text = [new("k", null!)] }))
            .Message.ShouldContain("null");
        Should.Throw<ArgumentException>(() => PngEncoder.Encode(image, new PngEncoderOptions { Text = [new("k", "lone \uD800 surrogate")] }))
            .Message.ShouldContain("not valid Unicode");
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        var image = Content(2, 2, "noise", false);
        Should.Throw<ArgumentOutOfRangeException>(() => PngEncoder.Encode(image, new PngEncoderOptions { CompressionLevel = 10 }));
        Should.Throw<ArgumentOutOfRangeException>(() => PngEncoder.Encode(image, new PngEncoderOptions { CompressionLevel = -1 }));
        Should.Throw<ArgumentOutOfRangeException>(() => PngEncoder.Encode(image, new PngEncoderOptions { Filter = (PngFilterStrategy)17 }));
        Should.Throw<ArgumentNullException>(() => PngEncoder.Encode(null!));
        Should.Throw<ArgumentNullException>(() => PngEncoder.Encode(image, (Stream)null!));
    }

    private string Save(byte[] bytes)
    {
        var file = _dir.File($"{Guid.NewGuid():N}.png");
        File.WriteAllBytes(file, bytes);
        return file;
    }

    /// <summary>The filter type of each row of a non-interlaced 8-bit file the encoder wrote.</summary>
    private static List<int> RowFilters(byte[] png, RgbaImage image)
    {
        var data = RawPng.InflatedImageData(png);
        var rowBytes = (data.Length / image.Height) - 1;
        return [.. Enumerable.Range(0, image.Height).Select(y => (int)data[y * (1 + rowBytes)])];
    }

    /// <summary>Test images: "noise" (random bytes), "smooth" (gradients), "plasma" (ImageMagick's, photo-like).</summary>
    private RgbaImage Content(int width, int height, string content, bool alpha)
    {
        var image = new RgbaImage(width, height);
        var p = image.Pixels;
        switch (content)
        {
            case "noise":
                new Random((width * 31) + height).NextBytes(p);
                break;
            case "smooth":
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var i = 4 * ((y * width) + x);
                        p[i] = (byte)(x * 255 / Math.Max(1, width - 1));
                        p[i + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                        p[i + 2] = (byte)((x + y) * 7);
                        p[i + 3] = (byte)(255 - ((x + y) % 256)); // includes 0 and 255 on the larger sizes
                    }
                }

                break;
            default:
                var file = _dir.File("plasma.png");
                Magick.Convert("-seed", "11", "-size", $"{width}x{height}", "plasma:fractal", "-channel", "A", "-fx", "(i+j)/(w+h)", "+channel", "PNG32:" + file);
                Magick.Rgba(file).CopyTo(p, 0);
                break;
        }

        if (!alpha)
        {
            for (var i = 3; i < p.Length; i += 4)
                p[i] = 255;
        }
        else if (image.IsOpaque())
        {
            p[3] = 0; // at least one pixel is not opaque
        }

        return image;
    }
}
