namespace Easel.Core.Generation;

/// <summary>An image the user gave to guide generation (<c>--refs</c>), already checked and loaded.</summary>
/// <param name="Source">What the user gave: a canonical local path or the URL.</param>
/// <param name="MediaType">From the file's magic bytes: image/png, image/jpeg, image/webp or image/gif.</param>
public sealed record ReferenceImage(string Source, byte[] Bytes, string MediaType, int Width, int Height, string Sha256);
