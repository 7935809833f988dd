using Microsoft.Extensions.Logging;
using Supervisor.Supervision;

namespace Supervisor;

/// <summary>
/// Tells the pool's <see cref="PoolObserver"/>, if there is one, what supervision decided and, while it observes calls,
/// how each call went. Nothing is built while there is none; an observer that throws is logged, never allowed to take
/// supervision down.
/// </summary>
internal sealed class PoolEvents(PoolObserver? observer, ILogger? logger, TimeProvider clock)
{
    /// <summary>Whether a task queued now is timed and reported (see <see cref="PoolObserver.ObservesCalls"/>).</summary>
    public bool ObservesCalls
    {
        get
        {
            if (observer is null) return false;
            try
            {
                return observer.ObservesCalls;
            }
#pragma warning disable CA1031 // An observer's fault must not fail the caller's submission.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger?.LogError(e, "The pool's observer {Observer} threw", observer.GetType().Name);
                return false;
            }
        }
    }

    /// <summary>Now, on the clock calls are timed with.</summary>
    public long Timestamp() => clock.GetTimestamp();

    public void CallsQueued(int calls) => Raise(static (o, a) => o.OnCallsQueued(a), calls);

    public void CallsSent(int calls, long queuedAt) =>
        Raise(static (o, a) => o.OnCallsSent(a.Calls, a.Wait), (Calls: calls, Wait: clock.GetElapsedTime(queuedAt)));

    public void CallEnded(CallStatus outcome, long queuedAt, Exception? error) =>
        Raise(static (o, a) => o.OnCallEnded(a), new CallEnded(outcome, clock.GetElapsedTime(queuedAt), error));

    public void WorkerStarted(SupervisedWorker worker)
    {
        if (observer is null) return;
        Raise(static (o, a) => o.OnWorkerStarted(a), Info(worker));
    }

    public void WorkerExited(SupervisedWorker worker, WorkerExitReason reason)
    {
        if (observer is null) return;
        var clean = reason is WorkerExitReason.Finished or WorkerExitReason.Recycled;
        Raise(static (o, a) => o.OnWorkerExited(a), new WorkerExited(Info(worker), reason, worker.ExitCode, clean ? [] : worker.LastErrorLines));
    }

    public void WorkerReplaced(SupervisedWorker exited, SupervisedWorker replacement)
    {
        if (observer is null) return;
        Raise(static (o, a) => o.OnWorkerReplaced(a.Exited, a.Replacement), (Exited: Info(exited), Replacement: Info(replacement)));
    }

    public void CallRetried(SupervisedWorker worker, int calls, bool blamed, int attempts)
    {
        if (observer is null) return;
        Raise(static (o, a) => o.OnCallRetried(a), new CallRetried(Info(worker), calls, blamed, attempts));
    }

    public void PoolBroken(PoolBrokenException reason)
    {
        if (observer is null) return;
        Raise(static (o, a) => o.OnPoolBroken(a), reason);
    }

    private static WorkerInfo Info(SupervisedWorker worker) => new(worker.Name, worker.ProcessId);

    private void Raise<TArgument>(Action<PoolObserver, TArgument> call, TArgument argument)
    {
        try
        {
            call(observer!, argument);
        }
#pragma warning disable CA1031 // An observer's fault must not take the pool's supervision down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger?.LogError(e, "The pool's observer {Observer} threw", observer!.GetType().Name);
        }
    }
}
