using System.Collections.Concurrent;

namespace Supervisor.Tests.Support;

/// <summary>A pool observer that keeps every event, and lets a test wait for the first of a kind.</summary>
public sealed class RecordingObserver : PoolObserver
{
    private readonly ConcurrentQueue<object> _events = new();
    private readonly TaskCompletionSource<(WorkerInfo Exited, WorkerInfo Replacement)> _replaced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<PoolBrokenException> _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every event so far, in the order raised: <see cref="WorkerInfo"/> for a start, the other payloads as they are.</summary>
    public IReadOnlyCollection<object> Events => _events;

    /// <summary>Completes with the first replacement.</summary>
    public Task<(WorkerInfo Exited, WorkerInfo Replacement)> Replaced => _replaced.Task;

    /// <summary>Completes when the pool breaks.</summary>
    public Task<PoolBrokenException> Broken => _broken.Task;

    public IEnumerable<T> Of<T>() => _events.OfType<T>();

    public override void OnWorkerStarted(WorkerInfo worker) => _events.Enqueue(worker);

    public override void OnWorkerExited(WorkerExited exited) => _events.Enqueue(exited);

    public override void OnWorkerReplaced(WorkerInfo exited, WorkerInfo replacement)
    {
        _events.Enqueue((exited, replacement));
        _replaced.TrySetResult((exited, replacement));
    }

    public override void OnCallRetried(CallRetried retried) => _events.Enqueue(retried);

    public override void OnPoolBroken(PoolBrokenException reason)
    {
        _events.Enqueue(reason);
        _broken.TrySetResult(reason);
    }
}
