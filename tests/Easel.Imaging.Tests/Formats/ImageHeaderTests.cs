using System.Buffers.Binary;
using System.Text;
using Easel.Imaging.Formats;
using Easel.Imaging.Png;

namespace Easel.Imaging.Tests.Formats;

public sealed class ImageHeaderTests
{
    // ---- Real files: ImageMagick writes them, the header reader must agree on the size. ----

    [Theory]
    [InlineData("png:-", ImageFileFormat.Png, "")]
    [InlineData("jpeg:-", ImageFileFormat.Jpeg, "")]
    [InlineData("jpeg:-", ImageFileFormat.Jpeg, "-interlace Plane")] // progressive: SOF2
    [InlineData("jpeg:-", ImageFileFormat.Jpeg, "-define jpeg:arithmetic-coding=true")]
    [InlineData("webp:-", ImageFileFormat.WebP, "")] // lossy: VP8
    [InlineData("webp:-", ImageFileFormat.WebP, "-define webp:lossless=true")] // VP8L
    [InlineData("webp:-", ImageFileFormat.WebP, "-alpha set -channel A -evaluate set 50% +channel")] // alpha: VP8X
    [InlineData("gif:-", ImageFileFormat.Gif, "")]
    [InlineData("gif87:-", ImageFileFormat.Gif, "")]
    public void Reads_the_size_of_files_imagemagick_writes(string output, ImageFileFormat format, string options)
    {
        foreach (var (width, height) in new[] { (1, 1), (37, 23), (300, 7), (1025, 513) })
        {
            string[] args = ["-size", $"{width}x{height}", "plasma:fractal", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), output];
            var bytes = Magick.Convert(args);

            ImageHeader.Sniff(bytes).ShouldBe(format);
            var info = ImageHeader.Read(bytes);
            info.ShouldBe(new ImageHeaderInfo(format, width, height), $"{output} {options} at {width}x{height}");
            info.MediaType.ShouldBe(ImageHeader.MediaTypeOf(format));
        }
    }

    [Fact]
    public void The_webp_layouts_are_the_ones_the_cases_above_claim()
    {
        Chunk(Magick.Convert("-size", "5x5", "xc:red", "webp:-")).ShouldBe("VP8 ");
        Chunk(Magick.Convert("-size", "5x5", "xc:red", "-define", "webp:lossless=true", "webp:-")).ShouldBe("VP8L");
        Chunk(Magick.Convert("-size", "5x5", "xc:red", "-alpha", "set", "-channel", "A", "-evaluate", "set", "50%", "+channel", "webp:-")).ShouldBe("VP8X");

        static string Chunk(byte[] webp) => Encoding.ASCII.GetString(webp, 12, 4);
    }

    [Fact]
    public void Reads_png_made_by_the_own_encoder_with_media_type()
    {
        var info = ImageHeader.Read(PngEncoder.Encode(new RgbaImage(640, 480)));
        info.ShouldBe(new ImageHeaderInfo(ImageFileFormat.Png, 640, 480));
        info.MediaType.ShouldBe("image/png");
        info.Pixels.ShouldBe(640L * 480);
    }

    // ---- Hand-made headers: layouts the encoders above do not produce. ----

    [Fact]
    public void Jpeg_walks_fill_bytes_app_segments_and_restart_markers_to_the_frame_header()
    {
        byte[] jpeg =
        [
            0xFF, 0xD8,
            0xFF, 0xE0, 0x00, 0x04, 0x01, 0x02, // APP0 with two payload bytes
            0xFF, 0xFF, 0xFF, 0xE1, 0x00, 0x02, // fill bytes, then an empty APP1
            0xFF, 0xD3, // a stray RST3 has no length
            0xFF, 0xC4, 0x00, 0x03, 0x00, // DHT shares the SOF range but is not a frame header
            0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x01, 0x2C, 0x02, 0x58, 0x01, 0x01, 0x11, 0x00, // SOF2 600x300
        ];
        ImageHeader.Read(jpeg).ShouldBe(new ImageHeaderInfo(ImageFileFormat.Jpeg, 600, 300));
    }

    [Fact]
    public void Webp_vp8x_canvas_can_be_larger_than_16_bits()
    {
        var info = ImageHeader.Read(WebPVp8X(100_000, 3));
        info.ShouldBe(new ImageHeaderInfo(ImageFileFormat.WebP, 100_000, 3));
        info.Pixels.ShouldBe(300_000L);
    }

    [Fact]
    public void Png_over_2_gigapixels_per_side_is_refused()
    {
        Refused(Png(0x8000_0000, 1), "2^31-1");
    }

    // ---- Truncation: every prefix of a header is refused as truncated. ----

    public static TheoryData<string> Formats => ["png", "jpeg", "webp-vp8", "webp-vp8l", "webp-vp8x", "gif"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_cut_off_header_is_reported_as_truncated(string format)
    {
        var whole = Sample(format);
        ImageHeader.Read(whole).Width.ShouldBeGreaterThan(0);
        for (var length = 1; length < whole.Length; length++)
        {
            var message = Refused(whole[..length], "truncated");
            message.ShouldNotContain("match no known signature");
        }
    }

    [Fact]
    public void Truncated_real_jpeg_before_its_frame_header()
    {
        var jpeg = Magick.Convert("-size", "20x10", "xc:blue", "jpeg:-");
        var sof = IndexOfMarker(jpeg, 0xC0);
        var sofEnd = sof + 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sof + 2));
        Refused(jpeg[..sof], "truncated").ShouldContain("frame header");
        Refused(jpeg[..(sofEnd - 1)], "truncated").ShouldContain("inside the frame header");
        ImageHeader.Read(jpeg[..sofEnd]).ShouldBe(new ImageHeaderInfo(ImageFileFormat.Jpeg, 20, 10));
    }

    // ---- Garbage and corruption: a specific message each. ----

    [Fact]
    public void Empty_data()
    {
        Refused([], "empty");
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Not found</body></html>")]
    [InlineData("\r\n  <html>")]
    [InlineData("\uFEFF<?xml version=\"1.0\"?><svg/>")]
    public void Html_or_xml_is_named_as_such(string text)
    {
        var message = Refused(Encoding.UTF8.GetBytes(text), "Not a PNG, JPEG, WebP or GIF image");
        message.ShouldContain("HTML or XML");
    }

    [Theory]
    [InlineData("BM6\0\0\0\0\0\0\06\0\0\0(\0\0\0")] // BMP
    [InlineData("RIFF\u0004\0\0\0WAVEfmt ")] // RIFF, but audio
    [InlineData("%PDF-1.7")]
    [InlineData("\0\0\0\0")]
    public void Other_formats_match_no_signature(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        ImageHeader.Sniff(bytes).ShouldBeNull();
        Refused(bytes, "match no known signature").ShouldNotContain("HTML");
    }

    [Fact]
    public void Zero_width_or_height_in_each_format()
    {
        Refused(Png(0, 5), "zero width or height (0x5");
        Refused(Gif(0, 0), "zero width or height");
        Refused(Jpeg(0, 10), "zero width or height");
        Refused(WebPVp8(16, 0), "zero width or height");
        Refused(Jpeg(10, 0), "DNL");
    }

    [Fact]
    public void Png_corruption()
    {
        var png = Png(10, 10);
        png[20] ^= 1;
        Refused(png, "CRC");

        var notIhdr = Png(10, 10);
        "IDAT"u8.CopyTo(notIhdr.AsSpan(12));
        Refused(notIhdr, "first chunk must be IHDR");

        var longIhdr = Png(10, 10);
        longIhdr[11] = 14;
        Refused(longIhdr, "declares 14 data bytes");
    }

    [Fact]
    public void Jpeg_corruption()
    {
        Refused([0xFF, 0xD8, 0xFF, 0xD9], "without a frame header");
        Refused([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02], "scan data (SOS");
        Refused([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02, 0x12, 0x34], "expected a marker");
        Refused([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01], "invalid length of 1");
        Refused([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x05, 0x08, 0x00, 0x01], "too short to hold a size");
        Refused([0xFF, 0xD8, 0xFF, 0xD8], "second start-of-image");
    }

    [Fact]
    public void Webp_corruption()
    {
        var vp8 = WebPVp8(16, 16);
        vp8[23] = 0;
        Refused(vp8, "start code");

        var interFrame = WebPVp8(16, 16);
        interFrame[20] |= 1;
        Refused(interFrame, "not a key frame");

        var vp8L = WebPVp8L(16, 16);
        vp8L[20] = 0x2E;
        Refused(vp8L, "VP8L signature");

        var unknown = WebPVp8X(4, 4);
        "ALPH"u8.CopyTo(unknown.AsSpan(12));
        Refused(unknown, "not VP8, VP8L or VP8X");

        var small = WebPVp8X(4, 4);
        small[16] = 4;
        Refused(small, "too few for a header");

        var longer = WebPVp8L(4, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(longer.AsSpan(4), 1000);
        Refused(longer, "RIFF header declares 1008 bytes");
    }

    // ---- Builders ----

    private static string Refused(byte[] data, string fragment)
    {
        var error = Should.Throw<ImageFormatException>(() => ImageHeader.Read(data));
        error.Message.ShouldContain(fragment);
        return error.Message;
    }

    private static byte[] Sample(string format) => format switch
    {
        "png" => Png(3, 2),
        "jpeg" => Jpeg(3, 2),
        "webp-vp8" => WebPVp8(3, 2),
        "webp-vp8l" => WebPVp8L(3, 2),
        "webp-vp8x" => WebPVp8X(3, 2),
        _ => Gif(3, 2),
    };

    private static byte[] Png(uint width, uint height)
    {
        var png = new byte[33];
        PngChunkReader.Signature.CopyTo(png);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(8), 13);
        "IHDR"u8.CopyTo(png.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), height);
        png[24] = 8;
        png[25] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.Compute(png.AsSpan(12, 17)));
        return png;
    }

    private static byte[] Jpeg(ushort width, ushort height) =>
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC0, 0x00, 0x0B, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x01, 0x01, 0x11, 0x00,
    ];

    private static byte[] Gif(ushort width, ushort height) =>
        [.. "GIF89a"u8, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00, 0x00, 0x00];

    private static byte[] WebPVp8(int width, int height) =>
        Riff("VP8 ", [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8)]);

    private static byte[] WebPVp8L(int width, int height)
    {
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        return Riff("VP8L", [0x2F, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24)]);
    }

    private static byte[] WebPVp8X(int width, int height)
    {
        int w = width - 1, h = height - 1;
        return Riff("VP8X", [0x10, 0, 0, 0, (byte)w, (byte)(w >> 8), (byte)(w >> 16), (byte)h, (byte)(h >> 8), (byte)(h >> 16)]);
    }

    private static byte[] Riff(string chunk, byte[] payload)
    {
        var padded = payload.Length + (payload.Length & 1);
        var webp = new byte[20 + padded];
        "RIFF"u8.CopyTo(webp);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4), (uint)(webp.Length - 8));
        "WEBP"u8.CopyTo(webp.AsSpan(8));
        Encoding.ASCII.GetBytes(chunk).CopyTo(webp, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(16), (uint)payload.Length);
        payload.CopyTo(webp, 20);
        return webp;
    }

    private static int IndexOfMarker(byte[] jpeg, byte marker)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker)
                return i;
        }

        throw new InvalidOperationException($"No 0xFF{marker:X2} marker.");
    }
}
