using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Core.Tests;

public sealed class OrderRunnerTests
{
    private readonly FakeOrders _orders = new();
    private readonly FakeCatalog _catalog = new();
    private readonly FakeBlobs _blobs = new();

    private OrderRunner Runner(IImageProvider provider) =>
        new(new ProviderRegistry([provider]), _orders, _catalog, _blobs, TimeProvider.System);

    [Fact]
    public async Task Splits_an_order_into_calls_of_at_most_the_providers_maximum()
    {
        var provider = new FakeProvider(maxPerCall: 4, concurrency: 2);
        var result = await Runner(provider).RunAsync(new OrderSpec { Prompt = "cats", Count = 10, Provider = "fake", Seed = 100 }, null, TestContext.Current.CancellationToken);

        provider.CallSizes.Order().ShouldBe([2, 4, 4]);
        provider.MaxInFlight.ShouldBeLessThanOrEqualTo(2);
        result.Order.Status.ShouldBe(OrderStatus.Completed);
        result.Images.Select(i => i.Slot).ShouldBe(Enumerable.Range(0, 10));
        result.Images.Select(i => i.Seed).ShouldBe(Enumerable.Range(100, 10).Select(s => (long?)s));
        _catalog.Images.Count.ShouldBe(10);
        (await _orders.FindAsync(result.Order.Id, TestContext.Current.CancellationToken))!.Status.ShouldBe(OrderStatus.Completed);
    }

    [Fact]
    public async Task Seeds_wrap_within_32_bits()
    {
        var result = await Runner(new FakeProvider(4, 1)).RunAsync(new OrderSpec { Prompt = "cats", Count = 2, Provider = "fake", Seed = uint.MaxValue }, null, TestContext.Current.CancellationToken);
        result.Images.Select(i => i.Seed).ShouldBe([(long?)uint.MaxValue, 0L]);
    }

    [Fact]
    public async Task Runs_batches_in_parallel_up_to_the_concurrency_limit()
    {
        var provider = new FakeProvider(maxPerCall: 1, concurrency: 3) { Delay = TimeSpan.FromMilliseconds(50) };
        await Runner(provider).RunAsync(new OrderSpec { Prompt = "cats", Count = 9, Provider = "fake" }, null, TestContext.Current.CancellationToken);
        provider.MaxInFlight.ShouldBe(3);
    }

    [Fact]
    public async Task A_failed_batch_leaves_the_others_and_says_what_failed()
    {
        var provider = new FakeProvider(maxPerCall: 4, concurrency: 1) { FailOnCall = 2 };
        var result = await Runner(provider).RunAsync(new OrderSpec { Prompt = "cats", Count = 8, Provider = "fake" }, null, TestContext.Current.CancellationToken);

        result.Order.Status.ShouldBe(OrderStatus.PartiallyCompleted);
        result.Images.Count.ShouldBe(4);
        result.Errors.ShouldHaveSingleItem().ShouldContain("provider exploded");
        result.Order.Error!.ShouldContain("Batch");
    }

    [Fact]
    public async Task Every_file_carries_its_provenance_and_its_recorded_hash()
    {
        var provider = new FakeProvider(maxPerCall: 4, concurrency: 1);
        var result = await Runner(provider).RunAsync(new OrderSpec { Prompt = "a red fox", NegativePrompt = "text", Count = 1, Provider = "fake", Seed = 7 }, null, TestContext.Current.CancellationToken);

        var image = result.Images.ShouldHaveSingleItem();
        var bytes = _blobs.Files[image.Path];
        var text = PngText.Read(bytes).ToDictionary(kv => kv.Key, kv => kv.Value);
        text["Description"].ShouldBe("a red fox");
        text["easel:negative_prompt"].ShouldBe("text");
        text["easel:seed"].ShouldBe("7");
        text["easel:order_id"].ShouldBe(result.Order.Id);
        text["easel:image_id"].ShouldBe(image.Id);
        text["easel:provider"].ShouldBe("fake");
        image.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        PngDecoder.Decode(bytes).Image.Width.ShouldBe(image.Width);
    }

    [Fact]
    public async Task A_file_whose_row_cannot_be_written_is_removed()
    {
        _catalog.FailAdds = true;
        var provider = new FakeProvider(maxPerCall: 4, concurrency: 1);
        var result = await Runner(provider).RunAsync(new OrderSpec { Prompt = "cats", Count = 2, Provider = "fake" }, null, TestContext.Current.CancellationToken);

        result.Order.Status.ShouldBe(OrderStatus.Failed);
        _blobs.Files.ShouldBeEmpty();
    }

    [Fact]
    public async Task Refuses_what_the_provider_cannot_do_before_any_call()
    {
        var provider = new FakeProvider(maxPerCall: 4, concurrency: 1, transparent: false);
        var error = await Should.ThrowAsync<OrderRejectedException>(() =>
            Runner(provider).RunAsync(new OrderSpec { Prompt = "logo", Background = Background.Transparent, Provider = "fake" }, null, TestContext.Current.CancellationToken));
        error.Message.ShouldContain("transparent");
        provider.CallSizes.ShouldBeEmpty();
        _orders.Orders.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unknown_provider_is_refused_by_name()
    {
        var error = await Should.ThrowAsync<OrderRejectedException>(() =>
            Runner(new FakeProvider(4, 1)).RunAsync(new OrderSpec { Prompt = "x", Provider = "dalle" }, null, TestContext.Current.CancellationToken));
        error.Message.ShouldContain("'dalle'");
        error.Message.ShouldContain("fake");
    }

    [Fact]
    public async Task Reports_progress_up_to_the_total()
    {
        var seen = new List<OrderProgress>();
        var progress = new InlineProgress(p => { lock (seen) seen.Add(p); });
        await Runner(new FakeProvider(4, 2)).RunAsync(new OrderSpec { Prompt = "cats", Count = 6, Provider = "fake" }, progress, TestContext.Current.CancellationToken);
        seen.Max(p => p.Done).ShouldBe(6);
        seen.ShouldAllBe(p => p.Total == 6);
    }

    private sealed class InlineProgress(Action<OrderProgress> report) : IProgress<OrderProgress>
    {
        public void Report(OrderProgress value) => report(value);
    }

    private sealed class FakeProvider(int maxPerCall, int concurrency, bool transparent = true) : IImageProvider
    {
        private int _inFlight;
        private int _calls;

        public List<int> CallSizes { get; } = [];
        public int MaxInFlight { get; private set; }
        public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(5);
        public int FailOnCall { get; init; } = -1;

        public string Name => "fake";

        public ProviderCapabilities Capabilities { get; } = new()
        {
            Model = "fake-1",
            MaxImagesPerCall = maxPerCall,
            MaxConcurrency = concurrency,
            SupportsNegativePrompt = true,
            SupportsSeed = true,
            SupportsTransparentBackground = transparent,
        };

        public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            lock (CallSizes)
            {
                CallSizes.Add(request.Count);
                MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            }
            try
            {
                await Task.Delay(Delay, cancellationToken);
                if (call == FailOnCall)
                    throw new InvalidOperationException("provider exploded");
                return request.Seeds.Select(seed => new GeneratedImage(
                    PngEncoder.Encode(new RgbaImage(request.Size.Width / 16, request.Size.Height / 16)), "image/png", seed, "fake-1")).ToList();
            }
            finally
            {
                lock (CallSizes)
                    _inFlight--;
            }
        }
    }

    private sealed class FakeOrders : IOrderStore
    {
        public Dictionary<string, Order> Orders { get; } = [];

        public Task CreateAsync(Order order, CancellationToken cancellationToken)
        {
            Orders.Add(order.Id, order);
            return Task.CompletedTask;
        }

        public Task UpdateStatusAsync(string orderId, OrderStatus status, DateTimeOffset? completedAt, string? error, CancellationToken cancellationToken)
        {
            Orders[orderId] = Orders[orderId] with { Status = status, CompletedAt = completedAt, Error = error };
            return Task.CompletedTask;
        }

        public Task<Order?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Orders.GetValueOrDefault(id));
    }

    private sealed class FakeCatalog : IImageCatalog
    {
        public List<ImageRecord> Images { get; } = [];
        public bool FailAdds { get; set; }

        public Task AddAsync(ImageRecord image, CancellationToken cancellationToken)
        {
            if (FailAdds)
                throw new IOException("disk full");
            lock (Images)
                Images.Add(image);
            return Task.CompletedTask;
        }

        public Task<ImageRecord?> FindAsync(string idOrPrefix, CancellationToken cancellationToken) =>
            Task.FromResult(Images.FirstOrDefault(i => i.Id == idOrPrefix));

        public Task<IReadOnlyList<ImageRecord>> ListByOrderAsync(string orderId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImageRecord>>(Images.Where(i => i.OrderId == orderId).ToList());

        public Task<IReadOnlyList<ImageRecord>> SearchAsync(ImageQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ImageRecord>>(Images.ToList());
    }

    private sealed class FakeBlobs : IBlobStore
    {
        public Dictionary<string, byte[]> Files { get; } = [];

        public Task<string> SaveImageAsync(string imageId, DateTimeOffset createdAt, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            var path = $"/blobs/{imageId}.{extension}";
            lock (Files)
                Files.Add(path, bytes.ToArray());
            return Task.FromResult(path);
        }

        public void Delete(string path)
        {
            lock (Files)
                Files.Remove(path);
        }
    }
}
