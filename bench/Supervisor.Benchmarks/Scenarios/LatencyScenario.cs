using System.Diagnostics;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// Not in python_mp.py: the round trip of one SubmitAsync on an idle, warm pool, one call at a time, to compare
/// with pipe_limit.c's raw pipe round trip.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    public string Name => "latency";

    public async Task RunAsync(BenchContext context)
    {
        var n = context.Sizes.LatencyCalls;
        await using var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(context.Workers));
        await BenchContext.WarmUpAsync(pool, context.Workers, Name);
        // Warm-up as long as the measurement: JIT tiering of both sides settles before anything is timed.
        for (var i = 0L; i < n; i++) await pool.SubmitAsync(BenchFunctions.Ident, i);
        var micros = new double[n];
        for (var i = 0; i < n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var echoed = await pool.SubmitAsync(BenchFunctions.Ident, (long)i);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            BenchmarkFailedException.ThrowIfNot(echoed == i, Name, $"call {i} returned {echoed}");
        }
        Array.Sort(micros);
        new JsonLine(Name)
            .Add("workers", context.Workers)
            .Add("n", n)
            .Add("p50_us", Math.Round(Percentile(micros, 0.50), 1))
            .Add("p99_us", Math.Round(Percentile(micros, 0.99), 1))
            .Emit();
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
