using Easel.Bench;

// Usage: Easel.Bench [--quick] [--no-cli] [--no-orders] [--no-upscale] [--no-loop] [--no-providers] [--no-gallery]
//                    [--only-gallery] [--easel DLL] [--out FILE] [--repo DIR]
// Measures Easel's imaging against libvips and ImageMagick, the easel CLI end to end, durable
// orders through the worker, upscaling quality, the quality loop, vendor clients and gallery search
// against `easel serve`, then writes docs/benchmarks.md (or --out). --only-gallery measures gallery
// search alone and replaces just its section in the existing file; --easel names the easel.dll the
// server runs (default: what ./easel publishes). bench/run.sh is the normal way to run it.
var quick = args.Contains("--quick");
var skipCli = args.Contains("--no-cli");
var skipOrders = args.Contains("--no-orders");
var skipUpscale = args.Contains("--no-upscale");
var skipLoop = args.Contains("--no-loop");
var skipProviders = args.Contains("--no-providers");
var skipGallery = args.Contains("--no-gallery");
var onlyGallery = args.Contains("--only-gallery");
var easelDll = Value("--easel") is { } dll ? Path.GetFullPath(dll) : null;
var repository = Path.GetFullPath(Value("--repo") ?? FindRepository(Directory.GetCurrentDirectory())
    ?? throw new InvalidOperationException("Run from inside the Easel repository or pass --repo DIR."));
var output = Path.GetFullPath(Value("--out") ?? Path.Combine(repository, "docs", "benchmarks.md"));

// tmpfs when there is one: the tools' file output should not measure the disk.
var scratchRoot = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
var scratch = Directory.CreateDirectory(Path.Combine(scratchRoot, $"easel-bench-{Environment.ProcessId}")).FullName;
try
{
    if (onlyGallery)
    {
        var alone = new GalleryBench(repository, easelDll, quick, Console.Out).Run();
        if (!File.Exists(output))
            throw new InvalidOperationException($"{output} does not exist: run the whole benchmark once, then --only-gallery to refresh its section.");
        File.WriteAllText(output, Report.SpliceGallery(File.ReadAllText(output), alone));
        Console.WriteLine($"Rewrote the gallery section of {output}");
        return alone.NotMeasured is null ? 0 : 1;
    }
    var results = new BenchRunner(repository, scratch, quick, skipCli, skipOrders, Console.Out).Run();
    var upscale = skipUpscale ? null : new UpscaleBench(scratch, quick, Console.Out).Run();
    var loop = skipLoop ? null : new LoopBench(scratch, Console.Out).Run();
    var providers = skipProviders ? null : new ProviderBench(quick, Console.Out).RunAsync().GetAwaiter().GetResult();
    var gallery = skipGallery ? null : new GalleryBench(repository, easelDll, quick, Console.Out).Run();
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output, Report.Render(results, upscale, loop, providers, gallery));
    Console.WriteLine($"Wrote {output}");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"Benchmark failed: {e.Message}");
    Console.Error.WriteLine(e.StackTrace);
    return 1;
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

string? Value(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string? FindRepository(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Easel.slnx")))
            return dir.FullName;
    return null;
}
