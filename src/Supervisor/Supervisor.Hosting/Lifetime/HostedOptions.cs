using Microsoft.Extensions.Logging;
using Supervisor.Hosting.Logging;
using Supervisor.Hosting.Monitoring;

namespace Supervisor.Hosting.Lifetime;

/// <summary>What a host adds to a pool's options: its output to the host's logging, its events to logs and metrics.</summary>
internal static class HostedOptions
{
    /// <summary>
    /// A copy of <paramref name="options"/> whose worker output goes to the host's logging (unless the options name their
    /// own <see cref="WorkerOptions.Output"/>) and whose events are logged and counted before reaching the options' own observer.
    /// </summary>
    public static TOptions Apply<TOptions>(TOptions options, string name, ILoggerFactory loggers, PoolMetrics metrics)
        where TOptions : WorkerOptions
    {
        var output = PoolLogging.OutputLogger(loggers, name);
        return options with
        {
            Output = options.Output ?? (line => WorkerOutputLog.Write(output, line)),
            Observer = new HostedPoolObserver(name, PoolLogging.PoolLogger(loggers, name), metrics, options.Observer),
        };
    }
}
