using System.Diagnostics;

namespace Easel.Bench;

/// <summary>How long to warm up and measure one in-process operation.</summary>
internal sealed record Budget(int WarmupIterations, TimeSpan WarmupTime, int MinIterations, TimeSpan MinTime, int MaxIterations)
{
    // 35 warm-up calls: past the 30 calls after which tiered compilation re-compiles a method optimised.
    public static readonly Budget Full = new(35, TimeSpan.FromSeconds(1), 30, TimeSpan.FromSeconds(3), 400);

    public static readonly Budget Quick = new(2, TimeSpan.FromMilliseconds(100), 5, TimeSpan.FromMilliseconds(300), 20);
}

/// <param name="FirstCallMs">The very first call in this process: includes JIT compilation, like a one-shot CLI run.</param>
/// <param name="AllocatedBytesPerCall">Managed bytes allocated per call, on all threads.</param>
/// <param name="Megapixels">Source megapixels one call processes (for MP/s).</param>
/// <param name="CoresBusy">Process CPU time over wall time while timed calls ran: how many cores the operation kept busy.</param>
internal sealed record InProcessResult(string Name, double FirstCallMs, Samples Samples, long AllocatedBytesPerCall, double Megapixels, double CoresBusy);

internal static class InProcess
{
    // Results land here so the JIT cannot drop a call whose result is unused.
    private static object? s_sink;

    /// <summary>
    /// Times <paramref name="operation"/>: one cold call, then warm-up until both warm-up limits
    /// are reached (so tiered compilation has promoted the hot code), then one stopwatch
    /// reading per call until both measurement minimums are reached.
    /// </summary>
    public static InProcessResult Measure(string name, Func<object> operation, Budget budget, double megapixels)
    {
        var watch = Stopwatch.StartNew();
        s_sink = operation();
        var first = watch.Elapsed.TotalMilliseconds;

        watch.Restart();
        for (var i = 0; i < budget.WarmupIterations || watch.Elapsed < budget.WarmupTime; i++)
            s_sink = operation();

        // Start every operation from the same heap state; collections caused by its own garbage still count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var times = new List<double>(budget.MaxIterations);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        while (times.Count < budget.MaxIterations && (times.Count < budget.MinIterations || total.Elapsed < budget.MinTime))
        {
            var start = Stopwatch.GetTimestamp();
            s_sink = operation();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        var wall = total.Elapsed;
        var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore) / wall;
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / times.Count;
        s_sink = null;
        return new InProcessResult(name, first, new Samples(times), allocated, megapixels, cores);
    }
}
