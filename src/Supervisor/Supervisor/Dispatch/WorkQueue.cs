namespace Supervisor.Dispatch;

/// <summary>
/// The tasks waiting for a worker, shared by all workers of a group: each worker's sender takes the next one
/// when its window has room, so an idle worker never waits while another holds a queue. Tasks taken back from
/// a dead worker go to the front. Optionally bounded (Python's <c>maxsize</c>): producers then wait for room.
/// </summary>
internal sealed class WorkQueue : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<WorkItem> _retries = new();
    private readonly Queue<WorkItem> _items = new();
    private readonly int _capacity;
    private readonly SemaphoreSlim? _space;
    private readonly PoolEvents? _events;
    private TaskCompletionSource? _changed;
    private bool _completed;
    private bool _drained;
    private Exception? _fault;

    /// <param name="capacity">Most tasks waiting at once; 0 for no bound.</param>
    /// <param name="events">Where tasks are reported as they are queued, while the pool's observer observes calls.</param>
    public WorkQueue(int capacity = 0, PoolEvents? events = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _events = events;
        if (capacity > 0) _space = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Tasks waiting, retries included.</summary>
    public int Count
    {
        get { lock (_gate) return _items.Count + _retries.Count; }
    }

    /// <summary>Whether <see cref="Complete"/> was called.</summary>
    public bool IsCompleted
    {
        get { lock (_gate) return _completed; }
    }

    /// <summary>Adds a task, waiting for room when the queue is bounded and full.</summary>
    /// <exception cref="InvalidOperationException">The queue was completed: no new tasks are accepted.</exception>
    public async ValueTask EnqueueAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        if (_space is not null) await _space.WaitAsync(cancellationToken).ConfigureAwait(false);
        Add(item);
    }

    /// <summary>Adds a task at once, whatever the bound (a submission whose caller must not wait).</summary>
    public void Enqueue(WorkItem item) => Add(item);

    /// <summary>
    /// Puts a task taken back from a dead worker at the front; allowed after completion, not after
    /// <see cref="DrainAll"/>, which may have run since the caller looked: false then, and the caller fails the task.
    /// </summary>
    public bool Requeue(WorkItem item)
    {
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            if (_drained) return false;
            _retries.Enqueue(item);
            waiting = TakeWaiting();
        }
        waiting?.TrySetResult();
        return true;
    }

    /// <summary>No new tasks: senders end once the queue is empty (Python's EndOfQueue, one per worker).</summary>
    public void Complete()
    {
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            _completed = true;
            waiting = TakeWaiting();
        }
        waiting?.TrySetResult();
    }

    /// <summary>
    /// Takes the next task, retries first, if its calls fit in <paramref name="room"/>; otherwise leaves it for a
    /// worker with more room and says in <paramref name="needs"/> how many calls it holds (0: nothing is waiting).
    /// A <see cref="WorkItem.Suspect"/> task fits only a worker that holds nothing (<paramref name="room"/> is then
    /// <see cref="int.MaxValue"/>), and needs that much. A new <see cref="WorkItem.Joinable"/> task takes the
    /// joinable tasks queued behind it along, up to <paramref name="joinUpTo"/> calls in all (and within the room):
    /// one frame and one answer for a run of a queue's items instead of one each.
    /// </summary>
    public bool TryDequeue(int room, out WorkItem item, out int needs, int joinUpTo = 1)
    {
        var taken = 0;
        lock (_gate)
        {
            var queue = _retries.Count > 0 ? _retries : _items;
            if (!queue.TryPeek(out item!))
            {
                needs = 0;
                return false;
            }
            needs = item.Suspect ? int.MaxValue : item.Remaining;
            if (needs > room) return false;
            queue.Dequeue();
            if (queue == _items) taken = 1 + JoinFollowing(item, Math.Min(room, joinUpTo));
        }
        // Each task taken from the bounded part gives its place back, joined or not.
        if (taken > 0) _space?.Release(taken);
        return true;
    }

    /// <summary>Takes a task out before any worker got it (the caller cancelled it); false if it is not waiting here.</summary>
    public bool TryRemove(WorkItem item)
    {
        bool fromItems;
        lock (_gate)
        {
            fromItems = Remove(_items, item);
            if (!fromItems && !Remove(_retries, item)) return false;
        }
        if (fromItems) _space?.Release();
        return true;
    }

    /// <summary>Waits until a task is there (true) or the queue is completed and empty (false).</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_retries.Count > 0 || _items.Count > 0) return true;
                if (_completed) return false;
                // Completed outside the lock and without RunContinuationsAsynchronously: an idle sender writes the
                // task from the thread that added it, without a hop through the thread pool.
                _changed ??= new TaskCompletionSource();
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes every waiting task out for good; later additions throw <paramref name="fault"/> (a broken pool's reason).</summary>
    public List<WorkItem> DrainAll(Exception? fault = null)
    {
        List<WorkItem> drained;
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            drained = [.. _retries, .. _items];
            var released = _items.Count;
            _retries.Clear();
            _items.Clear();
            _completed = true;
            _drained = true;
            _fault ??= fault;
            waiting = TakeWaiting();
            if (released > 0) _space?.Release(Math.Min(released, _capacity));
        }
        waiting?.TrySetResult();
        return drained;
    }

    public void Dispose() => _space?.Dispose();

    private void Add(WorkItem item)
    {
        // Asked once per task, outside the lock: without an observer of calls this is all a task costs.
        var events = _events is { ObservesCalls: true } ? _events : null;
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            if (_completed)
            {
                _space?.Release();
                if (_fault is not null) throw new PoolBrokenException(_fault.Message, _fault);
                throw new InvalidOperationException("The queue is closed: EndOfQueue was put, so no new tasks are accepted.");
            }
            // Timed before a sender can see it: only a task that was accepted is reported, and all of its calls end.
            item.TimeWith(events);
            _items.Enqueue(item);
            waiting = TakeWaiting();
        }
        waiting?.TrySetResult();
        events?.CallsQueued(item.Count);
    }

    // Under the lock: joins the tasks queued behind item into it while they fit; returns how many it took.
    private int JoinFollowing(WorkItem item, int upTo)
    {
        var joined = 0;
        while (item.Joinable && _items.TryPeek(out var next) && item.Count + next.Count <= upTo && item.TryJoin(next))
        {
            _items.Dequeue();
            joined++;
        }
        return joined;
    }

    // Cancelling is rare and a queue is short next to the work it holds: rebuilding it is simpler than a linked list.
    private static bool Remove(Queue<WorkItem> queue, WorkItem item)
    {
        if (!queue.Contains(item)) return false;
        var kept = queue.Where(i => i != item).ToList();
        queue.Clear();
        foreach (var i in kept) queue.Enqueue(i);
        return true;
    }

    // Under the lock: the waiters to wake, once the lock is left, for every waiting sender; each then competes for
    // the task under the lock. Nothing is allocated while no sender waits, which is the common case under load.
    private TaskCompletionSource? TakeWaiting()
    {
        var waiting = _changed;
        _changed = null;
        return waiting;
    }
}
