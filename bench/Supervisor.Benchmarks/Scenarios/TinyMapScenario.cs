using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>python's tiny_map_default_chunks: N × 10 identity calls through MapAsync with its default chunking.</summary>
internal sealed class TinyMapScenario : IScenario
{
    public string Name => "tiny_map_default_chunks";

    public async Task RunAsync(BenchContext context)
    {
        var n = context.Sizes.Tiny * 10;
        await using var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(context.Workers));
        await BenchContext.WarmUpAsync(pool, context.Workers, Name);
        async Task<TimeSpan> RunAsync()
        {
            // python's map materializes range(N*10) inside the timed call; so does this.
            var clock = Stopwatch.StartNew();
            var results = await pool.MapAsync(BenchFunctions.Ident, BenchContext.Range(n));
            clock.Stop();
            BenchmarkFailedException.ThrowIfNot(results.SequenceEqual(BenchContext.Range(n)), Name, "results differ from the input");
            return clock.Elapsed;
        }
        var first = await RunAsync();
        BenchContext.RateLine(Name, context.Workers, n, n / first.TotalSeconds).Emit();
        BenchContext.RateLine(Name + "_warm", context.Workers, n, await context.WarmRateAsync(n, RunAsync)).Emit();
    }
}
