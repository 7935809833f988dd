using Microsoft.Extensions.Logging;

namespace Supervisor.Distributed;

/// <summary>How a node serves a queue. <see cref="Redis"/>, <see cref="Queue"/> and <see cref="Assemblies"/> are required; every other property has a documented default.</summary>
public sealed record DistributedNodeOptions
{
    /// <summary>The Redis to reach, in StackExchange.Redis syntax (<c>localhost:6379</c>, <c>host:port,password=...</c>). Required.</summary>
    public required string Redis { get; init; }

    /// <summary>The queue's name: ASCII letters, digits, '.', '_' or '-'. Required.</summary>
    public required string Queue { get; init; }

    /// <summary>The assemblies whose functions this node runs; a call naming another assembly or version is answered with an error. Required.</summary>
    public required IReadOnlyList<string> Assemblies { get; init; }

    /// <summary>The local pool's options (its <see cref="WorkerOptions.Workers"/> is how many calls run at once). Default: the pool's defaults.</summary>
    public WorkerOptions Pool { get; init; } = new();

    /// <summary>The default <see cref="MaxHeldTasks"/> per worker of the local pool.</summary>
    internal const int DefaultMaxHeldTasksPerWorker = 32;

    /// <summary>
    /// The most tasks (stream entries) this node holds at once, running or waiting for a worker. Within it the credit
    /// window follows the rate at which calls end: about 20 ms of work, at least twice the workers, so a node holding
    /// slow calls takes few (others run the rest) and one holding tiny calls keeps its workers busy across Redis's
    /// round trips. Default: null, 32 per worker of the local pool.
    /// </summary>
    public int? MaxHeldTasks { get; init; }

    /// <summary>How long a call may sit delivered and unacknowledged (its node silent) before another node claims it. Default: 30 seconds.</summary>
    public TimeSpan ClaimIdleTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most times a task is delivered; the next delivery sends it to the dead-letter stream with its last error,
    /// and its caller gets <see cref="CallDeadLetteredException"/>. Default: 3.
    /// </summary>
    public int MaxDeliveries { get; init; } = 3;

    /// <summary>How long a result waits in a caller's reply stream (each new result restarts it), so a dead caller leaves no garbage. Default: 1 hour.</summary>
    public TimeSpan ResultTimeToLive { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The dead-letter stream is trimmed to about this many entries. Default: 10,000.</summary>
    public int DeadLetterMaxLength { get; init; } = 10_000;

    /// <summary>The largest task frame taken from the stream; a larger one is dead-lettered unread. Default: 16 MiB.</summary>
    public int MaxFrameBytes { get; init; } = DistributedPoolOptions.DefaultMaxFrameBytes;

    /// <summary>This node's consumer name in the group. Default: the machine's name and this process's id.</summary>
    public string? NodeName { get; init; }

    /// <summary>Where the node logs taking, claiming, dead-lettering and losing or regaining Redis. Default: nowhere.</summary>
    public ILogger? Logger { get; init; }
}
