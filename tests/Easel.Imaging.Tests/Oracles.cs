using System.Diagnostics;
using System.Text;

namespace Easel.Imaging.Tests;

/// <summary>ImageMagick 6 (and libvips for iTXt, which ImageMagick 6 ignores) as independent oracles.</summary>
internal static class Magick
{
    private const string ConvertPath = "/usr/bin/convert";
    private const string IdentifyPath = "/usr/bin/identify";
    private const string VipsHeaderPath = "/usr/bin/vipsheader";

    /// <summary>Runs <c>convert</c> and returns its standard output.</summary>
    public static byte[] Convert(params string[] args) => Run(ConvertPath, "imagemagick", args);

    /// <summary>The file's pixels as ImageMagick decodes them, 8-bit RGBA.</summary>
    public static byte[] Rgba(string file) => Convert(file, "-depth", "8", "rgba:-");

    public static string Identify(params string[] args) => Encoding.UTF8.GetString(Run(IdentifyPath, "imagemagick", args));

    /// <summary><c>identify</c> output read as Latin-1: ImageMagick prints tEXt values as their raw (Latin-1) bytes.</summary>
    public static string IdentifyLatin1(params string[] args) => Encoding.Latin1.GetString(Run(IdentifyPath, "imagemagick", args));

    /// <summary>"bitdepth colortype interlace" from the file's IHDR, as ImageMagick reads it.</summary>
    public static string Header(string file) =>
        Identify("-format", "%[png:IHDR.bit-depth-orig] %[png:IHDR.color-type-orig] %[png:IHDR.interlace_method]", file);

    public static bool HasTransparencyChunk(string file) =>
        Identify("-verbose", file).Contains("png:tRNS: chunk was found", StringComparison.Ordinal);

    /// <summary>All of libvips' header fields, including every PNG text chunk as png-comment-N-keyword.</summary>
    public static string VipsHeader(string file) => Encoding.UTF8.GetString(Run(VipsHeaderPath, "libvips-tools", ["-a", file]));

    private static byte[] Run(string path, string package, string[] args)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: install the Debian package {package} (apt-get install {package}); these tests use it as an oracle.");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"{path} {string.Join(' ', args)} did not finish within 60 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{path} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}");
        return output.ToArray();
    }
}

/// <summary>A fresh folder for one test's files, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "easel-imaging-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
