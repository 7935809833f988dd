using Microsoft.Extensions.Logging;

namespace Supervisor.Hosting.Logging;

/// <summary>What a hosted pool's supervision does, as log entries with stable event ids (category <c>Supervisor.Pools.{name}</c>).</summary>
internal static partial class PoolLog
{
    [LoggerMessage(EventId = 1010, EventName = "WorkerStarted", Level = LogLevel.Debug,
        Message = "Worker {WorkerName} started (pid {ProcessId})")]
    public static partial void WorkerStarted(ILogger logger, string workerName, int processId);

    [LoggerMessage(EventId = 1011, EventName = "WorkerFinished", Level = LogLevel.Debug,
        Message = "Worker {WorkerName} (pid {ProcessId}) finished its queue and exited")]
    public static partial void WorkerFinished(ILogger logger, string workerName, int processId);

    [LoggerMessage(EventId = 1012, EventName = "WorkerRecycled", Level = LogLevel.Information,
        Message = "Worker {WorkerName} (pid {ProcessId}) was recycled (MaxTasksPerWorker or MaxWorkerMemoryBytes)")]
    public static partial void WorkerRecycled(ILogger logger, string workerName, int processId);

    [LoggerMessage(EventId = 1013, EventName = "WorkerTimedOut", Level = LogLevel.Warning,
        Message = "Worker {WorkerName} (pid {ProcessId}) was killed: its call ran past the task timeout")]
    public static partial void WorkerTimedOut(ILogger logger, string workerName, int processId);

    [LoggerMessage(EventId = 1014, EventName = "WorkerCrashed", Level = LogLevel.Error,
        Message = "Worker {WorkerName} (pid {ProcessId}) ended ({Reason}) with exit code {ExitCode}; its stderr ended with: {StderrTail}")]
    public static partial void WorkerCrashed(ILogger logger, string workerName, int processId, WorkerExitReason reason, int? exitCode, string stderrTail);

    [LoggerMessage(EventId = 1015, EventName = "WorkerReplaced", Level = LogLevel.Information,
        Message = "Worker {WorkerName} (pid {ProcessId}) replaces {ExitedName} (pid {ExitedProcessId})")]
    public static partial void WorkerReplaced(ILogger logger, string workerName, int processId, string exitedName, int exitedProcessId);

    [LoggerMessage(EventId = 1016, EventName = "CallRetried", Level = LogLevel.Warning,
        Message = "{Calls} calls held by {WorkerName} go back to the queue (blamed: {Blamed}, attempts: {Attempts})")]
    public static partial void CallRetried(ILogger logger, int calls, string workerName, bool blamed, int attempts);

    [LoggerMessage(EventId = 1017, EventName = "PoolBroken", Level = LogLevel.Critical,
        Message = "The pool is broken (restart intensity reached, or a replacement could not start); every call fails")]
    public static partial void PoolBroken(ILogger logger, Exception reason);

    [LoggerMessage(EventId = 1018, EventName = "ObserverFailed", Level = LogLevel.Error,
        Message = "The pool observer set in the options threw; supervision goes on")]
    public static partial void ObserverFailed(ILogger logger, Exception exception);
}
