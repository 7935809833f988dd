using Supervisor.Dispatch;

namespace Supervisor.Supervision;

/// <summary>
/// The grace a cancelled call gets to stop (<see cref="WorkerOptions.CancellationGracePeriod"/>): a worker still
/// running a cancelled task when it is over is killed, as for a timeout. A cancelled task still queued in the worker
/// behind a running call waits on: the worker skips it once it gets there.
/// </summary>
internal sealed class CancellationGrace(InFlightLedger ledger, TimeSpan period, TimeProvider clock, Action kill) : IDisposable
{
    private readonly Dictionary<long, ITimer> _timers = [];
    private volatile bool _killed;

    /// <summary>Whether the worker was killed because a cancelled task did not stop in time.</summary>
    public bool Killed => _killed;

    /// <summary>Starts the grace of task <paramref name="taskId"/>; false when it was started already (the Cancel is on its way).</summary>
    public bool TryStart(long taskId)
    {
        lock (_timers)
        {
            if (_timers.ContainsKey(taskId)) return false;
            _timers[taskId] = clock.CreateTimer(OnOver, taskId, period, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_timers)
        {
            foreach (var timer in _timers.Values) timer.Dispose();
            _timers.Clear();
        }
    }

    private void OnOver(object? state)
    {
        var taskId = (long)state!;
        switch (ledger.StateOf(taskId))
        {
            case HeldState.Answered:
                return;
            case HeldState.Queued:
                lock (_timers)
                {
                    if (_timers.TryGetValue(taskId, out var timer)) timer.Change(period, Timeout.InfiniteTimeSpan);
                }
                return;
            default:
                _killed = true;
                kill();
                return;
        }
    }
}
