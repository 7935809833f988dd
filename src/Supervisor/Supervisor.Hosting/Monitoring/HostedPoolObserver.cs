using Microsoft.Extensions.Logging;
using Supervisor.Hosting.Logging;

namespace Supervisor.Hosting.Monitoring;

/// <summary>
/// A hosted pool's observer: each event is logged (<see cref="PoolLog"/>) and counted (<see cref="PoolMetrics"/>), then
/// handed to the observer the options named, if any.
/// </summary>
internal sealed class HostedPoolObserver(string pool, ILogger logger, PoolMetrics metrics, PoolObserver? inner) : PoolObserver
{
    private readonly string _pool = PoolLogging.Display(pool);

    public override void OnWorkerStarted(WorkerInfo worker)
    {
        PoolLog.WorkerStarted(logger, worker.Name, worker.ProcessId);
        metrics.WorkerStarted(_pool);
        Forward(static (o, a) => o.OnWorkerStarted(a), worker);
    }

    public override void OnWorkerExited(WorkerExited exited)
    {
        var (name, pid) = (exited.Worker.Name, exited.Worker.ProcessId);
        switch (exited.Reason)
        {
            case WorkerExitReason.Finished:
                PoolLog.WorkerFinished(logger, name, pid);
                break;
            case WorkerExitReason.Recycled:
                PoolLog.WorkerRecycled(logger, name, pid);
                break;
            case WorkerExitReason.TimedOut:
                PoolLog.WorkerTimedOut(logger, name, pid);
                break;
            default:
                if (logger.IsEnabled(LogLevel.Error))
                {
                    PoolLog.WorkerCrashed(logger, name, pid, exited.Reason, exited.ExitCode, string.Join(Environment.NewLine, exited.LastErrorLines));
                }
                break;
        }
        metrics.WorkerExited(_pool, exited.Reason);
        Forward(static (o, a) => o.OnWorkerExited(a), exited);
    }

    public override void OnWorkerReplaced(WorkerInfo exited, WorkerInfo replacement)
    {
        PoolLog.WorkerReplaced(logger, replacement.Name, replacement.ProcessId, exited.Name, exited.ProcessId);
        Forward(static (o, a) => o.OnWorkerReplaced(a.Exited, a.Replacement), (Exited: exited, Replacement: replacement));
    }

    public override void OnCallRetried(CallRetried retried)
    {
        PoolLog.CallRetried(logger, retried.Calls, retried.Worker.Name, retried.Blamed, retried.Attempts);
        metrics.CallRetried(_pool, retried.Calls, retried.Blamed);
        Forward(static (o, a) => o.OnCallRetried(a), retried);
    }

    public override void OnPoolBroken(PoolBrokenException reason)
    {
        PoolLog.PoolBroken(logger, reason);
        metrics.PoolBroken(_pool);
        Forward(static (o, a) => o.OnPoolBroken(a), reason);
    }

    // Asked as each task is queued: a field read per instrument, and the options' observer's own answer.
    public override bool ObservesCalls => metrics.ObservesCalls || inner?.ObservesCalls == true;

    public override void OnCallsQueued(int calls)
    {
        metrics.CallsQueued(_pool, calls);
        Forward(static (o, a) => o.OnCallsQueued(a), calls);
    }

    public override void OnCallsSent(int calls, TimeSpan queueWait)
    {
        metrics.CallsSent(_pool, queueWait);
        Forward(static (o, a) => o.OnCallsSent(a.Calls, a.Wait), (Calls: calls, Wait: queueWait));
    }

    public override void OnCallEnded(CallEnded ended)
    {
        metrics.CallEnded(_pool, ended);
        Forward(static (o, a) => o.OnCallEnded(a), ended);
    }

    // The user's observer must not keep ours from logging and counting, nor reach supervision.
    private void Forward<TArgument>(Action<PoolObserver, TArgument> call, TArgument argument)
    {
        if (inner is null) return;
        try
        {
            call(inner, argument);
        }
        catch (Exception e)
        {
            PoolLog.ObserverFailed(logger, e);
        }
    }
}
