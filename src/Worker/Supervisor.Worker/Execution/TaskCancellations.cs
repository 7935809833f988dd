namespace Supervisor.Worker.Execution;

/// <summary>
/// The tasks the supervisor cancelled. A Cancel is read on the pipe's thread while the main thread runs a call:
/// for the running task it marks the task cancelled and fires its token, if a call took one; for a task not started
/// yet it is remembered, and that task's calls are answered without running. Task ids grow, so a Cancel for a task
/// already started and finished is stale.
/// </summary>
internal sealed class TaskCancellations : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _pending = [];
    private long _lastStarted;
    private long _running;
    private volatile bool _cancelled;
    // Made only when a call takes a token: most never do, and a task should not cost a token source each.
    private CancellationTokenSource? _source;

    /// <summary>Whether the running task was cancelled: its calls not yet started are not run.</summary>
    public bool IsCancelled => _cancelled;

    /// <summary>The running task's token, for a method's <see cref="CancellationToken"/> parameter.</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_gate)
            {
                if (_source is null)
                {
                    _source = new CancellationTokenSource();
                    if (_cancelled) _source.Cancel();
                }
                return _source.Token;
            }
        }
    }

    /// <summary>On the pipe's thread: the supervisor cancelled <paramref name="taskId"/>.</summary>
    public void Cancel(long taskId)
    {
        lock (_gate)
        {
            if (taskId == _running)
            {
                _cancelled = true;
                // Callbacks run on the thread pool: user code registered on the token must not stall the pipe's reader.
                if (_source is not null) _ = _source.CancelAsync();
            }
            else if (taskId > _lastStarted)
            {
                _pending.Add(taskId);
            }
        }
    }

    /// <summary>On the main thread: <paramref name="taskId"/> starts.</summary>
    public void Start(long taskId)
    {
        lock (_gate)
        {
            _lastStarted = taskId;
            _running = taskId;
            _cancelled = _pending.Count > 0 && _pending.Remove(taskId);
        }
    }

    /// <summary>On the main thread: the task started last has ended.</summary>
    public void End()
    {
        lock (_gate)
        {
            _running = 0;
            _cancelled = false;
            _source?.Dispose();
            _source = null;
        }
    }

    public void Dispose() => End();
}
