using Microsoft.Extensions.Logging;

namespace Supervisor.Hosting.Logging;

/// <summary>
/// Where a hosted pool logs: its events to <c>Supervisor.Pools.{name}</c>, and what its workers print, line by line,
/// to <c>Supervisor.Workers.{name}</c> (see <see cref="WorkerOutputLog"/>).
/// </summary>
internal static class PoolLogging
{
    /// <summary>The category names' part for the default pool, whose name is empty.</summary>
    private const string DefaultPoolName = "default";

    public static ILogger PoolLogger(ILoggerFactory factory, string name) => factory.CreateLogger($"Supervisor.Pools.{Display(name)}");

    public static ILogger OutputLogger(ILoggerFactory factory, string name) => factory.CreateLogger($"Supervisor.Workers.{Display(name)}");

    /// <summary>The pool's name as logs and metrics show it: <c>default</c> for the pool without a name.</summary>
    public static string Display(string name) => name.Length == 0 ? DefaultPoolName : name;
}
