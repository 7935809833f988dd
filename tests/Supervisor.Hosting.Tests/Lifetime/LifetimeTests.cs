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
        var builder = TestHosts.Builder();
        builder.Services.AddSingleton<WorkersSeenAtStart>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<WorkersSeenAtStart>());
        builder.Services.AddProcessPool("images", o => o.Workers = 2);
        await using var host = TestHosts.Build(builder);
        var atApplicationStarted = -1;
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("images");
        lifetime.ApplicationStarted.Register(() => atApplicationStarted = pool.Workers.Count);

        await host.StartAsync();

        Assert.Equal(2, host.Services.GetRequiredService<WorkersSeenAtStart>().Count);
        Assert.Equal(2, atApplicationStarted);
        await host.StopAsync();
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task A_start_failure_fails_the_host_with_the_workers_stderr_and_leaves_no_process()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddProcessPool("images", o =>
        {
            o.Workers = 2;
            o.Initializer = Function.FromDelegate(StartFailures.WriteErrorAndExit);
            o.InitializerArguments = Arguments.Of("no licence file at /etc/imaging.lic");
        });
        await using var host = TestHosts.Build(builder);
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("images");

        var error = await Assert.ThrowsAsync<WorkerStartException>(() => host.StartAsync());

        Assert.Contains("Process pool 'images' could not start", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("no licence file at /etc/imaging.lic", StringComparison.Ordinal), error.Message);
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task Stopping_the_host_lets_a_call_in_flight_finish()
    {
        var builder = TestHosts.Builder();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        builder.Services.AddProcessPool("images", o => o.Workers = 1);
        await using var host = TestHosts.Build(builder);
        await host.StartAsync();
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("images");
        var marker = _directory.File("running");
        var go = _directory.File("go");

        var call = pool.SubmitAsync(Gates.MarkThenWaitFor, marker, go);
        FileGate.WaitFor(marker, TimeSpan.FromMinutes(1));
        var stopping = host.StopAsync();
        await File.WriteAllTextAsync(go, "go");
        await stopping;

        Assert.Equal(1, await call);
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task Past_the_shutdown_timeout_a_call_that_ignores_cancellation_fails_and_its_worker_is_killed()
    {
        var builder = TestHosts.Builder();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.Services.AddProcessPool("images", o => o.Workers = 1);
        await using var host = TestHosts.Build(builder);
        await host.StartAsync();
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("images");
        var marker = _directory.File("running");

        var call = pool.SubmitAsync(Cancellable.IgnoreCancellation, marker);
        FileGate.WaitFor(marker, TimeSpan.FromMinutes(1));
        await host.StopAsync();

        // Terminating kills the worker under the call: the call fails saying the pool was terminated, not as a crash.
        var terminated = await Assert.ThrowsAsync<OperationCanceledException>(() => call);
        Assert.Contains("terminated", terminated.Message, StringComparison.Ordinal);
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    /// <summary>A hosted service that takes the pool in its constructor and counts its workers as it starts.</summary>
    private sealed class WorkersSeenAtStart([FromKeyedServices("images")] ProcessPool pool) : IHostedService
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
