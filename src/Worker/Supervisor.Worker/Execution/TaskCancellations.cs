namespace Supervisor.Worker.Execution;

/// <summary>
/// The tasks the supervisor cancelled. A Cancel is read on the pipe's thread while the main thread runs a call:
/// for the running task it cancels the call's token; for a task not started yet it is remembered, and that task's
/// calls are answered without running. Task ids grow, so a Cancel for a task already started and finished is stale.
/// </summary>
internal sealed class TaskCancellations : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _pending = [];
    private long _lastStarted;
    private long _running;
    private CancellationTokenSource? _source;

    /// <summary>On the pipe's thread: the supervisor cancelled <paramref name="taskId"/>.</summary>
    public void Cancel(long taskId)
    {
        lock (_gate)
        {
            if (taskId == _running && _source is not null)
            {
                // Callbacks run on the thread pool: user code registered on the token must not stall the pipe's reader.
                _ = _source.CancelAsync();
            }
            else if (taskId > _lastStarted)
            {
                _pending.Add(taskId);
            }
        }
    }

    /// <summary>On the main thread: <paramref name="taskId"/> starts; its calls get the returned token.</summary>
    public CancellationToken Start(long taskId)
    {
        lock (_gate)
        {
            _lastStarted = taskId;
            _running = taskId;
            _source = new CancellationTokenSource();
            if (_pending.Count > 0 && _pending.Remove(taskId)) _source.Cancel();
            return _source.Token;
        }
    }

    /// <summary>On the main thread: the task started last has ended.</summary>
    public void End()
    {
        lock (_gate)
        {
            _running = 0;
            _source?.Dispose();
            _source = null;
        }
    }

    public void Dispose() => End();
}
