namespace Supervisor;

/// <summary>
/// Hears what a pool's supervision does: workers started, ended, replaced, calls sent again, the pool broken. Set it in
/// <see cref="WorkerOptions.Observer"/>; override what you need (logging, metrics, health checks), the rest do nothing.
/// </summary>
/// <remarks>
/// Called on the pool's own threads as each thing happens, and possibly from several at once: keep it quick and
/// thread-safe. An exception it throws is logged to <see cref="WorkerOptions.Logger"/> and otherwise ignored. Nothing is
/// allocated for it while no observer is set, and calls are timed only while <see cref="ObservesCalls"/> says so.
/// </remarks>
public abstract class PoolObserver
{
    /// <summary>A worker completed its handshake (and initializer) and takes tasks: a first one or a replacement.</summary>
    public virtual void OnWorkerStarted(WorkerInfo worker)
    {
    }

    /// <summary>
    /// A worker ended. <see cref="WorkerExited.Reason"/> tells a task timeout's kill (<see cref="WorkerExitReason.TimedOut"/>),
    /// a recycling at <see cref="WorkerOptions.MaxTasksPerWorker"/> (<see cref="WorkerExitReason.Recycled"/>) and a crash apart.
    /// </summary>
    public virtual void OnWorkerExited(WorkerExited exited)
    {
    }

    /// <summary>A new worker took the place of <paramref name="exited"/>.</summary>
    public virtual void OnWorkerReplaced(WorkerInfo exited, WorkerInfo replacement)
    {
    }

    /// <summary>A task a worker held when it ended was put back at the front of the queue.</summary>
    public virtual void OnCallRetried(CallRetried retried)
    {
    }

    /// <summary>
    /// Whether the pool times its calls and reports them to <see cref="OnCallsQueued"/>, <see cref="OnCallsSent"/> and
    /// <see cref="OnCallEnded"/>. Read as each task is queued, so keep it cheap (a metric instrument's <c>Enabled</c>, say):
    /// a task queued while it is false is never reported. Default: false, and calls cost nothing more.
    /// </summary>
    public virtual bool ObservesCalls => false;

    /// <summary><paramref name="calls"/> calls were queued (one for a submit, a map's chunk for a map).</summary>
    public virtual void OnCallsQueued(int calls)
    {
    }

    /// <summary>
    /// The <paramref name="calls"/> calls of one task left the queue for a worker the first time, after waiting
    /// <paramref name="queueWait"/>; a retry is not reported again.
    /// </summary>
    public virtual void OnCallsSent(int calls, TimeSpan queueWait)
    {
    }

    /// <summary>
    /// A call ended, once for each call <see cref="OnCallsQueued"/> reported: before its caller sees the outcome, or
    /// when a cancelled call is let go.
    /// </summary>
    public virtual void OnCallEnded(CallEnded ended)
    {
    }

    /// <summary>
    /// The pool broke: workers crashed more often than <see cref="WorkerOptions.MaxRestarts"/> allows, or a replacement could not
    /// start. Every waiting and later call fails with <paramref name="reason"/>.
    /// </summary>
    public virtual void OnPoolBroken(PoolBrokenException reason)
    {
    }
}
