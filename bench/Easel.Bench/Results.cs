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
    CliResults Cli,
    OrderResults? Orders);

/// <param name="OtherCores">Average cores other processes kept busy during the phase (null when unknown).</param>
internal sealed record Phase(string Name, TimeSpan Duration, double? OtherCores);

internal sealed record TimedCommand(string Tool, string Command, Samples Samples);

/// <summary>One timed order of the throughput figure.</summary>
/// <param name="PickupMs">From placing to the worker starting the order (its event-log poll is part of this).</param>
/// <param name="BatchOverhead">Per batch, batch_started → batch_finished less the provider call.</param>
internal sealed record ThroughputRun(double WallMs, double PickupMs, double RunMs, int Calls, int MaxInFlight, Samples BatchOverhead);

/// <summary>An order of <paramref name="Images"/> images through a provider of fixed latency.</summary>
internal sealed record ThroughputFigures(string Provider, int Images, int PerCall, int Concurrency, double LatencyMs, IReadOnlyList<ThroughputRun> Runs)
{
    public Samples Wall => new(Runs.Select(r => r.WallMs));

    public int Calls => (Images + PerCall - 1) / PerCall;

    /// <summary>The goal's bound, calls ÷ concurrency × latency: as if calls could be split across lanes.</summary>
    public double StatedBoundMs => (double)Calls / Concurrency * LatencyMs;

    /// <summary>Whole rounds of calls: ⌈calls ÷ concurrency⌉ × latency, the least any scheduler can do with fixed-length calls.</summary>
    public double AchievableBoundMs => Math.Ceiling((double)Calls / Concurrency) * LatencyMs;
}

/// <summary>Zero-latency orders: what the order machinery itself costs.</summary>
internal sealed record OverheadFigures(
    int Orders,
    int ImagesPerOrder,
    int PerCall,
    int Concurrency,
    Samples PerImagePlaced,
    Samples PerImageRunning,
    Samples Pickup,
    Samples StartToFirstBatch,
    Samples BatchOverhead,
    double FirstOrderPerImageMs);

/// <summary>Approval → first batch_started, for one way of deciding; <paramref name="Latency"/> null when not measured.</summary>
internal sealed record ApprovalFigures(string Name, string How, Samples? Latency, string? NotMeasured);

/// <param name="BusyWait">How long a write transaction on a connection as Easel opens them waited for another's write lock held <see cref="BusyHoldMs"/> ms.</param>
internal sealed record OrderResults(
    string FileSystem,
    TimeSpan WorkerPollInterval,
    ThroughputFigures Concurrent,
    ThroughputFigures Sequential,
    OverheadFigures Overhead,
    IReadOnlyList<ApprovalFigures> Approval,
    Samples BusyWait)
{
    public const int BusyHoldMs = 20;

    /// <summary>
    /// A batch whose overhead reaches half of one measured wait for the database lock has stalled:
    /// the machinery's own work takes a few milliseconds.
    /// </summary>
    public double StallMs => Math.Max(50, BusyWait.Median / 2);

    public int Stalled(Samples overheads) => overheads.All.Count(x => x >= StallMs);
}
