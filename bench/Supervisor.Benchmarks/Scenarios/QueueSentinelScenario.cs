using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// python's queue_sentinel: W consumers on an input queue of maxsize 20, i → i*i, EndOfQueue per worker, every
/// result collected, workers joined. As in python the time includes starting the workers. With a published NativeAOT
/// worker (<see cref="BenchContext.AotWorker"/>), once more with it: a line with <c>"worker":"aot"</c>, since the
/// start is a large part of this scenario. <c>start_ms</c> says how much: the time until the workers had started, which
/// python's line does not split out.
/// </summary>
internal sealed class QueueSentinelScenario : IScenario
{
    public string Name => "queue_sentinel";

    public async Task RunAsync(BenchContext context)
    {
        var line = await RunOnceAsync(context, workerExecutable: null);
        line.Emit();
        if (context.AotWorker is { } aotWorker)
        {
            line = await RunOnceAsync(context, aotWorker);
            line.Add("worker", "aot").Emit();
        }
    }

    private async Task<JsonLine> RunOnceAsync(BenchContext context, string? workerExecutable)
    {
        var n = context.Sizes.Tiny;
        var options = new ProcessQueueOptions { Workers = context.Workers, MaxSize = 20, Output = _ => { }, WorkerExecutable = workerExecutable };
        var clock = Stopwatch.StartNew();
        var got = new List<long>(n);
        TimeSpan started;
        await using (var queue = await ProcessQueue.StartAsync<long, long>(BenchFunctions.Square, options))
        {
            started = clock.Elapsed;
            // Sequential, as python's main: the output queue is unbounded, so putting everything first cannot stall.
            for (var i = 0L; i < n; i++) await queue.PutAsync(i);
            await queue.PutEndOfQueueAsync();
            await foreach (var result in queue.ReadAllAsync()) got.Add(result);
            await queue.JoinAsync();
            clock.Stop();
        }
        got.Sort();
        BenchmarkFailedException.ThrowIfNot(got.SequenceEqual(BenchContext.Range(n).Select(i => i * i)), Name, "sorted results are not the squares");
        return BenchContext.RateLine(Name, context.Workers, n, n / clock.Elapsed.TotalSeconds)
            .Add("start_ms", Math.Round(started.TotalMilliseconds, 1));
    }
}
