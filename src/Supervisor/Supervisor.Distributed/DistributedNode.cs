using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Distributed.Node;
using Supervisor.Distributed.Redis;

namespace Supervisor.Distributed;

/// <summary>
/// A node: a local <see cref="ProcessPool"/> serving a queue as one member of its Redis consumer group. It takes no
/// more tasks than its credit window allows, stores each result before acknowledging its call, keeps the calls it
/// holds from being claimed while they run, and claims those of nodes that went silent. Stopping it (Ctrl-C) stops
/// taking calls, finishes and acknowledges those it holds, then ends the pool.
/// </summary>
public sealed class DistributedNode : IAsyncDisposable
{
    private readonly RedisLink _redis;
    private readonly ProcessPool _pool;
    private readonly QueueConsumer _consumer;
    private readonly Task _run;

    private DistributedNode(RedisLink redis, ProcessPool pool, QueueConsumer consumer, string name)
    {
        _redis = redis;
        _pool = pool;
        _consumer = consumer;
        Name = name;
        _run = consumer.RunAsync();
    }

    /// <summary>This node's consumer name in the queue's group.</summary>
    public string Name { get; }

    /// <summary>How many tasks the node holds now (running, or waiting for a local worker).</summary>
    public int HeldTasks => _consumer.Held;

    /// <summary>Completes when the node has stopped: after <see cref="StopAsync"/>, or when its local pool broke.</summary>
    public Task Completion => _run;

    /// <summary>
    /// Loads the assemblies, starts the local pool, joins the queue's consumer group (creating the stream and group if
    /// missing; while Redis cannot be reached, it waits for it, saying so once) and starts taking calls.
    /// </summary>
    /// <exception cref="ArgumentException">An option is missing or wrong; the message names it.</exception>
    public static async Task<DistributedNode> StartAsync(DistributedNodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Assemblies is not { Count: > 0 }) throw new ArgumentException("DistributedNodeOptions.Assemblies: name at least one assembly whose functions the node runs.", nameof(options));
        if (options.MaxDeliveries < 1) throw new ArgumentException($"DistributedNodeOptions.MaxDeliveries is {options.MaxDeliveries}: it must be at least 1.", nameof(options));
        if (options.ClaimIdleTime <= TimeSpan.Zero) throw new ArgumentException($"DistributedNodeOptions.ClaimIdleTime is {options.ClaimIdleTime}: it must be positive.", nameof(options));
        if (options.MaxHeldTasks is < 1) throw new ArgumentException($"DistributedNodeOptions.MaxHeldTasks is {options.MaxHeldTasks}: it must be at least 1.", nameof(options));
        var keys = new QueueKeys(options.Queue);
        var name = options.NodeName ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        var logger = options.Logger ?? NullLogger.Instance;
        var catalog = new FunctionCatalog(options.Assemblies, name);
        var redis = await RedisLink.ConnectAsync(options.Redis, name, logger).ConfigureAwait(false);
        ProcessPool? pool = null;
        try
        {
            pool = await ProcessPool.StartAsync(options.Pool with { Logger = options.Pool.Logger ?? options.Logger }, cancellationToken).ConfigureAwait(false);
            var consumer = new QueueConsumer(redis, keys, new CallExecutor(pool, catalog, name), options, name, options.Pool.Workers,
                options.MaxHeldTasks ?? DistributedNodeOptions.DefaultMaxHeldTasksPerWorker * options.Pool.Workers, logger);
            await consumer.JoinGroupAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Node {Node} serves queue {Queue} with {Workers} workers: {Assemblies}", name, keys.Queue, options.Pool.Workers, string.Join(", ", catalog.Served));
            return new DistributedNode(redis, pool, consumer, name);
        }
        catch
        {
            if (pool is not null) await pool.DisposeAsync().ConfigureAwait(false);
            await redis.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops taking calls, finishes those held, stores their results and acknowledges them.</summary>
    public async Task StopAsync()
    {
        _consumer.StopTaking();
        await _run.ConfigureAwait(false);
    }

    /// <summary>
    /// Lets go of the tasks held (their local calls are cancelled; unacknowledged, other nodes claim them after the
    /// claim idle time), then ends the pool and the connections: a host's shutdown timeout came first.
    /// </summary>
    internal async ValueTask AbandonAsync()
    {
        _consumer.Abandon();
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stops as <see cref="StopAsync"/> does, then ends the local pool and the Redis connections. A node whose pool
    /// broke leaves the calls it held unacknowledged: other nodes claim them after the claim idle time.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _pool.DisposeAsync().ConfigureAwait(false);
            await _redis.DisposeAsync().ConfigureAwait(false);
            _consumer.Dispose();
        }
    }
}
