using Easel.Core.Generation;

namespace Easel.Core.Gallery;

/// <summary>Where image files live (a local folder today, a shared folder in a cluster).</summary>
public interface IBlobStore
{
    /// <summary>Where <see cref="SaveImageAsync"/> will put this image, known before it is written.</summary>
    string GetImagePath(string imageId, DateTimeOffset createdAt, string extension);

    /// <summary>Writes a new image file atomically and returns its absolute path; never overwrites.</summary>
    Task<string> SaveImageAsync(string imageId, DateTimeOffset createdAt, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a file written by <see cref="SaveImageAsync"/>, and any temporary file an interrupted
    /// write of it left behind (used to undo a half-recorded image).
    /// </summary>
    void Delete(string path);

    /// <summary>Reads a file this store wrote.</summary>
    Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Keeps a copy of a reference image (once per content) and returns its path.</summary>
    Task<string> SaveReferenceAsync(ReferenceImage reference, CancellationToken cancellationToken);
}
