namespace Supervisor.Chaos;

/// <summary>The size of a fault run.</summary>
public sealed record ChaosOptions
{
    /// <summary>Tasks in all.</summary>
    public int Tasks { get; init; } = 100_000;

    /// <summary>Worker processes.</summary>
    public int Workers { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>One task in this many ends its worker each time it runs.</summary>
    public int PoisonEvery { get; init; } = 10_000;

    /// <summary>One task in this many never returns.</summary>
    public int HangEvery { get; init; } = 25_000;

    /// <summary>How often a random worker is SIGKILLed from outside (and only after an outcome came since the last kill).</summary>
    public TimeSpan KillEvery { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The task timeout that ends hung tasks.</summary>
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the run may take before the tasks still missing are counted as hung.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);
}
