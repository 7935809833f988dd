using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Distributed;
using Supervisor.Distributed.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Runs distributed nodes in a host (<c>Microsoft.Extensions.Hosting</c>): what <c>supervisor serve</c> does, as a
/// hosted service. Here, not in <c>Supervisor.Hosting</c>, so that a host of local pools never depends on Redis.
/// </summary>
public static class DistributedNodeServiceCollectionExtensions
{
    /// <summary>
    /// Runs a node with <paramref name="options"/> while the host runs: it joins the queue's consumer group when the host
    /// starts and, when the host stops, takes no more calls and finishes those it holds (within the host's shutdown
    /// timeout; past it, they are left for other nodes to claim). Call it once per queue to serve several.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The node's options; without a <see cref="DistributedNodeOptions.Logger"/>, it logs through the host's logging.</param>
    public static IServiceCollection AddDistributedNode(this IServiceCollection services, DistributedNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddDistributedNode(_ => options);
    }

    /// <summary>As <see cref="AddDistributedNode(IServiceCollection, DistributedNodeOptions)"/>, the options made from the host's services when it starts (from configuration, say).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">Makes the node's options.</param>
    public static IServiceCollection AddDistributedNode(this IServiceCollection services, Func<IServiceProvider, DistributedNodeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        // Not AddHostedService: it registers one service per type, and a host may serve several queues.
        services.AddSingleton<IHostedService>(provider => new DistributedNodeService(() => options(provider),
            provider.GetService<ILoggerFactory>()?.CreateLogger<DistributedNode>() ?? NullLogger<DistributedNode>.Instance));
        return services;
    }
}
