using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
using Easel.Core.Quality;
using Easel.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Tests;

/// <summary>A fresh folder under the system temp directory, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "easel-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Every file below the folder, relative, with '/' separators, sorted.</summary>
    public IReadOnlyList<string> Files(string? under = null) =>
        Directory.Exists(under ?? Path)
            ? Directory.GetFiles(under ?? Path, "*", SearchOption.AllDirectories)
                .Select(f => System.IO.Path.GetRelativePath(under ?? Path, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>An open store in a temp data directory.</summary>
internal sealed class StoreScope : IDisposable
{
    private readonly TempDirectory _temp = new();

    public StoreScope()
    {
        Data = new DataDirectory(_temp.Combine("data"));
        Store = EaselStore.Open(Data);
    }

    public DataDirectory Data { get; }
    public EaselStore Store { get; }
    public IImageCatalog Images => Store.Images;
    public IOrderStore Orders => Store.Orders;
    public TempDirectory Temp => _temp;

    public T Scalar<T>(string sql)
    {
        using var connection = Store.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql)
    {
        using var connection = Store.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Store.Dispose();
        _temp.Dispose();
    }
}

internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    public static Order Order(string id = "ord_0001", DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        Prompt = "a red fox in the snow",
        NegativePrompt = "blurry",
        Count = 4,
        Size = new ImageSize(1024, 768),
        AspectRatio = "4:3",
        Style = "watercolor",
        Background = Background.Opaque,
        Seed = 42,
        Provider = "sketch",
        Model = "sketch-1",
        ImagesPerCall = 4,
        Status = OrderStatus.Running,
        CreatedAt = createdAt ?? T0,
    };

    public static ImageRecord Image(
        DataDirectory data,
        string id,
        string orderId = "ord_0001",
        DateTimeOffset? createdAt = null,
        string prompt = "a red fox in the snow",
        string? negativePrompt = null,
        int slot = 0) => new()
    {
        Id = id,
        OrderId = orderId,
        Slot = slot,
        Prompt = prompt,
        NegativePrompt = negativePrompt,
        Parameters = new ImageParameters(1024, 768, "watercolor", Background.Opaque, "4:3"),
        Provider = "sketch",
        Model = "sketch-1",
        Seed = 42 + slot,
        CreatedAt = createdAt ?? T0,
        GenerationTime = TimeSpan.FromMilliseconds(250),
        Path = System.IO.Path.Combine(data.ImagesPath, "2025", "03", "14", id + ".png"),
        Sha256 = new string('a', 64),
        Width = 1024,
        Height = 768,
    };
}

/// <summary>Orders placed the way OrderService places them: the order, its batches or approval, and its first events.</summary>
internal static class OrderFixtures
{
    public const string Requester = "ada";

    /// <summary>Stores an order with no batches, approval or history: enough for tests about images.</summary>
    public static Task CreateBareAsync(this IOrderStore orders, Order order, CancellationToken cancellationToken) =>
        orders.CreateAsync(order, [], null, [], cancellationToken);

    /// <summary>A queued order of <paramref name="count"/> images, split into calls of <paramref name="perCall"/>.</summary>
    public static async Task<Order> PlaceQueuedAsync(this IOrderStore orders, string id, int count = 6, int perCall = 4, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var now = at ?? Samples.T0;
        var order = Samples.Order(id, now) with { Count = count, ImagesPerCall = perCall, Status = OrderStatus.Queued, EstimatedCost = 0.003m * count };
        await orders.CreateAsync(order, Batch.Split(count, perCall), null,
        [
            Requested(order),
            new OrderEvent { OrderId = id, At = now, Kind = OrderEventKind.Queued, Actor = OrderEvent.System, Images = count },
        ], cancellationToken);
        return order;
    }

    /// <summary>A queued order that a worker has started.</summary>
    public static async Task<Order> PlaceRunningAsync(this IOrderStore orders, string id, int count = 6, int perCall = 4, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var order = await orders.PlaceQueuedAsync(id, count, perCall, at, cancellationToken);
        (await orders.StartAsync(id, order.CreatedAt, cancellationToken)).ShouldBeTrue();
        return order with { Status = OrderStatus.Running };
    }

    /// <summary>An order waiting for a person, with its pending request expiring after <paramref name="timeout"/> (1 hour by default).</summary>
    public static async Task<(Order Order, ApprovalRequest Request)> PlaceAwaitingAsync(this IOrderStore orders, string id, int count = 6, int perCall = 4, DateTimeOffset? at = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var now = at ?? Samples.T0;
        var order = Samples.Order(id, now) with { Count = count, ImagesPerCall = perCall, Status = OrderStatus.AwaitingApproval, EstimatedCost = 0.003m * count };
        var request = new ApprovalRequest
        {
            Id = ApprovalRequest.NewId(),
            OrderId = id,
            Status = ApprovalStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + (timeout ?? TimeSpan.FromHours(1)),
            Summary = new ApprovalSummary(order.Prompt, count, (count + perCall - 1) / perCall, perCall, order.Provider, order.Model, order.EstimatedCost,
                [$"{count} images is more than the 4 allowed without approval"]),
        };
        await orders.CreateAsync(order, [], request,
        [
            Requested(order),
            new OrderEvent { OrderId = id, At = now, Kind = OrderEventKind.ApprovalRequested, Actor = OrderEvent.System, Images = count, Cost = order.EstimatedCost },
        ], cancellationToken);
        return (order, request);
    }

    /// <summary>Images for a batch, as BatchRunner prepares them.</summary>
    public static IReadOnlyList<ImageRecord> ImagesFor(DataDirectory data, Order order, BatchState batch, string tag = "") =>
        Enumerable.Range(batch.FirstSlot, batch.Count)
            .Select(slot => Samples.Image(data, $"img_{order.Id[4..]}{tag}_{slot}", order.Id, order.CreatedAt, order.Prompt, slot: slot))
            .ToList();

    public static BatchResult Result(Order order, BatchState batch, IReadOnlyList<ImageRecord> images, DateTimeOffset at) =>
        new(order.Id, batch.Index, batch.Attempts, images, order.Provider, order.Model, TimeSpan.FromMilliseconds(1500), 0.003m * images.Count, at);

    /// <summary>
    /// Settles every slot still generating the way the quality loop does once it has judged them:
    /// with the slot's best image, or with none when its calls made nothing.
    /// </summary>
    public static async Task SettleSlotsAsync(this IOrderStore orders, IImageCatalog images, string orderId, CancellationToken cancellationToken = default)
    {
        var made = await images.ListByOrderAsync(orderId, cancellationToken);
        foreach (var slot in await orders.SlotsAsync(orderId, cancellationToken))
        {
            if (slot.Status != SlotStatus.Generating)
                continue;
            var best = QualityLoop.Best(made.Where(i => i.Slot == slot.Slot));
            (await orders.SettleSlotAsync(orderId, slot.Slot, slot.Iteration, best?.Id, best?.Score, cancellationToken)).ShouldBeTrue();
        }
    }

    /// <summary>
    /// An order read back equals the one stored. Records compare lists by reference, so the
    /// references are compared on their own, item by item.
    /// </summary>
    public static void ShouldBeOrder(this Order? actual, Order expected)
    {
        actual.ShouldNotBeNull();
        actual.References.ShouldBe(expected.References);
        (actual with { References = expected.References }).ShouldBe(expected);
    }

    private static OrderEvent Requested(Order order) => new()
    {
        OrderId = order.Id, At = order.CreatedAt, Kind = OrderEventKind.Requested, Actor = Requester,
        Images = order.Count, Provider = order.Provider, Model = order.Model, Cost = order.EstimatedCost,
    };
}

internal static class RawSqlite
{
    static RawSqlite() => SQLitePCL.Batteries_V2.Init();

    /// <summary>A plain connection with no Easel settings, as another tool would open the file.</summary>
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<(long Version, string Name, long AppliedAt)> Migrations(this SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at FROM schema_migrations ORDER BY version;";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string, long)>();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
        return rows;
    }

    public static int LatestVersion => SqliteDatabase.LatestSchemaVersion;
}
