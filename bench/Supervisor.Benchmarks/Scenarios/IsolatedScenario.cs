using System.Diagnostics;
using Supervisor.Testing;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// Not in python_mp.py: isolated calls per second, one after another, as a test suite makes them: each in a fresh
/// process (<see cref="Isolated"/>), from a warm pool (<see cref="IsolatedPool"/>), and beside them a bare
/// <see cref="Process.Start(ProcessStartInfo)"/> of the same worker host per call (it prints its usage and exits),
/// the floor a fresh process cannot go below.
/// </summary>
internal sealed class IsolatedScenario : IScenario
{
    public string Name => "isolated";

    public async Task RunAsync(BenchContext context)
    {
        var calls = context.Sizes.IsolatedCalls;
        Emit("fresh", calls, await TimeAsync(calls, async i => Check(i, await Isolated.RunAsync(BenchFunctions.Ident, (long)i))));
        await using (var pool = await IsolatedPool.StartAsync(poolOptions: new IsolatedPoolOptions { Workers = 1, Spares = 2 }))
        {
            Emit("warm", calls, await TimeAsync(calls, async i => Check(i, await pool.RunAsync(BenchFunctions.Ident, (long)i))));
        }
        var host = Path.Combine(AppContext.BaseDirectory, "Supervisor.WorkerHost.dll");
        Emit("process_start", calls, await TimeAsync(calls, async _ =>
        {
            using var process = Process.Start(new ProcessStartInfo(Environment.ProcessPath ?? "dotnet", [host]) { RedirectStandardError = true, RedirectStandardOutput = true })
                ?? throw new BenchmarkFailedException($"{Name}: the worker host could not be started");
            await process.WaitForExitAsync();
        }));
    }

    private void Check(int call, long echoed) => BenchmarkFailedException.ThrowIfNot(echoed == call, Name, $"call {call} returned {echoed}");

    private static async Task<TimeSpan> TimeAsync(int calls, Func<int, Task> call)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) await call(i);
        return clock.Elapsed;
    }

    private void Emit(string mode, int calls, TimeSpan elapsed) =>
        new JsonLine(Name)
            .Add("mode", mode)
            .Add("calls", calls)
            .Add("calls_per_s", Math.Round(calls / elapsed.TotalSeconds, 1))
            .Add("ms_per_call", Math.Round(elapsed.TotalMilliseconds / calls, 1))
            .Emit();
}
