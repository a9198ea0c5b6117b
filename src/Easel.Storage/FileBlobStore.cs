using System.Globalization;
using System.Runtime.InteropServices;
using Easel.Core.Gallery;
using Easel.Core.Generation;

namespace Easel.Storage;

/// <summary>
/// Image files on disk, written atomically: a temp file in the target folder, flushed to disk,
/// then moved into place without ever replacing an existing file. A reader (or a crash) never
/// sees a half-written image under its final name.
/// </summary>
public sealed partial class FileBlobStore : IBlobStore
{
    private const int MaxFreeNameAttempts = 10_000;

    public FileBlobStore(string imagesRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesRoot);
        ImagesRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(imagesRoot));
    }

    /// <summary>Absolute folder under which images are kept (<c>yyyy/MM/dd/{id}.{ext}</c>).</summary>
    public string ImagesRoot { get; }

    /// <summary>Where an image lives: <c>images/yyyy/MM/dd/{imageId}.{ext}</c> by its UTC creation date.</summary>
    public string GetImagePath(string imageId, DateTimeOffset createdAt, string extension)
    {
        ValidateName(imageId, nameof(imageId));
        var ext = NormalizeExtension(extension);
        var day = createdAt.UtcDateTime;
        return Path.Combine(
            ImagesRoot,
            day.ToString("yyyy", CultureInfo.InvariantCulture),
            day.ToString("MM", CultureInfo.InvariantCulture),
            day.ToString("dd", CultureInfo.InvariantCulture),
            $"{imageId}.{ext}");
    }

    /// <summary>Writes a new image file and returns its absolute path.</summary>
    /// <exception cref="IOException">A file already exists at that path (it is left as it was).</exception>
    public async Task<string> SaveImageAsync(string imageId, DateTimeOffset createdAt, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var path = GetImagePath(imageId, createdAt, extension);
        await WriteNewFileAsync(path, (stream, ct) => stream.WriteAsync(bytes, ct), cancellationToken);
        return path;
    }

    /// <summary>
    /// Removes an image file written by <see cref="SaveImageAsync"/> and the temporary files a killed
    /// write of it may have left; nothing happens when they are already gone.
    /// </summary>
    /// <exception cref="ArgumentException">The path is not inside <see cref="ImagesRoot"/>.</exception>
    public void Delete(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        // A bug upstream must not be able to delete a user's file elsewhere.
        if (!full.StartsWith(ImagesRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{path}' is not an image file of this store ({ImagesRoot}).", nameof(path));
        var folder = Path.GetDirectoryName(full)!;
        // File.Delete throws when the folder is missing: a write killed before it made the day's folder left nothing.
        if (!Directory.Exists(folder))
            return;
        File.Delete(full);
        foreach (var temp in Directory.EnumerateFiles(folder, $".{Path.GetFileName(full)}.*.tmp"))
            File.Delete(temp);
    }

    public Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(path, cancellationToken);

    /// <summary>Reference images live in <c>images/refs/{sha256}.{ext}</c>: one copy per content, however many orders use it.</summary>
    public async Task<string> SaveReferenceAsync(ReferenceImage reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var ext = ExtensionForMediaType(reference.MediaType)
            ?? throw new ArgumentException($"Easel does not keep {reference.MediaType} references.", nameof(reference));
        if (reference.Sha256.Length != 64 || !reference.Sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException("A reference's sha256 must be 64 lower-case hex digits.", nameof(reference));
        var path = Path.Combine(ImagesRoot, "refs", $"{reference.Sha256}.{ext}");
        if (File.Exists(path))
            return path;
        try
        {
            await WriteNewFileAsync(path, (stream, ct) => stream.WriteAsync(reference.Bytes, ct), cancellationToken);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another order stored the same image at the same moment.
        }
        return path;
    }

    /// <summary>
    /// Copies a file into <paramref name="folder"/> (created if missing) under
    /// <paramref name="fileName"/> (default: the source's name); when that name is taken, picks
    /// "name-1.ext", "name-2.ext", … rather than overwriting. Returns the absolute path written.
    /// </summary>
    public async Task<string> CopyToFolderAsync(string sourcePath, string folder, string? fileName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var name = fileName ?? Path.GetFileName(sourcePath);
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
            throw new ArgumentException($"'{name}' is not a file name.", nameof(fileName));

        var directory = Path.GetFullPath(folder);
        var temp = TempPathFor(Path.Combine(directory, name));
        // Opened before the folder is made: a missing source must not leave an empty folder behind.
        var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        try
        {
            await using (source)
            {
                Directory.CreateDirectory(directory);
                await WriteTempAsync(temp, (stream, ct) => new ValueTask(source.CopyToAsync(stream, ct)), cancellationToken);
            }

            var stem = Path.GetFileNameWithoutExtension(name);
            var ext = Path.GetExtension(name);
            for (var i = 0; i < MaxFreeNameAttempts; i++)
            {
                var candidate = Path.Combine(directory, i == 0 ? name : $"{stem}-{i.ToString(CultureInfo.InvariantCulture)}{ext}");
                if (File.Exists(candidate) || Directory.Exists(candidate))
                    continue;
                if (TryMoveNoOverwrite(temp, candidate))
                    return candidate;
            }
            throw new IOException($"No free file name for '{name}' in {directory} after {MaxFreeNameAttempts} tries.");
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    /// <summary>"image/png" → "png"; null for a type Easel does not store.</summary>
    public static string? ExtensionForMediaType(string mediaType) =>
        mediaType.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "image/png" => "png",
            "image/jpeg" or "image/jpg" => "jpg",
            "image/webp" => "webp",
            "image/gif" => "gif",
            "image/avif" => "avif",
            _ => null,
        };

    /// <summary>Creates <paramref name="path"/> with what <paramref name="write"/> produces, or fails leaving nothing behind.</summary>
    internal static async Task WriteNewFileAsync(string path, Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Fail before doing the work when the name is plainly taken; the move re-checks atomically.
        if (File.Exists(path) || Directory.Exists(path))
            throw AlreadyExists(path);

        var temp = TempPathFor(path);
        try
        {
            await WriteTempAsync(temp, write, cancellationToken);
            if (!TryMoveNoOverwrite(temp, path))
                throw AlreadyExists(path);
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    private static async Task WriteTempAsync(string temp, Func<Stream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false);
        await write(stream, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        // Data on disk before the name points at it, so a crash leaves the old state or the whole file.
        stream.Flush(flushToDisk: true);
    }

    // Hidden, unique, and in the target folder so the final move is a same-filesystem rename.
    private static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Moves <paramref name="source"/> to <paramref name="destination"/> unless something is already there.</summary>
    /// <returns>False when the destination exists; the source is then left in place.</returns>
    internal static bool TryMoveNoOverwrite(string source, string destination)
    {
        if (!OperatingSystem.IsWindows())
        {
            // File.Move(overwrite: false) checks and then renames, which a concurrent writer can
            // race. link(2) fails with EEXIST instead of replacing: an atomic "create if absent".
            if (link(source, destination) == 0)
            {
                File.Delete(source);
                return true;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eexist)
                return false;
            // Filesystems without hard links (some FUSE, FAT, SMB mounts): fall back below.
        }

        try
        {
            File.Move(source, destination, overwrite: false); // MoveFileEx without REPLACE_EXISTING on Windows
            return true;
        }
        catch (IOException) when (File.Exists(destination) || Directory.Exists(destination))
        {
            return false;
        }
    }

    private const int Eexist = 17; // EEXIST on Linux and macOS

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldpath, string newpath);

    private static IOException AlreadyExists(string path) =>
        new($"Refusing to overwrite '{path}': a file with that name already exists.");

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path); // no error when absent
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden .tmp file is harmless and the original error matters more.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string NormalizeExtension(string extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        var ext = extension.TrimStart('.').ToLowerInvariant();
        if (ext.Length is 0 or > 8 || !ext.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"'{extension}' is not a file extension.", nameof(extension));
        return ext;
    }

    private static void ValidateName(string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        // Ids become file names: no separators, no "..", nothing a shell or Windows would mangle.
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new ArgumentException($"'{value}' is not a valid image id for a file name.", paramName);
    }
}
