using System.Globalization;
using System.Text;

namespace Easel.Bench;

/// <summary>Section 4 of the report: durable orders through the worker.</summary>
internal static partial class Report
{
    // The goals set for durable orders.
    public const double ThroughputRatioGoal = 1.10;
    public const double OverheadGoalMs = 20;
    public const double ApprovalGoalMs = 1000;

    private static void Orders(StringBuilder md, BenchResults r)
    {
        md.AppendLine("## 4. Durable orders through the worker");
        md.AppendLine();
        if (r.Orders is not { } o)
        {
            md.AppendLine("Not measured: skipped with --no-orders.");
            md.AppendLine();
            return;
        }
        var c = o.Concurrent;
        var s = o.Sequential;
        var v = o.Overhead;

        md.AppendLine($"The product path, in this process: an `EaselStore` on a fresh data directory (under {Path.GetTempPath().TrimEnd('/')}, {o.FileSystem}),");
        md.AppendLine("`OrderService.PlaceAsync`, and an `OrderWorker` (Quartz.NET with its job store in the same SQLite file) started before");
        md.AppendLine("the order is placed. Orders are placed as `--yes` places them (approved up front), except in the approval figure.");
        md.AppendLine("A test-only provider stands in for a vendor: each call waits a fixed latency (`Task.Delay`, no CPU), takes at most");
        md.AppendLine($"the per-call maximum and returns one {BenchImageProvider.PngSide}x{BenchImageProvider.PngSide} PNG ({BenchImageProvider.PngBytes:N0} bytes, made once with `PngEncoder`) per image. Every image still");
        md.AppendLine("goes through `BatchRunner` as a real one does: provenance text chunks, SHA-256, a file written, a row stored. Times are");
        md.AppendLine("taken from the order's event log (millisecond timestamps), from the moment `PlaceAsync` was called. Each worker first");
        md.AppendLine($"runs one {OrderBench.OverheadImages}-image order, not counted, so the timed ones do not pay for JIT compilation.");
        if (r.Quick)
        {
            md.AppendLine();
            md.AppendLine($"> Quick run: the provider's latency is scaled down to {Latency(c.LatencyMs)} a call (the goal is stated for 1.0 s), and every bound with it.");
        }
        md.AppendLine();

        var statedRatio = c.Wall.Median / c.StatedBoundMs;
        var achievableRatio = c.Wall.Median / c.AchievableBoundMs;
        var floor = c.AchievableBoundMs / c.StatedBoundMs;
        var sequentialRatio = c.Wall.Median / s.Wall.Median;
        md.AppendLine("| Figure | Goal | Measured | Result |");
        md.AppendLine("|---|---|---:|---|");
        md.AppendLine($"| {c.Images} images, {Latency(c.LatencyMs)} a call, {c.PerCall} a call, {c.Concurrency} at once: wall time ÷ the goal's bound "
            + $"⌈{c.Images}/{c.PerCall}⌉/{c.Concurrency} × {Latency(c.LatencyMs)} = {Seconds(c.StatedBoundMs)} "
            + $"| ≤ {Fixed(ThroughputRatioGoal)} | {Fixed(statedRatio)} ({Seconds(c.Wall.Median)}) "
            + $"| {Verdict(statedRatio <= ThroughputRatioGoal)}{(floor > ThroughputRatioGoal ? $": unreachable, whole rounds of calls put the floor at {Fixed(floor)}" : "")} |");
        md.AppendLine($"| The same ÷ the achievable bound ⌈⌈{c.Images}/{c.PerCall}⌉/{c.Concurrency}⌉ × {Latency(c.LatencyMs)} = {Seconds(c.AchievableBoundMs)} "
            + $"| ≤ {Fixed(ThroughputRatioGoal)} (the same goal, applied to this bound) | {Fixed(achievableRatio)} | {Verdict(achievableRatio <= ThroughputRatioGoal)} |");
        md.AppendLine($"| The same ÷ sequential batching (one call at a time, as orders ran before the worker; {s.Calls} calls, run in full) "
            + $"| none set | {Fixed(sequentialRatio)} ({Seconds(s.Wall.Median)} sequential: {s.Wall.Median / c.Wall.Median:0.0}× faster) | |");
        md.AppendLine($"| Orchestration overhead per image: zero-latency provider, {v.ImagesPerOrder} images an order, {v.Concurrency} calls at once; placed → completed ÷ images, p50 of {v.Orders} orders "
            + $"| < {Ms(OverheadGoalMs)} ms | {Ms(v.PerImagePlaced.Median)} ms (p95 {Ms(v.PerImagePlaced.Percentile(95))}) | {Verdict(v.PerImagePlaced.Median < OverheadGoalMs)} |");
        foreach (var a in o.Approval)
        {
            var label = $"Approval → first batch started, decided {a.Name}; the slowest run";
            md.AppendLine(a.Latency is { } l
                ? $"| {label} | < {Seconds(ApprovalGoalMs)} | {Ms(l.Max)} ms (p50 {Ms(l.Median)}, {l.Count} runs) | {Verdict(l.Max < ApprovalGoalMs)} |"
                : $"| {label} | < {Seconds(ApprovalGoalMs)} | not measured: {a.NotMeasured} | |");
        }
        md.AppendLine();
        if (floor > ThroughputRatioGoal)
        {
            md.AppendLine($"The goal's bound treats the {c.Calls} calls as if they could be spread evenly over {c.Concurrency} lanes. Calls of a fixed {Latency(c.LatencyMs)}");
            md.AppendLine($"cannot be split: {c.Calls} calls in {c.Concurrency} lanes need {Math.Ceiling((double)c.Calls / c.Concurrency):0} rounds, {Seconds(c.AchievableBoundMs)}, so measured against {Seconds(c.StatedBoundMs)} the ratio");
            md.AppendLine($"cannot go below {Fixed(floor)} whatever the scheduler does. The achievable bound is the fair yardstick; both are shown.");
            md.AppendLine();
        }

        md.AppendLine($"**Throughput.** {c.Images} images, {c.PerCall} a call ({c.Calls} calls), {Latency(c.LatencyMs)} a call:");
        md.AppendLine();
        md.AppendLine($"| Calls at once (limit) | Most seen at once | Runs | Wall, median | Min – max | Placed → started | Started → completed | Batch overhead, p50 | Batches stalled | Bound (achievable) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in new[] { c, s })
        {
            var mid = MedianRun(f);
            md.AppendLine($"| {f.Concurrency}{(f.Concurrency == 1 ? " (sequential batching)" : "")} | {f.Runs.Max(x => x.MaxInFlight)} | {f.Runs.Count} | {Seconds(f.Wall.Median)} "
                + $"| {Seconds(f.Wall.Min)} – {Seconds(f.Wall.Max)} | {Ms(mid.PickupMs)} ms | {Seconds(mid.RunMs)} | {Ms(mid.BatchOverhead.Median)} ms | {o.Stalled(mid.BatchOverhead)} of {mid.BatchOverhead.Count} | {Seconds(f.AchievableBoundMs)} |");
        }
        md.AppendLine();
        md.AppendLine("*Placed → started* is how long the order waited for the worker to notice it; *started → completed* is the rest;");
        md.AppendLine("*batch overhead* is batch_started → batch_finished less the provider call's own time (file writes and the batch's");
        md.AppendLine($"transaction), over the batches of the median run; a batch is *stalled* when that took {Ms(o.StallMs)} ms or more, half of one wait");
        md.AppendLine("for the database lock as measured in *Waiting for the database* below.");
        md.AppendLine();

        md.AppendLine($"**Orchestration overhead.** A provider that returns at once, {v.Orders} orders of {v.ImagesPerOrder} images ({v.PerCall} a call, {v.Concurrency} calls at once)");
        md.AppendLine("placed one after another: what is left is Quartz, SQLite and the file writes.");
        md.AppendLine();
        md.AppendLine("| Figure | p50 | p95 | Max |");
        md.AppendLine("|---|---:|---:|---:|");
        void Row(string name, Samples x) => md.AppendLine($"| {name} | {Ms(x.Median)} ms | {Ms(x.Percentile(95))} ms | {Ms(x.Max)} ms |");
        Row("Per image: placed → completed ÷ images (the figure with the goal)", v.PerImagePlaced);
        Row("Per image: started → completed ÷ images (leaves out the wait for the worker's poll)", v.PerImageRunning);
        Row("Per order: placed → started (the worker's event-log poll)", v.Pickup);
        Row("Per order: started → first batch_started (Quartz start job, then batch jobs)", v.StartToFirstBatch);
        Row($"Per batch: batch_started → batch_finished less the provider call ({v.BatchOverhead.Count} batches)", v.BatchOverhead);
        md.AppendLine();
        var stalls = v.BatchOverhead.All.Where(x => x >= o.StallMs).ToList();
        md.AppendLine(stalls.Count == 0
            ? $"No batch stalled ({Ms(o.StallMs)} ms or more)."
            : $"{stalls.Count} of the {v.BatchOverhead.Count} batches stalled ({Ms(o.StallMs)} ms or more): {string.Join(", ", stalls.Select(x => Ms(x) + " ms"))}.");
        md.AppendLine($"The first order in the worker's process, not counted above, took {Ms(v.FirstOrderPerImageMs)} ms per image (JIT compilation included).");
        md.AppendLine();

        md.AppendLine($"**Approval → first batch.** An order of {OrderBench.ApprovalImages} images (over the default limit of 4, so it waits for approval) is placed, the worker");
        md.AppendLine("is given 300-550 ms (random) to take it in, then the request is approved; the figure is the first batch_started event's");
        md.AppendLine("time less the approved event's time. Each order then runs to the end before the next.");
        md.AppendLine();
        md.AppendLine("| Decided by | Runs | p50 | Max |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var a in o.Approval)
        {
            md.AppendLine(a.Latency is { } l
                ? $"| {a.How} | {l.Count} | {Ms(l.Median)} ms | {Ms(l.Max)} ms |"
                : $"| {a.How} | not measured: {a.NotMeasured} | | |");
        }
        md.AppendLine();
        md.AppendLine($"The worker learns of work placed or decided anywhere by polling the event log every {o.WorkerPollInterval.TotalMilliseconds:0} ms; a decision");
        md.AppendLine("in its own process is noticed the same way, so all three ways of deciding wait for that poll.");
        md.AppendLine();

        var busy = o.BusyWait.Median;
        md.AppendLine($"**Waiting for the database.** A check run alongside: one connection to an Easel database holds the write lock for {OrderResults.BusyHoldMs} ms");
        md.AppendLine("(`BEGIN IMMEDIATE`, as another process or Quartz's job store may) while another, opened as Easel opens them, begins a write");
        md.AppendLine($"transaction. The second waited {Ms(busy)} ms ({string.Join(", ", o.BusyWait.All.Select(x => Ms(x)))} ms in {o.BusyWait.Count} tries)"
            + (busy > 3 * OrderResults.BusyHoldMs ? ": a write that meets another connection's lock pays that much, not the time the lock is held." : ", about as long as the lock was held."));
        if (busy >= 900)
        {
            md.AppendLine("SQLite as Easel bundles it (SQLitePCLRaw's e_sqlite3) sleeps in whole seconds in its busy handler, as if built without");
            md.AppendLine("`HAVE_USLEEP`, and Easel's connections wait in that handler.");
        }
        else if (busy is >= 100 and < 300)
        {
            md.AppendLine("That is Microsoft.Data.Sqlite's retry: it retries a busy statement every 150 ms.");
        }
        md.AppendLine();
    }

    private static IEnumerable<string> OrderReading(BenchResults r)
    {
        if (r.Orders is not { } o)
            yield break;
        var c = o.Concurrent;
        var s = o.Sequential;
        var v = o.Overhead;
        var mid = MedianRun(c);
        var floor = c.AchievableBoundMs / c.StatedBoundMs;

        yield return $"**Durable orders, {c.Images} images at {Latency(c.LatencyMs)} a call, {c.Concurrency} at once**: {Seconds(c.Wall.Median)} from placing to completed "
            + $"(median of {c.Runs.Count}), {Fixed(c.Wall.Median / c.StatedBoundMs)}× the goal's {Seconds(c.StatedBoundMs)} bound "
            + (c.Wall.Median / c.StatedBoundMs <= ThroughputRatioGoal ? $"(goal ≤ {Fixed(ThroughputRatioGoal)}: met)" : $"(goal ≤ {Fixed(ThroughputRatioGoal)}: missed{(floor > ThroughputRatioGoal ? $"; no run can meet it, whole rounds of calls put the floor at {Fixed(floor)}" : "")})")
            + $" and {Fixed(c.Wall.Median / c.AchievableBoundMs)}× the achievable {Seconds(c.AchievableBoundMs)}. "
            + $"One call at a time the same order took {Seconds(s.Wall.Median)}: {s.Wall.Median / c.Wall.Median:0.0}× as long.";
        yield return $"Of the {Seconds(c.Wall.Median - c.AchievableBoundMs)} over the achievable bound, {Seconds(mid.PickupMs)} is the wait before the worker starts the order "
            + $"(it polls every {o.WorkerPollInterval.TotalMilliseconds:0} ms, even for an order placed in its own process); the provider was called {mid.Calls} times, at most {mid.MaxInFlight} at once.";
        var stalled = c.Runs.Concat(s.Runs).Sum(x => o.Stalled(x.BatchOverhead)) + o.Stalled(v.BatchOverhead);
        var batches = c.Runs.Concat(s.Runs).Sum(x => x.BatchOverhead.Count) + v.BatchOverhead.Count;
        yield return stalled == 0
            ? $"No batch of these {batches} stalled ({Ms(o.StallMs)} ms or more around its provider call)."
            : $"Stalls: {stalled} of these {batches} batches spent {Ms(o.StallMs)} ms or more around their provider call, against a few milliseconds for the rest. "
                + $"A write that meets another connection's lock waits {Ms(o.BusyWait.Median)} ms here (see *Waiting for the database* in section 4).";
        yield return $"**Orchestration overhead**: {Ms(v.PerImagePlaced.Median)} ms per image p50 (p95 {Ms(v.PerImagePlaced.Percentile(95))}) with a provider that costs nothing, "
            + $"{(v.PerImagePlaced.Median < OverheadGoalMs ? "within" : "over")} the {Ms(OverheadGoalMs)} ms goal; {Ms(v.PerImageRunning.Median)} ms once the order has started. "
            + $"A batch costs {Ms(v.BatchOverhead.Median)} ms p50 around its provider call.";
        var measured = o.Approval.Where(a => a.Latency is not null).ToList();
        if (measured.Count > 0)
        {
            var worst = measured.Max(a => a.Latency!.Max);
            yield return $"**Approval → first batch**: p50 {string.Join(", ", measured.Select(a => $"{Ms(a.Latency!.Median)} ms ({a.Name})"))}; "
                + $"the slowest of all {measured.Sum(a => a.Latency!.Count)} runs took {Ms(worst)} ms, {(worst < ApprovalGoalMs ? "within" : "over")} the {Seconds(ApprovalGoalMs)} goal.";
        }
    }

    private static void OrderMethod(StringBuilder md, BenchResults r)
    {
        if (r.Orders is null)
            return;
        md.AppendLine("- **Durable orders** run in the benchmark's process on the real store and worker, one fresh data directory per figure");
        md.AppendLine("  (deleted afterwards). Milestones are read from the order's event log, whose timestamps are whole milliseconds of");
        md.AppendLine("  the system clock; the benchmark waits by polling the store (every 5 ms for an awaited event, 20 ms for an order's");
        md.AppendLine("  end), which does not enter the figures. The provider's latency is `Task.Delay`, so concurrency is limited only by");
        md.AppendLine("  the worker (Quartz's thread pool and the per-provider gate), not by this machine's cores.");
    }

    private static ThroughputRun MedianRun(ThroughputFigures f) =>
        f.Runs.OrderBy(x => x.WallMs).ElementAt(f.Runs.Count / 2);

    private static string Verdict(bool pass) => pass ? "pass" : "**fail**";

    private static string Fixed(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Latency(double ms) => (ms / 1000).ToString("0.0##", CultureInfo.InvariantCulture) + " s";
}
