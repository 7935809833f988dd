using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// Not in python_mp.py: what a hosted pool's metrics cost per call. N identity calls (imap_unordered, chunk size 1) on
/// a pool from <c>AddProcessPool</c>, timed without a listener on the <c>Supervisor</c> meter (calls are not timed at
/// all) and with a <see cref="MeterListener"/> taking every instrument, alternately, the median of each.
/// </summary>
internal sealed class MetricsOverheadScenario : IScenario
{
    private const int Pairs = 3;

    public string Name => "metrics_overhead";

    public async Task RunAsync(BenchContext context)
    {
        var n = context.Sizes.Tiny;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddProcessPool("bench", o =>
        {
            o.Workers = context.Workers;
            o.Output = _ => { };
        });
        using var host = builder.Build();
        await host.StartAsync();
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("bench");
        await BenchContext.WarmUpAsync(pool, context.Workers, Name);

        async Task<TimeSpan> RunAsync()
        {
            var clock = Stopwatch.StartNew();
            long sum = 0;
            await foreach (var value in pool.ImapUnordered(BenchFunctions.Ident, BenchContext.Range(n), chunkSize: 1)) sum += value;
            clock.Stop();
            BenchmarkFailedException.ThrowIfNot(sum == (long)n * (n - 1) / 2, Name, $"sum {sum}");
            return clock.Elapsed;
        }

        // Untimed runs of both kinds first, so that neither side's code is timed before the JIT settled on it.
        for (var i = 0; i < Math.Max(context.Sizes.WarmRuns / 2, 1); i++)
        {
            await RunAsync();
            using var listening = Listen();
            await RunAsync();
        }
        var without = new List<double>();
        var with = new List<double>();
        for (var i = 0; i < Pairs; i++)
        {
            without.Add((await RunAsync()).TotalMicroseconds / n);
            using var listening = Listen();
            with.Add((await RunAsync()).TotalMicroseconds / n);
        }
        await host.StopAsync();
        new JsonLine(Name)
            .Add("workers", context.Workers)
            .Add("n", n)
            .Add("pairs", Pairs)
            .Add("us_per_call_without_listener", Math.Round(Median(without), 2))
            .Add("us_per_call_with_listener", Math.Round(Median(with), 2))
            .Emit();
    }

    /// <summary>A listener on every instrument of the Supervisor meter, as an OpenTelemetry exporter would hold; disposing it stops the timing.</summary>
    private static MeterListener Listen()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SupervisorTelemetry.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        long seen = 0;
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref seen, value));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref seen));
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref seen, value));
        listener.Start();
        return listener;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
