namespace Supervisor.Chaos;

/// <summary>The size of a fault run.</summary>
public sealed record ChaosOptions
{
    /// <summary>Tasks in all.</summary>
    public int Tasks { get; init; } = 100_000;

    /// <summary>Worker processes.</summary>
    public int Workers { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>One task in this many ends its worker each time it runs; 0: none.</summary>
    public int PoisonEvery { get; init; } = 10_000;

    /// <summary>One task in this many never returns; 0: none.</summary>
    public int HangEvery { get; init; } = 25_000;

    /// <summary>
    /// The pool runs with the options a user gets without setting any (only <see cref="Workers"/>), instead of the
    /// retries, restart intensity and task timeout that poison and hangs need.
    /// </summary>
    public bool DefaultPoolOptions { get; init; }

    /// <summary>How long a normal task takes in its worker. Default: no time at all.</summary>
    public TimeSpan CallTime { get; init; }

    /// <summary>How often a random worker is SIGKILLed from outside (and only after <see cref="OutcomesBetweenKills"/> since the last kill).</summary>
    public TimeSpan KillEvery { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How many outcomes must come between two kills. Default: 1. More keep a run on a heavily loaded machine (where a
    /// replacement starts slower than the kill period) moving towards its end.
    /// </summary>
    public int OutcomesBetweenKills { get; init; } = 1;

    /// <summary>The task timeout that ends hung tasks.</summary>
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the run may take before the tasks still missing are counted as hung.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The kills-only run: two workers, calls of 1 ms, a random worker SIGKILLed every 150 ms, no poison, no hangs,
    /// and the pool's default options; every call must still end with its result, once.
    /// </summary>
    public static ChaosOptions KillsOnly(int tasks) => new()
    {
        Tasks = tasks,
        Workers = 2,
        PoisonEvery = 0,
        HangEvery = 0,
        CallTime = TimeSpan.FromMilliseconds(1),
        KillEvery = TimeSpan.FromMilliseconds(150),
        DefaultPoolOptions = true,
    };
}
