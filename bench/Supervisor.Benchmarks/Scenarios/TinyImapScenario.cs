using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// python's tiny_imap_chunk1 and tiny_imap_unordered_chunk1: N identity calls, one per task (chunk size 1),
/// after a warm-up map of W items. The sum proves every result came back once.
/// </summary>
internal sealed class TinyImapScenario(bool ordered) : IScenario
{
    public string Name => ordered ? "tiny_imap_chunk1" : "tiny_imap_unordered_chunk1";

    public async Task RunAsync(BenchContext context)
    {
        var n = context.Sizes.Tiny;
        await using var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(context.Workers));
        await BenchContext.WarmUpAsync(pool, context.Workers, Name);
        async Task<TimeSpan> RunAsync()
        {
            var results = ordered
                ? pool.Imap(BenchFunctions.Ident, BenchContext.Range(n), chunkSize: 1)
                : pool.ImapUnordered(BenchFunctions.Ident, BenchContext.Range(n), chunkSize: 1);
            var clock = Stopwatch.StartNew();
            long sum = 0, expectedNext = 0;
            var inOrder = true;
            await foreach (var value in results)
            {
                sum += value;
                inOrder &= value == expectedNext++;
            }
            clock.Stop();
            BenchmarkFailedException.ThrowIfNot(sum == (long)n * (n - 1) / 2 && expectedNext == n, Name, $"sum {sum} of {expectedNext} results");
            BenchmarkFailedException.ThrowIfNot(!ordered || inOrder, Name, "results out of input order");
            return clock.Elapsed;
        }
        var first = await RunAsync();
        BenchContext.RateLine(Name, context.Workers, n, n / first.TotalSeconds).Emit();
        BenchContext.RateLine(Name + "_warm", context.Workers, n, await context.WarmRateAsync(n, RunAsync)).Emit();
    }
}
