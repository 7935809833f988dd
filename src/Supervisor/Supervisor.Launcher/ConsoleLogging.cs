using Microsoft.Extensions.Logging;

namespace Supervisor.Launcher;

/// <summary>The launcher's logs: one line each, on stderr (stdout may be the results, <c>--output -</c>).</summary>
internal static class ConsoleLogging
{
    /// <summary>A factory whose loggers write <paramref name="minimum"/> and above to stderr.</summary>
    public static ILoggerFactory Create(LogLevel minimum) => LoggerFactory.Create(builder => builder
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddFilter(level => level >= minimum));
}
