using Easel.Imaging.Resampling;

namespace Easel.Imaging.Tests.Resampling;

public sealed class FilterWeightsTests
{
    [Fact]
    public void Kernel_is_Lanczos3()
    {
        FilterWeights.Kernel(0).ShouldBe(1.0);
        // sinc(0.5) * sinc(1/6) = (2 / pi) * (0.5 / (pi / 6))
        FilterWeights.Kernel(0.5).ShouldBe(2 / Math.PI * (0.5 / (Math.PI / 6)), 1e-12);
        FilterWeights.Kernel(-0.5).ShouldBe(FilterWeights.Kernel(0.5));
        FilterWeights.Kernel(1).ShouldBe(0, 1e-12);
        FilterWeights.Kernel(2).ShouldBe(0, 1e-12);
        FilterWeights.Kernel(1.5).ShouldBeLessThan(0); // the negative lobe that makes it sharp
        FilterWeights.Kernel(3).ShouldBe(0);
        FilterWeights.Kernel(7.2).ShouldBe(0);
    }

    [Theory]
    [InlineData(1024, 256)]
    [InlineData(500, 333)]
    [InlineData(256, 1024)]
    [InlineData(7, 1)]
    [InlineData(1, 9)]
    [InlineData(3, 3000)]
    public void Every_output_reads_inside_the_source_with_weights_summing_to_one(int source, int target)
    {
        var weights = FilterWeights.Lanczos3(source, target);

        weights.Start.Length.ShouldBe(target);
        for (var i = 0; i < target; i++)
        {
            weights.Start[i].ShouldBeGreaterThanOrEqualTo(0);
            (weights.Start[i] + weights.Taps).ShouldBeLessThanOrEqualTo(source);
            weights.For(i).ToArray().Sum().ShouldBe(1f, 1e-5);
        }
    }

    [Fact]
    public void Downscaling_stretches_the_kernel_over_the_source()
    {
        // 3 lobes each side, stretched 4x: about 24 source pixels per output pixel.
        FilterWeights.Lanczos3(1024, 256).Taps.ShouldBeInRange(24, 26);
        // Upscaling keeps the natural width: 6 source pixels (7 with a boundary tap).
        FilterWeights.Lanczos3(256, 1024).Taps.ShouldBeInRange(6, 7);
    }
}
