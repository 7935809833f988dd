using System.Diagnostics;

namespace Supervisor.Distributed.Node;

/// <summary>
/// A node's credit window: how many tasks it may hold waiting for or running on a worker. A node should hold no more
/// than it can run soon, or it sits on calls another node could run (and strands them if it dies); but a window of a
/// few tasks leaves its workers idle while each read and result crosses to Redis and back. So the window follows the
/// measured rate at which runs end: about <see cref="TargetHeldTime"/> of work, at least twice the workers (one running
/// and one waiting each), at most the configured maximum. It starts at its floor and grows with the rate, as TCP's slow
/// start: tiny calls soon reach the maximum; calls of a second or more stay at the floor.
/// </summary>
internal sealed class CreditWindow
{
    /// <summary>The work a node holds, in time at its measured rate: tens of round trips to Redis, a blink for a caller.</summary>
    public static readonly TimeSpan TargetHeldTime = TimeSpan.FromMilliseconds(20);

    private static readonly long MeasuringTicks = (long)(TargetHeldTime.TotalSeconds * Stopwatch.Frequency);
    private readonly Lock _gate = new();
    private readonly int _floor;
    private readonly int _maximum;
    private TaskCompletionSource? _room;
    private int _size;
    private int _taken;
    private int _endedSinceMeasure;
    private long _measureStart = Stopwatch.GetTimestamp();

    /// <param name="floor">The smallest window: twice the workers (capped by <paramref name="maximum"/>).</param>
    /// <param name="maximum">The largest window: <see cref="DistributedNodeOptions.MaxHeldTasks"/>.</param>
    public CreditWindow(int floor, int maximum)
    {
        _maximum = maximum;
        _floor = Math.Min(floor, maximum);
        _size = _floor;
    }

    /// <summary>The window's size now.</summary>
    public int Size
    {
        get
        {
            lock (_gate) return _size;
        }
    }

    /// <summary>Waits until the window has room; reserves all of it and returns how many tasks that is (at least one).</summary>
    public async Task<int> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                var free = _size - _taken;
                if (free > 0)
                {
                    _taken += free;
                    return free;
                }
                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back reserved room that no task took (a read brought fewer).</summary>
    public void Return(int count)
    {
        if (count <= 0) return;
        lock (_gate)
        {
            _taken -= count;
            SignalRoom();
        }
    }

    /// <summary>A task's run is over: its room is free, and it counts toward the measured rate.</summary>
    public void RunEnded()
    {
        lock (_gate)
        {
            _taken--;
            _endedSinceMeasure++;
            var now = Stopwatch.GetTimestamp();
            var elapsed = now - _measureStart;
            if (elapsed >= MeasuringTicks)
            {
                // Runs ended per target time, measured over at least one target time.
                var perTarget = _endedSinceMeasure * (double)MeasuringTicks / elapsed;
                _size = (int)Math.Clamp(Math.Ceiling(perTarget), _floor, _maximum);
                _endedSinceMeasure = 0;
                _measureStart = now;
            }
            SignalRoom();
        }
    }

    private void SignalRoom()
    {
        if (_taken >= _size || _room is null) return;
        _room.TrySetResult();
        _room = null;
    }
}
