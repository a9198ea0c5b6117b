using Easel.Core.Orders;
using Easel.Providers.Tests.Fakes;
using Easel.Storage;

namespace Easel.Server.Tests;

/// <summary>Stopping the server while a provider call is under way: the batch finishes in time, or is left to resume on the next start.</summary>
public sealed class ShutdownTests
{
    private static string Config(OpenAIFake fake, string shutdownTimeout) => $$"""
        {
          "Providers": { "openai": { "ApiKey": "{{OpenAIFake.Key}}", "BaseUrl": "{{fake.Server.BaseUrl}}" } },
          "Server": { "ShutdownTimeout": "{{shutdownTimeout}}" }
        }
        """;

    private static async Task<Order> PlaceAsync(ServerHarness server)
    {
        var placed = await server.Services.Orders.PlaceAsync(
            new OrderSpec { Prompt = "a lighthouse at dusk", Count = 1, Provider = "openai", Loop = new Core.Quality.LoopSettings { MaxIterations = 1 } },
            new PlaceOptions(server.Services.Settings.Approval, "tester"), TestContext.Current.CancellationToken);
        server.Services.Nudge();
        return placed.Order;
    }

    [Fact]
    public async Task A_batch_still_running_when_the_grace_period_ends_is_interrupted_and_resumes_on_the_next_start()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await OpenAIFake.StartAsync();
        fake.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await ServerHarness.StartAsync(Config(fake, "1s"));
        server.KeepHome = true;
        var order = await PlaceAsync(server);
        await fake.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        await server.DisposeAsync();

        // Left as it was: running, its one batch in flight, nothing stored.
        using (var store = OpenStore(server.Home))
        {
            (await store.Orders.FindAsync(order.Id, ct))!.Status.ShouldBe(OrderStatus.Running);
            (await store.Orders.BatchesAsync(order.Id, ct)).ShouldHaveSingleItem().Status.ShouldBe(BatchStatus.InFlight);
        }

        fake.Hold = null;
        await using var restarted = await ServerHarness.StartAsync(Config(fake, "1s"), home: server.Home);
        var finished = await WaitUntilFinishedAsync(restarted, order.Id);
        finished.Status.ShouldBe(OrderStatus.Completed);
        (await restarted.Services.Store.Images.ListByOrderAsync(order.Id, ct)).Count.ShouldBe(1);
        var batch = (await restarted.Services.Store.Orders.BatchesAsync(order.Id, ct)).ShouldHaveSingleItem();
        batch.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_batch_that_ends_within_the_grace_period_is_finished_before_the_server_stops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await OpenAIFake.StartAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Hold = hold;
        var server = await ServerHarness.StartAsync(Config(fake, "30s"));
        server.KeepHome = true;
        var order = await PlaceAsync(server);
        await fake.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        var stopping = server.DisposeAsync().AsTask();
        await Task.Delay(300, ct);
        stopping.IsCompleted.ShouldBeFalse("the server waits for the running batch");
        hold.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), ct);

        using var store = OpenStore(server.Home);
        (await store.Orders.BatchesAsync(order.Id, ct)).ShouldHaveSingleItem().Status.ShouldBe(BatchStatus.Done);
        (await store.Images.ListByOrderAsync(order.Id, ct)).Count.ShouldBe(1);
        Directory.Delete(server.Home, recursive: true);
    }

    /// <summary>The stored state as the stopped server left it, with no worker to take the order up again.</summary>
    private static EaselStore OpenStore(string home) => EaselStore.Open(new DataDirectory(Path.Combine(home, "data")));

    private static async Task<Order> WaitUntilFinishedAsync(ServerHarness server, string orderId)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var order = await server.Services.Store.Orders.FindAsync(orderId, ct);
            if (order!.Status.IsFinished() || DateTime.UtcNow > deadline)
                return order;
            await Task.Delay(50, ct);
        }
    }
}
