namespace Easel.Core.Generation;

/// <summary>
/// Keeps the images started in any 60-second window within a provider's limit. Shared by
/// concurrent callers; waiting callers are served in arrival order so none starves.
/// </summary>
/// <param name="margin">Added to the minute: a vendor counts calls when they arrive, a little after they start here.</param>
public sealed class ImagesPerMinuteLimiter(int imagesPerMinute, TimeProvider time, TimeSpan margin = default)
{
    private readonly TimeSpan _window = TimeSpan.FromMinutes(1) + (margin > TimeSpan.Zero ? margin : TimeSpan.Zero);

    private readonly int _limit = imagesPerMinute >= 1
        ? imagesPerMinute
        : throw new ArgumentOutOfRangeException(nameof(imagesPerMinute), imagesPerMinute, "The limit must be at least 1 image per minute.");

    private readonly TimeProvider _time = time ?? throw new ArgumentNullException(nameof(time));
    private readonly Lock _lock = new();

    // Starts still inside the window, oldest first, and their total.
    private readonly Queue<(long Timestamp, int Images)> _started = new();
    private int _startedImages;

    // Callers waiting, in arrival order; only the first one watches the clock.
    private readonly LinkedList<TaskCompletionSource> _waiting = new();

    public int ImagesPerMinute => _limit;

    /// <summary>Waits until <paramref name="images"/> more may start, then counts them as started.</summary>
    public async ValueTask AcquireAsync(int images, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        cancellationToken.ThrowIfCancellationRequested();

        LinkedListNode<TaskCompletionSource> me;
        lock (_lock)
        {
            if (_waiting.Count == 0 && TryStart(images, out _))
                return;
            me = _waiting.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (_waiting.First == me)
                me.Value.TrySetResult();
        }

        try
        {
            await me.Value.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                TimeSpan delay;
                lock (_lock)
                {
                    if (TryStart(images, out delay))
                    {
                        LeaveQueue(me);
                        return;
                    }
                }
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
                LeaveQueue(me);
            throw;
        }
    }

    /// <summary>Starts the images if they fit; otherwise says how long until they could. Call under the lock.</summary>
    private bool TryStart(int images, out TimeSpan delay)
    {
        var now = _time.GetTimestamp();
        while (_started.TryPeek(out var oldest) && _time.GetElapsedTime(oldest.Timestamp, now) >= _window)
        {
            _started.Dequeue();
            _startedImages -= oldest.Images;
        }

        // A request larger than the limit could never fit; it goes alone once the window is empty.
        if (_startedImages == 0 || _startedImages + images <= _limit)
        {
            _started.Enqueue((now, images));
            _startedImages += images;
            delay = TimeSpan.Zero;
            return true;
        }

        // Wait for the oldest starts to leave the window until enough room is free.
        var remaining = _startedImages;
        foreach (var (timestamp, count) in _started)
        {
            remaining -= count;
            if (remaining == 0 || remaining + images <= _limit)
            {
                delay = _window - _time.GetElapsedTime(timestamp, now);
                return false;
            }
        }
        throw new InvalidOperationException("Unreachable: an empty window always has room.");
    }

    /// <summary>Removes a caller from the queue and, if it was first, hands the turn to the next. Call under the lock.</summary>
    private void LeaveQueue(LinkedListNode<TaskCompletionSource> node)
    {
        var wasFirst = _waiting.First == node;
        _waiting.Remove(node);
        if (wasFirst)
            _waiting.First?.Value.TrySetResult();
    }
}
