using System.Globalization;
using System.Text;
using Easel.Imaging.Metrics;
using Easel.Imaging.Tests.Resampling;

namespace Easel.Imaging.Tests.Metrics;

public sealed class SimilarityTests
{
    // scikit-image 0.19.3 (Debian's python3-skimage), on the luma of the images built by Pattern
    // and Noisy below: structural_similarity(x, y, gaussian_weights=True, sigma=1.5,
    // use_sample_covariance=False, data_range=255), with x = 0.299 R + 0.587 G + 0.114 B in float64.
    private const double SkimageNoisy300x200 = 0.9605990731639744;
    private const double SkimageShifted40x29 = 0.7537047061969063;

    // SSIM's windows are summed in float (measured: about 1e-6 from float64 references), and its
    // figures are read to 4 or 5 decimals.
    private const double FloatTolerance = 1e-5;

    // The same pairs' PSNR over R, G and B, computed with numpy in float64.
    private const double NumpyPsnrNoisy300x200 = 32.55051957549247;

    [Fact]
    public void Identical_images_have_infinite_psnr_and_ssim_of_one()
    {
        var plasma = TestImages.Plasma(128, 96, seed: 11);
        var copy = new RgbaImage(128, 96, (byte[])plasma.Pixels.Clone());

        Similarity.Psnr(plasma, copy).ShouldBe(double.PositiveInfinity);
        Similarity.MeanSquaredError(plasma, copy).ShouldBe(0);
        Similarity.Ssim(plasma, copy).ShouldBe(1.0);
    }

    [Fact]
    public void Identical_images_with_alpha_also_score_perfectly()
    {
        var image = TestImages.PlasmaWithRadialAlpha(64);

        Similarity.Psnr(image, image).ShouldBe(double.PositiveInfinity);
        Similarity.Ssim(image, image).ShouldBe(1.0);
    }

    [Theory]
    [InlineData("-blur", "0x1")]
    [InlineData("-blur", "0x3")]
    [InlineData("-evaluate", "add", "3%")]
    [InlineData("-attenuate", "0.5", "+noise", "Gaussian")]
    public void Psnr_matches_ImageMagick(params string[] distortion)
    {
        var original = TestImages.Plasma(200, 150, seed: 8);
        var distorted = ImageMagick.Transform(original, 200, 150, ["-seed", "3", .. distortion]);

        var ours = Similarity.Psnr(original, distorted);

        // ImageMagick here reads the pixels 8-bit exactly as we hold them; its PSNR is over R, G, B.
        ours.ShouldBe(MagickPsnr(original, distorted), 1e-6);
        ours.ShouldBeInRange(10, 60);
    }

    [Fact]
    public void Psnr_of_a_known_error()
    {
        // Every sample off by exactly 10: MSE 100, PSNR = 10 log10(255² / 100).
        var a = TestImages.Solid(30, 20, 100, 100, 100);
        var b = TestImages.Solid(30, 20, 110, 90, 110);

        Similarity.MeanSquaredError(a, b).ShouldBe(100);
        Similarity.Psnr(a, b).ShouldBe(10 * Math.Log10(255.0 * 255.0 / 100), 1e-12);
        Similarity.Psnr(a, b).ShouldBe(28.1308036, 1e-6);
    }

    [Fact]
    public void Psnr_and_ssim_match_numpy_and_scikit_image()
    {
        var a = Pattern(300, 200);
        var b = Noisy(a);

        Similarity.Psnr(a, b).ShouldBe(NumpyPsnrNoisy300x200, 1e-9);
        Similarity.Ssim(a, b).ShouldBe(SkimageNoisy300x200, FloatTolerance);
        Similarity.Ssim(b, a).ShouldBe(SkimageNoisy300x200, FloatTolerance);
    }

    [Fact]
    public void Ssim_of_a_one_pixel_shift_matches_scikit_image()
    {
        var a = Pattern(40, 29);
        var shifted = Pattern(40, 29, shift: 1);

        Similarity.Ssim(a, shifted).ShouldBe(SkimageShifted40x29, FloatTolerance);
    }

    [Fact]
    public void Ssim_of_two_flat_images_is_the_luminance_term()
    {
        // No variance anywhere, so SSIM = (2 μx μy + C1) / (μx² + μy² + C1) with C1 = (0.01 * 255)².
        var c1 = Math.Pow(0.01 * 255, 2);
        var expected = (2 * 100.0 * 110 + c1) / (100.0 * 100 + 110.0 * 110 + c1);

        Similarity.Ssim(TestImages.Solid(20, 20, 100, 100, 100), TestImages.Solid(20, 20, 110, 110, 110)).ShouldBe(expected, FloatTolerance);
        expected.ShouldBe(0.9954764, 1e-6);
    }

    [Fact]
    public void More_blur_scores_lower_on_both_measures()
    {
        var original = TestImages.Plasma(160, 160, seed: 4);
        var light = ImageMagick.Transform(original, 160, 160, "-blur", "0x0.7");
        var heavy = ImageMagick.Transform(original, 160, 160, "-blur", "0x2");

        Similarity.Psnr(original, light).ShouldBeGreaterThan(Similarity.Psnr(original, heavy));
        Similarity.Ssim(original, light).ShouldBeGreaterThan(Similarity.Ssim(original, heavy));
        Similarity.Ssim(original, heavy).ShouldBeLessThan(1);
    }

    [Fact]
    public void Colour_hidden_under_transparent_pixels_does_not_count()
    {
        var red = TestImages.Solid(16, 16, 255, 0, 0, a: 0);
        var green = TestImages.Solid(16, 16, 0, 255, 0, a: 0);

        Similarity.Psnr(red, green).ShouldBe(double.PositiveInfinity);
        Similarity.Ssim(red, green).ShouldBe(1.0, 1e-9);
    }

    [Fact]
    public void Colour_is_weighted_by_alpha_as_it_is_seen_over_black()
    {
        // 250 at 20% opacity is 50 over black: the same as opaque 50.
        var faint = TestImages.Solid(16, 16, 250, 250, 250, a: 51);
        var dark = TestImages.Solid(16, 16, 50, 50, 50);

        Similarity.Psnr(faint, dark).ShouldBe(double.PositiveInfinity);
        Similarity.Ssim(faint, dark).ShouldBe(1.0, 1e-6);
    }

    [Fact]
    public void Images_of_different_sizes_are_refused()
    {
        var a = TestImages.Solid(20, 10, 1, 2, 3);
        var b = TestImages.Solid(10, 20, 1, 2, 3);

        var psnr = Should.Throw<ArgumentException>(() => Similarity.Psnr(a, b));
        psnr.Message.ShouldContain("20x10");
        psnr.Message.ShouldContain("10x20");
        Should.Throw<ArgumentException>(() => Similarity.Ssim(a, b)).Message.ShouldContain("same size");
    }

    [Fact]
    public void Ssim_refuses_images_smaller_than_its_window()
    {
        var a = TestImages.Solid(10, 40, 1, 2, 3);

        var ex = Should.Throw<ArgumentException>(() => Similarity.Ssim(a, a));
        ex.Message.ShouldContain("11x11");
        ex.Message.ShouldContain("10x40");
        Similarity.Ssim(TestImages.Solid(11, 11, 9, 9, 9), TestImages.Solid(11, 11, 9, 9, 9)).ShouldBe(1.0);
    }

    [Fact]
    public void Null_images_are_refused()
    {
        var a = TestImages.Solid(12, 12, 1, 2, 3);

        Should.Throw<ArgumentNullException>(() => Similarity.Psnr(null!, a));
        Should.Throw<ArgumentNullException>(() => Similarity.Ssim(a, null!));
    }

    /// <summary>PSNR as ImageMagick computes it, from raw RGB so no codec of ours is involved.</summary>
    private static double MagickPsnr(RgbaImage a, RgbaImage b)
    {
        using var dir = new TempDir();
        string[] Input(RgbaImage image, string name)
        {
            var path = dir.File(name);
            File.WriteAllBytes(path, Rgb(image));
            return ["-size", $"{image.Width}x{image.Height}", "-depth", "8", "rgb:" + path];
        }
        var text = Encoding.UTF8.GetString(Magick.Convert(
            ["-precision", "12", .. Input(a, "a.rgb"), .. Input(b, "b.rgb"), "-metric", "PSNR", "-compare", "-format", "%[distortion]", "info:"]));
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    private static byte[] Rgb(RgbaImage image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        for (int i = 0, o = 0; i < image.Pixels.Length; i += 4, o += 3)
            image.Pixels.AsSpan(i, 3).CopyTo(rgb.AsSpan(o, 3));
        return rgb;
    }

    /// <summary>Ramps, rings and 8-pixel blocks from integer formulas, so another language can build the same pixels.</summary>
    private static RgbaImage Pattern(int width, int height, int shift = 0)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        for (var x0 = 0; x0 < width; x0++)
        {
            var x = Math.Min(x0 + shift, width - 1);
            var p = image.Row(y).Slice(x0 * 4, 4);
            p[0] = (byte)((2 * x + y) % 256);
            p[1] = (byte)((x * x + y * y) / 64 % 256);
            p[2] = (byte)((((x / 8) ^ (y / 8)) & 1) * 200 + 20);
            p[3] = 255;
        }
        return image;
    }

    /// <summary>Adds a fixed pattern of -10..10 to every colour sample, clamped.</summary>
    private static RgbaImage Noisy(RgbaImage image)
    {
        var result = new RgbaImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        for (var c = 0; c < 3; c++)
        {
            var n = (x * 31 + y * 17 + x * y * 7 + c * 5) % 21 - 10;
            var i = (y * image.Width + x) * 4 + c;
            result.Pixels[i] = (byte)Math.Clamp(image.Pixels[i] + n, 0, 255);
        }
        return result;
    }
}
