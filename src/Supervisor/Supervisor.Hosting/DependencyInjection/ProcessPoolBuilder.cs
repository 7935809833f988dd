using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervisor.Hosting.Configuration;

namespace Supervisor.Hosting;

/// <summary>
/// Configures one registered pool or queue further, as <c>IHttpClientBuilder</c> does a client:
/// <c>services.AddProcessPool("images").BindConfiguration("Supervisor:Pools:images")</c>.
/// </summary>
/// <typeparam name="TOptions"><see cref="WorkerOptions"/> for a pool, <see cref="ProcessQueueOptions"/> for a queue.</typeparam>
public sealed class ProcessPoolBuilder<TOptions>
    where TOptions : WorkerOptions
{
    internal ProcessPoolBuilder(IServiceCollection services, string name)
    {
        Services = services;
        Name = name;
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

    /// <summary>Sets options in code, after those registered before (such as <see cref="BindConfiguration"/>'s).</summary>
    public ProcessPoolBuilder<TOptions> Configure(Action<TOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddOptions<TOptions>(Name).Configure(configure);
        return this;
    }
}
