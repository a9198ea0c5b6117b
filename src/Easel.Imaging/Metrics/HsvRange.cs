namespace Easel.Imaging.Metrics;

/// <summary>
/// A box in HSV space: hue from <see cref="HueFrom"/> up to <see cref="HueTo"/> in degrees
/// (wrapping at 360, so 345..15 is red; 0..360 is every hue), saturation and value in 0..1.
/// </summary>
public readonly record struct HsvRange(double HueFrom, double HueTo, double MinSaturation, double MaxSaturation, double MinValue, double MaxValue)
{
    /// <summary>Greys of any hue: saturation up to <paramref name="maxSaturation"/>, value between the two limits.</summary>
    public static HsvRange Neutral(double maxSaturation, double minValue, double maxValue) =>
        new(0, 360, 0, maxSaturation, minValue, maxValue);
}
