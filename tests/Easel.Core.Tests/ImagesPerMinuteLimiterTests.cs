using Easel.Core.Generation;
using Easel.Testing;

namespace Easel.Core.Tests;

public sealed class ImagesPerMinuteLimiterTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // A safety net against a hung test, not a timing assertion: the manual clock drives everything.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _time = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    /// <summary>Waits until the first waiter sleeps on the clock, so nothing else can move until it advances.</summary>
    private void WaitUntilSleeping() =>
        SpinWait.SpinUntil(() => _time.ActiveTimers == 1, Hang).ShouldBeTrue("no caller is waiting on the clock");

    private Task Settled(params Task[] tasks) => Task.WhenAll(tasks).WaitAsync(Hang, _ct);

    [Fact]
    public async Task Two_of_four_callers_pass_at_once_and_the_others_wait_a_minute()
    {
        var limiter = new ImagesPerMinuteLimiter(8, _time);

        var calls = Enumerable.Range(0, 4).Select(_ => limiter.AcquireAsync(4, _ct).AsTask()).ToArray();

        calls[0].IsCompletedSuccessfully.ShouldBeTrue();
        calls[1].IsCompletedSuccessfully.ShouldBeTrue();
        WaitUntilSleeping();
        calls[2].IsCompleted.ShouldBeFalse();
        calls[3].IsCompleted.ShouldBeFalse();

        _time.Advance(Minute - TimeSpan.FromSeconds(1));
        calls[2].IsCompleted.ShouldBeFalse();
        calls[3].IsCompleted.ShouldBeFalse();

        _time.Advance(TimeSpan.FromSeconds(1));
        await Settled(calls[2], calls[3]);
    }

    [Fact]
    public async Task The_window_slides_rather_than_resetting_each_minute()
    {
        var limiter = new ImagesPerMinuteLimiter(4, _time);
        await limiter.AcquireAsync(2, _ct);
        _time.Advance(TimeSpan.FromSeconds(30));
        await limiter.AcquireAsync(2, _ct);

        // At 0:30 the window holds 2 (from 0:00) + 2 (from 0:30); 2 more fit once the first pair is a minute old.
        var next = limiter.AcquireAsync(2, _ct).AsTask();
        WaitUntilSleeping();
        _time.Advance(TimeSpan.FromSeconds(29));
        next.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));
        await Settled(next);

        _time.GetUtcNow().ShouldBe(new ManualTimeProvider().GetUtcNow() + Minute);
    }

    [Fact]
    public async Task A_margin_keeps_the_next_start_clear_of_the_vendors_own_minute()
    {
        // The vendor's minute begins when the first call arrives, after latency: starting again at exactly 1:00 could land inside it.
        var limiter = new ImagesPerMinuteLimiter(2, _time, TimeSpan.FromSeconds(2));
        await limiter.AcquireAsync(2, _ct);
        var next = limiter.AcquireAsync(1, _ct).AsTask();
        WaitUntilSleeping();
        _time.Advance(Minute);
        next.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(2));
        await Settled(next);
    }

    [Fact]
    public async Task Waiters_are_served_in_arrival_order_and_a_small_late_request_does_not_overtake()
    {
        var limiter = new ImagesPerMinuteLimiter(4, _time);
        var served = new List<string>();
        await limiter.AcquireAsync(3, _ct);

        // "big" needs the whole limit; "small" would fit now but arrived later, so it queues behind.
        var big = Record(limiter.AcquireAsync(4, _ct), "big");
        var small = Record(limiter.AcquireAsync(1, _ct), "small");
        WaitUntilSleeping();
        small.IsCompleted.ShouldBeFalse();

        _time.Advance(Minute);
        await Settled(big);
        WaitUntilSleeping();
        small.IsCompleted.ShouldBeFalse();

        _time.Advance(Minute);
        await Settled(small);
        lock (served)
            served.ShouldBe(["big", "small"]);

        async Task Record(ValueTask acquire, string name)
        {
            await acquire;
            lock (served)
                served.Add(name);
        }
    }

    [Fact]
    public async Task Many_waiters_pass_one_a_minute_in_order()
    {
        var limiter = new ImagesPerMinuteLimiter(1, _time);
        var calls = Enumerable.Range(0, 5).Select(_ => limiter.AcquireAsync(1, _ct).AsTask()).ToArray();
        calls[0].IsCompletedSuccessfully.ShouldBeTrue();

        for (var i = 1; i < calls.Length; i++)
        {
            WaitUntilSleeping();
            calls.Count(c => c.IsCompleted).ShouldBe(i);
            _time.Advance(Minute);
            await Settled(calls[i]);
        }
    }

    [Fact]
    public async Task A_request_over_the_limit_goes_alone_once_the_window_is_empty()
    {
        var limiter = new ImagesPerMinuteLimiter(8, _time);

        // Alone in an empty window it starts at once; then it fills the next minute.
        await limiter.AcquireAsync(20, _ct);
        var small = limiter.AcquireAsync(1, _ct).AsTask();
        WaitUntilSleeping();
        _time.Advance(Minute);
        await Settled(small);

        // Behind other starts it waits for the window to empty.
        var huge = limiter.AcquireAsync(20, _ct).AsTask();
        WaitUntilSleeping();
        _time.Advance(Minute - TimeSpan.FromSeconds(1));
        huge.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));
        await Settled(huge);
    }

    [Fact]
    public async Task A_cancelled_waiter_throws_takes_nothing_and_lets_the_next_one_through()
    {
        var limiter = new ImagesPerMinuteLimiter(2, _time);
        await limiter.AcquireAsync(2, _ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);

        var cancelled = limiter.AcquireAsync(2, cancel.Token).AsTask();
        var behind = limiter.AcquireAsync(1, _ct).AsTask();
        WaitUntilSleeping();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(cancelled.WaitAsync(Hang, _ct));
        WaitUntilSleeping();
        _time.Advance(Minute);
        await Settled(behind);

        // Only "behind" (1 image) is in the window: the cancelled request's 2 were never counted.
        limiter.AcquireAsync(1, _ct).IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_without_waiting()
    {
        var limiter = new ImagesPerMinuteLimiter(2, _time);
        await Should.ThrowAsync<OperationCanceledException>(limiter.AcquireAsync(1, new CancellationToken(canceled: true)).AsTask());
        limiter.AcquireAsync(2, _ct).IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task Concurrent_callers_never_exceed_the_limit()
    {
        var limiter = new ImagesPerMinuteLimiter(10, _time);
        var calls = Enumerable.Range(0, 100).Select(_ => Task.Run(() => limiter.AcquireAsync(1, _ct).AsTask(), _ct)).ToArray();

        for (var minute = 1; minute <= 10; minute++)
        {
            // Quiet once the minute's share has passed and the next caller sleeps on the clock.
            SpinWait.SpinUntil(() => calls.Count(c => c.IsCompleted) >= 10 * minute && (minute == 10 || _time.ActiveTimers == 1), Hang)
                .ShouldBeTrue();
            calls.Count(c => c.IsCompleted).ShouldBe(10 * minute);
            _time.Advance(Minute);
        }
        await Settled(calls);
    }

    [Fact]
    public async Task Refuses_nonsense_arguments()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new ImagesPerMinuteLimiter(0, _time));
        var limiter = new ImagesPerMinuteLimiter(5, _time);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(limiter.AcquireAsync(0, _ct).AsTask());
    }
}

public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Timers_fire_on_advance_in_due_order_and_see_their_own_due_time()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var fired = new List<(string Name, TimeSpan At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add(("early", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(5));
        fired.ShouldBeEmpty();
        time.Advance(TimeSpan.FromMinutes(1));

        fired.ShouldBe([("early", TimeSpan.FromSeconds(10)), ("late", TimeSpan.FromSeconds(30))]);
        time.GetUtcNow().ShouldBe(start + TimeSpan.FromSeconds(65));
        time.GetElapsedTime(time.GetTimestamp() - TimeSpan.TicksPerSecond).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Periodic_timers_repeat_and_change_and_dispose_are_honoured()
    {
        var time = new ManualTimeProvider();
        var ticks = 0;
        var timer = time.CreateTimer(_ => ticks++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(5));
        ticks.ShouldBe(3); // at 1, 3 and 5 seconds

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan).ShouldBeTrue();
        time.Advance(TimeSpan.FromMinutes(1));
        ticks.ShouldBe(3);

        timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(30));
        ticks.ShouldBe(4);

        timer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        timer.Dispose();
        time.Advance(TimeSpan.FromMinutes(1));
        ticks.ShouldBe(4);
        timer.Change(TimeSpan.Zero, TimeSpan.Zero).ShouldBeFalse();
        time.ActiveTimers.ShouldBe(0);
    }

    [Fact]
    public async Task Drives_task_delay_and_refuses_to_go_back()
    {
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromHours(1), time, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(59));
        delay.IsCompleted.ShouldBeFalse();
        time.SetUtcNow(time.GetUtcNow() + TimeSpan.FromMinutes(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Should.Throw<ArgumentOutOfRangeException>(() => time.SetUtcNow(time.GetUtcNow() - TimeSpan.FromTicks(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => time.Advance(TimeSpan.FromTicks(-1)));
    }
}
