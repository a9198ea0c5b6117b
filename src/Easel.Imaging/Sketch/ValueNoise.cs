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
}
