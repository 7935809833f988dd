using Microsoft.Extensions.Logging;

namespace Supervisor.Hosting.Logging;

/// <summary>
/// Where a hosted pool logs: its events to <c>Supervisor.Pools.{name}</c>, and what its workers print, line by line,
/// to <c>Supervisor.Workers.{name}</c> with the worker's name and pid in the scope (instead of the console).
/// </summary>
internal static class PoolLogging
{
    /// <summary>The category names' part for the default pool, whose name is empty.</summary>
    private const string DefaultPoolName = "default";

    public static ILogger PoolLogger(ILoggerFactory factory, string name) => factory.CreateLogger($"Supervisor.Pools.{Display(name)}");

    public static ILogger OutputLogger(ILoggerFactory factory, string name) => factory.CreateLogger($"Supervisor.Workers.{Display(name)}");

    /// <summary>The pool's name as logs and metrics show it: <c>default</c> for the pool without a name.</summary>
    public static string Display(string name) => name.Length == 0 ? DefaultPoolName : name;

    /// <summary>A copy of <paramref name="options"/> that logs through the host, unless the options name their own handlers.</summary>
    public static TOptions Attach<TOptions>(TOptions options, string name, ILoggerFactory factory)
        where TOptions : WorkerOptions
    {
        var output = OutputLogger(factory, name);
        return options with
        {
            Output = options.Output ?? (line => WorkerOutputLog.Write(output, line)),
            Logger = options.Logger ?? PoolLogger(factory, name),
        };
    }
}
