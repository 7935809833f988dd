using Microsoft.Extensions.Logging;

namespace Supervisor.Hosting.Logging;

/// <summary>What a hosted pool logs as the host starts and stops it; each entry has a stable event id.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1000, EventName = "PoolStarted", Level = LogLevel.Information,
        Message = "Process pool {Pool} started {Workers} workers (pids {ProcessIds})")]
    public static partial void PoolStarted(ILogger logger, string pool, int workers, string processIds);

    [LoggerMessage(EventId = 1001, EventName = "PoolStartFailed", Level = LogLevel.Critical,
        Message = "Process pool {Pool} could not start; the host stops")]
    public static partial void PoolStartFailed(ILogger logger, Exception exception, string pool);

    [LoggerMessage(EventId = 1002, EventName = "PoolDraining", Level = LogLevel.Information,
        Message = "Process pool {Pool} takes no more work and lets its calls finish")]
    public static partial void PoolDraining(ILogger logger, string pool);

    [LoggerMessage(EventId = 1003, EventName = "PoolStopped", Level = LogLevel.Information,
        Message = "Process pool {Pool} stopped: every worker ended")]
    public static partial void PoolStopped(ILogger logger, string pool);

    [LoggerMessage(EventId = 1004, EventName = "PoolKilledAtShutdownTimeout", Level = LogLevel.Warning,
        Message = "Process pool {Pool} still had calls running when the host's shutdown timeout passed; its workers are killed and those calls fail")]
    public static partial void PoolKilledAtShutdownTimeout(ILogger logger, string pool);
}
