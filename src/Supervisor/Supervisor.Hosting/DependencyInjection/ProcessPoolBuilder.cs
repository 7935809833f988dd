using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Supervisor.Hosting.Configuration;
using Supervisor.Hosting.Logging;
using Supervisor.Hosting.Monitoring;

namespace Supervisor.Hosting;

/// <summary>
/// Configures one registered pool or queue further, as <c>IHttpClientBuilder</c> does a client:
/// <c>services.AddProcessPool("images").BindConfiguration("Supervisor:Pools:images")</c>.
/// </summary>
/// <typeparam name="TOptions"><see cref="WorkerOptions"/> for a pool, <see cref="ProcessQueueOptions"/> for a queue.</typeparam>
public sealed class ProcessPoolBuilder<TOptions>
    where TOptions : WorkerOptions
{
    private readonly Func<IServiceProvider, IHostedWorkers> _resolve;

    internal ProcessPoolBuilder(IServiceCollection services, string name, Func<IServiceProvider, IHostedWorkers> resolve)
    {
        Services = services;
        Name = name;
        _resolve = resolve;
    }

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The pool's name; empty for the default pool.</summary>
    public string Name { get; }

    /// <summary>
    /// Sets the options from the configuration section at <paramref name="sectionPath"/> (appsettings.json,
    /// environment variables such as <c>Supervisor__Pools__images__Workers=4</c>, …). Every option that is a number,
    /// a name or a time can be set there; times read as <c>"00:00:30"</c> or <c>"30s"</c> (also ms, m, h). An
    /// unknown key, a value that does not convert, or one the pool refuses stops the host as it starts, before any
    /// worker does, with the key and the value in the message.
    /// </summary>
    public ProcessPoolBuilder<TOptions> BindConfiguration(string sectionPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        Services.AddSingleton(new ConfigurationBinding(typeof(TOptions), Name, sectionPath));
        Services.AddOptions<TOptions>(Name).Configure<IConfiguration>((options, configuration) =>
            WorkerOptionsBinder.Bind(configuration.GetSection(sectionPath), options, Name));
        return this;
    }

    /// <summary>
    /// Adds a health check of this pool to the host's health checks (<c>app.MapHealthChecks("/health")</c>): healthy
    /// while its workers are up; degraded while it starts or replaces workers or backs off after crashes; unhealthy
    /// (or <paramref name="failureStatus"/>) once it is broken. Its data holds the pool's state.
    /// </summary>
    /// <param name="checkName">The check's name. Default: <c>process-pool-{name}</c> (<c>process-pool-default</c> for the default pool).</param>
    /// <param name="failureStatus">What a broken pool reports. Default: unhealthy.</param>
    /// <param name="tags">Tags to filter checks by. Default: none.</param>
    public ProcessPoolBuilder<TOptions> AddHealthCheck(string? checkName = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        Services.AddHealthChecks().Add(new HealthCheckRegistration(
            checkName ?? $"process-pool-{PoolLogging.Display(Name)}", provider => new ProcessPoolHealthCheck(_resolve(provider)), failureStatus, tags));
        return this;
    }

    /// <summary>Sets options in code, after those registered before (such as <see cref="BindConfiguration"/>'s).</summary>
    public ProcessPoolBuilder<TOptions> Configure(Action<TOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddOptions<TOptions>(Name).Configure(configure);
        return this;
    }
}
