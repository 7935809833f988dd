using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Supervisor;
using Supervisor.Hosting;
using Supervisor.Hosting.Configuration;
using Supervisor.Hosting.Lifetime;
using Supervisor.Hosting.Logging;
using Supervisor.Hosting.Monitoring;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers process pools and queues in a host, as <c>AddHttpClient</c> registers clients: by name, configured in
/// code or from configuration, started and stopped with the host.
/// </summary>
public static class ProcessPoolServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default pool, resolved as <see cref="ProcessPool"/> (no key). Its workers start with the host,
    /// before <c>ApplicationStarted</c>, and end when the host stops.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets options in code; a later <see cref="ProcessPoolBuilder{TOptions}.BindConfiguration"/> overrides what it sets.</param>
    public static ProcessPoolBuilder<WorkerOptions> AddProcessPool(this IServiceCollection services, Action<WorkerOptions>? configure = null) =>
        services.AddProcessPool(Options.Options.DefaultName, configure);

    /// <summary>
    /// Registers a pool named <paramref name="name"/>, resolved as a keyed service
    /// (<c>[FromKeyedServices("images")] ProcessPool pool</c>); the empty name is the default pool. Its workers
    /// start with the host, before <c>ApplicationStarted</c>, and end when the host stops.
    /// </summary>
    /// <exception cref="InvalidOperationException">A pool of that name is registered already.</exception>
    public static ProcessPoolBuilder<WorkerOptions> AddProcessPool(this IServiceCollection services, string name, Action<WorkerOptions>? configure = null) =>
        Register(services, name, configure, ProcessPool.Create);

    /// <summary>
    /// Registers a <see cref="ProcessQueue{TIn, TOut}"/> pattern under <paramref name="name"/> (keyed; the
    /// empty name registers it without a key): workers call <paramref name="function"/> on every item put.
    /// </summary>
    /// <exception cref="InvalidOperationException">A queue of these types and that name is registered already.</exception>
    public static ProcessPoolBuilder<ProcessQueueOptions> AddProcessQueue<TIn, TOut>(this IServiceCollection services, string name,
        Func<TIn, TOut> function, Action<ProcessQueueOptions>? configure = null) =>
        services.AddProcessQueue<TIn, TOut>(name, Function.FromDelegate(function), configure);

    /// <summary>As above, for a <see cref="Function"/>, such as one with fixed arguments.</summary>
    public static ProcessPoolBuilder<ProcessQueueOptions> AddProcessQueue<TIn, TOut>(this IServiceCollection services, string name,
        Function function, Action<ProcessQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Register(services, name, configure, options => ProcessQueue.Create<TIn, TOut>(function, options));
    }

    private static ProcessPoolBuilder<TOptions> Register<TService, TOptions>(IServiceCollection services, string name,
        Action<TOptions>? configure, Func<TOptions, TService> create)
        where TService : class, IHostedWorkers
        where TOptions : WorkerOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        // The default pool is the one without a key: [FromKeyedServices] names the others.
        object? key = name.Length == 0 ? null : name;
        if (services.Any(d => d.ServiceType == typeof(TService) && Equals(d.ServiceKey, key)))
        {
            throw new InvalidOperationException(
                $"A {typeof(TService).Name} named '{name}' is registered already; give each pool its own name, and configure it in one place.");
        }
        var options = services.AddOptions<TOptions>(name);
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, WorkerOptionsValidator<TOptions>>());
        options.ValidateOnStart();

        services.AddMetrics();
        services.TryAddSingleton<PoolMetrics>();

        services.Add(new ServiceDescriptor(typeof(TService), key, (provider, _) =>
        {
            var configured = provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
            return create(HostedOptions.Apply(configured, name, LoggerFactoryOf(provider), provider.GetRequiredService<PoolMetrics>()));
        }, ServiceLifetime.Singleton));
        IHostedWorkers Resolve(IServiceProvider provider) => provider.GetRequiredKeyedService<TService>(key);
        services.AddSingleton<IHostedService>(provider => new HostedWorkers(
            name, () => Resolve(provider), PoolLogging.PoolLogger(LoggerFactoryOf(provider), name), provider.GetRequiredService<PoolMetrics>()));
        return new ProcessPoolBuilder<TOptions>(services, name, Resolve);
    }

    // A host always has logging; a bare container (a test's) logs nowhere.
    private static ILoggerFactory LoggerFactoryOf(IServiceProvider provider) => provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
