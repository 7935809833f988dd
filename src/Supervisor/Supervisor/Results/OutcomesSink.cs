using MessagePack;

namespace Supervisor.Results;

/// <summary>
/// The outcomes of a map gathered into arrays, a failure kept in its call's place instead of failing the map: for a
/// caller that answers each call (a distributed node runs a task's calls as one map). Complete once every call has
/// an outcome.
/// </summary>
internal sealed class OutcomesSink<T>(int count) : IResultSink
{
    private ResultReader<T> _reader;
    private readonly T[] _values = new T[count];
    private readonly Exception?[] _errors = new Exception?[count];
    private readonly TaskCompletionSource<(T[] Values, Exception?[] Errors)> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining = count;

    /// <summary>Each call's value, or its error where the value's place holds the default.</summary>
    public Task<(T[] Values, Exception?[] Errors)> Task => _completion.Task;

    public void OnResult(int index, ref MessagePackReader value)
    {
        if (_reader.TryRead(ref value, out var result, out var error)) _values[index] = result;
        else _errors[index] = error;
        Ended(1);
    }

    // A run of primitive results is read straight into the array, as MapSink does.
    public int TakeRun(int index, ref MessagePackReader values, int count)
    {
        var taken = PrimitiveRun.Take(ref values, _values.AsSpan(index, count));
        if (taken > 0) Ended(taken);
        return taken;
    }

    public void OnFailure(int index, Exception error)
    {
        _errors[index] = error;
        Ended(1);
    }

    /// <summary>The caller cancelled: its task completes as cancelled by <paramref name="cancellationToken"/>, now.</summary>
    public void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);

    private void Ended(int calls)
    {
        if (Interlocked.Add(ref _remaining, -calls) == 0) _completion.TrySetResult((_values, _errors));
    }
}
