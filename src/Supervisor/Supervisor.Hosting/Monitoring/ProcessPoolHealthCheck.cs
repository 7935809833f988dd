using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Supervisor.Hosting.Monitoring;

/// <summary>
/// A pool's health from its <see cref="PoolState"/>: healthy while its workers are up; degraded while it starts or
/// replaces workers or backs off after crashes (it still works, at reduced capacity); unhealthy once broken, or with no
/// worker alive and none coming.
/// </summary>
internal sealed class ProcessPoolHealthCheck(IHostedWorkers workers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = workers.State;
        var data = new Dictionary<string, object>
        {
            ["workers_alive"] = state.WorkersAlive,
            ["workers_busy"] = state.WorkersBusy,
            ["workers_starting"] = state.WorkersStarting,
            ["workers_backing_off"] = state.WorkersBackingOff,
            ["queue_depth"] = state.QueueDepth,
            ["calls_in_flight"] = state.CallsInFlight,
        };
        var result = state switch
        {
            { IsBroken: true } => new HealthCheckResult(context.Registration.FailureStatus, "The pool is broken: workers crashed past its restart intensity, or a replacement could not start.", data: data),
            { WorkersBackingOff: > 0 } => HealthCheckResult.Degraded($"{state.WorkersBackingOff} worker slots wait out a backoff after crashes.", data: data),
            { WorkersStarting: > 0 } => HealthCheckResult.Degraded($"{state.WorkersStarting} workers are starting (or replacing workers that ended).", data: data),
            { WorkersAlive: 0 } => new HealthCheckResult(context.Registration.FailureStatus, "No worker is running.", data: data),
            _ => HealthCheckResult.Healthy($"{state.WorkersAlive} workers up, {state.WorkersBusy} busy.", data),
        };
        return Task.FromResult(result);
    }
}
