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
}
