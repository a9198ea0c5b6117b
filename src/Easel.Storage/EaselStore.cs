using Easel.Core.Gallery;
using Easel.Core.Notifications;
using Easel.Core.Orders;
using Easel.Storage.Sqlite;

namespace Easel.Storage;

/// <summary>
/// Everything Easel keeps, opened once per process: the database (migrated on open), the image
/// catalog, the order store and the image files.
/// </summary>
public sealed class EaselStore : IDisposable
{
    private EaselStore(DataDirectory directory, SqliteDatabase database)
    {
        Directory = directory;
        Database = database;
        var images = new SqliteImageCatalog(database, directory.Root);
        Images = images;
        Orders = new SqliteOrderStore(database, images);
        Blobs = new FileBlobStore(directory.ImagesPath);
        Webhooks = new SqliteWebhookOutbox(database);
    }

    public DataDirectory Directory { get; }

    public SqliteDatabase Database { get; }

    public IImageCatalog Images { get; }

    public IOrderStore Orders { get; }

    public FileBlobStore Blobs { get; }

    /// <summary>Webhook deliveries waiting, sent and given up.</summary>
    public IWebhookOutbox Webhooks { get; }

    /// <summary>Creates the data directory if needed, opens the database and applies pending migrations.</summary>
    /// <exception cref="UnsupportedSchemaVersionException">The database was created by a newer Easel.</exception>
    public static EaselStore Open(DataDirectory directory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory.EnsureCreated();
        return new EaselStore(directory, SqliteDatabase.Open(directory.DatabasePath, timeProvider));
    }

    public void Dispose() => Database.Dispose();
}
