namespace Easel.Imaging.Sketch;

/// <summary>
/// SplitMix64: tiny, fast and fully determined by its seed, so the same request always paints the
/// same pixels (System.Random's algorithm is not a documented contract).
/// </summary>
internal struct SketchRandom
{
    private ulong _state;

    public SketchRandom(ulong seed) => _state = seed;

    /// <summary>An independent stream per scene element, so adding a subject does not move the trees.</summary>
    public static SketchRandom For(long seed, string stream) =>
        new(Mix((ulong)seed * 0x9E3779B97F4A7C15UL ^ StableHash.Of(stream)));

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    public float Range(float min, float max) => min + (max - min) * NextFloat();

    public int Next(int maxExclusive) => (int)((NextULong() >> 33) % (ulong)maxExclusive);

    public bool Chance(float p) => NextFloat() < p;

    /// <summary>Roughly bell-shaped in [-1, 1] (sum of two uniforms), for natural-looking jitter.</summary>
    public float Jitter() => NextFloat() + NextFloat() - 1f;

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>FNV-1a over the characters: stable across processes and runtimes, unlike string.GetHashCode.</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 0x100000001B3UL;
        }
        return h;
    }

    /// <summary>A well-mixed 0..1 value for an integer lattice point; used for per-pixel grain and stars.</summary>
    public static float Lattice(int x, int y, uint salt)
    {
        var h = (uint)x * 0x8DA6B343u ^ (uint)y * 0xD8163841u ^ salt * 0xCB1AB31Fu;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        h ^= h >> 15;
        return (h >> 8) * (1f / (1 << 24));
    }
}
