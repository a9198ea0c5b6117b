using Easel.Core.Generation;

namespace Easel.Core.Tests;

public sealed class ImageSizeTests
{
    [Theory]
    [InlineData("1024x768", 1024, 768)]
    [InlineData("512X512", 512, 512)]
    [InlineData(" 64x4096 ", 64, 4096)]
    public void Parses_sizes_within_bounds(string text, int width, int height)
    {
        ImageSize.TryParse(text, out var size, out _).ShouldBeTrue();
        size.ShouldBe(new ImageSize(width, height));
    }

    [Theory]
    [InlineData("7x7", "between 64 and 4096")]
    [InlineData("99999x99999", "between 64 and 4096")]
    [InlineData("1024", "not a size")]
    [InlineData("axb", "not a size")]
    [InlineData("-5x100", "not a size")]
    [InlineData("", "not a size")]
    public void Refuses_bad_sizes_with_a_reason(string text, string reason)
    {
        ImageSize.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reason);
    }

    [Theory]
    [InlineData("1:1", 1024, 1024)]
    [InlineData("16:9", 1344, 768)]
    [InlineData("9:16", 768, 1344)]
    [InlineData("3:2", 1280, 832)]
    public void Aspect_ratio_keeps_about_a_megapixel_in_multiples_of_64(string ratio, int width, int height)
    {
        ImageSize.TryFromAspectRatio(ratio, 1024 * 1024, out var size, out _).ShouldBeTrue();
        size.ShouldBe(new ImageSize(width, height));
    }

    [Theory]
    [InlineData("10:1", "too extreme")]
    [InlineData("0:1", "not an aspect ratio")]
    [InlineData("16/9", "not an aspect ratio")]
    public void Refuses_bad_aspect_ratios(string ratio, string reason)
    {
        ImageSize.TryFromAspectRatio(ratio, 1024 * 1024, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reason);
    }

    [Theory]
    [InlineData("Watercolour", "watercolor")]
    [InlineData("pixel art", "pixel-art")]
    [InlineData("PHOTO", "photographic")]
    [InlineData("cubism", null)]
    public void Styles_are_normalised_or_refused(string text, string? expected) =>
        ImageStyles.Normalize(text).ShouldBe(expected);
}
