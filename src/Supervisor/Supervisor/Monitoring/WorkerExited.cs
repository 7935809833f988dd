namespace Supervisor;

/// <summary>A worker ended (see <see cref="PoolObserver.OnWorkerExited"/>).</summary>
/// <param name="Worker">The worker that ended.</param>
/// <param name="Reason">Why: the queue was done, it was recycled, crashed, timed out, broke the protocol, or ignored a cancellation.</param>
/// <param name="ExitCode">Its exit code; negative when a signal ended it (−9 for SIGKILL), as in Python; null if unknown.</param>
/// <param name="LastErrorLines">The last lines it wrote to stderr when it did not end cleanly; empty otherwise.</param>
public readonly record struct WorkerExited(WorkerInfo Worker, WorkerExitReason Reason, int? ExitCode, IReadOnlyList<string> LastErrorLines)
{
    /// <summary>The signal that ended the worker (Unix), or null.</summary>
    public int? Signal => ExitCode < 0 ? -ExitCode : null;
}
