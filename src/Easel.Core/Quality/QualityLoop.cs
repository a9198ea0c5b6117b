using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;

namespace Easel.Core.Quality;

/// <summary>
/// Seed 004's loop, one slot at a time, after each batch: evaluate the images it made; once every
/// call of the slot's iteration is finished, keep the slot's best image if it passes the threshold
/// or the iteration limit is reached, otherwise have the prompter rewrite the prompt and add the
/// next iteration's calls. Every step is stored before the next, so a crash resumes where it was.
/// </summary>
public sealed class QualityLoop(
    IOrderStore orders,
    IImageCatalog images,
    IBlobStore blobs,
    IImageEvaluator evaluator,
    IPrompter prompter,
    Func<string, Preset?> presets,
    ProviderRegistry providers,
    TimeProvider time)
{
    public IImageEvaluator Evaluator => evaluator;

    /// <summary>
    /// Evaluates what is unevaluated and moves on every slot of <paramref name="onlySlots"/> (all when
    /// null) whose iteration is complete. Returns the indexes of the batches it added.
    /// </summary>
    public async Task<IReadOnlyList<int>> AdvanceAsync(Order order, IReadOnlyCollection<int>? onlySlots, CancellationToken cancellationToken)
    {
        var slots = await orders.SlotsAsync(order.Id, cancellationToken);
        var batches = await orders.BatchesAsync(order.Id, cancellationToken);
        var made = (await images.ListByOrderAsync(order.Id, cancellationToken)).ToList();
        var preset = order.Loop.Preset is { } name ? presets(name) : null;
        var added = new List<int>();

        if (slots.Count == 0)
        {
            // An order stored before the loop existed: score its images, nothing more.
            foreach (var image in made.Where(i => i.Evaluation is null))
                await EvaluateAsync(order, image, preset, cancellationToken);
            return added;
        }

        foreach (var slot in slots)
        {
            if (slot.Status != SlotStatus.Generating || (onlySlots is not null && !onlySlots.Contains(slot.Slot)))
                continue;
            for (var i = 0; i < made.Count; i++)
            {
                if (made[i].Slot == slot.Slot && made[i].Evaluation is null)
                    made[i] = await EvaluateAsync(order, made[i], preset, cancellationToken);
            }
            if (batches.Any(b => b.Iteration == slot.Iteration && b.Covers(slot.Slot) && b.IsOpen))
                continue; // another call of this iteration is still running; the last one to finish moves on
            added.AddRange(await DecideAsync(order, slot, made.Where(i => i.Slot == slot.Slot).ToList(), preset, cancellationToken));
        }
        return added;
    }

    private async Task<IReadOnlyList<int>> DecideAsync(Order order, SlotState slot, List<ImageRecord> slotImages, Preset? preset, CancellationToken cancellationToken)
    {
        var best = Best(slotImages);
        var latest = Best(slotImages.Where(i => i.Iteration == slot.Iteration));
        string? stopped = null;
        var settle = latest is null                                   // this iteration's calls failed
            || latest.Score is not { } score                          // could not be judged
            || score >= order.Loop.Threshold
            || slot.Iteration >= order.Loop.MaxIterations;
        if (!settle)
        {
            string prompt;
            try
            {
                prompt = await prompter.RefineAsync(
                    new RefineRequest(order.Prompt, slot.Prompt, latest!.Evaluation!, slot.Iteration + 1, preset), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Without a new prompt the slot keeps what it has, and the trail says why.
                settle = true;
                prompt = slot.Prompt;
                stopped = $"Slot {slot.Slot + 1}: the prompter ({prompter.Name}) failed: {ex.Message} Kept the best image (score {best?.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).";
            }
            // A provider no longer installed cannot refine; the slot keeps what it has.
            IImageProvider? provider = null;
            if (!settle && !providers.TryGet(order.Provider, out provider))
            {
                settle = true;
                stopped = $"Slot {slot.Slot + 1}: the provider '{order.Provider}' is not available in this installation, so it was not refined. Kept the best image.";
            }
            if (!settle)
            {
                var previous = provider!.Capabilities.SupportsPreviousResponse ? latest!.ResponseId : null;
                var next = Batch.ForSlot(slot.Slot, order.Loop.Candidates, order.ImagesPerCall, slot.Iteration + 1, prompt, previous, firstIndex: 0);
                var note = $"Slot {slot.Slot + 1}, iteration {slot.Iteration}: best score {latest!.Score} is below {order.Loop.Threshold}. {latest.Evaluation!.Feedback}";
                return await orders.AdvanceSlotAsync(
                    new SlotAdvance(order.Id, slot.Slot, slot.Iteration, prompt, next, note, time.GetUtcNow()), cancellationToken);
            }
        }
        await orders.SettleSlotAsync(order.Id, slot.Slot, slot.Iteration, best?.Id, best?.Score, cancellationToken,
            stopped is null ? null : (stopped, time.GetUtcNow()));
        return [];
    }

    /// <summary>The highest-scored image; the earliest made among equals. Unjudged images count only when none was judged.</summary>
    public static ImageRecord? Best(IEnumerable<ImageRecord> candidates)
    {
        ImageRecord? best = null;
        foreach (var image in candidates.OrderBy(i => i.Iteration).ThenBy(i => i.Candidate))
        {
            if (best is null || (image.Score ?? -1) > (best.Score ?? -1))
                best = image;
        }
        return best;
    }

    private async Task<ImageRecord> EvaluateAsync(Order order, ImageRecord image, Preset? preset, CancellationToken cancellationToken)
    {
        Evaluation evaluation;
        try
        {
            var bytes = await blobs.ReadAsync(image.Path, cancellationToken);
            evaluation = await evaluator.EvaluateAsync(new EvaluationRequest(
                bytes, image.MediaType, image.Prompt, order.Prompt, order.NegativePrompt, order.Size, order.AspectRatio,
                order.Style, order.Background, preset), cancellationToken);
            evaluation = evaluation with { Score = Math.Clamp(evaluation.Score, Evaluation.MinScore, Evaluation.MaxScore) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            evaluation = Evaluation.Failed(evaluator.Name, ex.Message);
        }
        await images.SetEvaluationAsync(image.Id, evaluation, cancellationToken);
        return image with { Evaluation = evaluation };
    }
}
