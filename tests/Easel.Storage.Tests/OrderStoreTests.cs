using Easel.Core.Generation;
using Easel.Core.Orders;

namespace Easel.Storage.Tests;

public sealed class OrderStoreTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly StoreScope _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public async Task Every_field_survives_a_round_trip()
    {
        var order = Samples.Order("ord_01jq8x5v3m0000000000000001") with
        {
            Prompt = "Sechs Aquarell-Katzen 🐈, 16:9, kein Text — \"bitte\"",
            NegativePrompt = "text, watermark",
            Count = 6,
            Size = new ImageSize(1344, 768),
            AspectRatio = "16:9",
            Style = "watercolor",
            Background = Background.Transparent,
            Seed = long.MinValue,
            Provider = "replicate",
            Model = "black-forest-labs/flux-schnell",
            Status = OrderStatus.PartiallyCompleted,
            CreatedAt = new DateTimeOffset(2025, 3, 14, 9, 26, 53, 589, TimeSpan.FromHours(-5)).AddTicks(9999),
            CompletedAt = new DateTimeOffset(2025, 3, 14, 14, 27, 0, 1, TimeSpan.Zero),
            Error = "2 of 6 images failed: rate limited",
        };

        await _s.Orders.CreateAsync(order, Ct);

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBe(order with
        {
            CreatedAt = new DateTimeOffset(2025, 3, 14, 14, 26, 53, 589, TimeSpan.Zero),
        });
    }

    [Fact]
    public async Task Optional_fields_round_trip_as_null()
    {
        var order = Samples.Order() with { NegativePrompt = null, AspectRatio = null, Style = null, CompletedAt = null, Error = null };

        await _s.Orders.CreateAsync(order, Ct);

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBe(order);
    }

    [Fact]
    public async Task Status_and_background_are_stored_as_readable_text_and_times_as_unix_milliseconds()
    {
        await _s.Orders.CreateAsync(Samples.Order() with { Status = OrderStatus.PartiallyCompleted, Background = Background.Transparent }, Ct);

        _s.Scalar<string>("SELECT status FROM orders;").ShouldBe("partially_completed");
        _s.Scalar<string>("SELECT background FROM orders;").ShouldBe("transparent");
        _s.Scalar<long>("SELECT created_at FROM orders;").ShouldBe(Samples.T0.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData(OrderStatus.Running)]
    [InlineData(OrderStatus.Completed)]
    [InlineData(OrderStatus.PartiallyCompleted)]
    [InlineData(OrderStatus.Failed)]
    public async Task Every_status_round_trips(OrderStatus status)
    {
        await _s.Orders.CreateAsync(Samples.Order() with { Status = status }, Ct);

        (await _s.Orders.FindAsync("ord_0001", Ct))!.Status.ShouldBe(status);
    }

    [Fact]
    public async Task Updating_the_status_sets_status_completion_time_and_error_only()
    {
        var order = Samples.Order();
        await _s.Orders.CreateAsync(order, Ct);
        var done = Samples.T0.AddSeconds(3).AddTicks(5);

        await _s.Orders.UpdateStatusAsync(order.Id, OrderStatus.Failed, done, "provider refused the prompt", Ct);

        (await _s.Orders.FindAsync(order.Id, Ct)).ShouldBe(order with
        {
            Status = OrderStatus.Failed,
            CompletedAt = Samples.T0.AddSeconds(3),
            Error = "provider refused the prompt",
        });

        await _s.Orders.UpdateStatusAsync(order.Id, OrderStatus.Running, null, null, Ct);
        var running = await _s.Orders.FindAsync(order.Id, Ct);
        running!.CompletedAt.ShouldBeNull();
        running.Error.ShouldBeNull();
    }

    [Fact]
    public async Task Updating_an_unknown_order_fails_clearly()
    {
        var error = await Should.ThrowAsync<KeyNotFoundException>(
            () => _s.Orders.UpdateStatusAsync("ord_missing", OrderStatus.Completed, Samples.T0, null, Ct));

        error.Message.ShouldContain("ord_missing");
    }

    [Fact]
    public async Task An_unknown_order_is_null()
    {
        await _s.Orders.CreateAsync(Samples.Order(), Ct);

        (await _s.Orders.FindAsync("ord_0002", Ct)).ShouldBeNull();
        (await _s.Orders.FindAsync("ord_000", Ct)).ShouldBeNull(); // orders are found by whole id only
    }

    [Fact]
    public async Task A_duplicate_id_is_refused()
    {
        await _s.Orders.CreateAsync(Samples.Order(), Ct);

        var error = await Should.ThrowAsync<InvalidOperationException>(() => _s.Orders.CreateAsync(Samples.Order() with { Prompt = "other" }, Ct));

        error.Message.ShouldContain("already exists");
        (await _s.Orders.FindAsync("ord_0001", Ct))!.Prompt.ShouldBe(Samples.Order().Prompt);
    }
}
