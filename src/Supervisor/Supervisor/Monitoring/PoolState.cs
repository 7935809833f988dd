namespace Supervisor;

/// <summary>
/// A pool's state at one moment (<see cref="ProcessPool.State"/>): what its workers do and how much work it holds.
/// Each count is read on its own, so under load they may not add up exactly.
/// </summary>
public readonly record struct PoolState
{
    /// <summary>Workers whose process is running and that take tasks.</summary>
    public int WorkersAlive { get; init; }

    /// <summary>Workers holding at least one call without an answer.</summary>
    public int WorkersBusy { get; init; }

    /// <summary>Workers being started: the first ones, or replacements of workers that ended.</summary>
    public int WorkersStarting { get; init; }

    /// <summary>Slots waiting out a backoff before their replacement starts (crash loops, see <see cref="WorkerOptions.MaxRestarts"/>).</summary>
    public int WorkersBackingOff { get; init; }

    /// <summary>The pool broke (past its restart intensity, or a replacement could not start): it fails all work.</summary>
    public bool IsBroken { get; init; }

    /// <summary>Tasks waiting for a worker, retries included; a map's chunk is one task.</summary>
    public int QueueDepth { get; init; }

    /// <summary>Calls sent to workers and not yet answered.</summary>
    public int CallsInFlight { get; init; }
}
