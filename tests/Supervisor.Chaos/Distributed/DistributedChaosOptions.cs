namespace Supervisor.Chaos.Distributed;

/// <summary>The size of a distributed kill run.</summary>
public sealed record DistributedChaosOptions
{
    /// <summary>Calls in all. Default: 20,000.</summary>
    public int Calls { get; init; } = 20_000;

    /// <summary>Node processes; the first is SIGKILLed once half the results are in. Default: 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Workers of each node's local pool. Default: 2.</summary>
    public int WorkersPerNode { get; init; } = 2;

    /// <summary>Calls per stream entry. Default: 10.</summary>
    public int ChunkSize { get; init; } = 10;

    /// <summary>How long a dead node's calls sit before the others claim them. Default: 5 seconds.</summary>
    public TimeSpan ClaimIdleTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the run may take before the calls still missing are counted as hung. Default: 5 minutes.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(5);
}
