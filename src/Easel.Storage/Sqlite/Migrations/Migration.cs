using System.Globalization;
using System.Reflection;

namespace Easel.Storage.Sqlite.Migrations;

/// <summary>One schema step; <see cref="Version"/> is the schema version after it ran.</summary>
/// <param name="LoadSql">Read lazily: a database that is up to date never loads any SQL.</param>
internal sealed record Migration(int Version, string Name, Func<string> LoadSql);

/// <summary>The migrations embedded in this assembly (Sqlite/Migrations/NNNN_name.sql).</summary>
internal static class EmbeddedMigrations
{
    private const string ResourcePrefix = "Easel.Storage.Sqlite.Migrations.";

    public static IReadOnlyList<Migration> All { get; } = Discover(typeof(EmbeddedMigrations).Assembly);

    public static int LatestVersion => All[^1].Version;

    internal static IReadOnlyList<Migration> Discover(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var fileName = resource[ResourcePrefix.Length..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0
                || !int.TryParse(fileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{fileName}' is not named NNNN_name.sql.");
            }
            var name = fileName[(underscore + 1)..^".sql".Length];
            migrations.Add(new Migration(version, name, () => ReadResource(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        // A gap or a duplicate would leave databases at different schemas under the same version.
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"Schema migrations must be numbered 1, 2, 3, … without gaps; found {migrations[i].Version} at position {i + 1}.");
        }
        if (migrations.Count == 0)
            throw new InvalidOperationException("No schema migrations are embedded in Easel.Storage.");
        return migrations;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration resource '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
