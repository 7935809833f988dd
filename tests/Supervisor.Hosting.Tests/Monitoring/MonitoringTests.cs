using System.Diagnostics.Metrics;
using HostingFunctions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Supervisor.Hosting.Tests.Support;
using Supervisor.Tests.Support;

namespace Supervisor.Hosting.Tests.Monitoring;

/// <summary>Metrics, health and event logs of a hosted pool whose worker crashes, through the testing collectors.</summary>
public sealed class MonitoringTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_crash_is_counted_logged_with_its_stderr_and_replaced_and_the_gauges_and_health_follow()
    {
        var builder = TestHosts.Builder();
        // No retries: the one call that kills its worker is one crash, counted once (the default would run it again).
        builder.Services.AddProcessPool("images", o =>
        {
            o.Workers = 1;
            o.Retries = 0;
        }).AddHealthCheck();
        await using var host = TestHosts.Build(builder);
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var starts = new MetricCollector<long>(meters, SupervisorTelemetry.MeterName, "supervisor.worker.starts");
        using var exits = new MetricCollector<long>(meters, SupervisorTelemetry.MeterName, "supervisor.worker.exits");
        using var alive = new MetricCollector<int>(meters, SupervisorTelemetry.MeterName, "supervisor.workers.alive");
        await host.StartAsync();
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("images");
        var health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Crashes.SayAndDie, "the codec segfaulted"));
        await starts.WaitForMeasurementsAsync(2, Patience);

        var crash = Assert.Single(exits.GetMeasurementSnapshot());
        Assert.Equal(1, crash.Value);
        Assert.Equal("images", crash.Tags["supervisor.pool"]);
        Assert.Equal("crashed", crash.Tags["supervisor.exit.reason"]);
        Assert.All(starts.GetMeasurementSnapshot(), m => Assert.Equal("images", m.Tags["supervisor.pool"]));
        alive.RecordObservableInstruments();
        Assert.Equal(1, alive.LastMeasurement?.Value);
        var logged = host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == "Supervisor.Pools.images").ToList();
        var crashed = Assert.Single(logged, r => r.Id.Name == "WorkerCrashed");
        Assert.Equal(1014, crashed.Id.Id);
        Assert.Contains("the codec segfaulted", crashed.Message, StringComparison.Ordinal);

        await host.StopAsync();
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task A_broken_pool_is_unhealthy()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddProcessPool("images", o =>
        {
            o.Workers = 1;
            o.MaxRestarts = 0;
        }).AddHealthCheck();
        await using var host = TestHosts.Build(builder);
        using var breaks = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), SupervisorTelemetry.MeterName, "supervisor.pool.breaks");
        await host.StartAsync();
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("images");

        // Past the restart intensity the call fails as the pool does, its crash as the cause.
        var broken = await Assert.ThrowsAsync<PoolBrokenException>(() => pool.SubmitAsync(Crashes.SayAndDie, "again"));
        Assert.IsType<WorkerCrashedException>(broken.InnerException);
        await breaks.WaitForMeasurementsAsync(1, Patience);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("broken", report.Entries["process-pool-images"].Description, StringComparison.Ordinal);
        await host.StopAsync();
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }
}
