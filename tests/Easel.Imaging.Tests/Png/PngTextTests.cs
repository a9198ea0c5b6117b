using System.IO.Compression;
using System.Text;
using Easel.Imaging.Png;

namespace Easel.Imaging.Tests.Png;

public sealed class PngTextTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Add_inserts_text_before_the_image_data_without_touching_the_pixels()
    {
        // ImageMagick writes its own tEXt chunks (date:create, date:modify) and splits IDAT.
        var original = _dir.File("original.png");
        Magick.Convert("-seed", "3", "-size", "300x200", "plasma:fractal", "-define", "png:exclude-chunks=date", "-set", "Title", "from ImageMagick", "PNG32:" + original);
        var bytes = File.ReadAllBytes(original);
        var before = PngText.Read(bytes);
        before.ShouldContain(new KeyValuePair<string, string>("Title", "from ImageMagick"));

        var added = PngText.Add(bytes, [new("prompt", "a lighthouse at dusk"), new("model", "sketch-1"), new("note", "çà va — ok")]);

        var file = _dir.File("added.png");
        File.WriteAllBytes(file, added);
        Magick.Rgba(file).ShouldBe(Magick.Rgba(original));
        var verbose = Magick.Identify("-verbose", file);
        verbose.ShouldContain("prompt: a lighthouse at dusk");
        verbose.ShouldContain("model: sketch-1");
        verbose.ShouldContain("Title: from ImageMagick");
        Magick.VipsHeader(file).ShouldContain("note: çà va — ok");

        // ImageMagick wrote its Title after the image data, so it stays after the new entries.
        PngText.Read(added).ShouldBe([new("prompt", "a lighthouse at dusk"), new("model", "sketch-1"), new("note", "çà va — ok"), .. before]);
        var types = RawPng.ChunkTypes(added);
        var firstIdat = types.IndexOf("IDAT");
        types[(firstIdat - 3)..firstIdat].ShouldBe(["tEXt", "tEXt", "iTXt"]);
        types.Where(t => t != "tEXt" && t != "iTXt").ShouldBe(RawPng.ChunkTypes(bytes).Where(t => t != "tEXt" && t != "iTXt"));
        PngDecoder.Decode(added).Image.Pixels.ShouldBe(PngDecoder.Decode(bytes).Image.Pixels);
    }

    [Fact]
    public void Add_with_no_entries_returns_an_equivalent_file()
    {
        var bytes = PngEncoder.Encode(new RgbaImage(3, 3));
        PngText.Add(bytes, []).ShouldBe(bytes);
    }

    [Fact]
    public void Add_checks_the_file_and_the_keywords()
    {
        var bytes = PngEncoder.Encode(new RgbaImage(3, 3));
        KeyValuePair<string, string>[] entry = [new("k", "v")];

        Should.Throw<ImageFormatException>(() => PngText.Add(bytes.AsSpan(0, bytes.Length - 5), entry)).Message.ShouldContain("truncated");
        Should.Throw<ImageFormatException>(() => PngText.Add("not a png"u8, entry)).Message.ShouldContain("signature");
        var corrupt = (byte[])bytes.Clone();
        corrupt[bytes.AsSpan().IndexOf("IDAT"u8) + 6] ^= 0x55; // inside the IDAT's data
        Should.Throw<ImageFormatException>(() => PngText.Add(corrupt, entry)).Message.ShouldContain("CRC mismatch in the 'IDAT' chunk");
        var ex = Should.Throw<ArgumentException>(() => PngText.Add(bytes, [new("bad  keyword", "v")]));
        ex.ParamName.ShouldBe("entries");
        ex.Message.ShouldContain("bad  keyword");
    }

    [Fact]
    public void Read_decodes_every_kind_of_text_chunk_as_ImageMagick_and_libvips_do()
    {
        var png = RawPng.File(
            RawPng.Ihdr(2, 2, 8, 0),
            RawPng.Chunk("tEXt", [.. "Comment"u8, 0, .. Encoding.Latin1.GetBytes("Latin-1 caf\u00e9")]),
            RawPng.Chunk("zTXt", [.. "Title"u8, 0, 0, .. RawPng.Zlib("compressed Latin-1"u8)]),
            RawPng.Chunk("iTXt", [.. "Author"u8, 0, 0, 0, 0, 0, .. "plain UTF-8 ☕"u8]),
            RawPng.Chunk("iTXt", [.. "Description"u8, 0, 1, 0, .. "de"u8, 0, .. "Beschreibung"u8, 0, .. RawPng.Zlib("komprimiert, Grüße"u8)]),
            RawPng.Chunk("IDAT", RawPng.Zlib(new byte[6])),
            RawPng.Chunk("tEXt", "After\0the image data"u8),
            RawPng.Iend());
        KeyValuePair<string, string>[] expected =
        [
            new("Comment", "Latin-1 café"),
            new("Title", "compressed Latin-1"),
            new("Author", "plain UTF-8 ☕"),
            new("Description", "komprimiert, Grüße"),
            new("After", "the image data"),
        ];

        PngText.Read(png).ShouldBe(expected);
        PngDecoder.Decode(png).Text.ShouldBe(expected);

        // ImageMagick 6 reads tEXt and zTXt (not iTXt); libvips reads iTXt (but takes tEXt for UTF-8).
        var file = _dir.File("text.png");
        File.WriteAllBytes(file, png);
        var magick = Magick.IdentifyLatin1("-verbose", file);
        magick.ShouldContain("Comment: Latin-1 café");
        magick.ShouldContain("Title: compressed Latin-1");
        magick.ShouldContain("After: the image data");
        var vips = Magick.VipsHeader(file);
        vips.ShouldContain("png-comment-1-Title: compressed Latin-1");
        vips.ShouldContain("png-comment-2-Author: plain UTF-8 ☕");
        vips.ShouldContain("png-comment-3-Description: komprimiert, Grüße");
    }

    [Fact]
    public void Read_checks_the_file()
    {
        var bytes = PngEncoder.Encode(new RgbaImage(3, 3), new PngEncoderOptions { Text = [new("a", "b")] });
        PngText.Read(bytes).ShouldBe([new("a", "b")]);
        Should.Throw<ImageFormatException>(() => PngText.Read(bytes.AsSpan(0, 30)));
        Should.Throw<ImageFormatException>(() => PngText.Read([]));
    }

    [Fact]
    public void Read_limits_compressed_text()
    {
        // 9 MB of compressed text is over the 8 MB default limit.
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(new byte[9_000_000]);
        var png = RawPng.File(
            RawPng.Ihdr(2, 2, 8, 0),
            RawPng.Chunk("zTXt", [.. "k"u8, 0, 0, .. compressed.ToArray()]),
            RawPng.Chunk("IDAT", RawPng.Zlib(new byte[6])),
            RawPng.Iend());

        Should.Throw<ImageFormatException>(() => PngText.Read(png)).Message.ShouldContain("MaxTextBytes");
    }
}
