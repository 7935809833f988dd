namespace Supervisor.Supervision;

/// <summary>What becomes of a worker's slot once the worker ended (see <see cref="RecoveryPolicy"/>).</summary>
internal enum WorkerFate
{
    /// <summary>The slot ends: the queue is done, or the pool is stopping.</summary>
    Retire,

    /// <summary>A new worker takes the slot, after the decision's backoff.</summary>
    Replace,

    /// <summary>Too many crashes: the pool breaks, and fails what waits.</summary>
    Break,
}
