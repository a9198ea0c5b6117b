using System.Diagnostics;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Bench;

/// <summary>
/// A stand-in for a vendor's API, for timing the order machinery alone: each call waits a fixed
/// latency (Task.Delay, no CPU), takes at most <c>maxPerCall</c> images, may fail at a set rate,
/// and returns the same small PNG for every image. It counts what it was asked to do, so a run
/// can show how many calls overlapped.
/// </summary>
internal sealed class BenchImageProvider : IImageProvider
{
    private const int Side = 64;

    // Made once with Easel's own encoder: BatchRunner reads the header and adds text chunks, so it must be a real PNG.
    private static readonly byte[] s_png = MakePng();

    private readonly TimeSpan _latency;
    private readonly double _failureRate;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _callTimes = [];
    private int _inFlight;
    private int _maxInFlight;
    private int _calls;
    private int _failures;

    /// <param name="failureRate">Fraction of calls, 0 to 1, that throw instead of returning images (seeded, so repeatable).</param>
    public BenchImageProvider(string name, TimeSpan latency, int maxPerCall, int concurrency, double failureRate = 0, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(failureRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(failureRate, 1);
        Name = name;
        _latency = latency;
        _failureRate = failureRate;
        _random = new Random(seed);
        Capabilities = new ProviderCapabilities
        {
            Model = "bench-fixed-latency",
            MaxImagesPerCall = maxPerCall,
            MaxConcurrency = concurrency,
            SupportsNegativePrompt = true,
            SupportsSeed = true,
            SupportsTransparentBackground = true,
            PricePerImage = 0m,
        };
    }

    public string Name { get; }

    public ProviderCapabilities Capabilities { get; }

    public TimeSpan Latency => _latency;

    /// <summary>Bytes of the PNG every call returns, per image.</summary>
    public static int PngBytes => s_png.Length;

    public static int PngSide => Side;

    /// <summary>Most calls that were inside <see cref="GenerateAsync"/> at the same moment.</summary>
    public int MaxInFlight
    {
        get
        {
            lock (_lock)
                return _maxInFlight;
        }
    }

    public int Calls
    {
        get
        {
            lock (_lock)
                return _calls;
        }
    }

    public int Failures
    {
        get
        {
            lock (_lock)
                return _failures;
        }
    }

    /// <summary>How long each call took, as the provider itself saw it.</summary>
    public IReadOnlyList<TimeSpan> CallTimes
    {
        get
        {
            lock (_lock)
                return [.. _callTimes];
        }
    }

    /// <summary>Starts counting afresh (the overlap and call figures belong to one measured run).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _maxInFlight = _inFlight;
            _calls = 0;
            _failures = 0;
            _callTimes.Clear();
        }
    }

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"{Name} makes at most {Capabilities.MaxImagesPerCall} images per call; {request.Count} were asked for.", nameof(request));

        bool fail;
        lock (_lock)
        {
            _calls++;
            _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
            fail = _failureRate > 0 && _random.NextDouble() < _failureRate;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            if (_latency > TimeSpan.Zero)
                await Task.Delay(_latency, cancellationToken);
            if (fail)
            {
                lock (_lock)
                    _failures++;
                throw new InvalidOperationException($"{Name}: simulated provider failure.");
            }
            var images = new GeneratedImage[request.Count];
            for (var i = 0; i < images.Length; i++)
                images[i] = new GeneratedImage(s_png, "image/png", request.Seeds[i], Capabilities.Model);
            return images;
        }
        finally
        {
            lock (_lock)
            {
                _inFlight--;
                _callTimes.Add(clock.Elapsed);
            }
        }
    }

    private static byte[] MakePng()
    {
        var image = new RgbaImage(Side, Side);
        for (var y = 0; y < Side; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < Side; x++)
            {
                row[x * 4] = (byte)(x * 4);
                row[x * 4 + 1] = (byte)(y * 4);
                row[x * 4 + 2] = 128;
                row[x * 4 + 3] = 255;
            }
        }
        return PngEncoder.Encode(image);
    }
}
