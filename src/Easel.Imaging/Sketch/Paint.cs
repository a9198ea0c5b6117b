namespace Easel.Imaging.Sketch;

/// <summary>A colour per pixel: what fills a shape.</summary>
internal interface IPaint
{
    Rgb At(float x, float y);
}

/// <summary>What a shape is filled with: one colour, or a linear or radial blend of two.</summary>
internal readonly struct Paint : IPaint
{
    private const byte SolidKind = 0, LinearKind = 1, RadialKind = 2;

    private readonly byte _kind;
    private readonly Rgb _a;
    private readonly Rgb _b;
    private readonly float _x0, _y0, _ux, _uy;

    private Paint(byte kind, Rgb a, Rgb b, float x0, float y0, float ux, float uy)
    {
        _kind = kind;
        _a = a;
        _b = b;
        _x0 = x0;
        _y0 = y0;
        _ux = ux;
        _uy = uy;
    }

    public static Paint Solid(Rgb color) => new(SolidKind, color, color, 0, 0, 0, 0);

    public static Paint Linear(float x0, float y0, Rgb from, float x1, float y1, Rgb to)
    {
        var dx = x1 - x0;
        var dy = y1 - y0;
        var len2 = MathF.Max(dx * dx + dy * dy, 1e-6f);
        return new Paint(LinearKind, from, to, x0, y0, dx / len2, dy / len2);
    }

    public static Paint Vertical(float y0, Rgb top, float y1, Rgb bottom) => Linear(0, y0, top, 0, y1, bottom);

    public static Paint Radial(float cx, float cy, float radius, Rgb inner, Rgb outer) =>
        new(RadialKind, inner, outer, cx, cy, 1f / MathF.Max(radius, 1e-3f), 0);

    public Rgb At(float x, float y)
    {
        switch (_kind)
        {
            case SolidKind:
                return _a;
            case LinearKind:
                return _a.Lerp(_b, Mathx.Clamp01((x - _x0) * _ux + (y - _y0) * _uy));
            default:
                var dx = x - _x0;
                var dy = y - _y0;
                return _a.Lerp(_b, Mathx.Clamp01(MathF.Sqrt(dx * dx + dy * dy) * _ux));
        }
    }
}
