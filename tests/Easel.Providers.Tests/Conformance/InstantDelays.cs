using System.Collections.Concurrent;

namespace Easel.Providers.Tests.Conformance;

/// <summary>
/// A clock under which retry waits pass at once and are recorded, so tests see which delays a
/// client chose (the server's Retry-After, or its own backoff) without sleeping. Timers longer
/// than <see cref="Longest"/> (call timeouts) never fire.
/// </summary>
internal sealed class InstantDelays : TimeProvider
{
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(2);

    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan || dueTime > Longest)
            return new Silent();
        Waits.Enqueue(dueTime);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new Silent();
    }

    private sealed class Silent : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
