using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Easel.Core.Orders;
using Easel.Workflows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Easel.Server.Hosting;

/// <summary>
/// Tails the audit trail of every order (written by this process or any other on the same data
/// directory) and hands new events to live subscribers: the server-sent event streams.
/// </summary>
public sealed class OrderFeed(EaselServices services, ILogger<OrderFeed> logger) : BackgroundService
{
    /// <summary>How often the store is read when nothing in this process says it changed.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly List<Channel<OrderEvent>> _subscribers = [];
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Reads the store now rather than at the next poll (something in this process just changed an order).</summary>
    public void Nudge()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>
    /// Every event after <paramref name="afterSeq"/> (of one order, or of all when
    /// <paramref name="orderId"/> is null): first those already stored, then each new one as it
    /// happens, until <paramref name="cancellationToken"/> ends the stream.
    /// </summary>
    public async IAsyncEnumerable<OrderEvent> FollowAsync(string? orderId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading the past, so nothing falls between the two; duplicates are skipped by seq.
        var channel = Channel.CreateUnbounded<OrderEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
            _subscribers.Add(channel);
        try
        {
            var last = afterSeq;
            var store = services.Store.Orders;
            var past = orderId is null ? await store.EventsAfterAsync(afterSeq, 500, cancellationToken) : await store.EventsAsync(orderId, cancellationToken);
            foreach (var e in past)
            {
                if (e.Seq <= last)
                    continue;
                last = e.Seq;
                yield return e;
            }
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            {
                if (e.Seq <= last || (orderId is not null && e.OrderId != orderId))
                    continue;
                last = e.Seq;
                yield return e;
            }
        }
        finally
        {
            lock (_lock)
                _subscribers.Remove(channel);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = services.Store.Orders;
        long last;
        try
        {
            last = await store.LastEventSeqAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(PollInterval, stoppingToken);
                while (true)
                {
                    var events = await store.EventsAfterAsync(last, 500, stoppingToken);
                    if (events.Count == 0)
                        break;
                    Publish(events);
                    last = events[^1].Seq;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // A busy database: the next poll catches up from the same place.
                logger.LogWarning(ex, "Reading new order events failed; retrying.");
            }
        }
    }

    private void Publish(IReadOnlyList<OrderEvent> events)
    {
        Channel<OrderEvent>[] subscribers;
        lock (_lock)
            subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers)
        {
            foreach (var e in events)
                subscriber.Writer.TryWrite(e);
        }
    }
}
