using Supervisor.Dispatch;

namespace Supervisor.Transport;

/// <summary>How a worker ended and which tasks it still held.</summary>
/// <param name="Connection">The worker.</param>
/// <param name="Clean">EndOfQueue was sent, the worker exited with 0 and held nothing.</param>
/// <param name="Running">The oldest task the worker held unanswered when it ended, or null.</param>
/// <param name="Waiting">Tasks sent after <paramref name="Running"/> and unanswered.</param>
/// <param name="CauseKnown">
/// <paramref name="Running"/> surely holds the call that was running, as its first unanswered call: the worker held
/// that one call alone, or ran a task that reports each call, or named that call in its answer to a timeout's Probe.
/// Otherwise results the worker gathered but had not sent may have died with it, and any unanswered call may have
/// been the running one.
/// </param>
/// <param name="ProtocolError">Why the worker was cut off, if it broke the protocol.</param>
/// <param name="TimedOut">The worker was killed because its running task passed the task timeout.</param>
/// <param name="Recycled">The worker ended cleanly because it reached its task or memory limit, and is to be replaced.</param>
/// <param name="MadeProgress">The worker completed at least one task: its death is not a crash loop.</param>
/// <param name="KilledForCancel">The worker was killed because a cancelled task did not stop within the grace period: not a crash.</param>
internal sealed record WorkerExit(
    WorkerConnection Connection, bool Clean, WorkItem? Running, IReadOnlyList<WorkItem> Waiting, bool CauseKnown, string? ProtocolError, bool TimedOut, bool Recycled,
    bool MadeProgress, bool KilledForCancel);
