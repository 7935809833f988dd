using System.Text.Json.Serialization;

namespace Supervisor.Chaos;

/// <summary>The figures of a fault run; lost, duplicated and hung must be 0.</summary>
public sealed record ChaosReport(
    [property: JsonPropertyName("tasks")] int Tasks,
    [property: JsonPropertyName("worker_kills")] int WorkerKills,
    [property: JsonPropertyName("poison")] int Poison,
    [property: JsonPropertyName("timeouts")] int Timeouts,
    [property: JsonPropertyName("crashed")] int Crashed,
    [property: JsonPropertyName("failed_after_retries")] int FailedAfterRetries,
    [property: JsonPropertyName("wrong")] int Wrong,
    [property: JsonPropertyName("lost")] int Lost,
    [property: JsonPropertyName("duplicated")] int Duplicated,
    [property: JsonPropertyName("hung")] int Hung,
    [property: JsonPropertyName("restarts")] int Restarts,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>The first outcome counted as wrong, its error or value, to say what went wrong; null when none did.</summary>
    [JsonPropertyName("first_wrong")]
    public string? FirstWrong { get; init; }

    /// <summary>Every worker process the run started, to check none is left.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> StartedProcessIds { get; init; } = [];
}
