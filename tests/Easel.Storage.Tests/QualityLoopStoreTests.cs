using System.Security.Cryptography;
using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;

namespace Easel.Storage.Tests;

/// <summary>What the quality loop keeps: loop settings, references, sources, slots, refinements, evaluations, reviews and lineage.</summary>
public sealed class QualityLoopStoreTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Later = Samples.T0.AddMinutes(1);
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7];
    private static readonly LoopSettings Refining = new() { MaxIterations = 3, Threshold = 80, Candidates = 1 };
    private readonly StoreScope _s = new();

    public void Dispose() => _s.Dispose();

    /// <summary>A queued order planned the way OrderService plans it, started by a worker.</summary>
    private async Task<Order> RunningAsync(string id, int count, int perCall = 4, LoopSettings? loop = null)
    {
        var settings = loop ?? Refining;
        var order = Samples.Order(id) with { Count = count, ImagesPerCall = perCall, Status = OrderStatus.Queued, Loop = settings };
        await _s.Orders.CreateAsync(order, Batch.Plan(count, settings.Candidates, perCall), null, [], Ct);
        (await _s.Orders.StartAsync(id, Samples.T0, Ct)).ShouldBeTrue();
        return order with { Status = OrderStatus.Running };
    }

    /// <summary>Begins a batch and stores one image per (slot, candidate) it covers, or only those <paramref name="keep"/> accepts.</summary>
    private async Task<IReadOnlyList<ImageRecord>> CompleteAsync(Order order, int index, Func<int, bool>? keep = null)
    {
        var batch = (await _s.Orders.BeginBatchAsync(order.Id, index, order.Provider, order.Model, Later, Ct))!;
        var images = batch.ToBatch().Units()
            .Where(u => keep?.Invoke(u.Slot) ?? true)
            .Select(u => Samples.Image(_s.Data, $"img_{order.Id[4..]}_{batch.Iteration}_{u.Slot}_{u.Candidate}", order.Id, Later, batch.Prompt ?? order.Prompt, slot: u.Slot)
                with { Iteration = batch.Iteration, Candidate = u.Candidate })
            .ToList();
        (await _s.Orders.CompleteBatchAsync(OrderFixtures.Result(order, batch, images, Later), Ct)).ShouldBeTrue();
        return images;
    }

    private async Task<SlotState> SlotOf(string orderId, int slot) =>
        (await _s.Orders.SlotsAsync(orderId, Ct)).Single(s => s.Slot == slot);

    private static Evaluation Verdict(int score) => new(
        score,
        [
            new CriterionResult("color:red", 40, false, "little red: 3% of the image; the fox should be vivid red", "vivid red fox"),
            new CriterionResult("sharpness", 90, true, "crisp edges"),
        ],
        "The fox is too pale: ask for a vivid red fox. Whether it is a fox at all could not be checked.",
        ["the subject itself: whether it is a fox"],
        "builtin");

    /// <summary>Records compare lists by reference, so the criteria and what was not checked are compared item by item.</summary>
    private static void ShouldBeVerdict(Evaluation? actual, Evaluation expected)
    {
        actual.ShouldNotBeNull();
        actual.Criteria.ShouldBe(expected.Criteria);
        actual.Unchecked.ShouldBe(expected.Unchecked);
        (actual with { Criteria = expected.Criteria, Unchecked = expected.Unchecked }).ShouldBe(expected);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task Loop_settings_and_references_round_trip()
    {
        var reference = new ReferenceImage("https://example.com/fox.png", Png, "image/png", 1, 1, Sha(Png));
        var kept = await _s.Store.Blobs.SaveReferenceAsync(reference, Ct);
        var outside = new StoredReference("/home/ada/Katze 🐈.jpg", _s.Temp.Combine("elsewhere", "cat.jpg"), "image/jpeg", new string('c', 64), 32, 16);
        var order = Samples.Order() with
        {
            Loop = new LoopSettings { MaxIterations = 5, Threshold = 92, Candidates = 4, Preset = "product-photo" },
            References = [new StoredReference(reference.Source, kept, "image/png", reference.Sha256, 1, 1), outside],
        };

        await _s.Orders.CreateBareAsync(order, Ct);

        var found = await _s.Orders.FindAsync(order.Id, Ct);
        found.ShouldBeOrder(order);
        found!.Loop.MaxImagesPerSlot.ShouldBe(20);
        // Inside the data directory the path is kept relative, so the directory can move; elsewhere it stays absolute.
        _s.Scalar<string>("SELECT json_extract(refs, '$[0].path') FROM orders;").ShouldBe($"images/refs/{reference.Sha256}.png");
        _s.Scalar<string>("SELECT json_extract(refs, '$[1].path') FROM orders;").ShouldBe(outside.Path);
        Path.IsPathFullyQualified(found.References[0].Path).ShouldBeTrue();
        File.ReadAllBytes(found.References[0].Path).ShouldBe(Png);
        _s.Scalar<string>("SELECT max_iterations || ' ' || threshold || ' ' || candidates || ' ' || preset FROM orders;").ShouldBe("5 92 4 product-photo");
    }

    [Fact]
    public async Task A_reference_follows_the_data_directory_when_it_moves()
    {
        using var temp = new TempDirectory();
        var reference = new ReferenceImage("https://example.com/fox.png", Png, "image/png", 1, 1, Sha(Png));
        using (var store = EaselStore.Open(new DataDirectory(temp.Combine("home"))))
        {
            var kept = await store.Blobs.SaveReferenceAsync(reference, Ct);
            await store.Orders.CreateBareAsync(Samples.Order() with { References = [new StoredReference(reference.Source, kept, "image/png", reference.Sha256, 1, 1)] }, Ct);
        }

        Directory.Move(temp.Combine("home"), temp.Combine("moved"));

        var moved = new DataDirectory(temp.Combine("moved"));
        using var reopened = EaselStore.Open(moved);
        var path = (await reopened.Orders.FindAsync("ord_0001", Ct))!.References.Single().Path;
        path.ShouldBe(Path.Combine(moved.ImagesPath, "refs", reference.Sha256 + ".png"));
        (await reopened.Blobs.ReadAsync(path, Ct)).ShouldBe(Png);
    }

    [Theory]
    [InlineData(Derivation.Regenerate, null, null, "regenerate", null)]
    [InlineData(Derivation.Variation, VariationStrength.Subtle, null, "variation", "subtle")]
    [InlineData(Derivation.Variation, VariationStrength.Strong, null, "variation", "strong")]
    [InlineData(Derivation.Upscale, null, 4, "upscale", null)]
    public async Task The_image_an_order_derives_from_round_trips(Derivation kind, VariationStrength? strength, int? scale, string kindText, string? strengthText)
    {
        var order = Samples.Order() with { Count = 1, Loop = LoopSettings.Once, Source = new OrderSource("img_01jq8x5v3m0000000000000001", kind, strength, scale) };

        await _s.Orders.CreateBareAsync(order, Ct);

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBeOrder(order);
        _s.Scalar<string>("SELECT source_kind FROM orders;").ShouldBe(kindText);
        _s.Scalar<string>("SELECT coalesce(source_strength, '-') FROM orders;").ShouldBe(strengthText ?? "-");
        _s.Scalar<long>("SELECT coalesce(source_scale, 0) FROM orders;").ShouldBe(scale ?? 0);
    }

    [Fact]
    public async Task An_order_made_from_nothing_has_no_source_and_no_references()
    {
        await _s.Orders.CreateBareAsync(Samples.Order(), Ct);

        var found = (await _s.Orders.FindAsync("ord_0001", Ct))!;
        found.Source.ShouldBeNull();
        found.References.ShouldBeEmpty();
        _s.Scalar<string>("SELECT refs FROM orders;").ShouldBe("[]");
    }

    [Fact]
    public async Task Batches_keep_their_iteration_candidates_prompt_and_previous_response()
    {
        var order = Samples.Order() with { Count = 2, Status = OrderStatus.Queued };
        Batch[] batches =
        [
            new(0, 0, 2) { Candidates = 3 },
            new(1, 1, 1) { Iteration = 2, FirstCandidate = 2, Candidates = 2, Prompt = "a vivid red fox — im Schnee 🦊", PreviousResponseId = "resp_01abc" },
        ];

        await _s.Orders.CreateAsync(order, batches, null, [], Ct);

        (await _s.Orders.BatchesAsync(order.Id, Ct)).Select(b => b.ToBatch()).ShouldBe(batches);
        var second = await _s.Orders.FindBatchAsync(order.Id, 1, Ct);
        second.ShouldNotBeNull();
        (second.Iteration, second.FirstCandidate, second.Candidates, second.Prompt, second.PreviousResponseId, second.Status)
            .ShouldBe((2, 2, 2, "a vivid red fox — im Schnee 🦊", "resp_01abc", BatchStatus.Pending));
        (await _s.Orders.FindBatchAsync(order.Id, 2, Ct)).ShouldBeNull();
        (await _s.Orders.FindBatchAsync("ord_missing", 0, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task A_started_batch_counts_every_candidate_it_makes()
    {
        var order = await RunningAsync("ord_0001", count: 2, perCall: 8, loop: Refining with { Candidates = 3 });

        await _s.Orders.BeginBatchAsync(order.Id, 0, order.Provider, order.Model, Later, Ct);

        (await _s.Orders.EventsAsync(order.Id, Ct))[^1].Images.ShouldBe(6);
    }

    [Fact]
    public async Task Slots_are_made_for_every_image_of_a_queued_order_and_for_the_approved_part_only()
    {
        var queued = await _s.Orders.PlaceQueuedAsync("ord_queued", count: 3, cancellationToken: Ct);
        var (partial, partialRequest) = await _s.Orders.PlaceAwaitingAsync("ord_partial", count: 5, cancellationToken: Ct);
        var (rejected, rejectedRequest) = await _s.Orders.PlaceAwaitingAsync("ord_rejected", count: 5, cancellationToken: Ct);

        // Nothing to make while a person has not decided.
        (await _s.Orders.SlotsAsync(partial.Id, Ct)).ShouldBeEmpty();

        (await _s.Orders.DecideAsync(new ApprovalDecision(partialRequest.Id, true, "grace", Count: 2), Batch.Split(2, 4), Later, Ct)).Result.ShouldBe(DecisionResult.Decided);
        (await _s.Orders.DecideAsync(new ApprovalDecision(rejectedRequest.Id, false, "grace"), [], Later, Ct)).Result.ShouldBe(DecisionResult.Decided);

        var slots = await _s.Orders.SlotsAsync(queued.Id, Ct);
        slots.ShouldBe(Enumerable.Range(0, 3).Select(i => new SlotState(queued.Id, i, 1, SlotStatus.Generating, queued.Prompt, null, null)));
        (await _s.Orders.SlotsAsync(partial.Id, Ct)).Select(s => s.Slot).ShouldBe([0, 1]);
        (await _s.Orders.SlotsAsync(rejected.Id, Ct)).ShouldBeEmpty();
        (await _s.Orders.SlotsAsync("ord_missing", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Advancing_a_slot_refines_its_prompt_and_adds_batches_after_the_last_one_with_one_refined_event()
    {
        var order = await RunningAsync("ord_0001", count: 6, perCall: 4); // batches 0 (slots 0-3) and 1 (slots 4-5)
        var seq = await _s.Orders.LastEventSeqAsync(Ct);
        const string prompt = "a vivid red fox in the snow";
        const string note = "Slot 5, iteration 1: best score 64 is below 80. The fox is too pale.";
        // Three candidates in calls of two; the indexes given here are the store's to replace.
        var next = Batch.ForSlot(4, candidates: 3, perCall: 2, iteration: 2, prompt, previousResponseId: "resp_1", firstIndex: 0);

        var added = await _s.Orders.AdvanceSlotAsync(new SlotAdvance(order.Id, 4, 1, prompt, next, note, Later), Ct);

        added.ShouldBe([2, 3]);
        (await SlotOf(order.Id, 4)).ShouldBe(new SlotState(order.Id, 4, 2, SlotStatus.Generating, prompt, null, null));
        (await SlotOf(order.Id, 5)).ShouldBe(new SlotState(order.Id, 5, 1, SlotStatus.Generating, order.Prompt, null, null));
        var batches = await _s.Orders.BatchesAsync(order.Id, Ct);
        batches.Select(b => b.Index).ShouldBe([0, 1, 2, 3]);
        batches.Skip(2).Select(b => (b.FirstSlot, b.Count, b.Iteration, b.FirstCandidate, b.Candidates, b.Prompt, b.PreviousResponseId, b.Status)).ShouldBe(
        [
            (4, 1, 2, 0, 2, prompt, "resp_1", BatchStatus.Pending),
            (4, 1, 2, 2, 1, prompt, "resp_1", BatchStatus.Pending),
        ]);
        batches.Take(2).ShouldAllBe(b => b.Iteration == 1 && b.Prompt == null);

        var events = (await _s.Orders.EventsAfterAsync(seq, 10, Ct)).ToList();
        var refined = events.ShouldHaveSingleItem();
        (refined.Kind, refined.OrderId, refined.At, refined.Actor, refined.Batch, refined.Images).ShouldBe((OrderEventKind.Refined, order.Id, Later, OrderEvent.System, 2, 3));
        refined.Note.ShouldNotBeNull().ShouldStartWith(note);
        refined.Note.ShouldContain(prompt);
    }

    [Fact]
    public async Task A_second_advance_from_the_same_iteration_adds_nothing()
    {
        var order = await RunningAsync("ord_0001", count: 1, perCall: 1);
        var first = new SlotAdvance(order.Id, 0, 1, "a vivid red fox", Batch.ForSlot(0, 1, 1, 2, "a vivid red fox", null, 0), "score 64 is below 80.", Later);
        (await _s.Orders.AdvanceSlotAsync(first, Ct)).ShouldBe([1]);
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        // A worker that judged iteration 1 again after a crash, with another prompt.
        var duplicate = first with { Prompt = "a crimson fox", At = Later.AddMinutes(1) };
        (await _s.Orders.AdvanceSlotAsync(duplicate, Ct)).ShouldBeEmpty();

        (await SlotOf(order.Id, 0)).ShouldBe(new SlotState(order.Id, 0, 2, SlotStatus.Generating, "a vivid red fox", null, null));
        (await _s.Orders.BatchesAsync(order.Id, Ct)).Count.ShouldBe(2);
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);

        // The next iteration moves on as usual.
        (await _s.Orders.AdvanceSlotAsync(first with { FromIteration = 2, Prompt = "a crimson fox" }, Ct)).ShouldBe([2]);
        (await SlotOf(order.Id, 0)).Iteration.ShouldBe(3);
    }

    [Fact]
    public async Task A_slot_of_an_order_that_is_not_running_or_already_settled_does_not_advance()
    {
        var cancelled = await RunningAsync("ord_cancelled", count: 1, perCall: 1);
        (await _s.Orders.CancelAsync(cancelled.Id, "linus", null, Later, Ct)).ShouldBeTrue();
        var queued = await _s.Orders.PlaceQueuedAsync("ord_queued", count: 1, perCall: 1, cancellationToken: Ct);
        var settled = await RunningAsync("ord_settled", count: 1, perCall: 1);
        (await _s.Orders.SettleSlotAsync(settled.Id, 0, 1, null, null, Ct)).ShouldBeTrue();
        var seq = await _s.Orders.LastEventSeqAsync(Ct);

        foreach (var id in new[] { cancelled.Id, queued.Id, settled.Id, "ord_missing" })
        {
            var advance = new SlotAdvance(id, 0, 1, "a vivid red fox", Batch.ForSlot(0, 1, 1, 2, "a vivid red fox", null, 0), "score 64 is below 80.", Later);
            (await _s.Orders.AdvanceSlotAsync(advance, Ct)).ShouldBeEmpty(id);
        }

        foreach (var id in new[] { cancelled.Id, queued.Id, settled.Id })
        {
            (await _s.Orders.BatchesAsync(id, Ct)).Count.ShouldBe(1, id);
            (await SlotOf(id, 0)).Iteration.ShouldBe(1, id);
        }
        (await _s.Orders.LastEventSeqAsync(Ct)).ShouldBe(seq);
    }

    [Fact]
    public async Task Settling_a_slot_takes_only_the_iteration_it_is_generating_and_only_once()
    {
        var order = await RunningAsync("ord_0001", count: 2, perCall: 2);
        await CompleteAsync(order, 0);
        (await _s.Orders.AdvanceSlotAsync(new SlotAdvance(order.Id, 1, 1, "a vivid red fox", Batch.ForSlot(1, 1, 2, 2, "a vivid red fox", null, 0), "score 64 is below 80.", Later), Ct))
            .ShouldBe([1]);

        (await _s.Orders.SettleSlotAsync(order.Id, 0, 2, "img_0001_1_0_0", 91, Ct)).ShouldBeFalse(); // not at that iteration
        (await _s.Orders.SettleSlotAsync(order.Id, 1, 1, "img_0001_1_1_0", 64, Ct)).ShouldBeFalse(); // moved on already
        (await _s.Orders.SettleSlotAsync(order.Id, 0, 1, "img_0001_1_0_0", 91, Ct)).ShouldBeTrue();
        (await _s.Orders.SettleSlotAsync(order.Id, 0, 1, "img_other", 12, Ct)).ShouldBeFalse(); // already settled

        (await SlotOf(order.Id, 0)).ShouldBe(new SlotState(order.Id, 0, 1, SlotStatus.Done, order.Prompt, "img_0001_1_0_0", 91));
        (await SlotOf(order.Id, 1)).ShouldBe(new SlotState(order.Id, 1, 2, SlotStatus.Generating, "a vivid red fox", null, null));
        (await _s.Orders.SettleSlotAsync(order.Id, 7, 1, null, null, Ct)).ShouldBeFalse(); // no such slot
    }

    [Fact]
    public async Task An_order_waits_for_every_slot_to_be_judged_and_counts_each_slot_once()
    {
        var order = await RunningAsync("ord_0001", count: 1, perCall: 1);
        var first = (await CompleteAsync(order, 0)).Single();
        (await _s.Images.SetEvaluationAsync(first.Id, Verdict(64), Ct)).ShouldBeTrue();
        (await _s.Orders.AdvanceSlotAsync(new SlotAdvance(order.Id, 0, 1, "a vivid red fox", Batch.ForSlot(0, 1, 1, 2, "a vivid red fox", null, 0), "score 64 is below 80.", Later), Ct))
            .ShouldBe([1]);
        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBeNull(); // the refinement is still to be made
        var second = (await CompleteAsync(order, 1)).Single();
        second.Prompt.ShouldBe("a vivid red fox");

        // No batch is open, but the slot's second iteration has not been judged yet.
        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBeNull();
        (await _s.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Running);

        (await _s.Orders.SettleSlotAsync(order.Id, 0, 2, second.Id, 88, Ct)).ShouldBeTrue();
        (await _s.Orders.TryFinishAsync(order.Id, Later.AddSeconds(5), Ct)).ShouldBe(OrderStatus.Completed);

        var done = (await _s.Orders.FindAsync(order.Id, Ct))!;
        done.CompletedAt.ShouldBe(Later.AddSeconds(5));
        done.Error.ShouldBeNull();
        var last = (await _s.Orders.EventsAsync(order.Id, Ct))[^1];
        last.Kind.ShouldBe(OrderEventKind.Completed);
        last.Images.ShouldBe(1); // one slot, though two images were made for it
        (await _s.Orders.CountImagesAsync(order.Id, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task A_slot_settled_without_an_image_leaves_the_order_partially_completed()
    {
        var order = await RunningAsync("ord_0001", count: 2, perCall: 2);
        await CompleteAsync(order, 0, keep: slot => slot == 0);

        (await _s.Orders.SettleSlotAsync(order.Id, 0, 1, "img_0001_1_0_0", 90, Ct)).ShouldBeTrue();
        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBeNull();
        (await _s.Orders.SettleSlotAsync(order.Id, 1, 1, null, null, Ct)).ShouldBeTrue();

        (await _s.Orders.TryFinishAsync(order.Id, Later, Ct)).ShouldBe(OrderStatus.PartiallyCompleted);
        var now = (await _s.Orders.FindAsync(order.Id, Ct))!;
        now.Error.ShouldBe("1 of 2 images were made.");
        (await _s.Orders.EventsAsync(order.Id, Ct))[^1].Images.ShouldBe(1);
    }

    [Fact]
    public async Task An_evaluation_is_stored_once_and_reads_back_whole()
    {
        await _s.Orders.CreateBareAsync(Samples.Order(), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_0001"), Ct);
        var verdict = Verdict(72) with { Feedback = "Der Fuchs ist zu blass 🦊 — \"vivid red\"\nnext line" };

        (await _s.Images.SetEvaluationAsync("img_0001", verdict, Ct)).ShouldBeTrue();
        (await _s.Images.SetEvaluationAsync("img_0001", Verdict(99) with { Evaluator = "openai:gpt-4o" }, Ct)).ShouldBeFalse();

        var found = (await _s.Images.FindAsync("img_0001", Ct))!;
        ShouldBeVerdict(found.Evaluation, verdict);
        found.Score.ShouldBe(72);
        _s.Scalar<long>("SELECT score FROM images;").ShouldBe(72);
        (await _s.Images.SetEvaluationAsync("img_missing", verdict, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_failed_evaluation_keeps_its_reason_and_has_no_score()
    {
        await _s.Orders.CreateBareAsync(Samples.Order(), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_0001"), Ct);

        (await _s.Images.SetEvaluationAsync("img_0001", Evaluation.Failed("builtin", "the image file is missing"), Ct)).ShouldBeTrue();

        var found = (await _s.Images.FindAsync("img_0001", Ct))!;
        found.Score.ShouldBeNull();
        found.Evaluation.ShouldNotBeNull().Error.ShouldBe("the image file is missing");
        found.Evaluation.Feedback.ShouldBe("Not evaluated: the image file is missing");
        found.Evaluation.Evaluator.ShouldBe("builtin");
        _s.Scalar<long>("SELECT count(*) FROM images WHERE score IS NULL AND evaluation IS NOT NULL;").ShouldBe(1);
    }

    [Fact]
    public async Task An_image_keeps_its_iteration_candidate_response_lineage_and_review()
    {
        await _s.Orders.CreateBareAsync(Samples.Order(), Ct);
        var image = Samples.Image(_s.Data, "img_0002", slot: 2) with
        {
            Iteration = 3,
            Candidate = 5,
            Evaluation = Verdict(81),
            ResponseId = "resp_01xyz",
            ParentId = "img_0001",
            Derivation = Derivation.Upscale,
            Review = ReviewStatus.Approved,
            ReviewedAt = Later,
            ReviewedBy = "grace",
        };

        await _s.Images.AddAsync(image, Ct);

        var found = (await _s.Images.FindAsync(image.Id, Ct))!;
        ShouldBeVerdict(found.Evaluation, image.Evaluation!);
        (found with { Evaluation = image.Evaluation }).ShouldBe(image);
        _s.Scalar<string>("SELECT derivation || ' ' || review_status FROM images;").ShouldBe("upscale approved");
    }

    [Fact]
    public async Task A_new_image_is_unreviewed_and_a_review_records_who_and_when()
    {
        await _s.Orders.CreateBareAsync(Samples.Order(), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_0001"), Ct);
        var fresh = (await _s.Images.FindAsync("img_0001", Ct))!;
        (fresh.Review, fresh.ReviewedAt, fresh.ReviewedBy, fresh.Iteration, fresh.Candidate, fresh.Evaluation).ShouldBe((ReviewStatus.Unreviewed, null, null, 1, 0, null));

        (await _s.Images.SetReviewAsync("img_0001", ReviewStatus.Approved, "grace", Later, Ct)).ShouldBeTrue();
        var approved = (await _s.Images.FindAsync("img_0001", Ct))!;
        (approved.Review, approved.ReviewedAt, approved.ReviewedBy).ShouldBe((ReviewStatus.Approved, Later, "grace"));

        // A later review replaces the earlier one.
        (await _s.Images.SetReviewAsync("img_0001", ReviewStatus.Regenerated, "linus", Later.AddMinutes(5), Ct)).ShouldBeTrue();
        var turnedDown = (await _s.Images.FindAsync("img_0001", Ct))!;
        (turnedDown.Review, turnedDown.ReviewedAt, turnedDown.ReviewedBy).ShouldBe((ReviewStatus.Regenerated, Later.AddMinutes(5), "linus"));
        _s.Scalar<string>("SELECT review_status FROM images;").ShouldBe("regenerated");

        (await _s.Images.SetReviewAsync("img_missing", ReviewStatus.Approved, "grace", Later, Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Children_are_the_images_made_from_an_image_oldest_first()
    {
        await _s.Orders.CreateBareAsync(Samples.Order(), Ct);
        await _s.Orders.CreateBareAsync(Samples.Order("ord_0002") with { Source = new OrderSource("img_parent", Derivation.Upscale, Scale: 2) }, Ct);
        await _s.Orders.CreateBareAsync(Samples.Order("ord_0003") with { Source = new OrderSource("img_parent", Derivation.Variation, VariationStrength.Subtle) }, Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_parent"), Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_other"), Ct);
        // Added out of order: the upscale was made after the variation.
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_upscaled", "ord_0002", Later.AddMinutes(2)) with { ParentId = "img_parent", Derivation = Derivation.Upscale, Width = 2048, Height = 1536 }, Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_varied", "ord_0003", Later) with { ParentId = "img_parent", Derivation = Derivation.Variation }, Ct);
        await _s.Images.AddAsync(Samples.Image(_s.Data, "img_grandchild", "ord_0003", Later.AddMinutes(1)) with { ParentId = "img_varied", Derivation = Derivation.Regenerate }, Ct);

        var children = await _s.Images.ChildrenAsync("img_parent", Ct);

        children.Select(c => (c.Id, c.ParentId, c.Derivation)).ShouldBe(
        [
            ("img_varied", "img_parent", Derivation.Variation),
            ("img_upscaled", "img_parent", Derivation.Upscale),
        ]);
        children[1].Width.ShouldBe(2048);
        (await _s.Images.ChildrenAsync("img_varied", Ct)).Single().Id.ShouldBe("img_grandchild");
        (await _s.Images.ChildrenAsync("img_other", Ct)).ShouldBeEmpty();
        (await _s.Images.ChildrenAsync("img_missing", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_orders_images_are_listed_by_slot_iteration_and_candidate()
    {
        await _s.Orders.CreateBareAsync(Samples.Order(), Ct);
        (int Slot, int Iteration, int Candidate)[] units = [(1, 2, 0), (0, 2, 1), (1, 1, 1), (0, 1, 0), (0, 2, 0), (1, 1, 0), (0, 1, 1)];
        // Each image is newer than the one before it, so creation order is not the listing order.
        for (var i = 0; i < units.Length; i++)
        {
            var (slot, iteration, candidate) = units[i];
            await _s.Images.AddAsync(Samples.Image(_s.Data, $"img_{slot}_{iteration}_{candidate}", createdAt: Samples.T0.AddSeconds(i), slot: slot)
                with { Iteration = iteration, Candidate = candidate }, Ct);
        }

        var listed = await _s.Images.ListByOrderAsync("ord_0001", Ct);

        listed.Select(i => (i.Slot, i.Iteration, i.Candidate)).ShouldBe(
            [(0, 1, 0), (0, 1, 1), (0, 2, 0), (0, 2, 1), (1, 1, 0), (1, 1, 1), (1, 2, 0)]);
    }

    [Fact]
    public async Task A_reference_is_kept_once_per_content()
    {
        var blobs = _s.Store.Blobs;
        var sha = Sha(Png);

        var first = await blobs.SaveReferenceAsync(new ReferenceImage("https://example.com/fox.png", Png, "image/png", 1, 1, sha), Ct);
        var again = await blobs.SaveReferenceAsync(new ReferenceImage("/home/ada/fox copy.png", Png, "image/png", 1, 1, sha), Ct);
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        var other = await blobs.SaveReferenceAsync(new ReferenceImage("/home/ada/cat.jpg", jpeg, "image/jpeg", 1, 1, Sha(jpeg)), Ct);

        first.ShouldBe(Path.Combine(_s.Data.ImagesPath, "refs", sha + ".png"));
        again.ShouldBe(first);
        other.ShouldBe(Path.Combine(_s.Data.ImagesPath, "refs", Sha(jpeg) + ".jpg"));
        (await blobs.ReadAsync(first, Ct)).ShouldBe(Png);
        (await blobs.ReadAsync(other, Ct)).ShouldBe(jpeg);
        _s.Temp.Files(_s.Data.ImagesPath).ShouldBe([$"refs/{sha}.png", $"refs/{Sha(jpeg)}.jpg"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("image/png", "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", "sha256")]
    [InlineData("image/png", "abc123", "sha256")]
    [InlineData("image/png", "../../../../../../../../../../../../../../../../../../../etc/pwd", "sha256")]
    [InlineData("image/tiff", "", "image/tiff")]
    [InlineData("text/html", "", "text/html")]
    public async Task A_reference_with_a_bad_sha256_or_an_unknown_media_type_is_refused(string mediaType, string sha, string named)
    {
        var reference = new ReferenceImage("https://example.com/x", Png, mediaType, 1, 1, sha.Length == 0 ? Sha(Png) : sha);

        var error = await Should.ThrowAsync<ArgumentException>(() => _s.Store.Blobs.SaveReferenceAsync(reference, Ct));

        error.Message.ShouldContain(named);
        _s.Temp.Files(_s.Data.ImagesPath).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_saved_image_reads_back_byte_for_byte()
    {
        var path = await _s.Store.Blobs.SaveImageAsync("img_0001", Samples.T0, "png", Png, Ct);

        (await _s.Store.Blobs.ReadAsync(path, Ct)).ShouldBe(Png);
        await Should.ThrowAsync<FileNotFoundException>(() => _s.Store.Blobs.ReadAsync(Path.Combine(_s.Data.ImagesPath, "missing.png"), Ct));
    }
}
