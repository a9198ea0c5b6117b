namespace Easel.Providers.References;

/// <summary>Limits for loading reference images (<c>--refs</c>) from local paths and URLs.</summary>
public sealed class ReferenceOptions
{
    public const long DefaultMaxBytes = 20L * 1024 * 1024;
    public const long DefaultMaxPixels = 50_000_000;

    /// <summary>Largest file or download accepted, in bytes (20 MB).</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>Largest width × height accepted (50 megapixels), read from the header before any decoding.</summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>Redirects followed for one URL; each target is checked like the URL itself.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Time for one whole load: every redirect, connection and the body.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Null: any local path the process can read (the CLI acts for its own user). A list (server
    /// mode): a local path is accepted only when, with every symbolic link resolved, it lies inside
    /// one of these folders; an empty list refuses every local path.
    /// </summary>
    public IReadOnlyList<string>? AllowedFolders { get; set; }
}
