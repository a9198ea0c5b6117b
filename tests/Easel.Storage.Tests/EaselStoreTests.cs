using System.Security.Cryptography;
using Easel.Core.Gallery;
using Easel.Core.Orders;

namespace Easel.Storage.Tests;

public sealed class EaselStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_store_opened_on_an_empty_folder_keeps_orders_images_and_files_across_reopening()
    {
        using var temp = new TempDirectory();
        var data = new DataDirectory(temp.Combine("home"));
        byte[] bytes = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];
        Order order;
        string path;

        using (var store = EaselStore.Open(data))
        {
            File.Exists(data.DatabasePath).ShouldBeTrue();
            Directory.Exists(data.ThumbsPath).ShouldBeTrue();
            store.Database.SchemaVersion.ShouldBe(RawSqlite.LatestVersion);

            order = await store.Orders.PlaceRunningAsync("ord_0001", count: 1, perCall: 1, cancellationToken: Ct);
            var batch = (await store.Orders.BeginBatchAsync(order.Id, 0, order.Provider, order.Model, Samples.T0, Ct))!;
            path = await store.Blobs.SaveImageAsync("img_0001", order.CreatedAt, "png", bytes, Ct);
            var image = Samples.Image(data, "img_0001") with { Path = path, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
            (await store.Orders.CompleteBatchAsync(OrderFixtures.Result(order, batch, [image], Samples.T0.AddSeconds(1)), Ct)).ShouldBeTrue();
            await store.Orders.SettleSlotsAsync(store.Images, order.Id, Ct);
            (await store.Orders.TryFinishAsync(order.Id, Samples.T0.AddSeconds(1), Ct)).ShouldBe(OrderStatus.Completed);
        }

        using var reopened = EaselStore.Open(data);
        (await reopened.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Completed);
        (await reopened.Orders.EventsAsync(order.Id, Ct)).Select(e => e.Kind).ShouldBe(
        [
            OrderEventKind.Requested, OrderEventKind.Queued, OrderEventKind.Started,
            OrderEventKind.BatchStarted, OrderEventKind.BatchFinished, OrderEventKind.Completed,
        ]);
        var found = await reopened.Images.FindAsync("0001", Ct);
        found!.Path.ShouldBe(path);
        path.ShouldStartWith(data.ImagesPath);
        File.ReadAllBytes(found.Path).ShouldBe(bytes);
        (await reopened.Images.SearchAsync(new ImageQuery("fox"), Ct)).Single().Id.ShouldBe("img_0001");
    }
}
