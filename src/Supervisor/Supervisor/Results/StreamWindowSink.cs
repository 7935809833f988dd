using MessagePack;

namespace Supervisor.Results;

/// <summary>
/// The outcomes of an imap's calls between the workers' receivers and the stream's consumer: in input order, each
/// kept in the place of its index until those before it are taken, or in arrival order. A stream keeps a bounded
/// number of calls between its source and its consumer, so the outcomes fit in a ring that grows only to that
/// number: an outcome costs an array store and a lock on each side, with no queue, dictionary or channel generic
/// over the caller's result type, whose code a first run would otherwise compile and run unoptimized.
/// </summary>
internal sealed class StreamWindowSink<T>(bool ordered) : IResultSink
{
    private const int InitialPlaces = 64;

    private readonly Lock _gate = new();
    private ResultReader<T> _reader;
    // Under _gate. In order, the outcome of call i lies at i modulo the length; unordered, _count of them from _first.
    private TaskOutcome<T>[] _outcomes = new TaskOutcome<T>[InitialPlaces];
    private bool[] _present = new bool[InitialPlaces];
    private int _next;
    private int _first;
    private int _count;
    private TaskCompletionSource? _waiter;

    public void OnResult(int index, ref MessagePackReader value)
    {
        // Read outside the lock: the receivers of two workers read their values at once.
        var outcome = _reader.TryRead(ref value, out var result, out var error)
            ? new TaskOutcome<T>(index, result, null)
            : new TaskOutcome<T>(index, default, error);
        Put(outcome);
    }

    public void OnFailure(int index, Exception error) => Put(new TaskOutcome<T>(index, default, error));

    /// <summary>Takes the next outcome (in order: of the next call) if it is in.</summary>
    public bool TryTake(out TaskOutcome<T> outcome)
    {
        lock (_gate)
        {
            var place = NextPlace();
            if (!_present[place])
            {
                outcome = default;
                return false;
            }
            outcome = _outcomes[place];
            // An error or a result object taken is not kept alive by the ring.
            _outcomes[place] = default;
            _present[place] = false;
            if (ordered)
            {
                _next++;
            }
            else
            {
                _first = (_first + 1) % _outcomes.Length;
                _count--;
            }
            return true;
        }
    }

    /// <summary>Completes when <see cref="TryTake"/> has an outcome to give; its continuation never runs on a receiver.</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (_present[NextPlace()]) return Task.CompletedTask;
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    private int NextPlace() => ordered ? _next % _outcomes.Length : _first;

    private void Put(TaskOutcome<T> outcome)
    {
        TaskCompletionSource? wake;
        lock (_gate) wake = Place(outcome);
        wake?.TrySetResult();
    }

    // Under _gate: puts the outcome in its place; returns the waiter it lets go, to be woken outside the lock.
    private TaskCompletionSource? Place(TaskOutcome<T> outcome)
    {
        int place;
        if (ordered)
        {
            // Each call answers once; an outcome of a call already taken has nobody left to read it.
            if (outcome.Index < _next) return null;
            if (outcome.Index - _next >= _outcomes.Length) Grow(outcome.Index - _next + 1);
            place = outcome.Index % _outcomes.Length;
        }
        else
        {
            if (_count == _outcomes.Length) Grow(_count + 1);
            place = (_first + _count) % _outcomes.Length;
            _count++;
        }
        _outcomes[place] = outcome;
        _present[place] = true;
        if (_waiter is null || (ordered && outcome.Index != _next)) return null;
        var wake = _waiter;
        _waiter = null;
        return wake;
    }

    // Under _gate: at least `places` places, every outcome held moved to its place in the larger ring.
    private void Grow(int places)
    {
        var length = _outcomes.Length;
        while (length < places) length *= 2;
        var outcomes = new TaskOutcome<T>[length];
        var present = new bool[length];
        for (var i = 0; i < _outcomes.Length; i++)
        {
            // Unordered, the oldest goes first; in order, each goes by its index.
            var from = ordered ? i : (_first + i) % _outcomes.Length;
            if (!_present[from]) continue;
            var to = ordered ? _outcomes[from].Index % length : i;
            outcomes[to] = _outcomes[from];
            present[to] = true;
        }
        _outcomes = outcomes;
        _present = present;
        _first = 0;
    }
}
