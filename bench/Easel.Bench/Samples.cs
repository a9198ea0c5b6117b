namespace Easel.Bench;

/// <summary>A set of timings in milliseconds, with the order statistics the report shows.</summary>
internal sealed class Samples
{
    private readonly double[] _sorted;

    public Samples(IEnumerable<double> milliseconds)
    {
        _sorted = milliseconds.ToArray();
        if (_sorted.Length == 0)
            throw new ArgumentException("At least one sample is needed.", nameof(milliseconds));
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    /// <summary>The samples in ascending order.</summary>
    public IReadOnlyList<double> All => _sorted;

    public double Min => _sorted[0];

    public double Max => _sorted[^1];

    public double Median => Percentile(50);

    public double Mean => _sorted.Average();

    public double P90 => Percentile(90);

    /// <summary>Linear interpolation between closest ranks (numpy's default), so small sets still give a stable p90.</summary>
    public double Percentile(double p)
    {
        var rank = p / 100 * (_sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return _sorted[lo] + (_sorted[hi] - _sorted[lo]) * (rank - lo);
    }
}
