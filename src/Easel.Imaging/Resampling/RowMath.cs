using System.Numerics;
using System.Runtime.InteropServices;

namespace Easel.Imaging.Resampling;

/// <summary>Whole-row float arithmetic shared by the separable filters.</summary>
internal static class RowMath
{
    /// <summary><c>y += weight * x</c>, a SIMD register at a time.</summary>
    public static void MultiplyAdd(float weight, ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length)
            throw new ArgumentException("Destination row is shorter than the source row.", nameof(y));
        var w = new Vector<float>(weight);
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (var i = 0; i < xv.Length; i++)
            yv[i] += w * xv[i];
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            y[i] += weight * x[i];
    }
}
