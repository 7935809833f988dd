using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;

namespace Supervisor.Supervision;

/// <summary>How a worker ended and what it still held: the input of <see cref="RecoveryPolicy"/>.</summary>
/// <param name="Reason">Why it ended.</param>
/// <param name="Held">The tasks it held unanswered, and how many it completed.</param>
/// <param name="KilledCall">The call it said it ran when the watchdog killed it for the timeout; null if none.</param>
/// <param name="ProtocolError">What it broke, when <paramref name="Reason"/> is <see cref="WorkerExitReason.BrokeProtocol"/>.</param>
internal sealed record WorkerExit(WorkerExitReason Reason, HeldTasks Held, RunningMessage? KilledCall = null, Exception? ProtocolError = null)
{
    /// <summary>Whether the worker completed at least one task: its death is not a crash loop.</summary>
    public bool MadeProgress => Held.TasksCompleted > 0;
}
