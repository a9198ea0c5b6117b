using System.Security.Cryptography;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Testing;

namespace Easel.Workflows.Tests;

/// <summary>
/// Seed 004's loop inside durable orders, run batch by batch as the worker runs them, on a real
/// SQLite store: stop at the threshold, keep the best, refine each slot of a bulk order, best-of-K,
/// multi-turn context, resume after an interruption, and what a person does afterwards.
/// </summary>
public sealed class QualityLoopTests : IDisposable
{
    private const string Prompt = "a red fox in the snow";

    private readonly TempStore _temp = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IOrderStore Orders => _temp.Store.Orders;

    private sealed record Rig(TestImageProvider Provider, ScriptedEvaluator Evaluator, AppendingPrompter Prompter, OrderService Service, BatchRunner Runner, QualityLoop Loop, ImageActions Actions);

    /// <summary>Scores rise by <paramref name="step"/> with each refinement, from <paramref name="first"/>.</summary>
    private Rig Create(int first = 50, int step = 20, TestImageProvider? provider = null, Func<string, bool>? evaluatorFails = null)
    {
        provider ??= new TestImageProvider(perCall: 4);
        var evaluator = new ScriptedEvaluator(p => Math.Min(100, first + step * TestQuality.Refinements(p))) { FailWhen = evaluatorFails };
        var prompter = new AppendingPrompter();
        var quality = TestQuality.Create(evaluator, prompter);
        var providers = new ProviderRegistry([provider], [new ScalingUpscaler()]);
        var store = _temp.Store;
        var service = new OrderService(providers, Orders, store.Blobs, quality, _time);
        var loop = new QualityLoop(Orders, store.Images, store.Blobs, evaluator, prompter, quality.FindPreset, providers, _time);
        var runner = new BatchRunner(providers, Orders, store.Images, store.Blobs, new ProviderGates(_time), loop, _time);
        return new Rig(provider, evaluator, prompter, service, runner, loop, new ImageActions(service, store.Images, store.Blobs, _time));
    }

    private static PlaceOptions Options(int maxImages = 100, decimal maxCost = 100m) =>
        new(new ApprovalOptions { MaxImagesWithoutApproval = maxImages, MaxCostWithoutApproval = maxCost, Timeout = TimeSpan.FromHours(1) }, "ada");

    private static OrderSpec Spec(int count = 1, int maxIterations = 3, int threshold = 80, int candidates = 1, string provider = TestImageProvider.DefaultName) => new()
    {
        Prompt = Prompt,
        Count = count,
        Size = new ImageSize(64, 64),
        Seed = 7,
        Provider = provider,
        Loop = new LoopSettings { MaxIterations = maxIterations, Threshold = threshold, Candidates = candidates },
    };

    /// <summary>Runs every open batch, and the ones the loop adds, as the worker's jobs would, until none is left.</summary>
    private async Task<Order> RunAsync(Rig rig, string orderId)
    {
        await Orders.StartAsync(orderId, _time.GetUtcNow(), Ct);
        var queue = new Queue<int>((await Orders.BatchesAsync(orderId, Ct)).Where(b => b.IsOpen).Select(b => b.Index));
        while (queue.TryDequeue(out var index))
        {
            var outcome = await rig.Runner.RunAsync(orderId, index, Ct);
            foreach (var added in outcome.NewBatches)
                queue.Enqueue(added);
        }
        return (await Orders.FindAsync(orderId, Ct))!;
    }

    private async Task<OrderResult> ResultAsync(Order order) =>
        OrderResult.Build(order, await _temp.Store.Images.ListByOrderAsync(order.Id, Ct), await Orders.BatchesAsync(order.Id, Ct));

    [Fact]
    public async Task Refines_until_the_threshold_and_keeps_the_best_with_its_history()
    {
        var rig = Create(first: 50, step: 20); // 50, 70, 90
        var placed = await rig.Service.PlaceAsync(Spec(maxIterations: 5), Options(), Ct);
        var order = await RunAsync(rig, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed);
        var result = await ResultAsync(order);
        var slot = result.Slots.ShouldHaveSingleItem();
        slot.Iterations.ShouldBe(3, "it stops at the first image scoring 80 or more, not at the limit of 5");
        slot.FinalScore.ShouldBe(90);
        slot.PromptHistory.ShouldBe([Prompt, Prompt + " +", Prompt + " + +"]);
        slot.Images.Select(i => i.Score).ShouldBe([50, 70, 90]);
        slot.FeedbackHistory.ShouldBe(slot.Images.Select(i => i.Evaluation!.Feedback).ToList());
        slot.Best!.Iteration.ShouldBe(3);
        slot.Best.Prompt.ShouldBe(Prompt + " + +", "an image records the prompt it was made from");

        // The prompter saw the user's words and the evaluation of the image it refines.
        var refinements = rig.Prompter.Requests.ToList();
        refinements.Select(r => (r.OriginalPrompt, r.Iteration, r.Evaluation.Score)).ShouldBe([(Prompt, 2, 50), (Prompt, 3, 70)]);
        (await Orders.EventsAsync(order.Id, Ct)).Count(e => e.Kind == OrderEventKind.Refined).ShouldBe(2);
    }

    [Fact]
    public async Task Stops_at_the_iteration_limit_and_keeps_the_best_image_overall()
    {
        // Refinement makes things worse here: 60, 40, 20. The first image must win.
        var rig = Create(first: 60, step: -20);
        var placed = await rig.Service.PlaceAsync(Spec(maxIterations: 3), Options(), Ct);
        var order = await RunAsync(rig, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed, "every slot has an image, even below the threshold");
        var slot = (await ResultAsync(order)).Slots.ShouldHaveSingleItem();
        slot.Iterations.ShouldBe(3);
        slot.Images.Count.ShouldBe(3);
        slot.Best!.Iteration.ShouldBe(1);
        slot.FinalScore.ShouldBe(60);
        (await Orders.SlotsAsync(order.Id, Ct)).ShouldHaveSingleItem().BestImageId.ShouldBe(slot.Best.Id);
    }

    [Fact]
    public async Task Best_of_k_makes_k_candidates_per_iteration_in_provider_sized_calls()
    {
        var provider = new TestImageProvider(perCall: 4);
        var rig = Create(first: 50, step: 40, provider: provider); // 50 then 90
        var placed = await rig.Service.PlaceAsync(Spec(count: 2, candidates: 3), Options(), Ct);
        var order = await RunAsync(rig, placed.Order.Id);

        var result = await ResultAsync(order);
        result.Slots.Count.ShouldBe(2);
        foreach (var slot in result.Slots)
        {
            slot.Images.Count.ShouldBe(6, "3 candidates in each of 2 iterations");
            slot.Images.Select(i => (i.Iteration, i.Candidate)).ShouldBe([(1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2)]);
        }
        provider.Requests.ShouldAllBe(r => r.Count <= 4);
        provider.Requests.Sum(r => r.Count).ShouldBe(12);
        // Every image has its own seed.
        result.Slots.SelectMany(s => s.Images).Select(i => i.Seed).Distinct().Count().ShouldBe(12);
    }

    [Fact]
    public async Task In_a_bulk_order_every_slot_below_threshold_is_refined_on_its_own()
    {
        // Slots whose image comes out with an odd seed score 90; the rest 50 until refined once.
        var provider = new TestImageProvider(perCall: 4);
        var evaluator = new ScriptedEvaluator(p => TestQuality.Refinements(p) > 0 ? 85 : 50);
        var rig = Create(provider: provider);
        var quality = TestQuality.Create(evaluator, rig.Prompter);
        var providers = new ProviderRegistry([provider]);
        var loop = new QualityLoop(Orders, _temp.Store.Images, _temp.Store.Blobs, evaluator, rig.Prompter, quality.FindPreset, providers, _time);
        var runner = new BatchRunner(providers, Orders, _temp.Store.Images, _temp.Store.Blobs, new ProviderGates(_time), loop, _time);
        var service = new OrderService(providers, Orders, _temp.Store.Blobs, quality, _time);
        var placed = await service.PlaceAsync(Spec(count: 6), Options(), Ct);
        var order = await RunAsync(rig with { Runner = runner }, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed);
        var result = await ResultAsync(order);
        result.Slots.Select(s => s.Iterations).ShouldBe([2, 2, 2, 2, 2, 2]);
        result.Slots.ShouldAllBe(s => s.FinalScore == 85);
        // Iteration 1 shares one prompt, so 6 images go in calls of 4; each refined slot is its own call.
        provider.Requests.Select(r => r.Count).ShouldBe([4, 2, 1, 1, 1, 1, 1, 1]);
    }

    [Fact]
    public async Task A_multi_turn_provider_continues_from_the_previous_response_and_references_are_not_sent_again()
    {
        var provider = new TestImageProvider(perCall: 1, multiTurn: true, maxReferences: 2);
        var rig = Create(first: 50, step: 40, provider: provider);
        var reference = Reference();
        var placed = await rig.Service.PlaceAsync(Spec() with { References = [reference] }, Options(), Ct);
        await RunAsync(rig, placed.Order.Id);

        var requests = provider.Requests;
        requests.Count.ShouldBe(2);
        requests[0].PreviousResponseId.ShouldBeNull();
        requests[0].References.ShouldHaveSingleItem().Bytes.ShouldBe(reference.Bytes);
        requests[1].PreviousResponseId.ShouldBe("resp_1_0");
        requests[1].References.ShouldBeEmpty("the earlier response already holds them");
        requests[1].Prompt.ShouldBe(Prompt + " +");
    }

    [Fact]
    public async Task Without_multi_turn_every_iteration_gets_the_references()
    {
        var provider = new TestImageProvider(perCall: 1, maxReferences: 2);
        var rig = Create(first: 50, step: 40, provider: provider);
        await RunAsync(rig, (await rig.Service.PlaceAsync(Spec() with { References = [Reference()] }, Options(), Ct)).Order.Id);
        provider.Requests.Count.ShouldBe(2);
        provider.Requests.ShouldAllBe(r => r.References.Count == 1 && r.PreviousResponseId == null);
    }

    [Fact]
    public async Task References_beyond_what_the_provider_takes_are_refused_before_anything_is_spent()
    {
        var rig = Create(provider: new TestImageProvider(maxReferences: 0));
        var refused = await Should.ThrowAsync<OrderRejectedException>(() => rig.Service.PlaceAsync(Spec() with { References = [Reference()] }, Options(), Ct));
        refused.Message.ShouldBe("test does not take reference images.");
        (await Orders.ListAsync(null, 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_interrupted_loop_resumes_at_the_same_iteration_without_making_stored_images_again()
    {
        var rig = Create(first: 50, step: 40);
        var placed = await rig.Service.PlaceAsync(Spec(count: 2), Options(), Ct);
        var orderId = placed.Order.Id;
        await Orders.StartAsync(orderId, _time.GetUtcNow(), Ct);

        // The batch is made and stored, then the process dies while the evaluator is working.
        using var crash = new CancellationTokenSource();
        var crashing = Create(first: 50, step: 40, provider: rig.Provider, evaluatorFails: _ =>
        {
            crash.Cancel();
            return false;
        });
        await Should.ThrowAsync<OperationCanceledException>(() => crashing.Runner.RunAsync(orderId, 0, crash.Token));
        rig.Provider.Calls.ShouldBe(1);
        var stored = await _temp.Store.Images.ListByOrderAsync(orderId, Ct);
        stored.Count.ShouldBe(2);

        // The next start (StartOrderJob) evaluates what is unjudged and refines: iteration 2, same slots.
        var order = (await Orders.FindAsync(orderId, Ct))!;
        var added = await rig.Loop.AdvanceAsync(order, onlySlots: null, Ct);
        added.Count.ShouldBe(2, "one call per refined slot");
        rig.Provider.Calls.ShouldBe(1, "nothing already stored was made again");
        (await Orders.SlotsAsync(orderId, Ct)).ShouldAllBe(s => s.Iteration == 2 && s.Status == SlotStatus.Generating);

        // Running it again from the top changes nothing that is stored.
        (await rig.Loop.AdvanceAsync(order, onlySlots: null, Ct)).ShouldBeEmpty();
        var finished = await RunAsync(rig, orderId);
        finished.Status.ShouldBe(OrderStatus.Completed);
        rig.Provider.Calls.ShouldBe(3);
        var images = await _temp.Store.Images.ListByOrderAsync(orderId, Ct);
        images.Select(i => (i.Slot, i.Iteration)).ShouldBe([(0, 1), (0, 2), (1, 1), (1, 2)]);
        images.ShouldAllBe(i => i.Evaluation != null);
    }

    [Fact]
    public async Task A_failing_evaluator_ends_the_slot_with_the_reason_instead_of_looping()
    {
        var rig = Create(evaluatorFails: _ => true);
        var order = await RunAsync(rig, (await rig.Service.PlaceAsync(Spec(), Options(), Ct)).Order.Id);
        order.Status.ShouldBe(OrderStatus.Completed);
        var image = (await _temp.Store.Images.ListByOrderAsync(order.Id, Ct)).ShouldHaveSingleItem();
        image.Score.ShouldBeNull();
        image.Evaluation!.Error.ShouldBe("The evaluator's server answered 503.");
        rig.Prompter.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failing_prompter_stops_refinement_with_the_reason_in_the_audit_trail()
    {
        var provider = new TestImageProvider(perCall: 4);
        var evaluator = new ScriptedEvaluator(_ => 40);
        var quality = TestQuality.Create(evaluator, new FailingPrompter());
        var providers = new ProviderRegistry([provider]);
        var loop = new QualityLoop(Orders, _temp.Store.Images, _temp.Store.Blobs, evaluator, quality.Prompter, quality.FindPreset, providers, _time);
        var runner = new BatchRunner(providers, Orders, _temp.Store.Images, _temp.Store.Blobs, new ProviderGates(_time), loop, _time);
        var service = new OrderService(providers, Orders, _temp.Store.Blobs, quality, _time);
        var rig = Create(provider: provider) with { Runner = runner };
        var order = await RunAsync(rig, (await service.PlaceAsync(Spec(), Options(), Ct)).Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed, "the slot keeps its image");
        provider.Calls.ShouldBe(1);
        (await Orders.EventsAsync(order.Id, Ct)).Single(e => e.Kind == OrderEventKind.RefinementStopped).Note
            .ShouldBe("Slot 1: the prompter (failing) failed: Anthropic did not accept the API key (401). Kept the best image (score 40).");
    }

    private sealed class FailingPrompter : IPrompter
    {
        public string Name => "failing";

        public Task<string> RefineAsync(RefineRequest request, CancellationToken cancellationToken) =>
            throw new ProviderException("Anthropic", ProviderErrorKind.Unauthorized, "Anthropic did not accept the API key (401).");
    }

    [Fact]
    public async Task The_approval_summary_shows_the_minimum_and_the_worst_case_cost()
    {
        var paid = new TestImageProvider("paid", perCall: 4, pricePerImage: 0.25m);
        var rig = Create(provider: paid);
        var placed = await rig.Service.PlaceAsync(Spec(count: 2, maxIterations: 3, provider: "paid"), Options(maxImages: 4, maxCost: 1.00m), Ct);

        placed.Order.Status.ShouldBe(OrderStatus.AwaitingApproval, "the worst case, $1.50, is over the $1.00 limit");
        var summary = placed.Approval!.Summary;
        summary.MinCost.ShouldBe(0.50m);
        summary.EstimatedCost.ShouldBe(1.50m);
        summary.MaxIterations.ShouldBe(3);
        summary.Reasons.ShouldBe(["the worst-case cost $1.50 is more than the $1.00 allowed without approval"]);
    }

    [Fact]
    public async Task Partial_approval_refines_only_the_approved_slots()
    {
        var rig = Create(first: 50, step: 40);
        var placed = await rig.Service.PlaceAsync(Spec(count: 6), Options(maxImages: 4), Ct);
        await rig.Service.DecideAsync(new ApprovalDecision(placed.Approval!.Id, true, "bob", Count: 4), Ct);
        var order = await RunAsync(rig, placed.Order.Id);

        order.Status.ShouldBe(OrderStatus.Completed);
        (await Orders.SlotsAsync(order.Id, Ct)).Select(s => s.Slot).ShouldBe([0, 1, 2, 3]);
        (await _temp.Store.Images.ListByOrderAsync(order.Id, Ct)).Count.ShouldBe(8);
    }

    [Fact]
    public async Task Loop_settings_out_of_range_are_refused_with_the_limit()
    {
        var rig = Create();
        (await Should.ThrowAsync<OrderRejectedException>(() => rig.Service.PlaceAsync(Spec(maxIterations: 11), Options(), Ct)))
            .Message.ShouldBe("--max-iterations must be between 1 and 10; got 11.");
        (await Should.ThrowAsync<OrderRejectedException>(() => rig.Service.PlaceAsync(Spec(threshold: 101), Options(), Ct)))
            .Message.ShouldBe("--threshold must be between 0 and 100; got 101.");
        (await Should.ThrowAsync<OrderRejectedException>(() => rig.Service.PlaceAsync(Spec(candidates: 0), Options(), Ct)))
            .Message.ShouldBe("--candidates must be between 1 and 8; got 0.");
        (await Should.ThrowAsync<OrderRejectedException>(() => rig.Service.PlaceAsync(Spec() with { Loop = new LoopSettings { Preset = "nope" } }, Options(), Ct)))
            .Message.ShouldBe("There is no preset 'nope'. `easel presets` lists them.");
    }

    [Fact]
    public async Task The_preset_reaches_the_evaluator_and_the_prompter()
    {
        var rig = Create(first: 50, step: 40);
        var spec = Spec() with { Loop = new LoopSettings { Preset = "JEWELRY" } };
        await RunAsync(rig, (await rig.Service.PlaceAsync(spec, Options(), Ct)).Order.Id);
        rig.Evaluator.Requests.ShouldAllBe(r => r.Preset == TestQuality.Jewelry);
        rig.Prompter.Requests.ShouldAllBe(r => r.Preset == TestQuality.Jewelry);
    }

    // After the order: review, regenerate, vary, upscale.

    [Fact]
    public async Task Regenerate_makes_a_new_image_for_the_same_request_and_records_the_lineage()
    {
        var rig = Create(first: 90);
        var first = await RunAsync(rig, (await rig.Service.PlaceAsync(Spec(), Options(), Ct)).Order.Id);
        var original = (await _temp.Store.Images.ListByOrderAsync(first.Id, Ct)).ShouldHaveSingleItem();

        var placed = await rig.Actions.RegenerateAsync(original.Id, Options(), Ct);
        var again = await RunAsync(rig, placed.Order.Id);
        var regenerated = (await _temp.Store.Images.ListByOrderAsync(again.Id, Ct)).ShouldHaveSingleItem();

        regenerated.ParentId.ShouldBe(original.Id);
        regenerated.Derivation.ShouldBe(Derivation.Regenerate);
        regenerated.Prompt.ShouldBe(Prompt);
        regenerated.Seed.ShouldNotBe(original.Seed);
        (await _temp.Store.Images.FindAsync(original.Id, Ct))!.Review.ShouldBe(ReviewStatus.Regenerated);
        (await rig.Actions.CurrentAsync(original, Ct)).Id.ShouldBe(regenerated.Id);
        (await rig.Actions.LineageAsync(regenerated, Ct)).Select(i => i.Id).ShouldBe([original.Id, regenerated.Id]);

        var approved = await rig.Actions.ApproveAsync(regenerated.Id, "ada", Ct);
        approved.Review.ShouldBe(ReviewStatus.Approved);
        approved.ReviewedBy.ShouldBe("ada");
    }

    [Fact]
    public async Task Vary_makes_n_variations_from_the_image_that_record_their_parent()
    {
        var rig = Create(first: 90);
        var first = await RunAsync(rig, (await rig.Service.PlaceAsync(Spec(), Options(), Ct)).Order.Id);
        var parent = (await _temp.Store.Images.ListByOrderAsync(first.Id, Ct)).Single();

        var placed = await rig.Actions.VaryAsync(parent.Id, 3, VariationStrength.Strong, Options(), Ct);
        var order = await RunAsync(rig, placed.Order.Id);
        var variations = await _temp.Store.Images.ListByOrderAsync(order.Id, Ct);
        variations.Count.ShouldBe(3);
        variations.ShouldAllBe(v => v.ParentId == parent.Id && v.Derivation == Derivation.Variation);
        var request = rig.Provider.Requests[^1];
        request.VariationOf!.Strength.ShouldBe(VariationStrength.Strong);
        request.VariationOf.Seed.ShouldBe(parent.Seed);
        request.VariationOf.Image.ShouldBe(await File.ReadAllBytesAsync(parent.Path, Ct));

        (await Should.ThrowAsync<OrderRejectedException>(() => rig.Actions.VaryAsync(parent.Id, 17, VariationStrength.Subtle, Options(), Ct)))
            .Message.ShouldBe("Ask for between 1 and 16 variations; got 17.");
    }

    [Fact]
    public async Task Upscale_makes_a_larger_child_and_refuses_sizes_beyond_the_limit()
    {
        var rig = Create(first: 90);
        var first = await RunAsync(rig, (await rig.Service.PlaceAsync(Spec(), Options(), Ct)).Order.Id);
        var parent = (await _temp.Store.Images.ListByOrderAsync(first.Id, Ct)).Single();

        var placed = await rig.Actions.UpscaleAsync(parent.Id, 4, ScalingUpscaler.UpscalerName, Options(), Ct);
        var order = await RunAsync(rig, placed.Order.Id);
        order.Status.ShouldBe(OrderStatus.Completed);
        var upscaled = (await _temp.Store.Images.ListByOrderAsync(order.Id, Ct)).ShouldHaveSingleItem();
        (upscaled.Width, upscaled.Height).ShouldBe((256, 256));
        upscaled.ParentId.ShouldBe(parent.Id);
        upscaled.Derivation.ShouldBe(Derivation.Upscale);
        upscaled.Provider.ShouldBe(ScalingUpscaler.UpscalerName);

        var big = await rig.Actions.UpscaleAsync(upscaled.Id, 4, ScalingUpscaler.UpscalerName, Options(), Ct);
        var bigger = (await _temp.Store.Images.ListByOrderAsync((await RunAsync(rig, big.Order.Id)).Id, Ct)).Single();
        (bigger.Width, bigger.Height).ShouldBe((1024, 1024));
        (await Should.ThrowAsync<OrderRejectedException>(() => rig.Actions.UpscaleAsync(bigger.Id, 8, ScalingUpscaler.UpscalerName, Options(), Ct)))
            .Message.ShouldBe("1024x1024 upscaled 8x would be 8192x8192; the largest side Easel makes is 4096 pixels.");
        (await rig.Actions.LineageAsync(bigger, Ct)).Select(i => i.Derivation).ShouldBe([null, Derivation.Upscale, Derivation.Upscale]);
        (await Should.ThrowAsync<OrderRejectedException>(() => rig.Actions.RegenerateAsync(bigger.Id, Options(), Ct)))
            .Message.ShouldContain("is an upscale of");
    }

    private static ReferenceImage Reference()
    {
        var bytes = Easel.Imaging.Png.PngEncoder.Encode(new Easel.Imaging.RgbaImage(8, 8));
        return new ReferenceImage("/tmp/ref.png", bytes, "image/png", 8, 8, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Enlarges by repeating pixels: enough to check the bookkeeping around an upscaler.</summary>
    private sealed class ScalingUpscaler : IImageUpscaler
    {
        public const string UpscalerName = "nearest";

        public string Name => UpscalerName;
        public string Model => "nearest-1";
        public IReadOnlyList<int> Scales => [2, 4, 8];
        public int MaxOutputSide => ImageSize.MaxSide;
        public decimal PricePerImage => 0m;

        public Task<GeneratedImage> UpscaleAsync(byte[] image, string mediaType, int scale, CancellationToken cancellationToken)
        {
            var source = Easel.Imaging.Png.PngDecoder.Decode(image).Image;
            var target = new Easel.Imaging.RgbaImage(source.Width * scale, source.Height * scale);
            for (var y = 0; y < target.Height; y++)
            {
                for (var x = 0; x < target.Width; x++)
                    source.Pixels.AsSpan(((y / scale) * source.Width + x / scale) * 4, 4).CopyTo(target.Pixels.AsSpan((y * target.Width + x) * 4, 4));
            }
            return Task.FromResult(new GeneratedImage(Easel.Imaging.Png.PngEncoder.Encode(target), "image/png", null, Model));
        }
    }
}
