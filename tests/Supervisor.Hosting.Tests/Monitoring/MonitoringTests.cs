using System.Diagnostics.Metrics;
using HostingFunctions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Supervisor.Hosting.Tests.Support;
using Supervisor.Tests.Support;
using Plain = UserFunctions.Plain;
using Cancellable = UserFunctions.Cancellable;
using FileGate = UserFunctions.FileGate;

namespace Supervisor.Hosting.Tests.Monitoring;

/// <summary>Metrics, health and event logs of a hosted pool, through the testing collectors.</summary>
public sealed class MonitoringTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_crash_is_counted_logged_with_its_stderr_and_replaced_and_the_gauges_and_health_follow()
    {
        // No retries: the one call that kills its worker is one crash, counted once (the default would run it again).
        await using var hosted = TestHosts.BuildPool(o =>
        {
            o.Workers = 1;
            o.Retries = 0;
        }, pool => pool.AddHealthCheck());
        using var starts = Collect<long>(hosted, "supervisor.worker.starts");
        using var exits = Collect<long>(hosted, "supervisor.worker.exits");
        using var alive = Collect<int>(hosted, "supervisor.workers.alive");
        await hosted.StartAsync();
        var health = hosted.Get<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        await Assert.ThrowsAsync<WorkerCrashedException>(() => hosted.Pool.SubmitAsync(Crashes.SayAndDie, "the codec segfaulted"));
        await starts.WaitForMeasurementsAsync(2, Patience);

        var crash = Assert.Single(exits.GetMeasurementSnapshot());
        Assert.Equal(1, crash.Value);
        Assert.Equal("images", crash.Tags["supervisor.pool"]);
        Assert.Equal("crashed", crash.Tags["supervisor.exit.reason"]);
        Assert.All(starts.GetMeasurementSnapshot(), m => Assert.Equal("images", m.Tags["supervisor.pool"]));
        alive.RecordObservableInstruments();
        Assert.Equal(1, alive.LastMeasurement?.Value);
        var logged = hosted.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == "Supervisor.Pools.images").ToList();
        var crashed = Assert.Single(logged, r => r.Id.Name == "WorkerCrashed");
        Assert.Equal(1014, crashed.Id.Id);
        Assert.Contains("the codec segfaulted", crashed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_pool_is_unhealthy()
    {
        await using var hosted = TestHosts.BuildPool(o =>
        {
            o.Workers = 1;
            o.MaxRestarts = 0;
        }, pool => pool.AddHealthCheck());
        using var breaks = Collect<long>(hosted, "supervisor.pool.breaks");
        await hosted.StartAsync();

        // Past the restart intensity the call fails as the pool does, its crash as the cause.
        var broken = await Assert.ThrowsAsync<PoolBrokenException>(() => hosted.Pool.SubmitAsync(Crashes.SayAndDie, "again"));
        Assert.IsType<WorkerCrashedException>(broken.InnerException);
        await breaks.WaitForMeasurementsAsync(1, Patience);

        var report = await hosted.Get<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("broken", report.Entries["process-pool-images"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_call_is_counted_by_outcome_and_timed_from_its_queueing()
    {
        await using var hosted = TestHosts.BuildPool(o =>
        {
            o.Workers = 1;
            o.Retries = 0;
        });
        using var started = Collect<long>(hosted, "supervisor.calls.started");
        using var completed = Collect<long>(hosted, "supervisor.calls.completed");
        using var failed = Collect<long>(hosted, "supervisor.calls.failed");
        using var duration = Collect<double>(hosted, "supervisor.call.duration");
        using var queueWait = Collect<double>(hosted, "supervisor.call.queue_wait");
        await hosted.StartAsync();
        var pool = hosted.Pool;
        var marker = _directory.File("running");

        Assert.Equal(4, await pool.SubmitAsync(Plain.Square, 2));
        var squares = await pool.MapAsync(Plain.Square, [1, 2, 3], chunkSize: 3);
        Assert.Equal([1, 4, 9], squares);
        await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Plain.HundredDividedBy, 0));
        await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Crashes.SayAndDie, "the codec segfaulted"));
        using (var cancel = new CancellationTokenSource())
        {
            var call = pool.SubmitAsync(Cancellable.RunUntilCancelled, marker, cancel.Token);
            FileGate.WaitFor(marker, Patience);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }
        // The cancelled call ends when its worker answers the cancel, after its caller moved on.
        await failed.WaitForMeasurementsAsync(3, Patience);

        // Every call ends once, before its caller sees the outcome: started = completed + failed.
        Assert.Equal(7, started.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(4, completed.GetMeasurementSnapshot().EvaluateAsCounter());
        var failures = failed.GetMeasurementSnapshot();
        Assert.Equal(3, failures.EvaluateAsCounter());
        Assert.Single(failures, m => Equals(Tag(m, "error.type"), typeof(RemoteTaskException).FullName));
        Assert.Single(failures, m => Equals(Tag(m, "error.type"), typeof(WorkerCrashedException).FullName) && Equals(Tag(m, "supervisor.call.outcome"), "failed"));
        var cancelled = Assert.Single(failures, m => Equals(Tag(m, "supervisor.call.outcome"), "cancelled"));
        Assert.Null(Tag(cancelled, "error.type"));
        Assert.All([.. started.GetMeasurementSnapshot(), .. completed.GetMeasurementSnapshot(), .. failures],
            m => Assert.Equal("images", m.Tags["supervisor.pool"]));

        var durations = duration.GetMeasurementSnapshot();
        Assert.Equal(7, durations.Count);
        Assert.All(durations, m => Assert.True(m.Value >= 0));
        Assert.Equal(4, durations.Count(m => Equals(Tag(m, "supervisor.call.outcome"), "succeeded")));
        // One wait per task sent: four submits and one map chunk (the map's three calls wait together).
        Assert.Equal(5, queueWait.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task Without_a_listener_no_call_is_timed()
    {
        var observer = new CallCounting();
        await using var hosted = await TestHosts.StartPoolAsync(o =>
        {
            o.Workers = 1;
            o.Observer = observer;
        });

        Assert.Equal(4, await hosted.Pool.SubmitAsync(Plain.Square, 2));
        observer.Observing = true;
        Assert.Equal(9, await hosted.Pool.SubmitAsync(Plain.Square, 3));

        // The hosted pool asks the options' observer too: the first call was queued while nobody listened.
        Assert.Equal(1, observer.Queued);
        Assert.Equal(1, observer.Ended);
    }

    private static object? Tag<T>(CollectedMeasurement<T> measurement, string key)
        where T : struct => measurement.Tags.TryGetValue(key, out var value) ? value : null;

    private static MetricCollector<T> Collect<T>(HostedPool hosted, string instrument)
        where T : struct => new(hosted.Get<IMeterFactory>(), SupervisorTelemetry.MeterName, instrument);

    /// <summary>An observer of the options that observes calls only once told to.</summary>
    private sealed class CallCounting : PoolObserver
    {
        private int _queued;
        private int _ended;

        public volatile bool Observing;

        public int Queued => _queued;

        public int Ended => _ended;

        public override bool ObservesCalls => Observing;

        public override void OnCallsQueued(int calls) => Interlocked.Add(ref _queued, calls);

        public override void OnCallEnded(CallEnded ended) => Interlocked.Increment(ref _ended);
    }
}
