using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Node;

/// <summary>Runs a task's calls on the node's local pool and turns what happened into outcomes.</summary>
internal sealed class CallExecutor(ProcessPool pool, FunctionCatalog catalog, string nodeName)
{
    /// <summary>Runs every call of <paramref name="frame"/>; all at once, the local pool spreading them over its workers.</summary>
    /// <exception cref="PoolBrokenException">The local pool broke: the node cannot run anything more.</exception>
    public async Task<TaskRun> RunAsync(CallFrame frame, CancellationToken cancellationToken)
    {
        if (!catalog.TryResolve(frame.Function, out var function, out var error))
        {
            return AllFailed(frame, OutcomeKind.FunctionUnavailable, typeof(FunctionUnavailableException).FullName!, error);
        }
        Function bound;
        try
        {
            bound = function!.WithFixed(frame.Fixed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return AllFailed(frame, OutcomeKind.Failed, e.GetType().FullName!, e.Message);
        }
        var runs = await Task.WhenAll(frame.Calls.Select(call => RunCallAsync(function, bound, call, cancellationToken))).ConfigureAwait(false);
        var death = runs.FirstOrDefault(r => r.WorkerDeath is not null).WorkerDeath;
        return death is not null ? new TaskRun(null, death) : new TaskRun([.. runs.Select(r => r.Outcome!)], null);
    }

    private async Task<(CallOutcome? Outcome, string? WorkerDeath)> RunCallAsync(NodeFunction function, Function bound, EncodedCall call, CancellationToken cancellationToken)
    {
        try
        {
            var arguments = function.ReadArguments(call, bound);
            var value = await function.RunAsync(pool, bound, arguments, cancellationToken).ConfigureAwait(false);
            return (CallOutcome.Returned(value, nodeName), null);
        }
        catch (WorkerCrashedException e)
        {
            return (null, $"{e.GetType().FullName} on node {nodeName}: {e.Message}");
        }
        catch (RemoteTaskException e)
        {
            return (CallOutcome.Error(OutcomeKind.Failed, e.RemoteType, e.RemoteMessage, e.RemoteStackTrace, nodeName, e.WorkerName, e.ProcessId), null);
        }
        catch (Exception e) when (e is not PoolBrokenException and not OperationCanceledException)
        {
            return (CallOutcome.Error(OutcomeKind.Failed, e.GetType().FullName!, e.Message, "", nodeName), null);
        }
    }

    private TaskRun AllFailed(CallFrame frame, OutcomeKind kind, string errorType, string message) =>
        new([.. frame.Calls.Select(_ => CallOutcome.Error(kind, errorType, message, "", nodeName))], null);
}
