using MessagePack;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Client;

/// <summary>Turns a call's outcome into the caller's value (read by the caller's result type) or exception.</summary>
internal static class OutcomeReader
{
    /// <summary>The outcomes of a task of <paramref name="firstIndex"/>.. as the pool's <see cref="TaskOutcome{T}"/>.</summary>
    public static IEnumerable<TaskOutcome<TResult>> Read<TResult>(IReadOnlyList<CallOutcome> outcomes, int firstIndex, int callCount)
    {
        if (outcomes.Count != callCount)
        {
            var error = new RemoteTaskException($"A node answered a task of {callCount} calls with {outcomes.Count} outcomes.");
            for (var i = 0; i < callCount; i++) yield return new TaskOutcome<TResult>(firstIndex + i, default, error);
            yield break;
        }
        for (var i = 0; i < callCount; i++) yield return Read<TResult>(outcomes[i], firstIndex + i);
    }

    private static TaskOutcome<TResult> Read<TResult>(CallOutcome outcome, int index)
    {
        switch (outcome.Kind)
        {
            case OutcomeKind.Returned:
                try
                {
                    return new TaskOutcome<TResult>(index, MessagePackSerializer.Deserialize<TResult>(outcome.Value, DistributedSerializer.Options), null);
                }
                catch (MessagePackSerializationException e)
                {
                    return new TaskOutcome<TResult>(index, default,
                        new RemoteTaskException($"The result of call {index} from node {outcome.NodeName} cannot be read as {typeof(TResult)}: {e.InnerException?.Message ?? e.Message}", e));
                }
            case OutcomeKind.FunctionUnavailable:
                return new TaskOutcome<TResult>(index, default, new FunctionUnavailableException(outcome.Message));
            case OutcomeKind.DeadLettered:
                return new TaskOutcome<TResult>(index, default, new CallDeadLetteredException(outcome.Message));
            default:
                // The local pool's exception: the worker named with its node, since its process id is the node's machine's.
                var worker = outcome.WorkerName.Length > 0 ? $"{outcome.WorkerName} on node {outcome.NodeName}" : $"node {outcome.NodeName}";
                return new TaskOutcome<TResult>(index, default, new RemoteTaskException(outcome.ErrorType, outcome.Message, outcome.StackTrace, worker, outcome.ProcessId));
        }
    }
}
