using System.Diagnostics;
using Easel.Imaging;
using Easel.Imaging.Metrics;
using Easel.Imaging.Png;
using Easel.Imaging.Resampling;
using Easel.Imaging.Sketch;

namespace Easel.Bench;

/// <summary>One original of the upscaling set and how it was made.</summary>
internal sealed record UpscaleSource(string Name, string MadeWith);

/// <summary>One way of enlarging, at one factor: its PSNR and SSIM against each original, in set order.</summary>
internal sealed record UpscaleQuality(string Method, string How, int Scale, IReadOnlyList<double> Psnr, IReadOnlyList<double> Ssim)
{
    public double MeanPsnr => Psnr.Average();

    public double MeanSsim => Ssim.Average();
}

/// <summary>One timed way of enlarging the speed image; <paramref name="StartupIncluded"/> when the time holds a process start.</summary>
internal sealed record UpscaleTiming(string Method, string What, int Scale, Samples Samples, string Command, bool StartupIncluded, double? CoresBusy = null);

internal sealed record UpscaleResults(
    DateTimeOffset Started,
    TimeSpan Duration,
    double? OtherCores,
    bool Quick,
    IReadOnlyList<UpscaleSource> Images,
    IReadOnlyList<UpscaleQuality> Quality,
    IReadOnlyList<UpscaleTiming> Timing,
    IReadOnlyList<TimedCommand> Startup,
    IReadOnlyList<CommandLine> Commands,
    string VipsLinePeak,
    double ImageMagickTruncated);

/// <summary>
/// Section 5: each original is shrunk by 2 and by 4 with one Lanczos-3 downscale (Easel's, the
/// same small image for every method), enlarged back by Easel's <see cref="Upscaler"/>, ImageMagick
/// and libvips, and scored against the original with <see cref="Similarity"/>. Then the three
/// are timed side by side on one image.
/// </summary>
internal sealed class UpscaleBench(string scratch, bool quick, TextWriter log)
{
    public const int Size = 1024;

    public const string Easel = "Easel";
    public const string EaselLanczos = "Easel, Lanczos-3 only";
    public const string ImageMagickName = "ImageMagick";
    public const string ImageMagick16 = "ImageMagick, 16-bit output rounded";
    public const string Vips = "libvips";

    public static readonly IReadOnlyList<int> Scales = Upscaler.Scales;

    /// <summary>Photo-like and smooth originals that ImageMagick draws from a seed.</summary>
    private static readonly (string Name, string[] Arguments)[] Drawn =
    [
        ("plasma, seed 1234", ["-seed", "1234", "-size", $"{Size}x{Size}", "plasma:fractal"]),
        ("plasma, seed 77", ["-seed", "77", "-size", $"{Size}x{Size}", "plasma:fractal"]),
        ("soft plasma (blurred σ 2)", ["-seed", "2024", "-size", $"{Size}x{Size}", "plasma:fractal", "-blur", "0x2"]),
        ("smooth blobs (blurred noise, stretched)", ["-seed", "31", "-size", $"{Size}x{Size}", "xc:", "+noise", "Random", "-blur", "0x3", "-contrast-stretch", "0"]),
    ];

    /// <summary>Sketch renders, what Easel's own provider paints: edges, flat fills and gradients.</summary>
    private static readonly (string Prompt, long Seed)[] Sketches =
    [
        (BenchRunner.CliPrompt, 42),
        ("a city street at night with neon signs, cyberpunk", 43),
        ("a lighthouse on a rocky coast under a cloudy sky, photographic", 44),
        ("a cat sitting on a windowsill with potted plants, flat illustration", 45),
        ("a castle on a hill, pixel art", 46),
        ("a bowl of fruit on a wooden table, minimal", 47),
    ];

    // The first sketch (the CLI prompt of section 1) is the one timed.
    private const int SpeedImage = 4;

    private readonly Commands _tools = new(scratch, scratch);
    private readonly Counts _counts = quick ? Counts.Quick : Counts.Full;
    private readonly List<CommandLine> _commandLines = [];
    private double _truncated = double.NaN;

    public UpscaleResults Run()
    {
        log.WriteLine("== Upscaling");
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var monitor = CpuMonitor.Start();
        if (!ImageMagick.Installed || !Commands.Exists("vips"))
            throw new InvalidOperationException("The upscaling comparison needs ImageMagick (convert) and libvips (vips). Install imagemagick and libvips-tools (bench/run.sh does), or pass --no-upscale.");

        log.WriteLine("  making the originals...");
        var (sources, originals) = MakeOriginals();

        var quality = new List<UpscaleQuality>();
        var timing = new List<UpscaleTiming>();
        foreach (var scale in Scales)
        {
            log.WriteLine($"  {scale}x: shrinking, enlarging and scoring {originals.Count} images...");
            quality.AddRange(Score(originals, scale));
            foreach (var q in quality.Where(q => q.Scale == scale))
                log.WriteLine($"    {q.Method}: PSNR {q.MeanPsnr:0.000} dB, SSIM {q.MeanSsim:0.00000}");
            timing.AddRange(Time(originals[SpeedImage], scale));
        }

        var startup = MeasureStartup();
        return new UpscaleResults(started, watch.Elapsed, monitor.OtherCores(), quick, sources, quality, timing, startup, _commandLines, VipsLinePeak(), _truncated);
    }

    private (List<UpscaleSource>, List<RgbaImage>) MakeOriginals()
    {
        var sources = new List<UpscaleSource>();
        var images = new List<RgbaImage>();
        for (var i = 0; i < Drawn.Length; i++)
        {
            var raw = $"up-original-{i}.rgba";
            // -alpha off: opaque, so every tool scores colour alone.
            string[] arguments = [.. Drawn[i].Arguments, "-alpha", "off", "-depth", "8", "rgba:" + raw];
            _tools.RunChecked(ImageMagick.Convert, arguments);
            images.Add(new RgbaImage(Size, Size, File.ReadAllBytes(Path.Combine(scratch, raw))));
            sources.Add(new UpscaleSource(Drawn[i].Name, "`" + Commands.Display(ImageMagick.Convert, arguments) + "`"));
        }
        foreach (var (prompt, seed) in Sketches)
        {
            images.Add(SketchRenderer.Render(new SketchRequest(prompt, null, Size, Size, seed, null, false)));
            sources.Add(new UpscaleSource($"sketch: {prompt}", $"`SketchRenderer.Render`, seed {seed}"));
        }
        return (sources, images);
    }

    private List<UpscaleQuality> Score(List<RgbaImage> originals, int scale)
    {
        var small = Size / scale;
        var methods = new[] { Easel, EaselLanczos, ImageMagickName, ImageMagick16, Vips };
        var psnr = methods.ToDictionary(m => m, _ => new List<double>());
        var ssim = methods.ToDictionary(m => m, _ => new List<double>());
        var how = new Dictionary<string, string>();

        for (var i = 0; i < originals.Count; i++)
        {
            var original = originals[i];
            var input = $"up-{i}-x{scale}.png";
            var shrunk = Resampler.Resize(original, small, small);
            File.WriteAllBytes(Path.Combine(scratch, input), PngEncoder.Encode(shrunk));

            void Add(string method, string description, RgbaImage enlarged)
            {
                psnr[method].Add(Similarity.Psnr(original, enlarged));
                ssim[method].Add(Similarity.Ssim(original, enlarged));
                how.TryAdd(method, description);
            }

            var sharpening = Upscaler.SharpeningFor(scale);
            Add(Easel, $"`Upscaler.Upscale(image, {scale})`: Lanczos-3, then `Sharpen(amount: {sharpening.Amount}, radius: {sharpening.Radius})`", Upscaler.Upscale(shrunk, scale));
            Add(EaselLanczos, "`Resampler.Resize` alone, no sharpening (for reference)", Resampler.Resize(shrunk, Size, Size));

            var imOutput = $"up-{i}-x{scale}-im.png";
            var imArguments = ImageMagickArguments(input, imOutput);
            _tools.RunChecked(ImageMagick.Convert, imArguments);
            Add(ImageMagickName, $"`{Commands.Display("convert", ImageMagickArguments("in.png", "out.png"))}`, the 8-bit PNG it writes", Decode(imOutput));

            var im16Output = $"up-{i}-x{scale}-im16.rgb";
            string[] im16Arguments = [input, "-filter", "Lanczos", "-resize", $"{Size}x{Size}!", "-depth", "16", "-endian", "LSB", "rgb:" + im16Output];
            _tools.RunChecked(ImageMagick.Convert, im16Arguments);
            Add(ImageMagick16, "the same filter read at 16 bits and rounded here (its 8-bit output truncates; for reference)", Rounded16(im16Output));

            var vipsOutput = $"up-{i}-x{scale}-vips.png";
            _tools.RunChecked("vips", VipsArguments(input, vipsOutput, scale));
            Add(Vips, $"`{Commands.Display("vips", VipsArguments("in.png", "out.png", scale))}`", Decode(vipsOutput));

            if (i == 0)
            {
                if (double.IsNaN(_truncated))
                    _truncated = TruncatedShare(Decode(imOutput), im16Output);
                _commandLines.Add(new CommandLine("ImageMagick", $"enlarge {scale}x (scored and timed)", Commands.Display(ImageMagick.Convert, imArguments)));
                _commandLines.Add(new CommandLine("ImageMagick", $"enlarge {scale}x at 16 bits (scored)", Commands.Display(ImageMagick.Convert, im16Arguments)));
                _commandLines.Add(new CommandLine("libvips", $"enlarge {scale}x (scored and timed)", Commands.Display("vips", VipsArguments(input, vipsOutput, scale))));
            }
        }
        return methods.Select(m => new UpscaleQuality(m, how[m], scale, psnr[m], ssim[m])).ToList();
    }

    /// <summary>PNG in, PNG out at zlib level 4 with adaptive filtering, as Easel's encoder writes by default.</summary>
    private static string[] ImageMagickArguments(string input, string output) =>
        [input, "-filter", "Lanczos", "-resize", $"{Size}x{Size}!", "-quality", "45", "PNG24:" + output];

    private static string[] VipsArguments(string input, string output, int scale) =>
        ["resize", input, output + "[compression=4,filter=all]", scale.ToString(), "--kernel", "lanczos3"];

    private RgbaImage Decode(string file) => PngDecoder.Decode(File.ReadAllBytes(Path.Combine(scratch, file))).Image;

    private RgbaImage Rounded16(string file)
    {
        var wide = File.ReadAllBytes(Path.Combine(scratch, file));
        if (wide.Length != Size * Size * 6)
            throw new InvalidOperationException($"{file} holds {wide.Length} bytes, expected {Size * Size * 6} for {Size}x{Size} RGB at 16 bits.");
        var image = new RgbaImage(Size, Size);
        for (int i = 0, o = 0; o < image.Pixels.Length; o++)
        {
            if ((o & 3) == 3)
            {
                image.Pixels[o] = 255;
                continue;
            }
            image.Pixels[o] = (byte)Math.Round((wide[i] | (wide[i + 1] << 8)) / 257.0);
            i += 2;
        }
        return image;
    }

    /// <summary>Share of the colour samples in ImageMagick's 8-bit output that equal its 16-bit output divided by 257, rounded down.</summary>
    private double TruncatedShare(RgbaImage eightBit, string sixteenBit)
    {
        var wide = File.ReadAllBytes(Path.Combine(scratch, sixteenBit));
        long same = 0, samples = 0;
        for (int i = 0, o = 0; o < eightBit.Pixels.Length; o++)
        {
            if ((o & 3) == 3)
                continue;
            same += eightBit.Pixels[o] == (wide[i] | (wide[i + 1] << 8)) / 257 ? 1 : 0;
            samples++;
            i += 2;
        }
        return (double)same / samples;
    }

    /// <summary>
    /// The speed image enlarged by each tool: Easel in memory and from PNG bytes to PNG bytes,
    /// ImageMagick inside one process with its own -bench and as whole processes, libvips as whole processes.
    /// </summary>
    private List<UpscaleTiming> Time(RgbaImage original, int scale)
    {
        var results = new List<UpscaleTiming>();
        var input = $"up-speed-x{scale}.png";
        var small = Resampler.Resize(original, Size / scale, Size / scale);
        var png = PngEncoder.Encode(small);
        File.WriteAllBytes(Path.Combine(scratch, input), png);
        var budget = quick ? Budget.Quick : Budget.Full;
        var megapixels = (double)Size * Size / 1e6;

        var memory = InProcess.Measure($"Upscaler.Upscale {scale}x", () => Upscaler.Upscale(small, scale), budget, megapixels);
        results.Add(new UpscaleTiming(Easel, "`Upscaler.Upscale`, pixels in memory to pixels in memory", scale, memory.Samples, $"Upscaler.Upscale(image, {scale})", false, memory.CoresBusy));
        var file = InProcess.Measure($"PNG → Upscaler.Upscale {scale}x → PNG", () => PngEncoder.Encode(Upscaler.Upscale(PngDecoder.Decode(png).Image, scale)), budget, megapixels);
        results.Add(new UpscaleTiming(Easel, "PNG bytes → decode → upscale → encode (level 4, adaptive) → PNG bytes, in memory", scale, file.Samples,
            $"PngEncoder.Encode(Upscaler.Upscale(PngDecoder.Decode(png).Image, {scale}))", false, file.CoresBusy));
        log.WriteLine($"    Easel: {memory.Samples.Median:0.0} ms in memory, {file.Samples.Median:0.0} ms PNG to PNG");

        var output = $"up-speed-x{scale}-im.png";
        var arguments = ImageMagickArguments(input, output);
        var iterations = quick ? 2 : 5;
        var bench = new ImageMagick(_tools, _counts).Bench(iterations, arguments);
        results.Add(new UpscaleTiming(ImageMagickName, $"`-bench {iterations}`: the whole command (read PNG, enlarge, write PNG) repeated in one process, per iteration", scale, bench, ImageMagick.Display(iterations, arguments), false));
        var imWall = _tools.Time(ImageMagick.Convert, arguments, _counts.ProcessWarmups, _counts.StartupRuns).Wall;
        results.Add(new UpscaleTiming(ImageMagickName, $"one process per run, start to exit ({Commands.TimerName})", scale, imWall, Commands.Display(ImageMagick.Convert, arguments), true));
        log.WriteLine($"    ImageMagick: {bench.Median:0.0} ms per -bench iteration, {imWall.Median:0.0} ms per process");

        var vipsArguments = VipsArguments(input, $"up-speed-x{scale}-vips.png", scale);
        var vipsWall = _tools.Time("vips", vipsArguments, _counts.ProcessWarmups, _counts.StartupRuns).Wall;
        results.Add(new UpscaleTiming(Vips, $"one process per run, start to exit ({Commands.TimerName}); libvips has no in-process repeat", scale, vipsWall, Commands.Display("vips", vipsArguments), true));
        log.WriteLine($"    libvips: {vipsWall.Median:0.0} ms per process");
        return results;
    }

    /// <summary>What each tool costs as a process doing nothing, to read the whole-process times against.</summary>
    private List<TimedCommand> MeasureStartup()
    {
        string[] imArguments = ["-size", "1x1", "xc:none", "null:"];
        string[] vipsArguments = ["black", "up-1x1.v", "1", "1"];
        return
        [
            new TimedCommand(ImageMagickName, Commands.Display(ImageMagick.Convert, imArguments), _tools.Time(ImageMagick.Convert, imArguments, _counts.ProcessWarmups, _counts.StartupRuns).Wall),
            new TimedCommand(Vips, Commands.Display("vips", vipsArguments), _tools.Time("vips", vipsArguments, _counts.ProcessWarmups, _counts.StartupRuns).Wall),
        ];
    }

    /// <summary>
    /// Where libvips puts a one-pixel line when it doubles a 16-pixel row: centre-aligned
    /// resampling (Easel, ImageMagick) spreads it evenly over output columns 16 and 17.
    /// </summary>
    private string VipsLinePeak()
    {
        var line = new RgbaImage(16, 1);
        for (var x = 0; x < 16; x++)
            line.Pixels.AsSpan(x * 4, 4).Fill(x == 8 ? (byte)255 : (byte)0);
        for (var x = 0; x < 16; x++)
            line.Pixels[x * 4 + 3] = 255;
        File.WriteAllBytes(Path.Combine(scratch, "up-line.png"), PngEncoder.Encode(line));
        _tools.RunChecked("vips", ["resize", "up-line.png", "up-line-vips.png", "2", "--kernel", "lanczos3"]);
        var vips = Decode("up-line-vips.png");
        var easel = Resampler.Resize(line, 32, 1);
        string Row(RgbaImage image) => string.Join(" ", Enumerable.Range(14, 6).Select(x => image.Pixels[x * 4]));
        return $"columns 14–19 of a one-pixel line at column 8 of 16, doubled: libvips {Row(vips)}; Easel {Row(easel)}";
    }
}
