namespace Supervisor.Tests.Support;

/// <summary>A clock that moves only when a test says so; its timers fire when <see cref="Advance"/> passes their time.</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private long _ticks = TimeSpan.FromDays(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_timers) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on, then fires every timer that is due, on the caller's thread.</summary>
    public void Advance(TimeSpan by)
    {
        var now = Interlocked.Add(ref _ticks, by.Ticks);
        List<ManualTimer> timers;
        lock (_timers) timers = [.. _timers];
        foreach (var timer in timers) timer.FireIfDue(now);
    }

    internal void Forget(ManualTimer timer)
    {
        lock (_timers) _timers.Remove(timer);
    }
}
