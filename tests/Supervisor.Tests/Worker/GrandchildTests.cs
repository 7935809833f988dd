using Supervisor.Processes;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Worker;

/// <summary>
/// A process user code starts inherits nothing of the protocol: its worker's pipe ends are close-on-exec (not
/// inheritable on Windows), so the grandchild holds no end open, and its worker's death shows while it runs on.
/// </summary>
public sealed class GrandchildTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_grandchild_holds_no_pipe_end_a_crash_shows_and_dispose_returns_while_it_runs()
    {
        if (!OperatingSystem.IsLinux()) return; // sh, and a pidfd to tell a sleeping grandchild from an exited one
        var grandchildren = new List<int>();
        try
        {
            IReadOnlyList<int> started;
            await using (var pool = await ProcessPool.StartAsync(_output.Options(1) with { Retries = 0, MaxRestarts = 5, ShutdownGracePeriod = TimeSpan.FromMinutes(2) }))
            {
                grandchildren.Add(await pool.SubmitAsync(Grandchildren.StartSleeper, 120));
                // The worker dies while its grandchild sleeps on: the crash is seen now, not when the sleep ends.
                await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Crashes.SquareOrDie, 3L, 3L));
                Assert.False(await ProcessExit.WaitAsync(grandchildren[0], TimeSpan.Zero), "the crash was seen only once the grandchild had exited");
                // A replacement's grandchild keeps nothing open either: disposing does not wait for it.
                grandchildren.Add(await pool.SubmitAsync(Grandchildren.StartSleeper, 120));
                started = pool.StartedProcessIds;
            }
            Assert.False(await ProcessExit.WaitAsync(grandchildren[1], TimeSpan.Zero), "dispose waited for the grandchild");
            ProcessAssert.AllExited(started);
        }
        finally
        {
            foreach (var pid in grandchildren) Signals.Kill(pid);
        }
        foreach (var pid in grandchildren) Assert.True(await ProcessExit.WaitAsync(pid, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_worker_that_dies_while_its_grandchild_holds_its_stdout_is_reported_with_its_exit_code()
    {
        if (!OperatingSystem.IsLinux()) return; // sh, and a pidfd to tell a sleeping grandchild from an exited one
        var grandchild = 0;
        try
        {
            await using var pool = await ProcessPool.StartAsync(_output.Options(1) with { Retries = 0 });
            // The sleeper inherits the worker's stdout and stderr: they stay open after the worker's death.
            grandchild = await pool.SubmitAsync(Grandchildren.StartSleeper, 120);

            var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Crashes.SquareOrDie, 3L, 3L));

            Assert.False(await ProcessExit.WaitAsync(grandchild, TimeSpan.Zero), "the crash was seen only once the grandchild had exited");
            Assert.Equal(-9, crash.ExitCode);
            Assert.Contains("killed by signal 9", crash.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (grandchild != 0) Signals.Kill(grandchild);
        }
        Assert.True(await ProcessExit.WaitAsync(grandchild, TimeSpan.FromMinutes(1)));
    }
}
