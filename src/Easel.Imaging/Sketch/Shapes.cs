namespace Easel.Imaging.Sketch;

/// <summary>
/// A shape as a signed distance in pixels (negative inside). Coverage for anti-aliasing comes from
/// the distance, so every edge is clean at any size. Structs + generics let the JIT inline the
/// distance into the fill loop.
/// </summary>
internal interface IShape
{
    /// <summary>
    /// True when |Distance| never exceeds the real distance to the edge (exact or under-estimated), so
    /// a fill may skip that many pixels along a row without testing them. Resolved per shape type when
    /// the fill is compiled, so it costs nothing at run time.
    /// </summary>
    static abstract bool IsBound { get; }

    RectF Bounds { get; }

    float Distance(float x, float y);
}

internal readonly struct Circle(float cx, float cy, float r) : IShape
{
    public static bool IsBound => true;

    public RectF Bounds => RectF.Around(cx, cy, r, r);

    public float Distance(float x, float y)
    {
        var dx = x - cx;
        var dy = y - cy;
        return MathF.Sqrt(dx * dx + dy * dy) - r;
    }
}

/// <summary>
/// Ellipse, optionally rotated (radians); distance is the usual first-order approximation: exact
/// enough at the edge for anti-aliasing, but it can overstate distances far inside a long ellipse,
/// so it is not a bound.
/// </summary>
internal readonly struct Ellipse : IShape
{
    public static bool IsBound => false;

    private readonly float _cx, _cy, _rx, _ry, _cos, _sin;

    public Ellipse(float cx, float cy, float rx, float ry, float angle = 0)
    {
        _cx = cx;
        _cy = cy;
        _rx = MathF.Max(rx, 0.01f);
        _ry = MathF.Max(ry, 0.01f);
        _cos = MathF.Cos(angle);
        _sin = MathF.Sin(angle);
    }

    public RectF Bounds
    {
        get
        {
            var ex = MathF.Sqrt(_rx * _rx * _cos * _cos + _ry * _ry * _sin * _sin);
            var ey = MathF.Sqrt(_rx * _rx * _sin * _sin + _ry * _ry * _cos * _cos);
            return RectF.Around(_cx, _cy, ex, ey);
        }
    }

    public float Distance(float x, float y)
    {
        var dx = x - _cx;
        var dy = y - _cy;
        var px = dx * _cos + dy * _sin;
        var py = -dx * _sin + dy * _cos;
        var k0x = px / _rx;
        var k0y = py / _ry;
        var k1x = px / (_rx * _rx);
        var k1y = py / (_ry * _ry);
        var k0 = MathF.Sqrt(k0x * k0x + k0y * k0y);
        var k1 = MathF.Sqrt(k1x * k1x + k1y * k1y);
        if (k1 < 1e-6f)
            return -MathF.Min(_rx, _ry);
        return k0 * (k0 - 1) / k1;
    }
}

/// <summary>Rounded rectangle centred at (cx, cy) with half sizes, corner radius and rotation (radians).</summary>
internal readonly struct Box : IShape
{
    public static bool IsBound => true;

    private readonly float _cx, _cy, _hw, _hh, _r, _cos, _sin;

    public Box(float cx, float cy, float halfWidth, float halfHeight, float radius = 0, float angle = 0)
    {
        _cx = cx;
        _cy = cy;
        _r = MathF.Min(radius, MathF.Min(halfWidth, halfHeight));
        _hw = halfWidth - _r;
        _hh = halfHeight - _r;
        _cos = MathF.Cos(angle);
        _sin = MathF.Sin(angle);
    }

    public static Box FromEdges(float x0, float y0, float x1, float y1, float radius = 0) =>
        new((x0 + x1) / 2, (y0 + y1) / 2, MathF.Abs(x1 - x0) / 2, MathF.Abs(y1 - y0) / 2, radius);

    public RectF Bounds
    {
        get
        {
            var w = _hw + _r;
            var h = _hh + _r;
            var ex = MathF.Abs(w * _cos) + MathF.Abs(h * _sin);
            var ey = MathF.Abs(w * _sin) + MathF.Abs(h * _cos);
            return RectF.Around(_cx, _cy, ex, ey);
        }
    }

    public float Distance(float x, float y)
    {
        var dx = x - _cx;
        var dy = y - _cy;
        var px = MathF.Abs(dx * _cos + dy * _sin) - _hw;
        var py = MathF.Abs(-dx * _sin + dy * _cos) - _hh;
        var ox = MathF.Max(px, 0);
        var oy = MathF.Max(py, 0);
        return MathF.Sqrt(ox * ox + oy * oy) + MathF.Min(MathF.Max(px, py), 0) - _r;
    }
}

/// <summary>
/// A segment with round ends whose radius tapers from ra to rb: limbs, tails, necks, stems. With a
/// taper the distance is off by a factor of 1/cos(taper angle); the drawings keep tapers gentle (well
/// under 30 degrees), which the fills' 0.8 skipping margin covers.
/// </summary>
internal readonly struct Capsule(float ax, float ay, float bx, float by, float ra, float rb) : IShape
{
    public static bool IsBound => true;

    public RectF Bounds
    {
        get
        {
            var r = MathF.Max(ra, rb);
            return new RectF(MathF.Min(ax, bx) - r, MathF.Min(ay, by) - r, MathF.Max(ax, bx) + r, MathF.Max(ay, by) + r);
        }
    }

    public float Distance(float x, float y)
    {
        var pax = x - ax;
        var pay = y - ay;
        var bax = bx - ax;
        var bay = by - ay;
        var len2 = bax * bax + bay * bay;
        var h = len2 > 1e-6f ? Mathx.Clamp01((pax * bax + pay * bay) / len2) : 0;
        var dx = pax - bax * h;
        var dy = pay - bay * h;
        return MathF.Sqrt(dx * dx + dy * dy) - (ra + (rb - ra) * h);
    }
}

/// <summary>Any simple polygon (even-odd inside test); vertices in pixels.</summary>
internal readonly struct Polygon : IShape
{
    public static bool IsBound => true;

    // Per edge: start x, start y, edge dx, dy, 1/|edge|^2 and dx/dy (for the crossing test), so the
    // per-pixel loop has no divisions.
    private readonly float[] _edges;
    private readonly RectF _bounds;

    public Polygon(float[] xy)
    {
        var n = xy.Length / 2;
        _edges = new float[n * 6];
        float x0 = float.MaxValue, y0 = float.MaxValue, x1 = float.MinValue, y1 = float.MinValue;
        for (var i = 0; i < n; i++)
        {
            var ax = xy[2 * i];
            var ay = xy[2 * i + 1];
            var j = (i + n - 1) % n;
            var ex = xy[2 * j] - ax;
            var ey = xy[2 * j + 1] - ay;
            var len2 = ex * ex + ey * ey;
            _edges[i * 6] = ax;
            _edges[i * 6 + 1] = ay;
            _edges[i * 6 + 2] = ex;
            _edges[i * 6 + 3] = ey;
            _edges[i * 6 + 4] = len2 > 1e-9f ? 1f / len2 : 0;
            _edges[i * 6 + 5] = MathF.Abs(ey) > 1e-9f ? ex / ey : 0;
            x0 = MathF.Min(x0, ax);
            x1 = MathF.Max(x1, ax);
            y0 = MathF.Min(y0, ay);
            y1 = MathF.Max(y1, ay);
        }
        _bounds = new RectF(x0, y0, x1, y1);
    }

    public RectF Bounds => _bounds;

    public float Distance(float x, float y)
    {
        var e = _edges;
        var best = float.MaxValue;
        var inside = false;
        for (var k = 0; k < e.Length; k += 6)
        {
            var ix = e[k];
            var iy = e[k + 1];
            var ex = e[k + 2];
            var ey = e[k + 3];
            var wx = x - ix;
            var wy = y - iy;
            var t = Mathx.Clamp01((wx * ex + wy * ey) * e[k + 4]);
            var dx = wx - ex * t;
            var dy = wy - ey * t;
            best = MathF.Min(best, dx * dx + dy * dy);
            // The edge runs from (ix, iy) to (ix + ex, iy + ey); count crossings of a ray to the left.
            if ((iy > y) != (iy + ey > y) && x < ix + e[k + 5] * wy)
                inside = !inside;
        }
        var d = MathF.Sqrt(best);
        return inside ? -d : d;
    }
}

/// <summary>The outline of a shape as a band of the given thickness (rings, bands, outlines).</summary>
internal readonly struct Ring<T>(T shape, float thickness) : IShape where T : struct, IShape
{
    public static bool IsBound => T.IsBound;

    public RectF Bounds => shape.Bounds.Inflate(thickness / 2);

    public float Distance(float x, float y) => MathF.Abs(shape.Distance(x, y)) - thickness / 2;
}

/// <summary>A minus B (crescent moons, rings with holes, cut-outs).</summary>
internal readonly struct Cut<TA, TB>(TA a, TB b) : IShape where TA : struct, IShape where TB : struct, IShape
{
    public static bool IsBound => TA.IsBound && TB.IsBound;

    public RectF Bounds => a.Bounds;

    public float Distance(float x, float y) => MathF.Max(a.Distance(x, y), -b.Distance(x, y));
}

/// <summary>A clipped to B (a stripe inside a body, a highlight inside glass).</summary>
internal readonly struct Clip<TA, TB>(TA a, TB b) : IShape where TA : struct, IShape where TB : struct, IShape
{
    public static bool IsBound => TA.IsBound && TB.IsBound;

    public RectF Bounds
    {
        get
        {
            var ra = a.Bounds;
            var rb = b.Bounds;
            return new RectF(MathF.Max(ra.X0, rb.X0), MathF.Max(ra.Y0, rb.Y0), MathF.Min(ra.X1, rb.X1), MathF.Min(ra.Y1, rb.Y1));
        }
    }

    public float Distance(float x, float y) => MathF.Max(a.Distance(x, y), b.Distance(x, y));
}

/// <summary>A shape grown (positive) or shrunk (negative) by a margin: rounder silhouettes, halos.</summary>
internal readonly struct Grow<T>(T shape, float by) : IShape where T : struct, IShape
{
    public static bool IsBound => T.IsBound;

    public RectF Bounds => shape.Bounds.Inflate(MathF.Max(by, 0));

    public float Distance(float x, float y) => shape.Distance(x, y) - by;
}
