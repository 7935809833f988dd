namespace Supervisor.Dispatch;

/// <summary>
/// Counts the free places for calls between a stream's source and its consumer. The feeder takes one place per
/// call; once none is left it waits until a quarter of them are free again. Calls then go out in batches that
/// leave in one write, instead of one at a time as each result frees a place (one wake-up and one write per call).
/// The number of places may change on the way (<see cref="Resize"/>): large calls get fewer.
/// </summary>
internal sealed class RefillGate
{
    private readonly object _gate = new();
    private TaskCompletionSource? _waiter;
    private int _capacity;
    private int _refillAt;
    // Negative after a shrink while more places than the new capacity were taken.
    private int _free;

    public RefillGate(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _free = capacity;
        _refillAt = Math.Max(1, capacity / 4);
    }

    /// <summary>Changes the number of places; places taken beyond a smaller capacity are given back as usual.</summary>
    public void Resize(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            if (capacity == _capacity) return;
            _free += capacity - _capacity;
            _capacity = capacity;
            _refillAt = Math.Max(1, capacity / 4);
            if (_waiter is not null && _free >= _refillAt)
            {
                wake = _waiter;
                _waiter = null;
            }
        }
        wake?.TrySetResult();
    }

    /// <summary>Takes a place if one is free.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            if (_free <= 0) return false;
            _free--;
            return true;
        }
    }

    /// <summary>Gives a place back (its call's outcome was consumed).</summary>
    public void Release()
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            _free++;
            if (_waiter is not null && _free >= _refillAt)
            {
                wake = _waiter;
                _waiter = null;
            }
        }
        wake?.TrySetResult();
    }

    /// <summary>Waits until a quarter of the places are free.</summary>
    public Task WaitForRefillAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_free >= _refillAt) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }
}
