namespace Supervisor;

/// <summary>Why a worker ended.</summary>
public enum WorkerExitReason
{
    /// <summary>The queue was done: it was sent EndOfQueue, held nothing, and exited with 0.</summary>
    Finished,

    /// <summary>It reached <see cref="WorkerOptions.MaxTasksPerWorker"/> or <see cref="WorkerOptions.MaxWorkerMemoryBytes"/> and ended cleanly, to be replaced.</summary>
    Recycled,

    /// <summary>It died: it exited on its own, was killed from outside, or ended holding tasks.</summary>
    Crashed,

    /// <summary>It was killed for sending what the protocol does not allow.</summary>
    BrokeProtocol,

    /// <summary>It was killed because its running call passed <see cref="WorkerOptions.TaskTimeout"/>.</summary>
    TimedOut,

    /// <summary>It was killed because a cancelled call did not stop within <see cref="WorkerOptions.CancellationGracePeriod"/>: no crash.</summary>
    CancelIgnored,
}
