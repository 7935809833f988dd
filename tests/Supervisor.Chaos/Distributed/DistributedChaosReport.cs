using System.Text.Json.Serialization;

namespace Supervisor.Chaos.Distributed;

/// <summary>The figures of a distributed kill run; lost, duplicated, wrong, failed and hung must be 0.</summary>
public sealed record DistributedChaosReport(
    [property: JsonPropertyName("calls")] int Calls,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("workers_per_node")] int WorkersPerNode,
    [property: JsonPropertyName("node_killed")] bool NodeKilled,
    [property: JsonPropertyName("claim_idle_seconds")] double ClaimIdleSeconds,
    [property: JsonPropertyName("lost")] int Lost,
    [property: JsonPropertyName("duplicated")] int Duplicated,
    [property: JsonPropertyName("wrong")] int Wrong,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("hung")] int Hung,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("seconds_to_last_result_after_kill")] double SecondsToLastResultAfterKill)
{
    /// <summary>Whether every call came back once, with its right value.</summary>
    [JsonIgnore]
    public bool Intact => this is { NodeKilled: true, Lost: 0, Duplicated: 0, Wrong: 0, Failed: 0, Hung: 0 };
}
