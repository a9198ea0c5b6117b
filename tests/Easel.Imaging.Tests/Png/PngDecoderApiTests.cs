using Easel.Imaging.Png;

namespace Easel.Imaging.Tests.Png;

public sealed class PngDecoderApiTests
{
    [Fact]
    public void Stream_and_span_decoding_agree()
    {
        var image = new RgbaImage(50, 40);
        new Random(5).NextBytes(image.Pixels);
        var bytes = PngEncoder.Encode(image, new PngEncoderOptions { Text = [new("k", "v")] });

        var fromSpan = PngDecoder.Decode(bytes);
        var fromTrickle = PngDecoder.Decode(new TrickleStream(bytes));
        using var seekable = new MemoryStream([.. "junk"u8, .. bytes]) { Position = 4 };
        var fromSeekable = PngDecoder.Decode(seekable);

        fromSpan.Image.Pixels.ShouldBe(image.Pixels);
        fromTrickle.Image.Pixels.ShouldBe(image.Pixels);
        fromSeekable.Image.Pixels.ShouldBe(image.Pixels);
        fromTrickle.Text.ShouldBe(fromSpan.Text);
    }

    [Fact]
    public void ReadInfo_needs_only_the_header()
    {
        var bytes = RawPng.File(RawPng.Ihdr(640, 480, 16, 4, interlace: 1));

        PngDecoder.ReadInfo(bytes).ShouldBe(new PngInfo(640, 480, 16, PngColorType.GrayscaleAlpha, true));
        Should.Throw<ImageFormatException>(() => PngDecoder.Decode(bytes)).Message.ShouldContain("without an IEND");
    }

    [Fact]
    public void Low_bit_depths_scale_up_exactly()
    {
        // One row holding every 4-bit grey value: v becomes v * 17.
        byte[] row = [0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF];
        var image = PngDecoder.Decode(RawPng.Image(16, 1, 4, 0, row)).Image;

        for (var v = 0; v < 16; v++)
            image.Pixels.AsSpan(4 * v, 4).ToArray().ShouldBe([(byte)(v * 17), (byte)(v * 17), (byte)(v * 17), 255]);
    }
}
