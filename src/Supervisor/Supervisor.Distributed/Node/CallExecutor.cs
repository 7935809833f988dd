using System.Runtime.ExceptionServices;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Node;

/// <summary>Runs a task's calls on the node's local pool and turns what happened into outcomes.</summary>
internal sealed class CallExecutor(ProcessPool pool, FunctionCatalog catalog, string nodeName)
{
    /// <summary>Runs every call of <paramref name="frame"/>; all at once, the local pool spreading them over its workers in chunks.</summary>
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
        // Arguments that cannot be read fail their call alone (an ArgumentException); the others run together.
        var results = await function.RunAsync(pool, bound, frame.Calls, cancellationToken).ConfigureAwait(false);
        var errors = new CallError?[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            switch (results.ErrorOf(i))
            {
                case null:
                    break;
                case PoolBrokenException or OperationCanceledException:
                    ExceptionDispatchInfo.Throw(results.ErrorOf(i)!);
                    break;
                case WorkerCrashedException crash:
                    // Not the call's answer: the whole task is delivered again, up to the delivery limit.
                    return new TaskRun(null, $"{crash.GetType().FullName} on node {nodeName}: {crash.Message}");
                case RemoteTaskException remote:
                    errors[i] = new CallError(OutcomeKind.Failed, remote.RemoteType, remote.RemoteMessage, remote.RemoteStackTrace, remote.WorkerName, remote.ProcessId);
                    break;
                case var failure:
                    errors[i] = new CallError(OutcomeKind.Failed, failure.GetType().FullName!, failure.Message, "");
                    break;
            }
        }
        return new TaskRun(results.Encode(frame.TaskId, nodeName, errors), null);
    }

    private TaskRun AllFailed(CallFrame frame, OutcomeKind kind, string errorType, string message) =>
        new(ResultFrame.EncodeAllFailed(frame.TaskId, nodeName, frame.Calls.Count, new CallError(kind, errorType, message, "")), null);
}
