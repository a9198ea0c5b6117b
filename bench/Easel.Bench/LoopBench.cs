using System.Diagnostics;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Core.Quality.Builtin;
using Easel.Providers.Sketch;
using Easel.Storage;

namespace Easel.Bench;

/// <summary>One prompt's run of the loop: the first image's score, the best image's, and iterations used.</summary>
internal sealed record LoopRun(string Prompt, int FirstScore, int BestScore, int Iterations, int Images, string FirstFailing);

/// <summary>One loop configuration over the whole prompt set.</summary>
internal sealed record LoopSeries(string Name, LoopSettings Settings, IReadOnlyList<LoopRun> Runs)
{
    public double MeanFirst => Runs.Average(r => r.FirstScore);
    public double MeanBest => Runs.Average(r => r.BestScore);
    public double MeanIterations => Runs.Average(r => r.Iterations);
    public int Improved => Runs.Count(r => r.BestScore > r.FirstScore);
    public int Passed => Runs.Count(r => r.BestScore >= Settings.Threshold);
}

internal sealed record LoopResults(DateTimeOffset Started, TimeSpan Duration, int Size, IReadOnlyList<LoopSeries> Series);

/// <summary>
/// Section 6: the quality loop as `easel generate` runs it (sketch renderer, built-in evaluator and
/// prompter, real SQLite store), over a fixed set of 20 varied prompts with fixed seeds, so the
/// figures are reproducible: the first image's score against the best image's, and iterations used.
/// Batches run one after another in this process (no scheduler): the figures are about quality.
/// </summary>
internal sealed class LoopBench(string scratch, TextWriter log)
{
    public const int Size = 512;

    /// <summary>Varied on purpose: animals, people, products, places, times of day, colours, styles, presets, and some the renderer cannot draw.</summary>
    public static readonly (string Prompt, string? Preset)[] Prompts =
    [
        ("a red fox in a snowy forest at sunset, watercolor", null),
        ("a teal boat on the sea at noon", null),
        ("a dark forest", null),
        ("a yellow taxi on a rainy street", null),
        ("a watercolor painting of an orange cat", null),
        ("a vibrant tropical beach at noon, turquoise water", null),
        ("a lighthouse on a cliff in a storm at night", null),
        ("a pink flamingo standing in a blue lagoon", null),
        ("a purple mountain range at dawn", null),
        ("a neon city street at night, cyberpunk", null),
        ("a green vintage car in the desert", null),
        ("a golden retriever in a meadow of white flowers", null),
        ("a black and white photo of a cat", null),
        ("an orange cat, no blue", null),
        ("a ruby ring on black velvet", "jewelry"),
        ("a pair of pearl earrings", "jewelry"),
        ("a silver wristwatch on a plain background", "product"),
        ("a portrait of a woman with a red scarf", "portrait"),
        ("a wide valley with a river at golden hour", "landscape"),
        ("a hot air balloon over brown hills at sunrise", null),
    ];

    public LoopResults Run()
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var series = new List<LoopSeries>
        {
            RunSeries("defaults", new LoopSettings()),
            RunSeries("5 iterations, best of 2", new LoopSettings { MaxIterations = 5, Candidates = 2 }),
        };
        return new LoopResults(started, clock.Elapsed, Size, series);
    }

    private LoopSeries RunSeries(string name, LoopSettings settings)
    {
        var root = Path.Combine(scratch, "loop-" + name.Replace(' ', '-').Replace(",", ""));
        using var store = EaselStore.Open(new DataDirectory(root));
        var providers = new ProviderRegistry([new SketchImageProvider()]);
        var presets = PresetCatalog.Load();
        var quality = new QualityServices(new BuiltinEvaluator(), new BuiltinPrompter(), presets.Find);
        var time = TimeProvider.System;
        var service = new OrderService(providers, store.Orders, store.Blobs, quality, time);
        var loop = new QualityLoop(store.Orders, store.Images, store.Blobs, quality.Evaluator, quality.Prompter, quality.FindPreset, providers, time);
        var runner = new BatchRunner(providers, store.Orders, store.Images, store.Blobs, new ProviderGates(time), loop, time);

        var runs = new List<LoopRun>();
        for (var i = 0; i < Prompts.Length; i++)
        {
            var (prompt, preset) = Prompts[i];
            var spec = new OrderSpec
            {
                Prompt = prompt,
                Size = new ImageSize(Size, Size),
                Seed = 1000 + i,
                Loop = settings with { Preset = preset },
            };
            var placed = service.PlaceAsync(spec, new PlaceOptions(new ApprovalOptions(), "bench"), CancellationToken.None).GetAwaiter().GetResult();
            RunToEnd(store, runner, placed.Order.Id);
            var order = store.Orders.FindAsync(placed.Order.Id, CancellationToken.None).GetAwaiter().GetResult()!;
            var result = OrderResult.Build(
                order,
                store.Images.ListByOrderAsync(order.Id, CancellationToken.None).GetAwaiter().GetResult(),
                store.Orders.BatchesAsync(order.Id, CancellationToken.None).GetAwaiter().GetResult());
            var slot = result.Slots.Single();
            // The first image made: what a single try would have delivered.
            var firstImage = slot.Images.First(im => im.Iteration == 1 && im.Candidate == 0);
            var first = firstImage.Score ?? 0;
            var failing = firstImage.Evaluation!.Criteria.Where(c => !c.Passed || c.Score < 80)
                .OrderBy(c => c.Score).Select(c => $"{c.Name} {c.Score}").Take(2).ToList();
            runs.Add(new LoopRun(prompt + (preset is null ? "" : $" (--preset {preset})"), first, slot.FinalScore ?? 0, slot.Iterations, slot.Images.Count,
                failing.Count == 0 ? "-" : string.Join(", ", failing)));
            log.WriteLine($"  loop [{name}] {prompt}: first {first}, best {slot.FinalScore}, {slot.Iterations} iterations");
        }
        return new LoopSeries(name, settings, runs);
    }

    /// <summary>Every open batch, and those the loop adds, one after another, as the worker's jobs would run them.</summary>
    private static void RunToEnd(EaselStore store, BatchRunner runner, string orderId)
    {
        store.Orders.StartAsync(orderId, DateTimeOffset.UtcNow, CancellationToken.None).GetAwaiter().GetResult();
        var queue = new Queue<int>(store.Orders.BatchesAsync(orderId, CancellationToken.None).GetAwaiter().GetResult().Where(b => b.IsOpen).Select(b => b.Index));
        while (queue.TryDequeue(out var index))
        {
            foreach (var added in runner.RunAsync(orderId, index, CancellationToken.None).GetAwaiter().GetResult().NewBatches)
                queue.Enqueue(added);
        }
    }
}
