using Supervisor.Dispatch;

namespace Supervisor.Transport;

/// <summary>How a worker ended and which tasks it still held.</summary>
/// <param name="Connection">The worker.</param>
/// <param name="Clean">EndOfQueue was sent, the worker exited with 0 and held nothing.</param>
/// <param name="Running">The task that was running when the worker ended (the likely cause of a crash), or null.</param>
/// <param name="Waiting">Tasks queued in the worker behind the running one: they never ran.</param>
/// <param name="ProtocolError">Why the worker was cut off, if it broke the protocol.</param>
/// <param name="TimedOut">The worker was killed because its running task passed the task timeout.</param>
/// <param name="Recycled">The worker ended cleanly because it reached its task or memory limit, and is to be replaced.</param>
/// <param name="MadeProgress">The worker completed at least one task: its death is not a crash loop.</param>
/// <param name="KilledForCancel">The worker was killed because a cancelled task did not stop within the grace period: not a crash.</param>
internal sealed record WorkerExit(
    WorkerConnection Connection, bool Clean, WorkItem? Running, IReadOnlyList<WorkItem> Waiting, string? ProtocolError, bool TimedOut, bool Recycled,
    bool MadeProgress, bool KilledForCancel);
