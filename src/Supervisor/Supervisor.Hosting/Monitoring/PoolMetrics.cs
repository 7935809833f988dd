using System.Diagnostics;
using System.Diagnostics.Metrics;
using Supervisor.Hosting.Logging;

namespace Supervisor.Hosting.Monitoring;

/// <summary>
/// The instruments of every hosted pool, on the meter <see cref="SupervisorTelemetry.MeterName"/> from the host's
/// <see cref="IMeterFactory"/>, named in OpenTelemetry's style with units and tagged <c>supervisor.pool</c>. Counters
/// and histograms count what the pool's observer hears; gauges read each started pool's <see cref="PoolState"/> when
/// collected. Calls are timed only while a listener takes one of the call instruments (<see cref="ObservesCalls"/>).
/// </summary>
internal sealed class PoolMetrics
{
    public const string PoolTag = "supervisor.pool";
    public const string OutcomeTag = "supervisor.call.outcome";
    public const string ErrorTypeTag = "error.type";

    // From a millisecond to a minute: the exporters' default buckets (0 to 10,000) suit milliseconds, not seconds.
    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly Counter<long> _starts;
    private readonly Counter<long> _exits;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _breaks;
    private readonly Counter<long> _callsStarted;
    private readonly Counter<long> _callsCompleted;
    private readonly Counter<long> _callsFailed;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Lock _lock = new();
    private readonly List<(string Pool, IHostedWorkers Workers)> _pools = [];

    public PoolMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SupervisorTelemetry.MeterName);
        _starts = meter.CreateCounter<long>("supervisor.worker.starts", "{worker}", "Worker processes started, replacements included.");
        _exits = meter.CreateCounter<long>("supervisor.worker.exits", "{worker}",
            "Worker processes that ended, by supervisor.exit.reason: finished, recycled, crashed, broke_protocol, timed_out, cancel_ignored.");
        _retries = meter.CreateCounter<long>("supervisor.calls.retried", "{call}", "Calls sent again after their worker ended, by supervisor.blamed.");
        _breaks = meter.CreateCounter<long>("supervisor.pool.breaks", "{pool}", "Pools that broke (restart intensity reached).");
        _callsStarted = meter.CreateCounter<long>("supervisor.calls.started", "{call}", "Calls queued (a map counts each item).");
        _callsCompleted = meter.CreateCounter<long>("supervisor.calls.completed", "{call}", "Calls that returned a value.");
        _callsFailed = meter.CreateCounter<long>("supervisor.calls.failed", "{call}",
            "Calls that ended without a value, by supervisor.call.outcome (failed, cancelled) and error.type (the exception's type).");
        _callDuration = meter.CreateHistogram("supervisor.call.duration", "s",
            "From a call's queueing to its outcome (queue wait, retries, run), by supervisor.call.outcome.", tags: null, SecondsAdvice);
        _queueWait = meter.CreateHistogram("supervisor.call.queue_wait", "s",
            "How long a task waited in the queue before a worker took it (a map's chunk is one task).", tags: null, SecondsAdvice);
        meter.CreateObservableGauge("supervisor.workers.alive", () => Observe(s => s.WorkersAlive), "{worker}", "Workers running and taking tasks.");
        meter.CreateObservableGauge("supervisor.workers.busy", () => Observe(s => s.WorkersBusy), "{worker}", "Workers holding a call.");
        meter.CreateObservableGauge("supervisor.queue.depth", () => Observe(s => s.QueueDepth), "{task}", "Tasks waiting for a worker.");
        meter.CreateObservableGauge("supervisor.calls.in_flight", () => Observe(s => s.CallsInFlight), "{call}", "Calls sent to workers and not answered yet.");
    }

    /// <summary>Whether a listener takes any call instrument: only then are calls timed (a field read per instrument).</summary>
    public bool ObservesCalls =>
        _callsStarted.Enabled || _callsCompleted.Enabled || _callsFailed.Enabled || _callDuration.Enabled || _queueWait.Enabled;

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

    public void CallsQueued(string pool, int calls) => _callsStarted.Add(calls, new KeyValuePair<string, object?>(PoolTag, pool));

    public void CallsSent(string pool, TimeSpan queueWait) =>
        _queueWait.Record(queueWait.TotalSeconds, new KeyValuePair<string, object?>(PoolTag, pool));

    public void CallEnded(string pool, CallEnded ended)
    {
        var tags = new TagList { { PoolTag, pool }, { OutcomeTag, OutcomeName(ended.Status) } };
        if (ended.Error is { } error) tags.Add(ErrorTypeTag, error.GetType().FullName);
        _callDuration.Record(ended.Duration.TotalSeconds, tags);
        if (ended.Status == CallStatus.Succeeded) _callsCompleted.Add(1, new KeyValuePair<string, object?>(PoolTag, pool));
        else _callsFailed.Add(1, tags);
    }

    private static string OutcomeName(CallStatus status) => status switch
    {
        CallStatus.Succeeded => "succeeded",
        CallStatus.Failed => "failed",
        _ => "cancelled",
    };

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
