namespace Supervisor.Dispatch;

/// <summary>
/// How many tasks one worker may hold at once. Several in flight hide the pipe's round trip behind work; too
/// many make a long task hold others hostage while another worker idles. So the window follows the measured
/// task time: about <see cref="TargetQueuedMicroseconds"/> of work queued behind the running task, at least 1,
/// at most the configured maximum. It starts at 1 and grows after the first results, as TCP's slow start.
/// Large tasks are bounded by bytes as well: two of them in flight already keep the worker busy, and more only
/// pile megabytes into buffers (the sender's, the pipe's, the worker's queue) that each cost a copy.
/// </summary>
internal sealed class CreditWindow(int maximum)
{
    /// <summary>Work kept queued in a worker behind the running task, in microseconds.</summary>
    public const double TargetQueuedMicroseconds = 2_000;

    /// <summary>Serialized arguments in flight to one worker beyond which no third task is added: two pipe buffers.</summary>
    public const long MaxInFlightBytes = 2L * 1024 * 1024;

    private readonly object _gate = new();
    private TaskCompletionSource? _waiter;
    private double _averageMicroseconds = double.NaN;
    private int _size = 1;
    private int _inFlight;
    private long _bytes;

    /// <summary>The current window.</summary>
    public int Size
    {
        get { lock (_gate) return _size; }
    }

    /// <summary>Waits until a task may be added; once the window was full, until half of it is free.</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (HasRoom()) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Counts a task in if there is room.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            if (!HasRoom()) return false;
            _inFlight++;
            return true;
        }
    }

    /// <summary>Adds the size of a task just taken, as sent.</summary>
    public void Charge(int bytes)
    {
        lock (_gate) _bytes += bytes;
    }

    /// <summary>
    /// Counts a task out; <paramref name="microseconds"/> is its time in the worker, or null if unknown, and
    /// <paramref name="bytes"/> what it was charged.
    /// </summary>
    public void Return(double? microseconds, int bytes = 0)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            _inFlight--;
            _bytes -= bytes;
            if (microseconds is { } spent)
            {
                _averageMicroseconds = double.IsNaN(_averageMicroseconds) ? spent : (_averageMicroseconds * 0.8) + (spent * 0.2);
                _size = (int)Math.Clamp(1 + (TargetQueuedMicroseconds / Math.Max(_averageMicroseconds, 1)), 1, maximum);
            }
            // The sender wakes when half the window is free, not at each result: a worker still holds half a
            // window of work, and the refill leaves in one write instead of one write per result.
            if (_inFlight <= _size / 2 && HasRoom())
            {
                wake = _waiter;
                _waiter = null;
            }
        }
        wake?.TrySetResult();
    }

    // Under the lock. Below two tasks the bytes do not count: a worker needs the next task queued behind the running one.
    private bool HasRoom() => _inFlight < _size && (_inFlight < 2 || _bytes < MaxInFlightBytes);
}
