namespace Easel.Storage;

/// <summary>The database was written by a newer Easel whose schema this version does not know.</summary>
public sealed class UnsupportedSchemaVersionException(string databasePath, int databaseVersion, int supportedVersion)
    : Exception(
        $"The database {databasePath} has schema version {databaseVersion}, but this Easel knows versions up to " +
        $"{supportedVersion}: it was created by a newer Easel. Upgrade Easel, or set EASEL_HOME to another data directory.")
{
    public string DatabasePath { get; } = databasePath;
    public int DatabaseVersion { get; } = databaseVersion;
    public int SupportedVersion { get; } = supportedVersion;
}
