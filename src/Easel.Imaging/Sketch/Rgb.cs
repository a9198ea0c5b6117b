namespace Easel.Imaging.Sketch;

/// <summary>A colour with channels in 0..1 (sRGB-encoded, like the output), used while painting.</summary>
internal readonly record struct Rgb(float R, float G, float B)
{
    public static readonly Rgb White = new(1, 1, 1);
    public static readonly Rgb Black = new(0, 0, 0);

    public static Rgb Hex(uint rgb) =>
        new(((rgb >> 16) & 0xFF) / 255f, ((rgb >> 8) & 0xFF) / 255f, (rgb & 0xFF) / 255f);

    public float Luma => 0.2126f * R + 0.7152f * G + 0.0722f * B;

    public float Max => MathF.Max(R, MathF.Max(G, B));

    public Rgb Lerp(Rgb to, float t) => new(R + (to.R - R) * t, G + (to.G - G) * t, B + (to.B - B) * t);

    public Rgb Scale(float k) => new(R * k, G * k, B * k);

    public Rgb Times(Rgb o) => new(R * o.R, G * o.G, B * o.B);

    public Rgb Lighten(float t) => Lerp(White, t);

    public Rgb Darken(float t) => Lerp(Black, t);

    /// <summary>Moves saturation away from (k &gt; 1) or toward (k &lt; 1) grey of the same luma.</summary>
    public Rgb Saturate(float k)
    {
        var l = Luma;
        return new Rgb(l + (R - l) * k, l + (G - l) * k, l + (B - l) * k).Clamp();
    }

    public Rgb Clamp() => new(Math.Clamp(R, 0, 1), Math.Clamp(G, 0, 1), Math.Clamp(B, 0, 1));

    /// <summary>Hue in degrees (0..360), saturation and lightness (0..1), HSL model.</summary>
    public (float H, float S, float L) ToHsl()
    {
        var max = Max;
        var min = MathF.Min(R, MathF.Min(G, B));
        var l = (max + min) / 2;
        var d = max - min;
        if (d < 1e-6f)
            return (0, 0, l);
        var s = l > 0.5f ? d / (2 - max - min) : d / (max + min);
        float h;
        if (max == R)
            h = (G - B) / d + (G < B ? 6 : 0);
        else if (max == G)
            h = (B - R) / d + 2;
        else
            h = (R - G) / d + 4;
        return (h * 60, s, l);
    }

    public static Rgb FromHsl(float h, float s, float l)
    {
        h = ((h % 360) + 360) % 360 / 360f;
        if (s <= 0)
            return new Rgb(l, l, l);
        var q = l < 0.5f ? l * (1 + s) : l + s - l * s;
        var p = 2 * l - q;
        return new Rgb(HueToChannel(p, q, h + 1f / 3), HueToChannel(p, q, h), HueToChannel(p, q, h - 1f / 3));
    }

    private static float HueToChannel(float p, float q, float t)
    {
        if (t < 0) t += 1;
        if (t > 1) t -= 1;
        if (t < 1f / 6) return p + (q - p) * 6 * t;
        if (t < 0.5f) return q;
        if (t < 2f / 3) return p + (q - p) * (2f / 3 - t) * 6;
        return p;
    }

    /// <summary>Same hue family, shifted lightness (HSL), for shading a part without muddying it.</summary>
    public Rgb Shade(float deltaLightness)
    {
        var (h, s, l) = ToHsl();
        return FromHsl(h, s, Math.Clamp(l + deltaLightness, 0, 1));
    }

    /// <summary>
    /// Moves this colour partway toward the target's hue and saturation while keeping its own
    /// lightness (a "colour" blend): a blue sky tinted red turns rosy, not purple, because the mix
    /// happens in RGB rather than by rotating the hue the short way round the wheel.
    /// </summary>
    public Rgb TintToward(Rgb target, float amount)
    {
        var (_, s, l) = ToHsl();
        var (th, ts, _) = target.ToHsl();
        if (ts < 0.08f)
            return Lerp(new Rgb(l, l, l), amount * 0.5f);
        var colored = FromHsl(th, Math.Clamp(s + (ts - s) * 0.7f, 0.25f, 1f), l);
        return Lerp(colored, amount);
    }
}

internal readonly record struct RectF(float X0, float Y0, float X1, float Y1)
{
    public RectF Inflate(float d) => new(X0 - d, Y0 - d, X1 + d, Y1 + d);

    public RectF Union(RectF o) =>
        new(MathF.Min(X0, o.X0), MathF.Min(Y0, o.Y0), MathF.Max(X1, o.X1), MathF.Max(Y1, o.Y1));

    public static RectF Around(float cx, float cy, float rx, float ry) => new(cx - rx, cy - ry, cx + rx, cy + ry);
}

internal static class Mathx
{
    public static float Clamp01(float v) => v < 0 ? 0 : v > 1 ? 1 : v;

    public static float Smooth(float e0, float e1, float x)
    {
        var t = Clamp01((x - e0) / (e1 - e0));
        return t * t * (3 - 2 * t);
    }

    public static float Deg(float degrees) => degrees * (MathF.PI / 180f);
}
