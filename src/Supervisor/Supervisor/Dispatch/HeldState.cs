namespace Supervisor.Dispatch;

/// <summary>Where a task sent to a worker is now (see <see cref="InFlightLedger.StateOf"/>).</summary>
internal enum HeldState
{
    /// <summary>Every call was answered: the worker no longer holds it.</summary>
    Answered,

    /// <summary>The worker runs it: it is the oldest task held.</summary>
    Running,

    /// <summary>It waits in the worker behind the task that runs.</summary>
    Queued,
}
