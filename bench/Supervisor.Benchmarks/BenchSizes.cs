namespace Supervisor.Benchmarks;

/// <summary>How much each scenario does. <see cref="Full"/> is python_mp.py's sizes; <see cref="Quick"/> a smoke test's.</summary>
internal sealed record BenchSizes
{
    /// <summary>N of python's tiny() and queue_sentinel(); the map runs N × 10.</summary>
    public required int Tiny { get; init; }

    /// <summary>M of python's cpu_scale().</summary>
    public required int CpuTasks { get; init; }

    /// <summary>work of python's cpu_scale(): busy(work), scaled in <see cref="BenchFunctions.Busy"/>.</summary>
    public required long CpuWork { get; init; }

    /// <summary>K of python's payload().</summary>
    public required int PayloadEchoes { get; init; }

    /// <summary>Timed single round trips of the latency scenario, after as many again of warm-up.</summary>
    public required int LatencyCalls { get; init; }

    /// <summary>Workers killed and replaced per start method in the replacement scenario.</summary>
    public required int Replacements { get; init; }

    /// <summary>Isolated calls, one after another, per mode of the isolated scenario.</summary>
    public required int IsolatedCalls { get; init; }

    /// <summary>Untimed repeats, at least, before the <c>_warm</c> lines' three timed runs of a tiny scenario.</summary>
    public required int WarmRuns { get; init; }

    /// <summary>
    /// Seconds of untimed repeats, at least: the JIT's tiers settle in seconds, not in a number of runs (ordered imap
    /// of 20,000 calls reached its steady rate only after about 15 runs, ≈ 2.5 s).
    /// </summary>
    public required double WarmSeconds { get; init; }

    /// <summary>Stops of the WorkerService sample timed by the host_stop scenario (the median is reported).</summary>
    public required int HostStopRuns { get; init; }

    /// <summary>Inbox:Rounds of those runs: how long each of the two calls in flight takes as SIGTERM comes.</summary>
    public required int HostStopRounds { get; init; }

    /// <summary>Stream lengths of the memory scenario, one line each.</summary>
    public required IReadOnlyList<long> MemoryTasks { get; init; }

    public static BenchSizes Full { get; } = new()
    {
        Tiny = 20_000,
        CpuTasks = 40,
        CpuWork = 2_000_000,
        PayloadEchoes = 200,
        LatencyCalls = 2_000,
        Replacements = 10,
        IsolatedCalls = 30,
        WarmRuns = 10,
        WarmSeconds = 4,
        HostStopRuns = 5,
        HostStopRounds = 1_000_000,
        MemoryTasks = [100_000, 10_000_000],
    };

    public static BenchSizes Quick { get; } = new()
    {
        Tiny = 500,
        CpuTasks = 4,
        CpuWork = 20_000,
        PayloadEchoes = 10,
        LatencyCalls = 100,
        Replacements = 1,
        IsolatedCalls = 1,
        WarmRuns = 1,
        WarmSeconds = 0,
        HostStopRuns = 1,
        HostStopRounds = 10_000,
        MemoryTasks = [2_000, 20_000],
    };
}
