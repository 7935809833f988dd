using HostingFunctions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervisor.Hosting.Tests.Support;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Hosting.Tests.Lifetime;

public sealed class LifetimeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_pool_taken_in_a_hosted_service_constructor_is_ready_when_that_service_starts()
    {
        await using var hosted = TestHosts.BuildPool(o => o.Workers = 2, services: s =>
        {
            s.AddSingleton<WorkersSeenAtStart>();
            s.AddHostedService(provider => provider.GetRequiredService<WorkersSeenAtStart>());
        });
        var atApplicationStarted = -1;
        hosted.Get<IHostApplicationLifetime>().ApplicationStarted.Register(() => atApplicationStarted = hosted.Pool.Workers.Count);

        await hosted.StartAsync();

        Assert.Equal(2, hosted.Get<WorkersSeenAtStart>().Count);
        Assert.Equal(2, atApplicationStarted);
    }

    [Fact]
    public async Task A_start_failure_fails_the_host_with_the_workers_stderr_and_leaves_no_process()
    {
        await using var hosted = TestHosts.BuildPool(o =>
        {
            o.Workers = 2;
            o.Initializer = Function.FromDelegate(StartFailures.WriteErrorAndExit);
            o.InitializerArguments = Arguments.Of("no licence file at /etc/imaging.lic");
        });

        var error = await Assert.ThrowsAsync<WorkerStartException>(hosted.StartAsync);

        Assert.Contains("Process pool 'images' could not start", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("no licence file at /etc/imaging.lic", StringComparison.Ordinal), error.Message);
        ProcessAssert.AllExited(hosted.Pool.StartedProcessIds);
    }

    [Fact]
    public async Task Stopping_the_host_lets_a_call_in_flight_finish()
    {
        await using var hosted = await TestHosts.StartPoolAsync(o => o.Workers = 1,
            services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5)));
        var marker = _directory.File("running");
        var go = _directory.File("go");

        var call = hosted.Pool.SubmitAsync(Gates.MarkThenWaitFor, marker, go);
        FileGate.WaitFor(marker, TimeSpan.FromMinutes(1));
        var stopping = hosted.StopAsync();
        await File.WriteAllTextAsync(go, "go");
        await stopping;

        Assert.Equal(1, await call);
        ProcessAssert.AllExited(hosted.Pool.StartedProcessIds);
    }

    [Fact]
    public async Task Past_the_shutdown_timeout_a_call_that_ignores_cancellation_fails_and_its_worker_is_killed()
    {
        await using var hosted = await TestHosts.StartPoolAsync(o => o.Workers = 1,
            services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        var marker = _directory.File("running");

        var call = hosted.Pool.SubmitAsync(Cancellable.IgnoreCancellation, marker);
        FileGate.WaitFor(marker, TimeSpan.FromMinutes(1));
        await hosted.StopAsync();

        // Terminating kills the worker under the call: the call fails saying the pool was terminated, not as a crash.
        var terminated = await Assert.ThrowsAsync<OperationCanceledException>(() => call);
        Assert.Contains("terminated", terminated.Message, StringComparison.Ordinal);
        ProcessAssert.AllExited(hosted.Pool.StartedProcessIds);
    }

    /// <summary>A hosted service that takes the pool in its constructor and counts its workers as it starts.</summary>
    private sealed class WorkersSeenAtStart([FromKeyedServices(TestHosts.PoolName)] ProcessPool pool) : IHostedService
    {
        public int Count { get; private set; } = -1;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Count = pool.Workers.Count;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
