namespace Supervisor.Dispatch;

/// <summary>
/// How much work one worker may hold at once, counted in calls (a chunk of a map is many calls in one task).
/// Several calls in flight hide the pipe's round trip behind work; too many make a long task hold others hostage
/// while another worker idles. So the window follows the measured time per call: about
/// <see cref="TargetQueuedMicroseconds"/> of work queued behind the running call, at least one call, at most the
/// configured number of tasks. It starts at one call and grows after the first results, as TCP's slow start.
/// </summary>
/// <remarks>
/// A task larger than the window is taken only by a worker that holds nothing: the chunks of a map then go one
/// at a time to whichever worker is free, instead of all to the first sender that wakes. Large tasks are bounded by
/// bytes as well: two of them in flight already keep the worker busy, and more only pile megabytes into buffers (the
/// sender's, the pipe's, the worker's queue) that each cost a copy.
/// </remarks>
internal sealed class CreditWindow(int maximumTasks)
{
    /// <summary>Work kept queued in a worker behind the running call, in microseconds.</summary>
    public const double TargetQueuedMicroseconds = 2_000;

    /// <summary>Serialized arguments in flight to one worker beyond which no third task is added: two pipe buffers.</summary>
    public const long MaxInFlightBytes = 2L * 1024 * 1024;

    /// <summary>
    /// Calls a worker holds from which it counts as busy: one running and one queued behind it. New tasks for a busy
    /// worker wait for its next result (<see cref="WaitWhileBusyAsync"/>).
    /// </summary>
    public const int BusyCalls = 2;

    // A bound on the window in calls, so that a near-zero measured time cannot overflow it.
    private const int MaximumCalls = 1 << 20;

    private readonly object _gate = new();
    private TaskCompletionSource? _waiter;
    private TaskCompletionSource? _returnWaiter;
    private int _waiterNeeds;
    private bool _returnedSinceSend;
    private double _averageCallMicroseconds = double.NaN;
    private int _size = 1;
    private int _tasks;
    private int _calls;
    private bool _alone;
    private long _bytes;

    /// <summary>How many calls a task taken now may hold: any number while the worker holds nothing, 0 when it is full.</summary>
    public int Room
    {
        get
        {
            lock (_gate) return RoomLocked();
        }
    }

    /// <summary>
    /// How many calls the worker wants now to hold about <see cref="TargetQueuedMicroseconds"/> of work: at least one,
    /// and one until its first results are measured. Unlike <see cref="Room"/> not unbounded for a worker that holds
    /// nothing, so tasks joined up to it never give one worker calls that another, idle, would run sooner.
    /// </summary>
    public int Wanted
    {
        get
        {
            lock (_gate) return Math.Max(1, _size - _calls);
        }
    }

    /// <summary>
    /// Waits until a task of <paramref name="calls"/> calls fits; once the window was full, until half of it is
    /// free, so a refill leaves in one write instead of one write per result.
    /// </summary>
    public Task WaitForRoomAsync(int calls, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (RoomLocked() >= calls) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiterNeeds = calls;
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Nagle's rule for tasks: while the worker is busy (<see cref="BusyCalls"/>) and has returned nothing since the
    /// last write (<see cref="MarkSent"/>), waits for its next result. Tasks put one at a time meanwhile gather in the
    /// queue and leave in one write, instead of a write each that the worker, already busy, could not use sooner;
    /// an idle worker (or one with only its running call) still gets a task at once, and the gathered tasks stay
    /// in the shared queue for any worker that is idle.
    /// </summary>
    public Task WaitWhileBusyAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_calls < BusyCalls || _returnedSinceSend) return Task.CompletedTask;
            _returnWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _returnWaiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The sender has written what it took: the next <see cref="WaitWhileBusyAsync"/> waits for a result after this.</summary>
    public void MarkSent()
    {
        lock (_gate) _returnedSinceSend = false;
    }

    /// <summary>
    /// Counts a task of <paramref name="calls"/> calls in (the caller checked <see cref="Room"/>, or must send it
    /// regardless). A task sent <paramref name="alone"/> leaves no room for another until the worker holds nothing.
    /// </summary>
    public void Take(int calls, bool alone = false)
    {
        lock (_gate)
        {
            _tasks++;
            _calls += calls;
            _alone |= alone;
        }
    }

    /// <summary>Adds the size of a task just taken, as sent.</summary>
    public void Charge(int bytes)
    {
        lock (_gate) _bytes += bytes;
    }

    /// <summary>
    /// Counts a task of <paramref name="calls"/> calls out, with the <paramref name="bytes"/> it was charged;
    /// <paramref name="microseconds"/> is the time its calls took in the worker, or null if unknown.
    /// </summary>
    public void Return(int calls, int bytes, double? microseconds)
    {
        TaskCompletionSource? wake = null;
        TaskCompletionSource? returned;
        lock (_gate)
        {
            _returnedSinceSend = true;
            returned = _returnWaiter;
            _returnWaiter = null;
            _tasks--;
            _calls -= calls;
            if (_tasks == 0) _alone = false;
            _bytes -= bytes;
            if (microseconds is { } spent && calls > 0)
            {
                var perCall = spent / calls;
                _averageCallMicroseconds = double.IsNaN(_averageCallMicroseconds) ? perCall : (_averageCallMicroseconds * 0.8) + (perCall * 0.2);
                _size = (int)Math.Clamp(1 + (TargetQueuedMicroseconds / Math.Max(_averageCallMicroseconds, 0.001)), 1, MaximumCalls);
            }
            if (_waiter is not null && RoomLocked() >= _waiterNeeds && (_tasks == 0 || (_calls <= _size / 2 && _tasks <= maximumTasks / 2)))
            {
                wake = _waiter;
                _waiter = null;
            }
        }
        wake?.TrySetResult();
        returned?.TrySetResult();
    }

    private int RoomLocked()
    {
        if (_tasks == 0) return int.MaxValue;
        if (_alone || _tasks >= maximumTasks) return 0;
        // Below two tasks the bytes do not count: a worker needs the next task queued behind the running one.
        if (_tasks >= 2 && _bytes >= MaxInFlightBytes) return 0;
        return Math.Max(0, _size - _calls);
    }
}
