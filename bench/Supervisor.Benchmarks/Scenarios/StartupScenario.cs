using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>python's startup(): pool start plus one round trip, per start method, nothing excluded.</summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public async Task RunAsync(BenchContext context)
    {
        // python's order. A method the library does not have yet prints no line, so its line appears by itself once it exists.
        foreach (var method in new[] { StartMethod.Fork, StartMethod.Forkserver, StartMethod.Spawn })
        {
            var clock = Stopwatch.StartNew();
            ProcessPool pool;
            try
            {
                pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(context.Workers, method));
            }
            catch (NotSupportedException)
            {
                continue;
            }
            await using (pool)
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
