using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// python's startup(): pool start plus one round trip, per start method, nothing excluded. With a published NativeAOT
/// worker (<see cref="BenchContext.AotWorker"/>), once more with it, spawned: a line with <c>"worker":"aot"</c>.
/// </summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public async Task RunAsync(BenchContext context)
    {
        // python's order.
        foreach (var method in new[] { StartMethod.Fork, StartMethod.Forkserver, StartMethod.Spawn })
        {
            var ms = await TimeAsync(BenchContext.PoolOptions(context.Workers, method), context.Workers);
            Line(method).Add("workers", context.Workers).Add("ms", ms).Emit();
        }
        if (context.AotWorker is { } aotWorker)
        {
            var ms = await TimeAsync(BenchContext.PoolOptions(context.Workers, StartMethod.Spawn, aotWorker), context.Workers);
            Line(StartMethod.Spawn).Add("worker", "aot").Add("workers", context.Workers).Add("ms", ms).Emit();
        }
    }

    private JsonLine Line(StartMethod method) => new JsonLine(Name).Add("method", method.ToString().ToLowerInvariant());

    private async Task<double> TimeAsync(WorkerOptions options, int workers)
    {
        var clock = Stopwatch.StartNew();
        await using (var pool = await ProcessPool.StartAsync(options))
        {
            await BenchContext.WarmUpAsync(pool, workers, Name);
            clock.Stop();
        }
        return Math.Round(clock.Elapsed.TotalMilliseconds, 1);
    }
}
