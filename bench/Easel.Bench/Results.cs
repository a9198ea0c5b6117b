namespace Easel.Bench;

/// <summary>One line of the codec/resize comparison: a tool doing one operation on the test image.</summary>
/// <param name="Noisy">The tool's net time is within the noise of its subtracted baseline.</param>
internal sealed record ComparisonRow(string Tool, string Settings, double MedianMs, double P90Ms, long? OutputBytes = null, bool Noisy = false)
{
    public bool IsEasel => Tool == "Easel";
}

/// <param name="Megapixels">Source megapixels one call processes (for MP/s).</param>
internal sealed record ComparisonGroup(string Title, double Megapixels, IReadOnlyList<ComparisonRow> Rows, string? Note = null)
{
    public ComparisonRow? Easel => Rows.FirstOrDefault(r => r.IsEasel);
}

/// <summary>The exact command a figure came from, as shown in the doc.</summary>
internal sealed record CommandLine(string Tool, string Purpose, string Command);

internal sealed record ResizeDifference(string Against, int MaxAbs, double MeanAbs);

internal sealed record Checks(
    bool DecodeMatchesImageMagick,
    bool ImageMagickReadsEaselPng,
    IReadOnlyList<ResizeDifference> ResizeDifferences,
    IReadOnlyList<FilterCheck> SameFilters);

/// <summary>Whether a tool's PNG holds exactly the filtered scanlines Easel's does.</summary>
internal sealed record FilterCheck(string Image, string Tool, bool Same);

/// <summary>One way the CLI is built, and the assembly `dotnet` runs for it.</summary>
internal sealed record CliBuild(string Name, string Dll, string How);

/// <param name="MeanCpuMs">Mean user + system CPU time per run, when the timer reports it.</param>
internal sealed record CliRun(string Build, string Label, string Command, Samples Samples, int ImagesPerRun, double? MeanCpuMs);

internal sealed record CliResults(
    IReadOnlyList<CliBuild> Builds,
    double FirstRunMs,
    IReadOnlyList<CliRun> Runs,
    string? ImageInfo,
    string? SkippedBecause = null);

internal sealed record BenchResults(
    DateTimeOffset Started,
    TimeSpan Duration,
    bool Quick,
    MachineInfo Machine,
    string LoadBefore,
    string LoadAfter,
    IReadOnlyList<Phase> Phases,
    TestImage Input,
    IReadOnlyList<ComparisonGroup> Comparison,
    IReadOnlyList<InProcessResult> InProcess,
    IReadOnlyDictionary<string, long> InProcessOutputBytes,
    bool SketchIsOpaque,
    IReadOnlyList<TimedCommand> Startup,
    IReadOnlyList<TimedCommand> Baselines,
    IReadOnlyList<CommandLine> CommandLines,
    Checks Checks,
    CliResults Cli);

/// <param name="OtherCores">Average cores other processes kept busy during the phase (null when unknown).</param>
internal sealed record Phase(string Name, TimeSpan Duration, double? OtherCores);

internal sealed record TimedCommand(string Tool, string Command, Samples Samples);
