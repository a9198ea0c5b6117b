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
        var order = Samples.Order();
        byte[] bytes = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];
        string path;

        using (var store = EaselStore.Open(data))
        {
            File.Exists(data.DatabasePath).ShouldBeTrue();
            Directory.Exists(data.ThumbsPath).ShouldBeTrue();
            store.Database.SchemaVersion.ShouldBe(RawSqlite.LatestVersion);

            await store.Orders.CreateAsync(order, Ct);
            path = await store.Blobs.SaveImageAsync("img_0001", order.CreatedAt, "png", bytes, Ct);
            await store.Images.AddAsync(Samples.Image(data, "img_0001") with { Path = path, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) }, Ct);
            await store.Orders.UpdateStatusAsync(order.Id, OrderStatus.Completed, order.CreatedAt.AddSeconds(1), null, Ct);
        }

        using var reopened = EaselStore.Open(data);
        (await reopened.Orders.FindAsync(order.Id, Ct))!.Status.ShouldBe(OrderStatus.Completed);
        var image = await reopened.Images.FindAsync("0001", Ct);
        image!.Path.ShouldBe(path);
        path.ShouldStartWith(data.ImagesPath);
        File.ReadAllBytes(image.Path).ShouldBe(bytes);
        (await reopened.Images.SearchAsync(new ImageQuery("fox"), Ct)).Single().Id.ShouldBe("img_0001");
    }
}
