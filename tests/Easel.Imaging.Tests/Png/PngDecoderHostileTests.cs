using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Easel.Imaging.Png;

namespace Easel.Imaging.Tests.Png;

/// <summary>Broken and hostile files: each must fail with <see cref="ImageFormatException"/> saying what is wrong.</summary>
public sealed class PngDecoderHostileTests
{
    private const int BombBytes = 64 << 20;

    [Fact]
    public void Empty_input()
    {
        Refuses([], "empty");
        Should.Throw<ImageFormatException>(() => PngDecoder.ReadInfo([])).Message.ShouldContain("empty");
    }

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000garbage")]
    [InlineData("<html>not an image</html>")]
    [InlineData("\u0089PNG\r\n\u001a")] // 7 of the 8 signature bytes
    public void Garbage(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var message = Should.Throw<ImageFormatException>(() => PngDecoder.Decode(bytes)).Message;
        message.ShouldContain("signature");
        Should.Throw<ImageFormatException>(() => PngDecoder.ReadInfo(bytes));
    }

    [Fact]
    public void Every_truncation_of_a_file_fails_cleanly()
    {
        var valid = RawPng.File(
            RawPng.Ihdr(6, 5, 8, 2),
            RawPng.Chunk("tEXt", "Title\0short"u8),
            RawPng.Chunk("IDAT", RawPng.Zlib(Scanlines(6, 5, 3))[..20]),
            RawPng.Chunk("IDAT", RawPng.Zlib(Scanlines(6, 5, 3))[20..]),
            RawPng.Iend());
        PngDecoder.Decode(valid).Image.Width.ShouldBe(6);

        for (var length = 0; length < valid.Length; length++)
            Should.Throw<ImageFormatException>(() => PngDecoder.Decode(valid.AsSpan(0, length)), $"cut at {length} bytes");
        Refuses(valid[..^12], "without an IEND chunk");
        Refuses(valid[..^20], "remain (file truncated?)");
        Refuses(valid[..12], "truncated");
    }

    [Fact]
    public void Bad_CRC_names_the_chunk()
    {
        var png = Valid();
        var idat = IndexOfChunk(png, "IDAT");
        var corrupt = (byte[])png.Clone();
        corrupt[idat + 10] ^= 0x01;
        Refuses(corrupt, "CRC mismatch in the 'IDAT' chunk");

        corrupt = (byte[])png.Clone();
        corrupt[8 + 8 + 13] ^= 0xFF; // the IHDR's CRC itself
        Refuses(corrupt, "CRC mismatch in the 'IHDR' chunk");
    }

    [Fact]
    public void Dimensions_over_MaxPixels_are_refused_from_IHDR_before_allocating()
    {
        var huge = RawPng.File(RawPng.Ihdr(100_000, 100_000, 8, 6), RawPng.Chunk("IDAT", RawPng.Zlib(new byte[100])), RawPng.Iend());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = Should.Throw<ImageFormatException>(() => PngDecoder.Decode(huge)).Message;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        message.ShouldContain("100000x100000");
        message.ShouldContain("over the limit of 50000000 pixels");
        allocated.ShouldBeLessThan(1 << 20);
        PngDecoder.ReadInfo(huge).Width.ShouldBe(100_000); // reading the header alone is fine
    }

    [Fact]
    public void MaxPixels_option_lowers_the_limit()
    {
        var png = Valid(width: 40, height: 25);
        PngDecoder.Decode(png, new PngDecoderOptions { MaxPixels = 1000 }).Image.Height.ShouldBe(25);
        Refuses(png, "over the limit of 999 pixels", new PngDecoderOptions { MaxPixels = 999 });
    }

    [Theory]
    [InlineData(0u, 10u, "zero dimension")]
    [InlineData(10u, 0u, "zero dimension")]
    [InlineData(0x8000_0000u, 1u, "out of range")]
    public void Zero_or_oversized_dimensions(uint width, uint height, string message) =>
        Refuses(RawPng.File(RawPng.Ihdr(width, height, 8, 0), RawPng.Chunk("IDAT", RawPng.Zlib([0, 0])), RawPng.Iend()), message);

    [Theory]
    [InlineData(3, 0, 0, "", "Bit depth 3 is not allowed for PNG colour type 0")]
    [InlineData(8, 5, 1, "", "Unknown PNG colour type 5")]
    [InlineData(4, 2, 0, "", "Bit depth 4 is not allowed for PNG colour type 2")]
    [InlineData(16, 3, 0, "", "Bit depth 16 is not allowed for PNG colour type 3")]
    [InlineData(8, 0, 2, "", "Unknown PNG interlace method 2")]
    [InlineData(8, 0, 0, "compression", "Unknown PNG compression method 1")]
    [InlineData(8, 0, 0, "filter", "Unknown PNG filter method 1")]
    [InlineData(8, 0, 0, "short", "The IHDR chunk has 12 bytes")]
    public void Invalid_header_fields(int bitDepth, int colorType, int interlace, string edit, string message)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 4);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 4);
        (ihdr[8], ihdr[9], ihdr[12]) = ((byte)bitDepth, (byte)colorType, (byte)interlace);
        if (edit == "compression")
            ihdr[10] = 1;
        if (edit == "filter")
            ihdr[11] = 1;
        var png = RawPng.File(RawPng.Chunk("IHDR", edit == "short" ? ihdr[..12] : ihdr), RawPng.Chunk("IDAT", RawPng.Zlib(new byte[20])), RawPng.Iend());
        Refuses(png, message);
        Should.Throw<ImageFormatException>(() => PngDecoder.ReadInfo(png)).Message.ShouldContain(message);
    }

    [Fact]
    public void A_zlib_bomb_is_refused_with_bounded_memory()
    {
        // 100x100 grey needs 10,100 bytes of image data; this IDAT inflates to 64 MB.
        var bomb = RawPng.File(RawPng.Ihdr(100, 100, 8, 0), RawPng.Chunk("IDAT", ZerosCompressed(BombBytes)), RawPng.Iend());
        bomb.Length.ShouldBeLessThan(BombBytes / 500);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = Should.Throw<ImageFormatException>(() => PngDecoder.Decode(bomb)).Message;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        message.ShouldContain("inflates to more than the 10100 bytes a 100x100 image needs");
        allocated.ShouldBeLessThan(BombBytes / 64);
    }

    [Fact]
    public void Image_data_a_little_longer_than_the_image_is_refused()
    {
        var png = RawPng.File(RawPng.Ihdr(10, 10, 8, 0), RawPng.Chunk("IDAT", RawPng.Zlib(new byte[110 + 10])), RawPng.Iend());
        Refuses(png, "inflates to more than the 110 bytes");
    }

    [Fact]
    public void Image_data_shorter_than_the_image_is_refused()
    {
        var png = RawPng.File(RawPng.Ihdr(10, 10, 8, 0), RawPng.Chunk("IDAT", RawPng.Zlib(new byte[105])), RawPng.Iend());
        Refuses(png, "ends after 105 of the 110 bytes");
    }

    [Fact]
    public void Image_data_far_too_small_for_the_image_is_refused_before_allocating()
    {
        // A 30-byte IDAT cannot inflate to a 7000x7000 RGBA image (196 MB), whatever it holds.
        var png = RawPng.File(RawPng.Ihdr(7000, 7000, 8, 6), RawPng.Chunk("IDAT", RawPng.Zlib(new byte[30])), RawPng.Iend());

        var before = GC.GetAllocatedBytesForCurrentThread();
        Refuses(png, "truncated");
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(1 << 20);
    }

    [Fact]
    public void Image_data_that_is_not_zlib_is_refused() =>
        Refuses(RawPng.File(RawPng.Ihdr(4, 4, 8, 0), RawPng.Chunk("IDAT", "this is not a zlib stream at all"u8), RawPng.Iend()), "not valid zlib data");

    [Fact]
    public void A_compressed_text_bomb_is_refused_with_bounded_memory()
    {
        var text = RawPng.Chunk("zTXt", [.. "Comment"u8, 0, 0, .. ZerosCompressed(BombBytes)]);
        var png = RawPng.File(RawPng.Ihdr(2, 2, 8, 0), text, RawPng.Chunk("IDAT", RawPng.Zlib(new byte[6])), RawPng.Iend());
        var options = new PngDecoderOptions { MaxTextBytes = 1 << 20 };

        var before = GC.GetAllocatedBytesForCurrentThread();
        Refuses(png, "more than the MaxTextBytes limit of 1048576 bytes", options);
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(BombBytes / 8);
    }

    [Fact]
    public void Chunk_order_errors()
    {
        var ihdr = RawPng.Ihdr(4, 4, 8, 0);
        var idat = RawPng.Chunk("IDAT", RawPng.Zlib(new byte[20]));
        var iend = RawPng.Iend();
        var text = RawPng.Chunk("tEXt", "a\0b"u8);

        Refuses(RawPng.File(), "no IHDR chunk");
        Refuses(RawPng.File(idat, ihdr, iend), "The first chunk is 'IDAT', but a PNG file must start with IHDR");
        Refuses(RawPng.File(ihdr, ihdr, idat, iend), "Duplicate IHDR");
        Refuses(RawPng.File(ihdr, iend), "no image data");
        Refuses(RawPng.File(ihdr, idat), "without an IEND chunk");
        Refuses(RawPng.File(ihdr, idat, text, idat, iend), "not consecutive");
        Refuses(RawPng.File(ihdr, idat, RawPng.Chunk("IEND", [1])), "IEND chunk must be empty");
        Refuses(RawPng.File(ihdr, RawPng.Chunk("CRIT", [1, 2]), idat, iend), "Unknown critical chunk 'CRIT'");
        Refuses(RawPng.File(ihdr, RawPng.Chunk("PLTE", [1, 2, 3]), idat, iend), "grayscale PNG must not have a PLTE");

        var rgb = RawPng.Ihdr(2, 2, 8, 2);
        var rgbData = RawPng.Chunk("IDAT", RawPng.Zlib(new byte[14]));
        Refuses(RawPng.File(rgb, rgbData, RawPng.Chunk("PLTE", [1, 2, 3]), iend), "PLTE chunk comes after the image data");
        Refuses(RawPng.File(rgb, rgbData, RawPng.Chunk("tRNS", new byte[6]), iend), "tRNS chunk comes after the image data");

        var palette = RawPng.Ihdr(2, 2, 8, 3);
        Refuses(RawPng.File(palette, rgbData, iend), "no PLTE chunk before its image data");
        Refuses(RawPng.File(palette, RawPng.Chunk("tRNS", [0]), RawPng.Chunk("PLTE", [1, 2, 3]), rgbData, iend), "tRNS chunk comes before PLTE");
    }

    [Fact]
    public void Unknown_ancillary_chunks_are_skipped()
    {
        var scanlines = Scanlines(3, 3, 4);
        var plain = RawPng.Image(3, 3, 8, 6, scanlines);
        var extra = RawPng.File(
            RawPng.Ihdr(3, 3, 8, 6),
            RawPng.Chunk("gAMA", [0, 0, 0xB1, 0x8F]),
            RawPng.Chunk("zzZz", "private data"u8),
            RawPng.Chunk("IDAT", RawPng.Zlib(scanlines)),
            RawPng.Chunk("teXt", "after the image"u8),
            RawPng.Iend(),
            "trailing garbage after IEND"u8.ToArray());

        PngDecoder.Decode(extra).Image.Pixels.ShouldBe(PngDecoder.Decode(plain).Image.Pixels);
    }

    [Fact]
    public void Bad_filter_type_byte()
    {
        var scanlines = Scanlines(4, 4, 1);
        scanlines[2 * 5] = 5; // row 2's filter byte
        Refuses(RawPng.Image(4, 4, 8, 0, scanlines), "Invalid filter type 5 on row 2");

        scanlines = RawPng.RandomScanlines(new Random(1), 9, 9, 8, 0, interlaced: true);
        scanlines[0] = 200;
        Refuses(RawPng.Image(9, 9, 8, 0, scanlines, interlaced: true), "Invalid filter type 200 on row 0 of Adam7 pass 1");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(2)]
    public void Palette_index_out_of_range(int bitDepth)
    {
        // Two palette entries; the second pixel of row 1 uses index 3.
        var rowBytes = ((4 * bitDepth) + 7) / 8;
        var scanlines = new byte[4 * (1 + rowBytes)];
        var bit = bitDepth; // pixel 1
        scanlines[(1 + rowBytes) + 1 + (bit / 8)] = (byte)(3 << (8 - bitDepth - (bit % 8)));
        var png = RawPng.Image(4, 4, bitDepth, 3, scanlines, palette: [255, 0, 0, 0, 0, 255]);
        Refuses(png, "Palette index 3 is out of range: the PLTE chunk has only 2 entries");
    }

    [Fact]
    public void Malformed_palette_and_transparency_chunks()
    {
        var data = RawPng.Chunk("IDAT", RawPng.Zlib(new byte[12]));
        var iend = RawPng.Iend();
        Refuses(RawPng.File(RawPng.Ihdr(2, 2, 8, 3), RawPng.Chunk("PLTE", [1, 2, 3, 4]), data, iend), "PLTE chunk has 4 bytes");
        Refuses(RawPng.File(RawPng.Ihdr(2, 2, 8, 3), RawPng.Chunk("PLTE", new byte[771]), data, iend), "PLTE chunk has 771 bytes");
        Refuses(RawPng.File(RawPng.Ihdr(2, 2, 8, 3), RawPng.Chunk("PLTE", new byte[6]), RawPng.Chunk("tRNS", [1, 2, 3]), data, iend), "3 alpha values but the palette has only 2 entries");
        Refuses(RawPng.File(RawPng.Ihdr(2, 2, 8, 0), RawPng.Chunk("tRNS", [0, 1, 2]), data, iend), "needs 2");
        Refuses(RawPng.File(RawPng.Ihdr(2, 2, 8, 2), RawPng.Chunk("tRNS", [0, 1]), data, iend), "needs 6");
        Refuses(RawPng.File(RawPng.Ihdr(2, 2, 8, 6), RawPng.Chunk("tRNS", [0, 1]), data, iend), "not allowed in an image that has an alpha channel");
        Refuses(RawPng.File(RawPng.Ihdr(2, 2, 8, 0), RawPng.Chunk("tRNS", [0, 1]), RawPng.Chunk("tRNS", [0, 1]), data, iend), "Duplicate tRNS");
    }

    [Fact]
    public void Chunk_length_beyond_the_file()
    {
        var ihdr = RawPng.Ihdr(4, 4, 8, 0);
        Refuses(RawPng.File(ihdr, RawPng.Chunk("IDAT", RawPng.Zlib(new byte[20]), declaredLength: 0x7FFF_FFF0), RawPng.Iend()), "declares 2147483632 data bytes");
        Refuses(RawPng.File(ihdr, RawPng.Chunk("IDAT", RawPng.Zlib(new byte[20]), declaredLength: 0x8000_0000), RawPng.Iend()), "invalid length of 2147483648 bytes");
    }

    [Fact]
    public void Chunk_type_that_is_not_letters()
    {
        var png = RawPng.File(RawPng.Ihdr(4, 4, 8, 0), RawPng.Chunk("ID@T", RawPng.Zlib(new byte[20])), RawPng.Iend());
        Refuses(png, "Invalid chunk type bytes 0x49444054");
    }

    [Fact]
    public void Broken_text_chunks()
    {
        static byte[] Png(string type, byte[] data) =>
            RawPng.File(RawPng.Ihdr(2, 2, 8, 0), RawPng.Chunk(type, data), RawPng.Chunk("IDAT", RawPng.Zlib(new byte[6])), RawPng.Iend());

        Refuses(Png("tEXt", "no separator"u8.ToArray()), "tEXt chunk has no keyword terminator");
        Refuses(Png("tEXt", [0, .. "empty keyword"u8]), "keyword of 0 bytes");
        Refuses(Png("zTXt", [.. "k"u8, 0, 0, .. "not zlib"u8]), "zTXt chunk holds corrupt compressed text");
        Refuses(Png("zTXt", [.. "k"u8, 0, 7, .. RawPng.Zlib("x"u8)]), "unknown compression method");
        Refuses(Png("iTXt", [.. "k"u8, 0, 2, 0, 0, 0]), "invalid compression flag");
        Refuses(Png("iTXt", [.. "k"u8, 0, 0, 0, .. "en"u8]), "missing its language tag");
    }

    [Fact]
    public void Stream_input_is_read_no_further_than_MaxInputBytes()
    {
        var png = Valid(width: 64, height: 64); // incompressible, about 16 KB
        var stream = new TrickleStream(png);
        var message = Should.Throw<ImageFormatException>(() => PngDecoder.Decode(stream, new PngDecoderOptions { MaxInputBytes = 5000 })).Message;

        message.ShouldContain("larger than the MaxInputBytes limit of 5000 bytes");
        stream.BytesRead.ShouldBeLessThanOrEqualTo(5001);
        Refuses(png, "over the MaxInputBytes limit of 5000", new PngDecoderOptions { MaxInputBytes = 5000 });
        Should.Throw<ImageFormatException>(() => PngDecoder.Decode(new MemoryStream(png), new PngDecoderOptions { MaxInputBytes = 5000 }));
    }

    [Fact]
    public void Random_corruption_behind_valid_CRCs_only_ever_raises_ImageFormatException()
    {
        var random = new Random(1234);
        var originals = new[]
        {
            RawPng.Image(7, 5, 8, 6, RawPng.RandomScanlines(random, 7, 5, 8, 6, false)),
            RawPng.Image(9, 7, 2, 3, RawPng.RandomScanlines(random, 9, 7, 2, 3, true), palette: new byte[12], transparency: [1, 2]),
            RawPng.Image(5, 6, 16, 2, RawPng.RandomScanlines(random, 5, 6, 16, 2, false), transparency: new byte[6]),
        };
        foreach (var original in originals)
        {
            for (var i = 0; i < 300; i++)
            {
                var mutated = (byte[])original.Clone();
                for (var n = random.Next(1, 4); n > 0; n--)
                    mutated[random.Next(8, mutated.Length)] = (byte)random.Next(256);
                mutated = RawPngEdits.FixCrcs(mutated);
                try
                {
                    PngDecoder.Decode(mutated);
                }
                catch (ImageFormatException)
                {
                }
            }
        }
    }

    private static void Refuses(byte[] png, string fragment, PngDecoderOptions? options = null) =>
        Should.Throw<ImageFormatException>(() => PngDecoder.Decode(png, options)).Message.ShouldContain(fragment);

    private static byte[] Valid(int width = 5, int height = 4) => RawPng.Image(width, height, 8, 6, Scanlines(width, height, 4));

    /// <summary>Unfiltered scanlines of random 8-bit samples.</summary>
    private static byte[] Scanlines(int width, int height, int bytesPerPixel)
    {
        var random = new Random(width * height);
        var data = new byte[height * (1 + (width * bytesPerPixel))];
        random.NextBytes(data);
        for (var y = 0; y < height; y++)
            data[y * (1 + (width * bytesPerPixel))] = 0;
        return data;
    }

    private static int IndexOfChunk(byte[] png, string type) => png.AsSpan().IndexOf(Encoding.ASCII.GetBytes(type)) - 4;

    private static byte[] ZerosCompressed(int count)
    {
        var zeros = new byte[1 << 20];
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var written = 0; written < count; written += zeros.Length)
                zlib.Write(zeros);
        }

        return output.ToArray();
    }
}
