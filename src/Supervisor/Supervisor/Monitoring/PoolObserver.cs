namespace Supervisor;

/// <summary>
/// Hears what a pool's supervision does: workers started, ended, replaced, calls sent again, the pool broken. Set it in
/// <see cref="WorkerOptions.Observer"/>; override what you need (logging, metrics, health checks), the rest do nothing.
/// </summary>
/// <remarks>
/// Called on the pool's own threads as each thing happens, and possibly from several at once: keep it quick and
/// thread-safe. An exception it throws is logged to <see cref="WorkerOptions.Logger"/> and otherwise ignored. Nothing is
/// allocated for it while no observer is set.
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
    /// The pool broke: workers crashed more often than <see cref="WorkerOptions.MaxRestarts"/> allows, or a replacement could not
    /// start. Every waiting and later call fails with <paramref name="reason"/>.
    /// </summary>
    public virtual void OnPoolBroken(PoolBrokenException reason)
    {
    }
}
