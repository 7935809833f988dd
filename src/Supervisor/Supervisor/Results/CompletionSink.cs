using MessagePack;

namespace Supervisor.Results;

/// <summary>The outcome of a single call as a <see cref="Task{TResult}"/> (Python's <c>apply_async</c>).</summary>
internal sealed class CompletionSink<T> : IResultSink
{
    private ResultReader<T> _reader;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public void OnResult(int index, ref MessagePackReader value)
    {
        if (_reader.TryRead(ref value, out var result, out var error)) _completion.TrySetResult(result);
        else _completion.TrySetException(error);
    }

    public void OnFailure(int index, Exception error) => _completion.TrySetException(error);

    /// <summary>The caller cancelled: its task completes as cancelled by <paramref name="cancellationToken"/>, now.</summary>
    public void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
