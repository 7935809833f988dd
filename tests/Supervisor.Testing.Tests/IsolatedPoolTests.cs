namespace Supervisor.Testing.Tests;

public sealed class IsolatedPoolTests
{
    public static int Counter { get; set; }

    [Fact]
    public async Task Every_call_runs_in_a_process_of_its_own()
    {
        await using var pool = await IsolatedPool.StartAsync(poolOptions: new IsolatedPoolOptions { Workers = 2, Spares = 2 });

        var pids = new List<int>();
        for (var i = 0; i < 6; i++) pids.Add(await pool.RunAsync(static () => Environment.ProcessId));

        Assert.Equal(6, pids.Distinct().Count());
        Assert.DoesNotContain(Environment.ProcessId, pids);
    }

    [Fact]
    public async Task A_call_does_not_see_what_the_call_before_it_changed()
    {
        await using var pool = await IsolatedPool.StartAsync(poolOptions: new IsolatedPoolOptions { Workers = 1, Spares = 1 });

        Assert.Equal(1, await pool.RunAsync(static () => ++Counter));
        Assert.Equal(1, await pool.RunAsync(static () => ++Counter));
    }

    [Fact]
    public async Task Failures_are_judged_as_for_a_fresh_process_and_the_pool_goes_on()
    {
        await using var pool = await IsolatedPool.StartAsync(poolOptions: new IsolatedPoolOptions { Workers = 1, Spares = 1 });

        var exit = await Assert.ThrowsAsync<IsolatedExitException>(() => pool.RunAsync(static () => Environment.Exit(5)));
        var thrown = await Assert.ThrowsAsync<IsolatedException>(() => pool.RunAsync(static (string m) => throw new InvalidOperationException(m), "no"));

        Assert.Equal(5, exit.ExitCode);
        Assert.Equal(("System.InvalidOperationException", "no"), (thrown.ChildType, thrown.ChildMessage));
        Assert.Equal(9, await pool.RunAsync(static (int x) => x * x, 3));
    }
}
