using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervisor.Hosting.Logging;
using Supervisor.Hosting.Monitoring;

namespace Supervisor.Hosting.Lifetime;

/// <summary>
/// Starts one pool (or queue) with the host and stops it with the host. It starts in <c>StartingAsync</c>, before
/// any hosted service's <c>StartAsync</c>, so a <c>BackgroundService</c> finds it ready and <c>ApplicationStarted</c>
/// comes after; a start failure fails the host, with the worker's stderr. It stops in <c>StoppedAsync</c>, after
/// every hosted service (a web server draining its requests among them) stopped: it takes no more work, lets calls
/// in flight finish until the host's shutdown timeout fires, then kills the workers, so the host never hangs on it.
/// </summary>
/// <remarks>
/// The pool is handed out by the container before it starts (a service's constructor may take it); calls made
/// before the start wait in its queue.
/// </remarks>
internal sealed class HostedWorkers(string name, Func<IHostedWorkers> resolve, ILogger logger, PoolMetrics metrics) : IHostedLifecycleService
{
    private IHostedWorkers? _workers;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var workers = _workers = resolve();
        try
        {
            await workers.StartWorkersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerStartException e)
        {
            HostingLog.PoolStartFailed(logger, e, PoolLogging.Display(name));
            // Calls queued before the start fail instead of waiting for workers that never come.
            await workers.TerminateAsync().ConfigureAwait(false);
            throw new WorkerStartException($"Process pool '{PoolLogging.Display(name)}' could not start: {e.Message}", e);
        }
        metrics.Track(name, workers);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var processIds = string.Join(", ", workers.Workers.Select(w => w.ProcessId.ToString(CultureInfo.InvariantCulture)));
            HostingLog.PoolStarted(logger, PoolLogging.Display(name), workers.Workers.Count, processIds);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_workers is not { } workers) return;
        HostingLog.PoolDraining(logger, PoolLogging.Display(name));
        workers.Close();
        try
        {
            await workers.JoinAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostingLog.PoolKilledAtShutdownTimeout(logger, PoolLogging.Display(name));
            await workers.TerminateAsync().ConfigureAwait(false);
        }
        HostingLog.PoolStopped(logger, PoolLogging.Display(name));
    }
}
