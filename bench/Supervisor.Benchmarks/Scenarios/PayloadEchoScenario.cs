using System.Diagnostics;
using System.Security.Cryptography;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>python's payload_1MiB_echo: one random 1 MiB byte[] echoed K times through ordered Imap (chunk size 1).</summary>
internal sealed class PayloadEchoScenario : IScenario
{
    private const int Size = 1 << 20;

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
        await foreach (var echoed in pool.Imap(BenchFunctions.Echo, Enumerable.Repeat(blob, k)))
        {
            bytes += echoed.Length;
            // A vectorized compare of 1 MiB costs tens of microseconds: cheap enough to check every echo inside the timing.
            intact &= echoed.AsSpan().SequenceEqual(blob);
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
