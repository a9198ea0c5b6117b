namespace Easel.Imaging.Sketch;

/// <summary>
/// Runs a full-frame pass over horizontal bands of rows, in parallel when the frame is large enough
/// to pay for it. Every pass writes only its own rows, so the result never depends on thread timing.
/// </summary>
internal static class Rows
{
    private const long ParallelPixels = 160_000;

    public static void For(int y0, int y1, int width, Action<int, int> band)
    {
        var rows = y1 - y0;
        if (rows <= 0)
            return;
        if ((long)rows * width < ParallelPixels || Environment.ProcessorCount < 2 || rows < 8)
        {
            band(y0, y1);
            return;
        }
        var bands = Math.Min(rows / 4, Environment.ProcessorCount * 3);
        Parallel.For(0, bands, b => band(y0 + (int)((long)rows * b / bands), y0 + (int)((long)rows * (b + 1) / bands)));
    }
}
