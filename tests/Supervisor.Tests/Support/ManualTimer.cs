namespace Supervisor.Tests.Support;

/// <summary>A timer of a <see cref="ManualClock"/>: due at a clock reading, never by wall time.</summary>
public sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
{
    private readonly Lock _gate = new();
    private long? _dueAt;
    private long _period;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _dueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetTimestamp() + dueTime.Ticks;
            _period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
        }
        return true;
    }

    internal void FireIfDue(long now)
    {
        lock (_gate)
        {
            if (_dueAt is not { } due || due > now) return;
            _dueAt = _period > 0 ? now + _period : null;
        }
        callback(state);
    }

    public void Dispose()
    {
        lock (_gate) _dueAt = null;
        clock.Forget(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
