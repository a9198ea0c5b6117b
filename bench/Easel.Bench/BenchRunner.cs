using System.Diagnostics;
using Easel.Imaging;
using Easel.Imaging.Metrics;
using Easel.Imaging.Png;
using Easel.Imaging.Resampling;
using Easel.Imaging.Sketch;

namespace Easel.Bench;

/// <summary>Runs every measurement once, in a fixed order, and collects the figures for the report.</summary>
internal sealed class BenchRunner(string repository, string scratch, bool quick, bool skipCli, bool skipOrders, TextWriter log)
{
    public const string CliPrompt = "a red fox in a snowy forest at sunset, watercolor";
    public const int ResizeTarget = 256;
    public const long SketchSeed = 42;

    // The test image tiled 4x4, resized by the same factor: at 1 MP libvips's resize is too quick
    // to separate from its process overhead, at 16 MP it is not.
    public const int LargeSize = 4096;
    public const int LargeTarget = 1024;

    public static readonly IReadOnlyList<CliBuild> CliBuilds =
    [
        new("ReadyToRun (`./easel`)", "artifacts/easel/easel.dll", "what `./easel` runs: `dotnet publish -c Release -p:PublishReadyToRun=true`"),
        new("plain build", "artifacts/bin/Easel.Cli/release/easel.dll", "`dotnet build src/Easel.Cli -c Release`, JIT-compiled at start"),
    ];

    // Files in the scratch directory. The vips reduce output is written by the timing and compared by the checks.
    private const string VipsReduced = "vips-reduce.v";
    private const string LargeRaw = "large.rgba";
    private const string LargeVips = "large.v";
    private const string SketchRaw = "sketch.rgb"; // the sketch image is opaque: RGB, as Easel writes it
    private const string SketchVips = "sketch.v";

    private static readonly double s_megapixels = TestImage.Size * TestImage.Size / 1e6;
    private static readonly double s_largeMegapixels = (double)LargeSize * LargeSize / 1e6;

    // The CLI and `dotnet --version` run in the repository; the image tools run in the scratch
    // directory, so the commands in the report name their files without long temporary paths.
    private readonly Commands _commands = new(repository, scratch);
    private readonly Commands _tools = new(scratch, scratch);
    private readonly Budget _budget = quick ? Budget.Quick : Budget.Full;
    private readonly Counts _counts = quick ? Counts.Quick : Counts.Full;
    private readonly List<Phase> _phases = [];
    private readonly List<CommandLine> _commandLines = [];
    private readonly List<TimedCommand> _startup = [];
    private readonly List<TimedCommand> _baselines = [];
    private bool _sketchIsOpaque;

    public BenchResults Run()
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadBefore = MachineInfo.LoadAverage();
        var machine = MachineInfo.Collect(_commands);
        if (!ImageMagick.Installed)
            throw new InvalidOperationException($"{ImageMagick.Convert} is missing: it makes the test image. Install imagemagick (bench/run.sh does).");

        log.WriteLine("Making the test image...");
        var input = TestImage.Create(_tools, scratch);
        var pixels = new RgbaImage(TestImage.Size, TestImage.Size, (byte[])input.Rgba.Clone());

        // Easel first, in a process where nothing has been JIT-compiled yet, so first-call
        // figures resemble a one-shot CLI run. Render and encode come first: they are what
        // `easel generate` does.
        var (inProcess, outputBytes, easelPng, sketchPng, easelResized) = Phase("Easel in-process", () => MeasureEasel(input, pixels));
        var easelRows = inProcess.ToDictionary(r => r.Name);

        var imageMagick = Phase("ImageMagick", MeasureImageMagick);
        var vips = Commands.Exists("vips")
            ? Phase("libvips", MeasureVips)
            : null;

        var comparison = BuildComparison(easelRows, easelPng.Length, outputBytes[Names.EncodeSketch], imageMagick, vips);
        var checks = Phase("Checks", () => RunChecks(input, easelPng, sketchPng, easelResized));
        var cli = skipCli
            ? new CliResults([], 0, [], null, "skipped with --no-cli")
            : Phase("easel CLI", MeasureCli);
        var orders = skipOrders ? null : Phase("Durable orders", new OrderBench(repository, quick, skipCli, log).Run);

        return new BenchResults(
            started, clock.Elapsed, quick, machine, loadBefore, MachineInfo.LoadAverage(), _phases,
            input, comparison, inProcess, outputBytes, _sketchIsOpaque, _startup, _baselines, _commandLines, checks, cli, orders);
    }

    private T Phase<T>(string name, Func<T> body)
    {
        log.WriteLine($"== {name}");
        var monitor = CpuMonitor.Start();
        var watch = Stopwatch.StartNew();
        var result = body();
        _phases.Add(new Phase(name, watch.Elapsed, monitor.OtherCores()));
        return result;
    }

    private InProcessResult Measure(string name, Func<object> operation, double megapixels = 0)
    {
        var result = InProcess.Measure(name, operation, _budget, megapixels > 0 ? megapixels : s_megapixels);
        log.WriteLine($"  {name}: first {result.FirstCallMs:0.0} ms, median {result.Samples.Median:0.00} ms, p90 {result.Samples.P90:0.00} ms ({result.Samples.Count} calls, {result.CoresBusy:0.0} cores)");
        return result;
    }

    private (List<InProcessResult>, Dictionary<string, long>, byte[] EaselPng, byte[] SketchPng, RgbaImage Resized) MeasureEasel(TestImage input, RgbaImage pixels)
    {
        var sketchRequest = new SketchRequest(CliPrompt, null, TestImage.Size, TestImage.Size, SketchSeed, null, false);
        var results = new List<InProcessResult>();
        var sizes = new Dictionary<string, long>();

        results.Add(Measure(Names.Render, () => SketchRenderer.Render(sketchRequest)));
        var sketch = SketchRenderer.Render(sketchRequest);
        results.Add(Measure(Names.EncodeSketch, () => PngEncoder.Encode(sketch)));
        var sketchPng = PngEncoder.Encode(sketch);
        sizes[Names.EncodeSketch] = sketchPng.Length;

        results.Add(Measure(Names.Decode, () => PngDecoder.Decode(input.Png)));
        results.Add(Measure(Names.Encode, () => PngEncoder.Encode(pixels)));
        var easelPng = PngEncoder.Encode(pixels);
        sizes[Names.Encode] = easelPng.Length;
        results.Add(Measure(Names.Resize, () => Resampler.Resize(pixels, ResizeTarget, ResizeTarget)));
        var resized = Resampler.Resize(pixels, ResizeTarget, ResizeTarget);

        results.Add(Measure(Names.DecodeSketch, () => PngDecoder.Decode(sketchPng)));
        results.Add(Measure(Names.ResizeSketch, () => Resampler.Resize(sketch, ResizeTarget, ResizeTarget)));
        results.Add(Measure(Names.Stats, () => PixelStats.Compute(pixels)));
        var large = Tile(pixels, LargeSize / TestImage.Size);
        File.WriteAllBytes(Path.Combine(scratch, LargeRaw), large.Pixels);
        if (Commands.Exists("vips"))
            _tools.RunChecked("vips", ["rawload", LargeRaw, LargeVips, LargeSize.ToString(), LargeSize.ToString(), "4"]);
        results.Add(Measure(Names.ResizeLarge, () => Resampler.Resize(large, LargeTarget, LargeTarget), s_largeMegapixels));

        var level6 = new PngEncoderOptions { CompressionLevel = 6 };
        results.Add(Measure(Names.EncodeLevel6, () => PngEncoder.Encode(pixels, level6)));
        sizes[Names.EncodeLevel6] = PngEncoder.Encode(pixels, level6).Length;

        _sketchIsOpaque = sketch.IsOpaque();
        WriteSketchForTools(sketch);
        return (results, sizes, easelPng, sketchPng, resized);
    }

    private static RgbaImage Tile(RgbaImage tile, int times)
    {
        var image = new RgbaImage(tile.Width * times, tile.Height * times);
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < times; x++)
                tile.ReadOnlyRow(y % tile.Height).CopyTo(image.Row(y)[(x * tile.Stride)..]);
        return image;
    }

    /// <summary>
    /// The sketch image as raw RGB (it is opaque, so Easel writes colour type 2, and the tools are
    /// asked for the same): the encode that `easel generate` does, on the content it does it on.
    /// </summary>
    private void WriteSketchForTools(RgbaImage sketch)
    {
        var rgb = new byte[sketch.Width * sketch.Height * 3];
        for (int i = 0, o = 0; i < sketch.Pixels.Length; i += 4, o += 3)
        {
            rgb[o] = sketch.Pixels[i];
            rgb[o + 1] = sketch.Pixels[i + 1];
            rgb[o + 2] = sketch.Pixels[i + 2];
        }
        File.WriteAllBytes(Path.Combine(scratch, SketchRaw), rgb);
        if (Commands.Exists("vips"))
            _tools.RunChecked("vips", ["rawload", SketchRaw, SketchVips, sketch.Width.ToString(), sketch.Height.ToString(), "3"]);
    }

    private ToolFigures MeasureImageMagick()
    {
        var im = new ImageMagick(_tools, _counts);
        var raw = TestImage.RawInput;
        const string encodedMatched = "im-level4.png";
        const string encodedDefault = "im-default.png";

        ExternalResult Bench(string purpose, int iterations, string[] arguments, Samples baseline, string? output = null)
        {
            iterations = quick ? Math.Min(iterations, 2) : iterations;
            var command = ImageMagick.Display(iterations, arguments);
            _commandLines.Add(new CommandLine("ImageMagick", purpose, command));
            var gross = im.Bench(iterations, arguments);
            var net = new Samples(gross.All.Select(t => t - baseline.Median));
            var result = new ExternalResult(command, net, gross, baseline, output is null ? null : Path.Combine(scratch, output));
            log.WriteLine($"  {purpose}: {gross.Median:0.00} ms per iteration, net {result.Net.Median:0.00} ms");
            return result;
        }

        var startupArgs = new[] { "-size", "1x1", "xc:none", "null:" };
        var startup = _tools.Time(ImageMagick.Convert, startupArgs, _counts.ProcessWarmups, _counts.StartupRuns).Wall;
        _startup.Add(new TimedCommand("ImageMagick", Commands.Display(ImageMagick.Convert, startupArgs), startup));

        var baselineIterations = quick ? 2 : 40;
        string[] baselineArgs = [.. raw, "null:"];
        var baseline = im.Bench(baselineIterations, baselineArgs);
        var baselineCommand = ImageMagick.Display(baselineIterations, baselineArgs);
        _baselines.Add(new TimedCommand("ImageMagick", baselineCommand, baseline));
        _commandLines.Add(new CommandLine("ImageMagick", "baseline: read raw RGBA, write nothing", baselineCommand));

        string[] sketchRaw = ["-size", $"{TestImage.Size}x{TestImage.Size}", "-depth", "8", "rgb:" + SketchRaw];
        string[] sketchBaselineArgs = [.. sketchRaw, "null:"];
        var sketchBaseline = im.Bench(baselineIterations, sketchBaselineArgs);
        var sketchBaselineCommand = ImageMagick.Display(baselineIterations, sketchBaselineArgs);
        _baselines.Add(new TimedCommand("ImageMagick", sketchBaselineCommand, sketchBaseline));
        _commandLines.Add(new CommandLine("ImageMagick", "baseline for the sketch image: read raw RGB, write nothing", sketchBaselineCommand));

        string[] largeRaw = ["-size", $"{LargeSize}x{LargeSize}", "-depth", "8", "rgba:" + LargeRaw];
        var largeBaselineIterations = quick ? 2 : 8;
        string[] largeBaselineArgs = [.. largeRaw, "null:"];
        var largeBaseline = im.Bench(largeBaselineIterations, largeBaselineArgs);
        var largeBaselineCommand = ImageMagick.Display(largeBaselineIterations, largeBaselineArgs);
        _baselines.Add(new TimedCommand("ImageMagick", largeBaselineCommand, largeBaseline));
        _commandLines.Add(new CommandLine("ImageMagick", $"baseline for the {LargeSize}x{LargeSize} resize", largeBaselineCommand));

        return new ToolFigures(
            EncodeSketch: Bench("encode the sketch image (RGB), level 4 + adaptive filter", 6, [.. sketchRaw, "-quality", "45", "PNG24:im-sketch.png"], sketchBaseline, "im-sketch.png"),
            Decode: Bench("decode", 20, [TestImage.PngName, "null:"], baseline),
            EncodeMatched: Bench("encode, level 4 + adaptive filter", 6, [.. raw, "-quality", "45", "PNG32:" + encodedMatched], baseline, encodedMatched),
            EncodeDefault: Bench("encode, default (quality 75 = level 7 + adaptive filter)", 3, [.. raw, "PNG32:" + encodedDefault], baseline, encodedDefault),
            Resize: Bench("resize 1024→256, Lanczos", 20, [.. raw, "-filter", "Lanczos", "-resize", $"{ResizeTarget}x{ResizeTarget}!", "null:"], baseline),
            ResizeAlternative: null,
            ResizeLarge: Bench($"resize {LargeSize}→{LargeTarget}, Lanczos", 4, [.. largeRaw, "-filter", "Lanczos", "-resize", $"{LargeTarget}x{LargeTarget}!", "null:"], largeBaseline));
    }

    private ToolFigures MeasureVips()
    {
        string[] startupArgs = ["black", "vips-1x1.v", "1", "1"];
        var startup = _tools.Time("vips", startupArgs, _counts.ProcessWarmups, _counts.StartupRuns).Wall;
        _startup.Add(new TimedCommand("libvips", Commands.Display("vips", startupArgs), startup));

        string[] baseline = ["copy", TestImage.VipsName, "vips-copy.v"];
        string[] sketchBaseline = ["copy", SketchVips, "vips-sketch-copy.v"];
        // A resize writes a quarter-size image, so its baseline writes a black image of that size:
        // start-up and output are subtracted, reading the input stays part of the resize (as for Easel,
        // whose input is in memory). A cheap real reduction is no baseline: libvips's 4x4 box
        // `shrink` measured slower than its Lanczos-3 `reduce`.
        string[] resizeBaseline = ["black", "vips-black.v", ResizeTarget.ToString(), ResizeTarget.ToString(), "--bands", "4"];
        _commandLines.Add(new CommandLine("libvips", "baseline: read raw (.v), write raw (.v)", Commands.Display("vips", baseline)));
        _commandLines.Add(new CommandLine("libvips", "baseline for the sketch image", Commands.Display("vips", sketchBaseline)));
        _commandLines.Add(new CommandLine("libvips", "baseline for the 1024→256 resizes: write a black 256x256 RGBA image", Commands.Display("vips", resizeBaseline)));
        var baselineSamples = new List<double>();
        var sketchBaselineSamples = new List<double>();
        var resizeBaselineSamples = new List<double>();
        string[] largeBaseline = ["black", "vips-large-black.v", LargeTarget.ToString(), LargeTarget.ToString(), "--bands", "4"];
        _commandLines.Add(new CommandLine("libvips", $"baseline for the {LargeSize}→{LargeTarget} resize: write a black {LargeTarget}x{LargeTarget} RGBA image", Commands.Display("vips", largeBaseline)));
        var largeBaselineSamples = new List<double>();

        // Each command alternates with its baseline, run for run, and the net time is the median of
        // the paired differences: load from other processes that comes and goes hits both halves of a pair.
        ExternalResult Net(string purpose, string[] arguments, string[] baselineArguments, List<double> pool, string? output = null)
        {
            var command = Commands.Display("vips", arguments);
            _commandLines.Add(new CommandLine("libvips", purpose, command));
            var (gross, paired, net) = _tools.TimePaired("vips", arguments, baselineArguments, _counts.ProcessWarmups, _counts.VipsRuns);
            pool.AddRange(paired.All);
            log.WriteLine($"  {purpose}: median {gross.Median:0.00} ms per process, baseline {paired.Median:0.00}, net {net.Median:0.00} ms");
            return new ExternalResult(command, net, gross, paired, output is null ? null : Path.Combine(scratch, output));
        }

        var figures = new ToolFigures(
            EncodeSketch: Net("encode the sketch image (RGB), level 4 + all filters (adaptive)", ["copy", SketchVips, "vips-sketch.png[compression=4,filter=all]"], sketchBaseline, sketchBaselineSamples, "vips-sketch.png"),
            Decode: Net("decode", ["copy", TestImage.PngName, "vips-decoded.v"], baseline, baselineSamples),
            EncodeMatched: Net("encode, level 4 + all filters (adaptive)", ["copy", TestImage.VipsName, "vips-level4.png[compression=4,filter=all]"], baseline, baselineSamples, "vips-level4.png"),
            EncodeDefault: Net("encode, default (level 6, no filter)", ["copy", TestImage.VipsName, "vips-default.png"], baseline, baselineSamples, "vips-default.png"),
            Resize: Net("reduce 4x, Lanczos-3", ["reduce", TestImage.VipsName, VipsReduced, "4", "4", "--kernel", "lanczos3"], resizeBaseline, resizeBaselineSamples, VipsReduced),
            ResizeAlternative: Net("resize 0.25, default (gap 2)", ["resize", TestImage.VipsName, "vips-resize.v", "0.25"], resizeBaseline, resizeBaselineSamples),
            ResizeLarge: Net($"reduce {LargeSize}→{LargeTarget}, Lanczos-3", ["reduce", LargeVips, "vips-large-reduce.v", "4", "4", "--kernel", "lanczos3"], largeBaseline, largeBaselineSamples));
        _baselines.Add(new TimedCommand("libvips", Commands.Display("vips", baseline), new Samples(baselineSamples)));
        _baselines.Add(new TimedCommand("libvips", Commands.Display("vips", sketchBaseline), new Samples(sketchBaselineSamples)));
        _baselines.Add(new TimedCommand("libvips", Commands.Display("vips", resizeBaseline), new Samples(resizeBaselineSamples)));
        _baselines.Add(new TimedCommand("libvips", Commands.Display("vips", largeBaseline), new Samples(largeBaselineSamples)));
        return figures;
    }

    private static List<ComparisonGroup> BuildComparison(Dictionary<string, InProcessResult> easel, long easelPngBytes, long sketchPngBytes, ToolFigures? im, ToolFigures? vips)
    {
        // The cores an operation kept busy are measured, not assumed: Easel decides per call whether to go parallel.
        ComparisonRow Easel(string name, string settings, long? bytes = null) =>
            new("Easel", $"{settings}; {easel[name].CoresBusy:0.0} cores busy", easel[name].Samples.Median, easel[name].Samples.P90, bytes);

        static ComparisonRow Tool(string tool, string settings, ExternalResult r) =>
            new(tool, settings, r.Net.Median, r.Net.P90, r.OutputPath is { } p && p.EndsWith(".png", StringComparison.Ordinal) ? new FileInfo(p).Length : null, r.WithinNoise);

        static IEnumerable<ComparisonRow> Tools(ToolFigures? vips, ToolFigures? im, Func<ToolFigures, ExternalResult?> pick, string vipsSettings, string imSettings)
        {
            if (vips is not null && pick(vips) is { } v)
                yield return Tool("libvips", vipsSettings, v);
            if (im is not null && pick(im) is { } m)
                yield return Tool("ImageMagick", imSettings, m);
        }

        var mp = s_megapixels;
        var resize = new List<ComparisonRow> { Easel(Names.Resize, "Lanczos-3, alpha-weighted") };
        var resizeLarge = new List<ComparisonRow> { Easel(Names.ResizeLarge, "Lanczos-3, alpha-weighted") };
        resizeLarge.AddRange(Tools(vips, im, f => f.ResizeLarge, "`reduce 4 4 --kernel lanczos3`", $"`-filter Lanczos -resize {LargeTarget}x{LargeTarget}!`"));
        resize.AddRange(Tools(vips, im, f => f.Resize, "`reduce 4 4 --kernel lanczos3` (pure Lanczos-3)", "`-filter Lanczos -resize 256x256!`"));
        resize.AddRange(Tools(vips, null, f => f.ResizeAlternative, "`resize 0.25` default: box-shrinks 2x first (gap 2), then Lanczos-3 2x; not the same output", ""));

        return
        [
            new ComparisonGroup("Decode PNG 1024x1024 RGBA", mp,
                [Easel(Names.Decode, "PngDecoder.Decode"), .. Tools(vips, im, f => f.Decode, "libpng", "libpng, into 16-bit pixel cache")]),
            new ComparisonGroup("Encode PNG of the test image, zlib level 4 + adaptive filtering (Easel's default, matched in each tool)", mp,
                [Easel(Names.Encode, "level 4, adaptive", easelPngBytes), .. Tools(vips, im, f => f.EncodeMatched, "`[compression=4,filter=all]`", "`-quality 45`")]),
            new ComparisonGroup("Encode PNG, each tool's default settings (for file size)", mp,
                [Easel(Names.Encode, "default: level 4, adaptive", easelPngBytes), .. Tools(vips, im, f => f.EncodeDefault, "default: level 6, no filtering", "default: quality 75 = level 7, adaptive")]),
            new ComparisonGroup($"Resize 1024x1024 → {ResizeTarget}x{ResizeTarget}, Lanczos-3 (MP/s of source pixels)", mp, resize),
            new ComparisonGroup($"Resize {LargeSize}x{LargeSize} → {LargeTarget}x{LargeTarget} (the test image tiled 4x4), Lanczos-3", s_largeMegapixels, resizeLarge),
            new ComparisonGroup("Encode PNG of the sketch image (opaque, written as RGB: what `easel generate` writes), level 4 + adaptive filtering", mp,
                [Easel(Names.EncodeSketch, "level 4, adaptive", sketchPngBytes), .. Tools(vips, im, f => f.EncodeSketch, "`[compression=4,filter=all]`", "`-quality 45 PNG24:`")]),
        ];
    }

    private Checks RunChecks(TestImage input, byte[] easelPng, byte[] sketchPng, RgbaImage easelResized)
    {
        var decodeMatches = PngDecoder.Decode(input.Png).Image.Pixels.AsSpan().SequenceEqual(input.Rgba);

        // An independent decoder must read Easel's file back to the exact pixels.
        File.WriteAllBytes(Path.Combine(scratch, "easel.png"), easelPng);
        _tools.RunChecked(ImageMagick.Convert, ["easel.png", "-depth", "8", "rgba:easel.rgba"]);
        var roundTrip = File.ReadAllBytes(Path.Combine(scratch, "easel.rgba")).AsSpan().SequenceEqual(input.Rgba);

        var differences = new List<ResizeDifference>();
        _tools.RunChecked(ImageMagick.Convert, [.. TestImage.RawInput, "-filter", "Lanczos", "-resize", $"{ResizeTarget}x{ResizeTarget}!", "-depth", "8", "rgba:im-256.rgba"]);
        differences.Add(Difference("ImageMagick `-filter Lanczos -resize`", easelResized.Pixels, File.ReadAllBytes(Path.Combine(scratch, "im-256.rgba"))));

        if (File.Exists(Path.Combine(scratch, VipsReduced)))
        {
            _tools.RunChecked("vips", ["rawsave", VipsReduced, "vips-256.raw"]);
            differences.Add(Difference("libvips `reduce 4 4 --kernel lanczos3`", easelResized.Pixels, File.ReadAllBytes(Path.Combine(scratch, "vips-256.raw"))));
        }
        // Same filtered rows in every file means the encoders differ only in their zlib.
        var filters = new List<FilterCheck>();
        void CompareFilters(string image, byte[] ours, string tool, string file)
        {
            var path = Path.Combine(scratch, file);
            if (File.Exists(path))
                filters.Add(new FilterCheck(image, tool, Scanlines.Read(File.ReadAllBytes(path)).AsSpan().SequenceEqual(Scanlines.Read(ours))));
        }
        CompareFilters("test image", easelPng, "libvips", "vips-level4.png");
        CompareFilters("test image", easelPng, "ImageMagick", "im-level4.png");
        CompareFilters("sketch image", sketchPng, "libvips", "vips-sketch.png");
        CompareFilters("sketch image", sketchPng, "ImageMagick", "im-sketch.png");

        return new Checks(decodeMatches, roundTrip, differences, filters);
    }

    private static ResizeDifference Difference(string against, byte[] ours, byte[] theirs)
    {
        if (ours.Length != theirs.Length)
            return new ResizeDifference(against + $" (size mismatch: {theirs.Length} bytes vs {ours.Length})", 255, double.NaN);
        var max = 0;
        long sum = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            var d = Math.Abs(ours[i] - theirs[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        return new ResizeDifference(against, max, (double)sum / ours.Length);
    }

    private CliResults MeasureCli()
    {
        // What ./easel runs (a ReadyToRun publish) and the plain `dotnet build -c Release` output;
        // both when both exist, so the figures show what precompilation buys.
        var builds = CliBuilds.Where(b => File.Exists(Path.Combine(repository, b.Dll))).ToList();
        if (builds.Count == 0)
            return new CliResults([], 0, [], null, "the CLI is not built (run `./easel --help` or `dotnet build src/Easel.Cli -c Release`)");

        var home = Path.Combine(Path.GetTempPath(), $"easel-bench-home-{Environment.ProcessId}");
        Directory.CreateDirectory(home);
        try
        {
            var environment = new Dictionary<string, string> { ["EASEL_HOME"] = home };
            var runs = quick ? 2 : 10;

            // The first run creates the database: timed once, reported on its own.
            var watch = Stopwatch.StartNew();
            _commands.RunChecked("dotnet", [builds[0].Dll, "generate", CliPrompt], environment);
            var firstRun = watch.Elapsed.TotalMilliseconds;
            log.WriteLine($"  first run (creates the database): {firstRun:0} ms");

            var results = new List<CliRun>();
            foreach (var build in builds)
            {
                void Time(string label, string[] arguments, int images)
                {
                    string[] command = [build.Dll, .. arguments];
                    var (samples, cpu) = _commands.Time("dotnet", command, 1, runs, environment);
                    log.WriteLine($"  {build.Name}, {label}: median {samples.Median:0} ms, p90 {samples.P90:0} ms, CPU {cpu:0} ms");
                    results.Add(new CliRun(build.Name, label, "EASEL_HOME=$(mktemp -d) " + Commands.Display("dotnet", command), samples, images, cpu));
                }

                Time("`easel --help` (runtime start-up + command parsing, no work)", ["--help"], 0);
                Time("`easel generate` 1 image", ["generate", CliPrompt], 1);
                Time("`easel generate -n 4` 4 images", ["generate", CliPrompt, "-n", "4"], 4);
            }
            return new CliResults(builds, firstRun, results, DescribeAnImage(home));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string? DescribeAnImage(string home)
    {
        var file = Directory.EnumerateFiles(home, "*.png", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f)).OrderByDescending(f => f.Length).FirstOrDefault();
        if (file is null)
            return null;
        var info = PngDecoder.ReadInfo(File.ReadAllBytes(file.FullName));
        return $"{info.Width}x{info.Height} {info.ColorType}, {file.Length / 1024.0:0} KiB";
    }

    private sealed record ToolFigures(ExternalResult EncodeSketch, ExternalResult Decode, ExternalResult EncodeMatched, ExternalResult EncodeDefault, ExternalResult Resize, ExternalResult? ResizeAlternative, ExternalResult ResizeLarge);
}

/// <summary>The in-process operations, named once so the report can find them.</summary>
internal static class Names
{
    public const string Render = "SketchRenderer.Render, 1024x1024";
    public const string EncodeSketch = "PngEncoder.Encode, sketch image (what `easel generate` encodes)";
    public const string Decode = "PngDecoder.Decode, test image";
    public const string Encode = "PngEncoder.Encode, test image";
    public const string Resize = "Resampler.Resize 1024→256, test image (has alpha)";
    public const string DecodeSketch = "PngDecoder.Decode, sketch image";
    public const string ResizeSketch = "Resampler.Resize 1024→256, sketch image";
    public const string Stats = "PixelStats.Compute, test image";
    public const string EncodeLevel6 = "PngEncoder.Encode, test image, zlib level 6";
    public const string ResizeLarge = "Resampler.Resize 4096→1024, test image tiled 4x4";
}
