using Easel.Storage.Sqlite.Migrations;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Sqlite;

/// <summary>
/// One SQLite database file: opened in WAL mode and migrated to the latest schema by
/// <see cref="Open(string, TimeProvider?)"/>; hands out configured connections.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>How long a writer waits for another writer (another process, too) before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    // Per-connection settings (not stored in the file), so every opened connection gets them.
    // synchronous=NORMAL is durable against process crashes in WAL mode; a power loss may
    // lose the last transactions but never corrupts the file.
    // No busy_timeout: the bundled SQLite is built without usleep, so its busy handler sleeps a
    // whole second per retry. Microsoft.Data.Sqlite retries a busy statement every 150 ms up to
    // DefaultTimeout instead, and writers of this process queue on WriteGate without retrying.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 0; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    /// <summary>One writer at a time within this process, so its own writers never meet SQLite's busy path.</summary>
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private readonly string _connectionString;

    static SqliteDatabase()
    {
        // Selects the bundled e_sqlite3 native library; must run once before any connection.
        SQLitePCL.Batteries_V2.Init();
    }

    private SqliteDatabase(string path, string connectionString, int schemaVersion)
    {
        Path = path;
        _connectionString = connectionString;
        SchemaVersion = schemaVersion;
    }

    /// <summary>The schema version this build of Easel creates and understands.</summary>
    public static int LatestSchemaVersion => EmbeddedMigrations.LatestVersion;

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    public int SchemaVersion { get; }

    /// <summary>For other components that keep tables in the same file (Quartz's job store).</summary>
    public string ConnectionString => _connectionString;

    /// <summary>
    /// Opens (creating if needed) the database at <paramref name="path"/> and applies any
    /// pending schema migrations. Cheap when the schema is current: one connection, one
    /// <c>PRAGMA user_version</c> read.
    /// </summary>
    /// <exception cref="UnsupportedSchemaVersionException">The file was created by a newer Easel.</exception>
    /// <exception cref="InvalidDataException">The file is not an SQLite database.</exception>
    public static SqliteDatabase Open(string path, TimeProvider? timeProvider = null) =>
        Open(path, EmbeddedMigrations.All, timeProvider ?? TimeProvider.System);

    internal static SqliteDatabase Open(string path, IReadOnlyList<Migration> migrations, TimeProvider timeProvider)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries busy statements until this timeout, on top of busy_timeout.
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();

        var latest = migrations[^1].Version;
        try
        {
            using var connection = OpenConfigured(connectionString);
            var version = Migrator.ReadVersion(connection);
            // Checked before anything is written, so a newer Easel's file is left untouched.
            Migrator.ThrowIfNewer(version, latest, fullPath);
            SetWalMode(connection);
            if (version < latest)
                version = Migrator.Migrate(connection, migrations, version, timeProvider, fullPath);
            return new SqliteDatabase(fullPath, connectionString, version);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_NOTADB)
        {
            ClearPool(connectionString);
            throw new InvalidDataException($"{fullPath} is not an Easel database (not an SQLite file). Move it away or set EASEL_HOME to another data directory.", e);
        }
        catch
        {
            ClearPool(connectionString);
            throw;
        }
    }

    /// <summary>
    /// A new open connection with busy timeout, foreign keys and synchronous=NORMAL set.
    /// Connections are pooled: dispose them promptly. Not thread-safe; use one per operation.
    /// </summary>
    public SqliteConnection OpenConnection() => OpenConfigured(_connectionString);

    /// <summary>
    /// Begins an immediate (write-locking) transaction on <paramref name="connection"/> after
    /// this process's other writers are done. Dispose the result to roll back what was not
    /// committed and let the next writer in.
    /// </summary>
    internal async Task<WriteTransaction> BeginWriteAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            return new WriteTransaction(connection.BeginTransaction(), _writeGate);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    /// <summary>Closes idle pooled connections, releasing the file (tests delete it afterwards).</summary>
    public void Dispose() => ClearPool(_connectionString);

    private static SqliteConnection OpenConfigured(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void SetWalMode(SqliteConnection connection)
    {
        // Persistent in the file; a no-op once set. Runs after busy_timeout so that two processes
        // converting a fresh file at once wait for each other instead of failing.
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteScalar();
    }

    private static void ClearPool(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}

/// <summary>A write transaction holding this process's write gate until disposed.</summary>
internal sealed class WriteTransaction(SqliteTransaction transaction, SemaphoreSlim gate) : IAsyncDisposable
{
    public SqliteTransaction Transaction { get; } = transaction;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
        }
        finally
        {
            gate.Release();
        }
    }
}
