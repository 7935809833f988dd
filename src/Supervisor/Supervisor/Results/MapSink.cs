using MessagePack;

namespace Supervisor.Results;

/// <summary>The outcomes of a map gathered into one array; the first failure fails the whole map, as in Python.</summary>
internal sealed class MapSink<T>(int count) : IResultSink
{
    private ResultReader<T> _reader;
    private readonly T[] _results = new T[count];
    private readonly TaskCompletionSource<T[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining = count;

    public Task<T[]> Task => _completion.Task;

    public void OnResult(int index, ref MessagePackReader value)
    {
        if (!_reader.TryRead(ref value, out var result, out var error))
        {
            _completion.TrySetException(error);
            return;
        }
        _results[index] = result;
        if (Interlocked.Decrement(ref _remaining) == 0) _completion.TrySetResult(_results);
    }

    // A run of primitive results is read straight into the array, with one count for all of them (PrimitiveRun).
    public int TakeRun(int index, ref MessagePackReader values, int count)
    {
        var taken = PrimitiveRun.Take(ref values, _results.AsSpan(index, count));
        if (taken > 0 && Interlocked.Add(ref _remaining, -taken) == 0) _completion.TrySetResult(_results);
        return taken;
    }

    public void OnFailure(int index, Exception error) => _completion.TrySetException(error);

    /// <summary>The caller cancelled: its task completes as cancelled by <paramref name="cancellationToken"/>, now.</summary>
    public void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
