namespace Easel.Imaging.Sketch;

/// <summary>
/// A figure's own coordinate system: x to the figure's front (mirrored when it faces left), y up from
/// the ground it stands on, 1 unit = <c>scale</c> pixels. Drawings are written once in these units.
/// </summary>
internal readonly struct Figure(float x, float y, float scale, float facing)
{
    public float Scale => scale;

    public float Facing => facing;

    public float X(float lx) => x + lx * scale * facing;

    public float Y(float ly) => y - ly * scale;

    public float Len(float units) => units * scale;

    public Circle Circle(float cx, float cy, float r) => new(X(cx), Y(cy), r * scale);

    /// <summary>Angle in degrees, counter-clockwise as drawn facing right.</summary>
    public Ellipse Ellipse(float cx, float cy, float rx, float ry, float degrees = 0) =>
        new(X(cx), Y(cy), rx * scale, ry * scale, -Mathx.Deg(degrees) * facing);

    public Capsule Capsule(float ax, float ay, float bx, float by, float ra, float rb) =>
        new(X(ax), Y(ay), X(bx), Y(by), ra * scale, rb * scale);

    public Capsule Capsule(float ax, float ay, float bx, float by, float r) => Capsule(ax, ay, bx, by, r, r);

    public Box Box(float cx, float cy, float halfWidth, float halfHeight, float radius = 0, float degrees = 0) =>
        new(X(cx), Y(cy), halfWidth * scale, halfHeight * scale, radius * scale, -Mathx.Deg(degrees) * facing);

    /// <summary>Box from its edges (left, bottom, right, top) in figure units.</summary>
    public Box Rect(float left, float bottom, float right, float top, float radius = 0) =>
        Box((left + right) / 2, (bottom + top) / 2, MathF.Abs(right - left) / 2, MathF.Abs(top - bottom) / 2, radius);

    public Polygon Poly(params float[] xy)
    {
        var p = new float[xy.Length];
        for (var i = 0; i < xy.Length; i += 2)
        {
            p[i] = X(xy[i]);
            p[i + 1] = Y(xy[i + 1]);
        }
        return new Polygon(p);
    }
}

/// <summary>
/// Paints subject parts: applies the subject's light (time of day), a top-lit shading gradient across
/// the whole figure (so parts shade as one body), and the style's rules (flat, neon glass).
/// </summary>
internal sealed class Ink(Brush brush, Palette palette, Look look, float unit)
{
    private float _top;
    private float _bottom;

    public Figure F { get; private set; }

    public Palette Palette => palette;

    public Look Look => look;

    public Brush Brush => brush;

    /// <summary>Whether lights (windows, lamps, eyes of robots) should glow.</summary>
    public bool LightsOn => palette.Dark || look.Lighting == SketchLighting.Neon;

    public void Begin(Figure figure, float heightUnits)
    {
        F = figure;
        _top = figure.Y(heightUnits);
        _bottom = figure.Y(0);
    }

    public Paint Surface(Rgb c)
    {
        if (look.NeonTubes)
            return Paint.Solid(c.Scale(0.1f).Lerp(palette.NeonA, 0.06f));
        var lit = palette.OnSubject(c);
        if (look.FlatFill || look.Shading <= 0)
            return Paint.Solid(lit);
        var k = look.Shading;
        return Paint.Vertical(_top, lit.Shade(0.05f * k), _bottom, lit.Shade(-0.09f * k));
    }

    public void Fill<T>(in T shape, Rgb c, float opacity = 1f) where T : struct, IShape =>
        brush.Fill(shape, Surface(c), opacity);

    /// <summary>A light source (window, lamp, headlight, sparkle): not darkened by night, glows when dark.</summary>
    public void Emit<T>(in T shape, Rgb c, float glow = 1f) where T : struct, IShape
    {
        brush.Fill(shape, c);
        if (LightsOn && glow > 0)
            brush.Glow(shape, unit * 0.012f * glow, c, 0.45f);
    }

    public void Stroke<T>(in T shape, float widthUnits, Rgb c, float opacity = 1f) where T : struct, IShape =>
        brush.Fill(new Ring<T>(shape, F.Len(widthUnits)), Surface(c), opacity);

    /// <summary>A small dark eye with a catch-light: what makes a silhouette read as alive.</summary>
    public void Eye(float x, float y, float r)
    {
        var f = F;
        if (look.NeonTubes)
        {
            Emit(f.Circle(x, y, r * 0.8f), palette.NeonB);
            return;
        }
        brush.Fill(f.Circle(x, y, r), Paint.Solid(Rgb.Hex(0x1A1414)));
        if (look.Style is not (SketchStyle.PixelArt or SketchStyle.Minimal))
            brush.Fill(f.Circle(x + r * 0.3f, y + r * 0.35f, r * 0.35f), Paint.Solid(Rgb.White), 0.9f);
    }
}
