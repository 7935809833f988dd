namespace Supervisor.Sharing;

/// <summary>
/// A queue a manager hosts: its items, and for a joinable queue the count of items put but not yet marked done.
/// Thread-safe: every session of the manager calls into it at once.
/// </summary>
internal sealed class HostedQueue(SharedObjectKind kind, int maxSize)
{
    private readonly ItemChannel _items = new(maxSize);
    private readonly Lock _lock = new();
    private long _unfinished;
    private TaskCompletionSource _allDone = Completed();
    private bool _ended;

    public void Close() => _items.Close();

    /// <summary>The manager is going away: waiting gets, puts and joins end now, a join with <see cref="SharingStatus.Ended"/>.</summary>
    public void End()
    {
        Close();
        lock (_lock)
        {
            _ended = true;
            _allDone.TrySetResult();
        }
    }

    public async ValueTask<SharingResponse> InvokeAsync(SharingRequest request, CancellationToken cancellationToken)
    {
        switch (request.Operation)
        {
            case SharingOperation.Put:
                return await PutAsync(request, cancellationToken).ConfigureAwait(false);
            case SharingOperation.Get:
                return await _items.TakeAsync(request.TimeoutMilliseconds, cancellationToken).ConfigureAwait(false);
            case SharingOperation.Count:
                return new SharingResponse(SharingStatus.Ok, _items.Count, null);
            case SharingOperation.Close:
                Close();
                return SharingResponse.Ok;
            case SharingOperation.TaskDone when kind == SharedObjectKind.JoinableQueue:
                return TaskDone();
            case SharingOperation.Join when kind == SharedObjectKind.JoinableQueue:
                return await JoinAsync(cancellationToken).ConfigureAwait(false);
            default:
                return SharingResponse.Refused($"A {kind} has no {request.Operation} operation.");
        }
    }

    private async ValueTask<SharingResponse> PutAsync(SharingRequest request, CancellationToken cancellationToken)
    {
        // Counted before it is visible, so a consumer's task_done can never run ahead of the count.
        if (kind == SharedObjectKind.JoinableQueue) Adjust(+1);
        var status = await _items.PutAsync(request.Payload, request.TimeoutMilliseconds, cancellationToken).ConfigureAwait(false);
        if (status != SharingStatus.Ok && kind == SharedObjectKind.JoinableQueue) Adjust(-1);
        return SharingResponse.Of(status);
    }

    private SharingResponse TaskDone() =>
        Adjust(-1) ? SharingResponse.Ok : SharingResponse.Refused("TaskDoneAsync was called more times than items were put.");

    private async ValueTask<SharingResponse> JoinAsync(CancellationToken cancellationToken)
    {
        Task allDone;
        lock (_lock) allDone = _allDone.Task;
        try
        {
            await allDone.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock) return _ended ? SharingResponse.Of(SharingStatus.Ended) : SharingResponse.Ok;
        }
        catch (OperationCanceledException)
        {
            return SharingResponse.Of(SharingStatus.Cancelled);
        }
    }

    // False, and no change, when it would take the count below zero.
    private bool Adjust(int change)
    {
        lock (_lock)
        {
            if (_unfinished + change < 0) return false;
            _unfinished += change;
            if (_unfinished == 0) _allDone.TrySetResult();
            else if (_allDone.Task.IsCompleted && !_ended) _allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
