using Easel.Core.Gallery;
using Easel.Imaging;
using Easel.Imaging.Png;
using Easel.Imaging.Resampling;
using Easel.Workflows;

namespace Easel.Server.Api;

/// <summary>
/// Small PNGs for grids and lists, made once per image (an image never changes) and kept in the
/// data directory's <c>thumbs/</c> folder.
/// </summary>
internal static class Thumbnails
{
    /// <summary>Longest side of a thumbnail, in pixels.</summary>
    public const int MaxSide = 320;

    // Decoding and resampling take memory and CPU: a page of 50 new thumbnails must not take them all at once.
    private static readonly SemaphoreSlim Gate = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>
    /// The file to serve as the thumbnail of <paramref name="image"/> and its media type: the cached
    /// thumbnail, made now if missing; the original itself when it is small already or not a PNG.
    /// </summary>
    public static async Task<(string Path, string MediaType)> GetAsync(EaselServices services, ImageRecord image, string original, CancellationToken cancellationToken)
    {
        if (image.MediaType != "image/png" || Math.Max(image.Width, image.Height) <= MaxSide)
            return (original, image.MediaType);
        var folder = services.Data.ThumbsPath;
        var path = Path.Combine(folder, image.Id + ".png");
        if (File.Exists(path))
            return (path, "image/png");

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path))
                return (path, "image/png");
            var decoded = PngDecoder.Decode(await File.ReadAllBytesAsync(original, cancellationToken)).Image;
            var (width, height) = Fit(decoded.Width, decoded.Height);
            var png = PngEncoder.Encode(Resampler.Resize(decoded, width, height));
            Directory.CreateDirectory(folder);
            // Written whole under a private name, then renamed: a reader never sees half a thumbnail.
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                await File.WriteAllBytesAsync(temp, png, cancellationToken);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
            return (path, "image/png");
        }
        catch (ImageFormatException)
        {
            // A file the decoder cannot read is still the image: the browser may manage.
            return (original, image.MediaType);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The size within <see cref="MaxSide"/> with the same shape.</summary>
    public static (int Width, int Height) Fit(int width, int height)
    {
        if (Math.Max(width, height) <= MaxSide)
            return (width, height);
        var scale = (double)MaxSide / Math.Max(width, height);
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
