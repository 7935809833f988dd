using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// Not in python_mp.py: the supervisor's peak working set while streaming tiny tasks through Imap, per stream
/// length; Imap promises bounded memory, so the peak should not grow with the length. Chunk size 64 keeps the
/// long stream short in time; memory per call is what is measured, not dispatch speed.
/// </summary>
internal sealed class MemoryScenario : IScenario
{
    private const int ChunkSize = 64;

    public string Name => "memory";

    public async Task RunAsync(BenchContext context)
    {
        await using var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(context.Workers));
        await BenchContext.WarmUpAsync(pool, context.Workers, Name);
        foreach (var tasks in context.Sizes.MemoryTasks)
        {
            // PeakWorkingSet64 is the whole process's lifetime; a fresh sampler measures this stream alone. An
            // aggressive collection gives back to the OS what earlier scenarios left (the payload's 200 MiB).
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var clock = Stopwatch.StartNew();
            long sum = 0, count = 0;
            using (var sampler = new WorkingSetSampler(TimeSpan.FromMilliseconds(20)))
            {
                await foreach (var value in pool.Imap(BenchFunctions.Ident, BenchContext.Range(tasks), ChunkSize))
                {
                    sum += value;
                    count++;
                }
                clock.Stop();
                BenchmarkFailedException.ThrowIfNot(count == tasks && sum == tasks * (tasks - 1) / 2, Name, $"sum {sum} of {count} results");
                new JsonLine(Name)
                    .Add("workers", context.Workers)
                    .Add("tasks", tasks)
                    .Add("peak_working_set_mb", Math.Round(sampler.PeakBytes / (1024.0 * 1024.0), 1))
                    // The working set also holds what the runtime grows by itself (code of the JIT's tiers, the
                    // collector's budgets); the managed heap after the stream is what the stream left behind.
                    .Add("gc_heap_mb", Math.Round(GC.GetGCMemoryInfo().HeapSizeBytes / (1024.0 * 1024.0), 1))
                    .Add("seconds", Math.Round(clock.Elapsed.TotalSeconds, 3))
                    .Emit();
            }
        }
    }
}
