namespace Supervisor.Distributed.Wire;

/// <summary>
/// One call's outcome as it crosses back: a value not yet read, or an error described by text, with the node and (for
/// an error raised in a worker) the worker and its process id.
/// </summary>
internal sealed record CallOutcome(OutcomeKind Kind, ReadOnlyMemory<byte> Value, string ErrorType, string Message, string StackTrace,
    string NodeName, string WorkerName, int ProcessId)
{
    /// <summary>A returned value.</summary>
    public static CallOutcome Returned(ReadOnlyMemory<byte> value, string nodeName) => new(OutcomeKind.Returned, value, "", "", "", nodeName, "", 0);

    /// <summary>An error of <paramref name="kind"/>; <paramref name="workerName"/> empty when no worker raised it.</summary>
    public static CallOutcome Error(OutcomeKind kind, string errorType, string message, string stackTrace, string nodeName, string workerName = "", int processId = 0) =>
        new(kind, ReadOnlyMemory<byte>.Empty, errorType, message, stackTrace, nodeName, workerName, processId);
}
