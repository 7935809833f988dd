namespace Supervisor.Benchmarks;

/// <summary>
/// What every scenario needs: the worker count (python's W), the sizes, and quiet pool options; and the published
/// NativeAOT worker, when there is one.
/// </summary>
internal sealed record BenchContext(int Workers, BenchSizes Sizes, string? AotWorker)
{
    /// <summary>Options of a pool of <paramref name="workers"/>; worker output is dropped so stdout holds only JSON lines.</summary>
    public static WorkerOptions PoolOptions(int workers, StartMethod startMethod = StartMethod.Spawn, string? workerExecutable = null) =>
        new() { Workers = workers, StartMethod = startMethod, Output = _ => { }, WorkerExecutable = workerExecutable };

    /// <summary>0, 1, …, count − 1 as python's range(count), lazily: the memory scenario streams 10^7 of them.</summary>
    public static IEnumerable<long> Range(long count)
    {
        for (var i = 0L; i < count; i++) yield return i;
    }

    /// <summary>python's warm-up, p.map(ident, range(W)), checked.</summary>
    public static async Task WarmUpAsync(ProcessPool pool, int workers, string scenario)
    {
        var echoed = await pool.MapAsync(BenchFunctions.Ident, Range(workers));
        BenchmarkFailedException.ThrowIfNot(echoed.SequenceEqual(Range(workers)), scenario, "warm-up map");
    }

    /// <summary>python's line of a rate scenario: workers, n and tasks per second.</summary>
    public static JsonLine RateLine(string scenario, int workers, long n, double tasksPerSecond) =>
        new JsonLine(scenario).Add("workers", workers).Add("n", n).Add("tasks_per_s", Math.Round(tasksPerSecond));

    /// <summary>
    /// Ours only: the rate of <paramref name="run"/> (n calls, timed by itself) once the JIT has settled on both
    /// sides, the median of three runs after untimed ones (<see cref="BenchSizes.WarmRuns"/> and
    /// <see cref="BenchSizes.WarmSeconds"/>, whichever is longer). The scenario's own line is the first run, as
    /// python's is; python has no JIT to warm, a long-lived .NET service has.
    /// </summary>
    public async Task<double> WarmRateAsync(int n, Func<Task<TimeSpan>> run)
    {
        var warming = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Sizes.WarmRuns || warming.Elapsed.TotalSeconds < Sizes.WarmSeconds; i++) await run();
        var rates = new List<double>();
        for (var i = 0; i < 3; i++) rates.Add(n / (await run()).TotalSeconds);
        rates.Sort();
        return Math.Round(rates[1]);
    }
}
