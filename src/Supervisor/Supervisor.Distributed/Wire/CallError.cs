namespace Supervisor.Distributed.Wire;

/// <summary>
/// How one call failed, as it crosses back: the error described by text, with (for an error raised in a worker) the
/// worker and its process id on the node's machine.
/// </summary>
/// <param name="Kind">Why it has no value: never <see cref="OutcomeKind.Returned"/>.</param>
/// <param name="ErrorType">The exception's type name.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">Its stack trace in the worker, or empty.</param>
/// <param name="WorkerName">The worker that raised it, or empty when no worker did.</param>
/// <param name="ProcessId">That worker's process id, or 0.</param>
internal sealed record CallError(OutcomeKind Kind, string ErrorType, string Message, string StackTrace, string WorkerName = "", int ProcessId = 0);
