namespace Supervisor.Dispatch;

/// <summary>
/// How many tasks one worker may hold at once. Several in flight hide the pipe's round trip behind work; too
/// many make a long task hold others hostage while another worker idles. So the window follows the measured
/// task time: about <see cref="TargetQueuedMicroseconds"/> of work queued behind the running task, at least 1,
/// at most the configured maximum. It starts at 1 and grows after the first results, as TCP's slow start.
/// </summary>
internal sealed class CreditWindow(int maximum)
{
    /// <summary>Work kept queued in a worker behind the running task, in microseconds.</summary>
    public const double TargetQueuedMicroseconds = 2_000;

    private readonly object _gate = new();
    private TaskCompletionSource? _waiter;
    private double _averageMicroseconds = double.NaN;
    private int _size = 1;
    private int _inFlight;

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
            if (_inFlight < _size) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Counts a task in if there is room.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            if (_inFlight >= _size) return false;
            _inFlight++;
            return true;
        }
    }

    /// <summary>Counts a task out; <paramref name="microseconds"/> is its time in the worker, or null if unknown.</summary>
    public void Return(double? microseconds)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            _inFlight--;
            if (microseconds is { } spent)
            {
                _averageMicroseconds = double.IsNaN(_averageMicroseconds) ? spent : (_averageMicroseconds * 0.8) + (spent * 0.2);
                _size = (int)Math.Clamp(1 + (TargetQueuedMicroseconds / Math.Max(_averageMicroseconds, 1)), 1, maximum);
            }
            // The sender wakes when half the window is free, not at each result: a worker still holds half a
            // window of work, and the refill leaves in one write instead of one write per result.
            if (_inFlight <= _size / 2)
            {
                wake = _waiter;
                _waiter = null;
            }
        }
        wake?.TrySetResult();
    }
}
