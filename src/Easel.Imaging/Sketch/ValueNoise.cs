namespace Easel.Imaging.Sketch;

/// <summary>
/// Smooth 2-D value noise from a small random lattice, sampled bilinearly with a smoothstep blend.
/// Precomputing the lattice keeps per-pixel cost to a few multiplies (Perlin per pixel is too slow
/// for the 150 ms budget).
/// </summary>
internal sealed class ValueNoise
{
    private readonly float[] _grid;
    private readonly int _columns;
    private readonly int _rows;
    private readonly float _inverseCell;

    /// <param name="cell">Lattice spacing in pixels: the size of a "blob".</param>
    public ValueNoise(int width, int height, float cell, ref SketchRandom random)
    {
        _inverseCell = 1f / MathF.Max(cell, 1f);
        _columns = (int)(width * _inverseCell) + 3;
        _rows = (int)(height * _inverseCell) + 3;
        _grid = new float[_columns * _rows];
        for (var i = 0; i < _grid.Length; i++)
            _grid[i] = random.NextFloat();
    }

    /// <summary>Noise in [0, 1] at pixel coordinates (clamped to the lattice outside the frame).</summary>
    public float Sample(float x, float y)
    {
        var gx = Math.Clamp(x * _inverseCell, 0, _columns - 2.001f);
        var gy = Math.Clamp(y * _inverseCell, 0, _rows - 2.001f);
        var ix = (int)gx;
        var iy = (int)gy;
        var fx = gx - ix;
        var fy = gy - iy;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        var i = iy * _columns + ix;
        var top = _grid[i] + (_grid[i + 1] - _grid[i]) * fx;
        var bottom = _grid[i + _columns] + (_grid[i + _columns + 1] - _grid[i + _columns]) * fx;
        return top + (bottom - top) * fy;
    }

    /// <summary>Noise in [-1, 1].</summary>
    public float Signed(float x, float y) => Sample(x, y) * 2 - 1;

    /// <summary>
    /// Adds <c>scale * (noise + offset)</c> for every pixel of row y (pixel centres) into dest: the
    /// vertical blend is done once per lattice column, so a whole row costs about one lerp per pixel.
    /// </summary>
    public void AddRow(int y, Span<float> dest, float scale, float offset = 0)
    {
        var gy = Math.Clamp((y + 0.5f) * _inverseCell, 0, _rows - 2.001f);
        var iy = (int)gy;
        var fy = gy - iy;
        fy = fy * fy * (3 - 2 * fy);
        Span<float> column = _columns <= 512 ? stackalloc float[_columns] : new float[_columns];
        var top = iy * _columns;
        for (var c = 0; c < _columns; c++)
            column[c] = _grid[top + c] + (_grid[top + _columns + c] - _grid[top + c]) * fy;
        for (var x = 0; x < dest.Length; x++)
        {
            var gx = Math.Clamp((x + 0.5f) * _inverseCell, 0, _columns - 2.001f);
            var ix = (int)gx;
            var fx = gx - ix;
            fx = fx * fx * (3 - 2 * fx);
            dest[x] += scale * (column[ix] + (column[ix + 1] - column[ix]) * fx + offset);
        }
    }
}

/// <summary>
/// A noise value per pixel, computed once per image (at half resolution: the noise is smooth) so
/// painting looks it up instead of recomputing it.
/// </summary>
internal sealed class NoiseField
{
    private readonly float[] _values;
    private readonly int _width;
    private readonly int _height;

    public NoiseField(int width, int height, params (ValueNoise Noise, float Scale, float Offset)[] octaves)
    {
        _width = (width + 1) / 2;
        _height = (height + 1) / 2;
        _values = new float[_width * _height];
        var full = new float[width];
        for (var y = 0; y < _height; y++)
        {
            full.AsSpan().Clear();
            foreach (var (noise, scale, offset) in octaves)
                noise.AddRow(Math.Min(2 * y, height - 1), full, scale, offset);
            var row = _values.AsSpan(y * _width, _width);
            for (var x = 0; x < _width; x++)
                row[x] = full[Math.Min(2 * x, width - 1)];
        }
    }

    public float At(float x, float y) =>
        _values[Math.Clamp((int)y >> 1, 0, _height - 1) * _width + Math.Clamp((int)x >> 1, 0, _width - 1)];
}
