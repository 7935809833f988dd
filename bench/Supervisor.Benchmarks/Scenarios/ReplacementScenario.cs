using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// Not in python_mp.py: on a one-worker pool, the time from SIGKILL of the worker to the next result, which the
/// replacement computes: death noticed, replacement started (spawn) or taken from the spares (forkserver), call run.
/// </summary>
internal sealed class ReplacementScenario : IScenario
{
    // Long enough for a forkserver pool to start its next spare between two kills; not a synchronization.
    private static readonly TimeSpan SpareRefill = TimeSpan.FromSeconds(1);

    public string Name => "replacement";

    public async Task RunAsync(BenchContext context)
    {
        foreach (var method in new[] { StartMethod.Spawn, StartMethod.Forkserver })
        {
            var rounds = context.Sizes.Replacements;
            var millis = new double[rounds];
            await using (var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(1, method) with { MaxRestarts = rounds + 1, Retries = 1 }))
            {
                await BenchContext.WarmUpAsync(pool, 1, Name);
                for (var round = 0; round < rounds; round++)
                {
                    // Spawn keeps no spares: nothing to wait for.
                    if (method == StartMethod.Forkserver) await Task.Delay(SpareRefill);
                    using (var victim = Process.GetProcessById(pool.Workers.Single().ProcessId))
                    {
                        var clock = Stopwatch.StartNew();
                        victim.Kill();
                        var echoed = await pool.SubmitAsync(BenchFunctions.Ident, (long)round);
                        millis[round] = clock.Elapsed.TotalMilliseconds;
                        BenchmarkFailedException.ThrowIfNot(echoed == round, Name, $"round {round} returned {echoed}");
                    }
                }
            }
            Array.Sort(millis);
            new JsonLine(Name)
                .Add("method", method.ToString().ToLowerInvariant())
                .Add("rounds", rounds)
                .Add("median_ms", Math.Round(millis[rounds / 2], 1))
                .Add("max_ms", Math.Round(millis[^1], 1))
                .Emit();
        }
    }
}
