using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Supervisor.Hosting.Tests.Support;

/// <summary>Real hosts for the tests: Host.CreateApplicationBuilder with the test's settings and the fake log collector.</summary>
internal static class TestHosts
{
    /// <summary>The name of the pool <see cref="BuildPool"/> registers.</summary>
    public const string PoolName = "images";

    public static HostApplicationBuilder Builder(IDictionary<string, string?>? settings = null)
    {
        // No defaults: neither the test runner's environment nor an appsettings.json in its folder should reach the test.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddFakeLogging();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        return builder;
    }

    /// <summary>
    /// Builds the host, to be disposed with <c>await using</c>: a test that fails before it stops its host must not
    /// block a thread of xunit's synchronization context in a synchronous Dispose while the pools end.
    /// </summary>
    public static TestHost Build(this HostApplicationBuilder builder) => new(builder.Build());

    /// <summary>
    /// A host, not started, with one pool named <see cref="PoolName"/> set by <paramref name="options"/>;
    /// <paramref name="pool"/> adds to the pool's registration (a health check), <paramref name="services"/> to the host's.
    /// </summary>
    public static HostedPool BuildPool(Action<WorkerOptions> options, Action<ProcessPoolBuilder<WorkerOptions>>? pool = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Builder();
        var registration = builder.Services.AddProcessPool(PoolName, options);
        pool?.Invoke(registration);
        services?.Invoke(builder.Services);
        return new HostedPool(Build(builder), PoolName);
    }

    /// <summary>As <see cref="BuildPool"/>, started; a start that fails leaves no host or worker behind.</summary>
    public static async Task<HostedPool> StartPoolAsync(Action<WorkerOptions> options, Action<ProcessPoolBuilder<WorkerOptions>>? pool = null,
        Action<IServiceCollection>? services = null)
    {
        var hosted = BuildPool(options, pool, services);
        try
        {
            await hosted.StartAsync();
            return hosted;
        }
        catch
        {
            await hosted.DisposeAsync();
            throw;
        }
    }
}
