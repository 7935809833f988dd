namespace Supervisor;

/// <summary>One call ended (see <see cref="PoolObserver.OnCallEnded"/>).</summary>
/// <param name="Status">Whether it returned a value, failed, or was cancelled by its caller.</param>
/// <param name="Duration">From the moment it was queued to its outcome: queue wait, retries and the run in its worker.</param>
/// <param name="Error">
/// Why it failed (<see cref="RemoteTaskException"/>, <see cref="WorkerCrashedException"/>, <see cref="TaskTimeoutException"/>,
/// <see cref="PoolBrokenException"/>, …); null when it succeeded or was cancelled.
/// </param>
public readonly record struct CallEnded(CallStatus Status, TimeSpan Duration, Exception? Error);
