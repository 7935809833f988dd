using System.Diagnostics;
using System.Diagnostics.Metrics;
using Supervisor.Hosting.Logging;

namespace Supervisor.Hosting.Monitoring;

/// <summary>
/// The instruments of every hosted pool, on the meter <see cref="SupervisorTelemetry.MeterName"/> from the host's
/// <see cref="IMeterFactory"/>, named in OpenTelemetry's style with units and tagged <c>supervisor.pool</c>. Counters
/// count what the pool's observer hears; gauges read each started pool's <see cref="PoolState"/> when collected.
/// </summary>
internal sealed class PoolMetrics
{
    public const string PoolTag = "supervisor.pool";

    private readonly Counter<long> _starts;
    private readonly Counter<long> _exits;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _breaks;
    private readonly Lock _lock = new();
    private readonly List<(string Pool, IHostedWorkers Workers)> _pools = [];

    public PoolMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SupervisorTelemetry.MeterName);
        _starts = meter.CreateCounter<long>("supervisor.worker.starts", "{worker}", "Worker processes started, replacements included.");
        _exits = meter.CreateCounter<long>("supervisor.worker.exits", "{worker}",
            "Worker processes that ended, by supervisor.exit.reason: finished, recycled, crashed, broke_protocol, timed_out, cancel_ignored.");
        _retries = meter.CreateCounter<long>("supervisor.call.retries", "{call}", "Calls sent again after their worker ended.");
        _breaks = meter.CreateCounter<long>("supervisor.pool.breaks", "{pool}", "Pools that broke (restart intensity reached).");
        meter.CreateObservableGauge("supervisor.workers.alive", () => Observe(s => s.WorkersAlive), "{worker}", "Workers running and taking tasks.");
        meter.CreateObservableGauge("supervisor.workers.busy", () => Observe(s => s.WorkersBusy), "{worker}", "Workers holding a call.");
        meter.CreateObservableGauge("supervisor.queue.depth", () => Observe(s => s.QueueDepth), "{task}", "Tasks waiting for a worker.");
        meter.CreateObservableGauge("supervisor.calls.in_flight", () => Observe(s => s.CallsInFlight), "{call}", "Calls sent to workers and not answered yet.");
    }

    /// <summary>Measures <paramref name="workers"/>' state from now on.</summary>
    public void Track(string pool, IHostedWorkers workers)
    {
        lock (_lock) _pools.Add((PoolLogging.Display(pool), workers));
    }

    public void WorkerStarted(string pool) => _starts.Add(1, new KeyValuePair<string, object?>(PoolTag, pool));

    public void WorkerExited(string pool, WorkerExitReason reason) =>
        _exits.Add(1, new TagList { { PoolTag, pool }, { "supervisor.exit.reason", ReasonTag(reason) } });

    public void CallRetried(string pool, int calls, bool blamed) =>
        _retries.Add(calls, new TagList { { PoolTag, pool }, { "supervisor.blamed", blamed } });

    public void PoolBroken(string pool) => _breaks.Add(1, new KeyValuePair<string, object?>(PoolTag, pool));

    private static string ReasonTag(WorkerExitReason reason) => reason switch
    {
        WorkerExitReason.Finished => "finished",
        WorkerExitReason.Recycled => "recycled",
        WorkerExitReason.Crashed => "crashed",
        WorkerExitReason.BrokeProtocol => "broke_protocol",
        WorkerExitReason.TimedOut => "timed_out",
        WorkerExitReason.CancelIgnored => "cancel_ignored",
        _ => "unknown",
    };

    private List<Measurement<int>> Observe(Func<PoolState, int> value)
    {
        lock (_lock)
        {
            return [.. _pools.Select(p => new Measurement<int>(value(p.Workers.State), new KeyValuePair<string, object?>(PoolTag, p.Pool)))];
        }
    }
}
