using Microsoft.Extensions.Hosting;

namespace Supervisor.Hosting.Tests.Support;

/// <summary>A built host that is disposed asynchronously (see <see cref="TestHosts.Build"/>).</summary>
internal sealed class TestHost(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public Task StartAsync() => host.StartAsync();

    public Task StopAsync() => host.StopAsync();

    public ValueTask DisposeAsync() => ((IAsyncDisposable)host).DisposeAsync();
}
