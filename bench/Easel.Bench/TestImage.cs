using System.Security.Cryptography;

namespace Easel.Bench;

/// <summary>
/// The one input every tool reads: 1024x1024 RGBA, ImageMagick's plasma fractal with a fixed
/// seed (photo-like, high-entropy colour, so compression has real work to do) and an alpha
/// gradient from opaque at the top to 20% at the bottom (so every tool's alpha path runs and no
/// pixel is fully transparent, which keeps colour comparisons meaningful). Made by ImageMagick,
/// not by Easel, so Easel's encoder has no say in the decode input.
/// </summary>
/// <remarks>External tools run in the scratch directory and see the files by these relative names.</remarks>
internal sealed record TestImage(byte[] Png, byte[] Rgba, string Sha256, string PixelsSha256)
{
    public const int Size = 1024;
    public const int Seed = 1234;
    public const string PngName = "input.png";
    public const string RawName = "input.rgba";
    public const string VipsName = "input.v";

    public static readonly string[] GenerateArguments =
    [
        "-seed", Seed.ToString(), "-size", $"{Size}x{Size}", "plasma:fractal",
        "(", "-size", $"{Size}x{Size}", "gradient:white-gray20", ")",
        "-alpha", "off", "-compose", "CopyOpacity", "-composite",
        // No timestamp chunks, so the file is the same bytes on every run.
        "-define", "png:exclude-chunks=date,time", "PNG32:" + PngName,
    ];

    /// <summary>ImageMagick arguments that read the raw file as 8-bit RGBA.</summary>
    public static string[] RawInput => ["-size", $"{Size}x{Size}", "-depth", "8", "rgba:" + RawName];

    public static string GenerateCommand => Commands.Display(ImageMagick.Convert, GenerateArguments);

    /// <param name="tools">Runs in <paramref name="directory"/>.</param>
    public static TestImage Create(Commands tools, string directory)
    {
        tools.RunChecked(ImageMagick.Convert, GenerateArguments);
        tools.RunChecked(ImageMagick.Convert, [PngName, "-depth", "8", "rgba:" + RawName]);
        if (Commands.Exists("vips"))
            tools.RunChecked("vips", ["copy", PngName, VipsName]);

        var png = File.ReadAllBytes(Path.Combine(directory, PngName));
        var rgba = File.ReadAllBytes(Path.Combine(directory, RawName));
        if (rgba.Length != Size * Size * 4)
            throw new InvalidOperationException($"{RawName} holds {rgba.Length} bytes, expected {Size * Size * 4}.");
        return new TestImage(png, rgba, Convert.ToHexStringLower(SHA256.HashData(png)), Convert.ToHexStringLower(SHA256.HashData(rgba)));
    }
}
