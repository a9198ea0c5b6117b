using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Providers.Tests.Fakes;

/// <summary>Small real images for fakes to return, distinct per seed so tests can tell them apart.</summary>
internal static class FakeImages
{
    public static byte[] Png(int width = 32, int height = 32, long seed = 0)
    {
        var image = new RgbaImage(width, height);
        for (var i = 0; i < image.Pixels.Length; i += 4)
        {
            image.Pixels[i] = (byte)seed;
            image.Pixels[i + 1] = (byte)(seed >> 8);
            image.Pixels[i + 2] = (byte)(i / 4);
            image.Pixels[i + 3] = 255;
        }
        return PngEncoder.Encode(image);
    }

    public static string Base64Png(int width = 32, int height = 32, long seed = 0) => Convert.ToBase64String(Png(width, height, seed));
}
