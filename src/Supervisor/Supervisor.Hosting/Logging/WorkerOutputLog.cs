using Microsoft.Extensions.Logging;

namespace Supervisor.Hosting.Logging;

/// <summary>A worker's stdout and stderr lines as log entries, in a scope that names the worker and its pid.</summary>
internal static partial class WorkerOutputLog
{
    private static readonly Func<ILogger, string, int, IDisposable?> Scope =
        LoggerMessage.DefineScope<string, int>("{WorkerName} (pid {ProcessId})");

    public static void Write(ILogger logger, WorkerOutputLine line)
    {
        var level = line.IsError ? LogLevel.Warning : LogLevel.Information;
        if (!logger.IsEnabled(level)) return;
        using var scope = Scope(logger, line.WorkerName, line.ProcessId);
        if (line.IsError) StandardError(logger, line.Text);
        else StandardOutput(logger, line.Text);
    }

    [LoggerMessage(EventId = 1100, EventName = "WorkerStandardOutput", Level = LogLevel.Information, Message = "{Line}")]
    private static partial void StandardOutput(ILogger logger, string line);

    [LoggerMessage(EventId = 1101, EventName = "WorkerStandardError", Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void StandardError(ILogger logger, string line);
}
