using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// python's cpu_scale: M busy(work) tasks, chunk size 1, on 1 worker and on W workers, each pool started and
/// warmed up outside the timing. busy is scaled to cost about what python's does (see <see cref="BenchFunctions.BusyScale"/>).
/// Ours only: the CPU seconds the workers and this process spent during the W-worker run (<c>cpu_s</c>), to tell an
/// efficiency below 1 spent in our processes from time the machine gave to others. Left out of a run shorter than
/// <see cref="CpuTimeResolution"/> (the quick run's): processes' CPU time is counted in clock ticks of 10 ms on Linux.
/// </summary>
internal sealed class CpuScaleScenario : IScenario
{
    private static readonly TimeSpan CpuTimeResolution = TimeSpan.FromSeconds(0.5);

    public string Name => "cpu_scale";

    public async Task RunAsync(BenchContext context)
    {
        var (tasks, work) = (context.Sizes.CpuTasks, context.Sizes.CpuWork);
        var seconds = new Dictionary<int, double>();
        var cpu = new JsonObject();
        foreach (var workers in new[] { 1, context.Workers }.Distinct())
        {
            await using var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(workers));
            await BenchContext.WarmUpAsync(pool, workers, Name);
            var processes = pool.Workers.Select(w => Process.GetProcessById(w.ProcessId)).Append(Process.GetCurrentProcess()).ToArray();
            var cpuBefore = processes.Select(CpuSeconds).ToArray();
            var clock = Stopwatch.StartNew();
            var results = await pool.MapAsync(BenchFunctions.Busy, Enumerable.Repeat(work, tasks), chunkSize: 1);
            clock.Stop();
            if (workers == context.Workers && clock.Elapsed >= CpuTimeResolution)
            {
                var spent = processes.Select((p, i) => CpuSeconds(p) - cpuBefore[i]).ToArray();
                cpu["workers"] = Math.Round(spent[..^1].Sum(), 3);
                cpu["supervisor"] = Math.Round(spent[^1], 3);
            }
            foreach (var process in processes) process.Dispose();
            BenchmarkFailedException.ThrowIfNot(results.Length == tasks && results.All(r => r == work), Name, "busy returned a wrong count");
            seconds[workers] = clock.Elapsed.TotalSeconds;
        }
        var speedup = seconds[1] / seconds[context.Workers];
        var perWorkers = new JsonObject();
        foreach (var (workers, s) in seconds) perWorkers[workers.ToString(CultureInfo.InvariantCulture)] = Math.Round(s, 3);
        var line = new JsonLine(Name)
            .Add("tasks", tasks)
            .Add("work", work)
            .Add("seconds", perWorkers)
            .Add("speedup", Math.Round(speedup, 3))
            .Add("efficiency", Math.Round(speedup / context.Workers, 3));
        if (cpu.Count > 0) line.Add("cpu_s", cpu);
        line.Emit();
    }

    private static double CpuSeconds(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
