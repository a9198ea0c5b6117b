using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Imaging;
using Easel.Imaging.Png;
using Easel.Testing;

namespace Easel.Workflows.Tests;

/// <summary>
/// An asynchronous vendor (Replicate, ComfyUI) starts a job and is polled. The job's id is stored
/// with the batch before polling, so a call interrupted mid-poll is resumed by polling the same
/// job: the vendor is paid once.
/// </summary>
public sealed class RemoteJobTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_interrupted_while_polling_resumes_the_same_job_without_starting_another()
    {
        var vendor = new AsyncVendor();
        var providers = new ProviderRegistry([vendor]);
        var store = _temp.Store;
        var quality = TestQuality.Passing;
        var service = new OrderService(providers, store.Orders, store.Blobs, quality, _time);
        var loop = new QualityLoop(store.Orders, store.Images, store.Blobs, quality.Evaluator, quality.Prompter, quality.FindPreset, providers, _time);
        var runner = new BatchRunner(providers, store.Orders, store.Images, store.Blobs, new ProviderGates(_time), loop, _time);
        var placed = await service.PlaceAsync(
            new OrderSpec { Prompt = "a fox", Count = 2, Size = new ImageSize(64, 64), Provider = vendor.Name, Loop = LoopSettings.Once },
            new PlaceOptions(new ApprovalOptions(), "ada"), Ct);
        await store.Orders.StartAsync(placed.Order.Id, _time.GetUtcNow(), Ct);

        // The process dies while polling the job it started.
        using (var crash = new CancellationTokenSource())
        {
            vendor.OnPoll = crash.Cancel;
            await Should.ThrowAsync<OperationCanceledException>(() => runner.RunAsync(placed.Order.Id, 0, crash.Token));
        }
        var batch = (await store.Orders.FindBatchAsync(placed.Order.Id, 0, Ct))!;
        batch.Status.ShouldBe(BatchStatus.InFlight);
        batch.RemoteJobId.ShouldBe("job-1", "the id was stored before the first poll");

        // The next attempt polls job-1 and finishes; no second job is paid for.
        vendor.OnPoll = null;
        await runner.RunAsync(placed.Order.Id, 0, Ct);
        vendor.JobsStarted.ShouldBe(1);
        vendor.Resumed.ShouldBe(["job-1"]);
        (await store.Orders.FindAsync(placed.Order.Id, Ct))!.Status.ShouldBe(OrderStatus.Completed);
        (await store.Images.ListByOrderAsync(placed.Order.Id, Ct)).Count.ShouldBe(2);
    }

    /// <summary>Starts a job per call unless it is given one to resume, records it, then polls.</summary>
    private sealed class AsyncVendor : IImageProvider
    {
        public string Name => "async";

        public int JobsStarted { get; private set; }

        public List<string> Resumed { get; } = [];

        public Action? OnPoll { get; set; }

        public ProviderCapabilities Capabilities { get; } = new()
        {
            Model = "async-1", MaxImagesPerCall = 4, MaxConcurrency = 1, SupportsNegativePrompt = false, SupportsSeed = true, SupportsTransparentBackground = false,
        };

        public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            var journal = request.Journal.ShouldNotBeNull("orders give async vendors a journal");
            if (journal.ExistingJobId is { } existing)
            {
                Resumed.Add(existing);
            }
            else
            {
                JobsStarted++;
                await journal.RecordAsync($"job-{JobsStarted}", cancellationToken);
            }
            OnPoll?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            return request.Seeds.Select(seed => new GeneratedImage(PngEncoder.Encode(new RgbaImage(64, 64)), "image/png", seed, "async-1")).ToList();
        }
    }
}
