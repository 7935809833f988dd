using Microsoft.Extensions.DependencyInjection;
using Supervisor.Tests.Support;

namespace Supervisor.Hosting.Tests.Support;

/// <summary>
/// A test's host with its one pool (see <see cref="TestHosts.BuildPool"/>). Disposing it stops the host if the test did
/// not, disposes it, and asserts that no worker the pool started is left.
/// </summary>
internal sealed class HostedPool(TestHost host, string name) : IAsyncDisposable
{
    private bool _stopped;

    public TestHost Host => host;

    public IServiceProvider Services => host.Services;

    /// <summary>The pool, resolved as the application would: by its key.</summary>
    public ProcessPool Pool => host.Services.GetRequiredKeyedService<ProcessPool>(name);

    public T Get<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    public Task StartAsync() => host.StartAsync();

    public async Task StopAsync()
    {
        _stopped = true;
        await host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        var pool = Pool;
        if (!_stopped) await StopAsync();
        await host.DisposeAsync();
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }
}
