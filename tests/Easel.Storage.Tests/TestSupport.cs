using Easel.Core.Gallery;
using Easel.Core.Generation;
using Easel.Core.Orders;
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
