using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>python's startup(): pool start plus one round trip, per start method, nothing excluded.</summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public async Task RunAsync(BenchContext context)
    {
        // python's order.
        foreach (var method in new[] { StartMethod.Fork, StartMethod.Forkserver, StartMethod.Spawn })
        {
            var clock = Stopwatch.StartNew();
            await using (var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(context.Workers, method)))
            {
                await BenchContext.WarmUpAsync(pool, context.Workers, Name);
                clock.Stop();
            }
            new JsonLine(Name)
                .Add("method", method.ToString().ToLowerInvariant())
                .Add("workers", context.Workers)
                .Add("ms", Math.Round(clock.Elapsed.TotalMilliseconds, 1))
                .Emit();
        }
    }
}
