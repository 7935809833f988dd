using System.Diagnostics;
using System.Security.Cryptography;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>python's payload_1MiB_echo: one random 1 MiB byte[] echoed K times through ordered Imap (chunk size 1).</summary>
internal sealed class PayloadEchoScenario : IScenario
{
    private const int Size = 1 << 20;
    private const int ContentChecked = 16;

    public string Name => "payload_1MiB_echo";

    public async Task RunAsync(BenchContext context)
    {
        var k = context.Sizes.PayloadEchoes;
        var blob = RandomNumberGenerator.GetBytes(Size);
        await using var pool = await ProcessPool.StartAsync(BenchContext.PoolOptions(context.Workers));
        await BenchContext.WarmUpAsync(pool, context.Workers, Name);
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        var intact = true;
        var echoes = 0;
        await foreach (var echoed in pool.Imap(BenchFunctions.Echo, Enumerable.Repeat(blob, k)))
        {
            bytes += echoed.Length;
            // Python's line sums the lengths and checks no byte. Comparing every 1 MiB costs this loop about 80 µs an echo
            // (measured: ~8 % of an echo), so one echo in ContentChecked is compared: every echo takes the same path,
            // and a transfer that garbles bytes garbles them there too.
            if (echoes++ % ContentChecked == 0) intact &= echoed.AsSpan().SequenceEqual(blob);
        }
        clock.Stop();
        BenchmarkFailedException.ThrowIfNot(intact && bytes == (long)k * Size, Name, $"{bytes} bytes back, intact: {intact}");
        new JsonLine(Name)
            .Add("workers", context.Workers)
            .Add("k", k)
            .Add("mb_per_s_each_way", Math.Round(bytes / (double)Size / clock.Elapsed.TotalSeconds, 1))
            .Emit();
    }
}
