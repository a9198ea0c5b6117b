using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Easel.Storage.Sqlite.Migrations;

/// <summary>
/// Brings a database up to the latest schema. <c>PRAGMA user_version</c> is the source of truth
/// (one cheap read at start); <c>schema_migrations</c> records when each step ran, for people.
/// </summary>
internal static class Migrator
{
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static void ThrowIfNewer(int version, int latest, string databasePath)
    {
        if (version > latest)
            throw new UnsupportedSchemaVersionException(databasePath, version, latest);
    }

    /// <summary>Applies every migration above <paramref name="observedVersion"/>; returns the final version.</summary>
    public static int Migrate(SqliteConnection connection, IReadOnlyList<Migration> migrations, int observedVersion, TimeProvider time, string databasePath)
    {
        var latest = migrations[^1].Version;
        var version = observedVersion;
        foreach (var migration in migrations)
        {
            if (migration.Version > version)
                version = Apply(connection, migration, latest, time, databasePath);
        }
        return version;
    }

    /// <summary>
    /// Runs one migration in its own write transaction. BEGIN IMMEDIATE takes the write lock
    /// first, so a second process starting at the same time waits (busy timeout), then reads
    /// the version again and skips the step the first one already applied.
    /// </summary>
    internal static int Apply(SqliteConnection connection, Migration migration, int latest, TimeProvider time, string databasePath)
    {
        using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        var current = ReadVersion(connection, transaction);
        ThrowIfNewer(current, latest, databasePath);
        if (current >= migration.Version)
            return current;
        if (current != migration.Version - 1)
            throw new InvalidOperationException($"Cannot apply schema migration {migration.Version} to {databasePath}: it is at version {current}.");

        try
        {
            Execute(connection, transaction, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER NOT NULL PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL
                );
                """);
            Execute(connection, transaction, migration.LoadSql());
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $appliedAt);";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$name", migration.Name);
                record.Parameters.AddWithValue("$appliedAt", time.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }
            // PRAGMA takes no parameters; the version is an int, so formatting it in is safe.
            Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {migration.Version};"));
        }
        catch (SqliteException e)
        {
            throw new InvalidOperationException(
                $"Schema migration {migration.Version} ({migration.Name}) failed on {databasePath}; nothing was changed. {e.Message}", e);
        }

        transaction.Commit();
        return migration.Version;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
