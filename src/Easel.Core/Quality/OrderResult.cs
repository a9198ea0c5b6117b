using Easel.Core.Gallery;
using Easel.Core.Orders;

namespace Easel.Core.Quality;

/// <summary>
/// What an order delivered, slot by slot, with the history seed 004 asks for: the prompts tried,
/// every image made and the evaluator's feedback on each.
/// </summary>
public sealed record OrderResult(Order Order, IReadOnlyList<SlotResult> Slots, decimal Cost)
{
    /// <summary>The best image of the whole order.</summary>
    public SlotResult? Best => Slots.Where(s => s.Best is not null).MaxBy(s => s.FinalScore ?? -1);

    /// <summary>The most iterations any slot used.</summary>
    public int Iterations => Slots.Count == 0 ? 0 : Slots.Max(s => s.Iterations);

    /// <summary>The final image of each slot that has one.</summary>
    public IReadOnlyList<ImageRecord> FinalImages => Slots.Where(s => s.Best is not null).Select(s => s.Best!).ToList();

    public static OrderResult Build(Order order, IReadOnlyList<ImageRecord> images, IReadOnlyList<BatchState> batches)
    {
        var slots = new List<SlotResult>();
        for (var slot = 0; slot < order.TargetCount; slot++)
        {
            var made = images.Where(i => i.Slot == slot).OrderBy(i => i.Iteration).ThenBy(i => i.Candidate).ToList();
            var iterations = batches.Where(b => b.Covers(slot)).Select(b => (b.Iteration, b.Prompt)).Distinct().OrderBy(p => p.Iteration).ToList();
            var prompts = iterations.Count > 0
                ? iterations.GroupBy(p => p.Iteration).Select(g => g.First().Prompt ?? order.Prompt).ToList()
                : made.Select(i => i.Prompt).Distinct().ToList();
            if (prompts.Count == 0)
                prompts.Add(order.Prompt);
            var best = QualityLoop.Best(made);
            slots.Add(new SlotResult(
                slot,
                best,
                best?.Score,
                prompts,
                made,
                made.Select(i => i.Evaluation?.Feedback ?? "").ToList(),
                Math.Max(prompts.Count, made.Count == 0 ? 0 : made.Max(i => i.Iteration))));
        }
        var cost = batches.Sum(b => b.Cost ?? 0m);
        return new OrderResult(order, slots, cost);
    }
}

/// <param name="PromptHistory">One prompt per iteration, the user's first.</param>
/// <param name="Images">Every image made for the slot, by iteration and candidate.</param>
/// <param name="FeedbackHistory">The evaluator's feedback on each of <paramref name="Images"/>, in the same order.</param>
public sealed record SlotResult(
    int Slot,
    ImageRecord? Best,
    int? FinalScore,
    IReadOnlyList<string> PromptHistory,
    IReadOnlyList<ImageRecord> Images,
    IReadOnlyList<string> FeedbackHistory,
    int Iterations);
