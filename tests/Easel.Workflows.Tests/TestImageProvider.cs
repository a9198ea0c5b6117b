using System.Collections.Concurrent;
using Easel.Core.Generation;
using Easel.Imaging;
using Easel.Imaging.Png;

namespace Easel.Workflows.Tests;

/// <summary>
/// A provider that makes small solid-colour PNGs and records how it was called: how many calls,
/// with which seeds, and how many ran at the same time. Chosen calls can fail.
/// </summary>
internal sealed class TestImageProvider : IImageProvider
{
    public const string DefaultName = "test";
    public const string FailureMessage = "The test provider refused this call (quota exceeded).";

    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<GenerationRequest> _requests = new();
    private readonly TaskCompletionSource _overlapReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;

    public TestImageProvider(string name = DefaultName, int perCall = 4, int concurrency = 4, decimal pricePerImage = 0m, bool multiTurn = false, int maxReferences = 0)
    {
        Name = name;
        Capabilities = new ProviderCapabilities
        {
            Model = name + "-model",
            MaxImagesPerCall = perCall,
            MaxConcurrency = concurrency,
            SupportsNegativePrompt = true,
            SupportsSeed = true,
            SupportsTransparentBackground = true,
            PricePerImage = pricePerImage,
            SupportsPreviousResponse = multiTurn,
            MaxReferences = maxReferences,
            SupportsVariations = true,
        };
    }

    public string Name { get; }

    public ProviderCapabilities Capabilities { get; }

    /// <summary>How long each call takes, measured on <see cref="Clock"/>.</summary>
    public TimeSpan Latency { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Fails the call when this returns true; gets the 1-based call number and the request.</summary>
    public Func<int, GenerationRequest, bool>? FailWhen { get; init; }

    /// <summary>
    /// When set, each call waits (at most 30 s) until this many calls have been in flight together,
    /// so a test can see that the worker really runs calls side by side.
    /// </summary>
    public int? HoldUntilConcurrent { get; init; }

    /// <summary>Keeps the call waiting until it is cancelled when this returns true; gets the 1-based call number and the request.</summary>
    public Func<int, GenerationRequest, bool>? HangWhen { get; init; }

    public int Calls => Volatile.Read(ref _calls);

    public int CallsInFlight
    {
        get
        {
            lock (_lock)
                return _inFlight;
        }
    }

    public int MaxConcurrentCalls
    {
        get
        {
            lock (_lock)
                return _maxInFlight;
        }
    }

    public IReadOnlyList<GenerationRequest> Requests => _requests.ToArray();

    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (request.Count > Capabilities.MaxImagesPerCall)
            throw new ArgumentException($"{Name} makes at most {Capabilities.MaxImagesPerCall} images per call; {request.Count} were asked for.", nameof(request));

        var call = Interlocked.Increment(ref _calls);
        _requests.Enqueue(request);
        lock (_lock)
        {
            _inFlight++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
            if (HoldUntilConcurrent is { } wanted && _maxInFlight >= wanted)
                _overlapReached.TrySetResult();
        }
        try
        {
            if (HoldUntilConcurrent is not null)
            {
                try
                {
                    await _overlapReached.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Carry on: the test's assertion on MaxConcurrentCalls reports the shortfall.
                }
            }
            if (HangWhen?.Invoke(call, request) == true)
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            if (Latency > TimeSpan.Zero)
                await Task.Delay(Latency, Clock, cancellationToken);
            if (FailWhen?.Invoke(call, request) == true)
                throw new InvalidOperationException(FailureMessage);

            // Multi-turn providers name each response so a later call can continue from it.
            return request.Seeds.Select((seed, i) => new GeneratedImage(
                Png(request.Size, seed), "image/png", seed, Capabilities.Model,
                Capabilities.SupportsPreviousResponse ? $"resp_{call}_{i}" : null)).ToList();
        }
        finally
        {
            lock (_lock)
                _inFlight--;
        }
    }

    private static byte[] Png(ImageSize size, long seed)
    {
        var image = new RgbaImage(size.Width, size.Height);
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i += 4)
        {
            pixels[i] = (byte)seed;
            pixels[i + 1] = (byte)(seed >> 8);
            pixels[i + 2] = (byte)(seed >> 16);
            pixels[i + 3] = 255;
        }
        return PngEncoder.Encode(image);
    }
}
