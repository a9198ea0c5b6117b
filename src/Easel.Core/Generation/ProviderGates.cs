using System.Collections.Concurrent;
using Easel.Core.Orders;

namespace Easel.Core.Generation;

/// <summary>
/// Per-provider limits shared by every order in this process: calls at the same time and images
/// per minute. Configured limits override the provider's own defaults.
/// </summary>
public sealed class ProviderGates(IReadOnlyDictionary<string, ProviderLimitOptions> limits, TimeProvider time)
{
    /// <summary>
    /// Slack on every vendor's minute: the vendor's window starts when a call arrives, after network
    /// latency, so without it the first call after a full minute can land inside the vendor's minute.
    /// </summary>
    public static readonly TimeSpan VendorClockMargin = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, ProviderGate> _gates = new(StringComparer.OrdinalIgnoreCase);

    public ProviderGates(TimeProvider time)
        : this(new Dictionary<string, ProviderLimitOptions>(), time)
    {
    }

    public ProviderGate For(IImageProvider provider) =>
        _gates.GetOrAdd(provider.Name, _ =>
        {
            var configured = limits.TryGetValue(provider.Name, out var l) ? l : null;
            var concurrency = configured?.Concurrency ?? provider.Capabilities.MaxConcurrency;
            var perMinute = configured?.ImagesPerMinute ?? provider.Capabilities.ImagesPerMinute;
            return new ProviderGate(Math.Max(1, concurrency), perMinute is { } n ? new ImagesPerMinuteLimiter(n, time, VendorClockMargin) : null);
        });
}

/// <summary>One provider's limits.</summary>
public sealed class ProviderGate(int concurrency, ImagesPerMinuteLimiter? rate)
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    public int Concurrency => concurrency;

    /// <summary>Waits for a free call slot and room for <paramref name="images"/> in the rate limit; dispose to free the slot.</summary>
    public async Task<IDisposable> EnterAsync(int images, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            if (rate is not null)
                await rate.AcquireAsync(images, cancellationToken);
            return new Slot(_slots);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
