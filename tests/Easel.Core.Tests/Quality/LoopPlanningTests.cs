using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;

namespace Easel.Core.Tests.Quality;

/// <summary>How an order with a quality loop is split into provider calls, priced, and read back as a result.</summary>
public sealed class LoopPlanningTests
{
    [Theory]
    // slots, candidates, per call → images per call
    [InlineData(10, 1, 4, new[] { 4, 4, 2 })]
    [InlineData(3, 2, 4, new[] { 4, 2 })]
    [InlineData(2, 3, 4, new[] { 3, 3 })]
    [InlineData(2, 6, 4, new[] { 4, 2, 4, 2 })]
    [InlineData(5, 1, 1, new[] { 1, 1, 1, 1, 1 })]
    public void The_first_iteration_is_packed_into_provider_sized_calls_keeping_a_slots_candidates_together(int slots, int candidates, int perCall, int[] expected)
    {
        var batches = Batch.Plan(slots, candidates, perCall);
        batches.Select(b => b.Images).ShouldBe(expected);
        batches.Select(b => b.Index).ShouldBe(Enumerable.Range(0, batches.Count));
        // Every (slot, candidate) is made exactly once.
        batches.SelectMany(b => b.Units()).OrderBy(u => u).ShouldBe(
            from s in Enumerable.Range(0, slots) from c in Enumerable.Range(0, candidates) select (s, c));
        batches.ShouldAllBe(b => b.Iteration == 1 && b.Prompt == null);
    }

    [Fact]
    public void A_refined_slot_gets_calls_of_its_own_with_its_prompt_and_the_response_to_continue_from()
    {
        var batches = Batch.ForSlot(slot: 3, candidates: 5, perCall: 2, iteration: 2, prompt: "p2", previousResponseId: "resp_1", firstIndex: 7);
        batches.Select(b => (b.Index, b.FirstSlot, b.Count, b.FirstCandidate, b.Candidates)).ShouldBe([(7, 3, 1, 0, 2), (8, 3, 1, 2, 2), (9, 3, 1, 4, 1)]);
        batches.ShouldAllBe(b => b.Iteration == 2 && b.Prompt == "p2" && b.PreviousResponseId == "resp_1");
    }

    [Fact]
    public void The_plan_prices_the_first_pass_and_the_worst_case()
    {
        var caps = new ProviderCapabilities
        {
            Model = "m", MaxImagesPerCall = 4, MaxConcurrency = 1, SupportsNegativePrompt = true, SupportsSeed = true,
            SupportsTransparentBackground = true, PricePerImage = 0.04m,
        };
        var spec = new OrderSpec { Prompt = "p", Count = 5, Loop = new LoopSettings { MaxIterations = 3, Candidates = 2 } };
        var plan = OrderPlan.Create(spec, caps, "paid");
        plan.MinCost.ShouldBe(0.40m);
        plan.EstimatedCost.ShouldBe(1.20m);
        plan.Batches.Sum(b => b.Images).ShouldBe(10);
    }

    [Fact]
    public void Loop_settings_explain_what_is_out_of_range()
    {
        new LoopSettings().Validate().ShouldBeNull();
        new LoopSettings { MaxIterations = 10, Threshold = 0, Candidates = 8 }.Validate().ShouldBeNull();
        new LoopSettings { MaxIterations = 0 }.Validate().ShouldBe("--max-iterations must be between 1 and 10; got 0.");
        new LoopSettings { Threshold = -1 }.Validate().ShouldBe("--threshold must be between 0 and 100; got -1.");
        new LoopSettings { Candidates = 9 }.Validate().ShouldBe("--candidates must be between 1 and 8; got 9.");
    }

    [Fact]
    public void The_result_keeps_each_slots_best_image_and_its_history_in_order()
    {
        var order = new Order
        {
            Id = "ord_1", Prompt = "a fox", Count = 2, Size = new ImageSize(64, 64), Seed = 1, Provider = "sketch", Model = "m",
            ImagesPerCall = 4, Status = OrderStatus.Completed, CreatedAt = DateTimeOffset.UnixEpoch, Loop = new LoopSettings(),
        };
        var images = new[]
        {
            Image("a", slot: 0, iteration: 1, score: 60, prompt: "a fox"),
            Image("b", slot: 0, iteration: 2, score: 85, prompt: "a fox, vivid"),
            Image("c", slot: 1, iteration: 1, score: 88, prompt: "a fox"),
        };
        var batches = new[]
        {
            State(0, firstSlot: 0, count: 2, iteration: 1, prompt: null, cost: 0.02m),
            State(1, firstSlot: 0, count: 1, iteration: 2, prompt: "a fox, vivid", cost: 0.01m),
        };
        var result = OrderResult.Build(order, images, batches);

        result.Slots[0].PromptHistory.ShouldBe(["a fox", "a fox, vivid"]);
        result.Slots[0].Images.Select(i => i.Id).ShouldBe(["a", "b"]);
        result.Slots[0].FeedbackHistory.ShouldBe(["feedback on a", "feedback on b"]);
        result.Slots[0].Best!.Id.ShouldBe("b");
        result.Slots[1].PromptHistory.ShouldBe(["a fox"]);
        result.Slots[1].Iterations.ShouldBe(1);
        result.Best!.Best!.Id.ShouldBe("c");
        result.Iterations.ShouldBe(2);
        result.Cost.ShouldBe(0.03m);
        result.FinalImages.Select(i => i.Id).ShouldBe(["b", "c"]);
    }

    [Fact]
    public void Among_equal_scores_the_earliest_image_is_best_and_an_unjudged_one_only_when_nothing_was_judged()
    {
        QualityLoop.Best([Image("a", 0, 1, 70, "p"), Image("b", 0, 2, 70, "p")])!.Id.ShouldBe("a");
        QualityLoop.Best([Image("a", 0, 1, null, "p"), Image("b", 0, 2, 10, "p")])!.Id.ShouldBe("b");
        QualityLoop.Best([Image("a", 0, 1, null, "p")])!.Id.ShouldBe("a");
        QualityLoop.Best([]).ShouldBeNull();
    }

    private static ImageRecord Image(string id, int slot, int iteration, int? score, string prompt) => new()
    {
        Id = id, OrderId = "ord_1", Slot = slot, Iteration = iteration, Prompt = prompt,
        Parameters = new ImageParameters(64, 64, null, Background.Opaque, null), Provider = "sketch", Model = "m",
        CreatedAt = DateTimeOffset.UnixEpoch, GenerationTime = TimeSpan.Zero, Path = $"/x/{id}.png", Sha256 = "", Width = 64, Height = 64,
        Evaluation = score is { } s ? new Evaluation(s, [], $"feedback on {id}", [], "test") : null,
    };

    private static BatchState State(int index, int firstSlot, int count, int iteration, string? prompt, decimal cost) => new()
    {
        OrderId = "ord_1", Index = index, FirstSlot = firstSlot, Count = count, Iteration = iteration, Prompt = prompt,
        Status = BatchStatus.Done, Cost = cost,
    };
}
