using Supervisor.Testing;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>What happens to a pool when its workers crash, hang, grow or reach their task limit.</summary>
public sealed class SupervisionTests
{
    private static readonly Function Square = Function.FromDelegate(static (long x) => x * x);

    private readonly QuietOutput _output = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_task_past_its_timeout_fails_its_worker_is_replaced_and_the_pool_goes_on(bool stuckSendingItsResult)
    {
        // Stuck sending its result, the worker is outside any call: it cannot answer the timeout's Probe, and the
        // supervisor must not wait for that answer for ever.
        using var temp = new TempDirectory();
        var options = new WorkerOptions { Workers = 1, Output = _output.Add, TaskTimeout = TimeSpan.FromSeconds(2), Retries = 0 };
        await using var pool = await ProcessPool.StartAsync(options);
        var hung = pool.Workers.Single();
        var function = stuckSendingItsResult ? Function.FromDelegate(Blocking.ReturnValueThatHangs) : Function.FromDelegate(Blocking.WaitForFile);
        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() =>
            pool.SubmitAsync<object>(function, Arguments.Of(temp.File("never"))).WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(hung.ProcessId, error.ProcessId);
        Assert.Equal(49, await pool.SubmitAsync(Plain.Square, 7));
        Assert.False(ProcessAssert.IsRunning(hung.ProcessId));
        Assert.Equal(2, pool.StartedProcessIds.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public async Task A_crash_among_gathered_results_fails_the_call_that_crashed_and_no_other(int chunkSize)
    {
        // One worker, a stream of fast calls: it gathers results and sends them in runs, so when call 1,500 kills it
        // the results of calls before it may die too. Without retries, exactly that call must fail.
        // Not a fault plan's numbered crash: the calls whose results died are run again one by one to find the culprit,
        // so the crash must follow the argument, as a crash in the user's code does.
        const int Calls = 3_000, DieAt = 1_500;
        var options = new WorkerOptions { Workers = 1, Output = _output.Add, Retries = 0 };
        await SquaresWithOneFailedCallAsync<WorkerCrashedException>(
            options, Function.FromDelegate(Crashes.SquareOrDie), x => Arguments.Of((long)x, (long)DieAt), Calls, DieAt, chunkSize);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public async Task A_hang_among_gathered_results_fails_at_the_first_timeout_the_call_that_hung_and_no_other(int chunkSize)
    {
        // One worker, a stream of fast calls whose results it gathers, and call 200 hangs. The timeout must name that
        // call at once: one worker killed, one replacement, not a second hang of the call alone to find it.
        // One worker runs the calls in order: call x is the plan's call x + 1.
        const int Calls = 400, HangAt = 200;
        using var faults = new FaultPlan().HangOnCall(HangAt + 1);
        // 5 s, not less: the worker's answer to the Probe is awaited for as long as the timeout (up to 5 s), and on a
        // loaded machine a fast call must not pass the timeout by itself.
        var options = faults.ApplyTo(new WorkerOptions { Workers = 1, Output = _output.Add, Retries = 0, TaskTimeout = TimeSpan.FromSeconds(5) });
        var started = await SquaresWithOneFailedCallAsync<TaskTimeoutException>(options, Square, x => Arguments.Of((long)x), Calls, HangAt, chunkSize);
        Assert.Equal(2, started.Count);
    }

    [Fact]
    public async Task Retries_count_per_call_so_a_chunk_whose_calls_crash_once_each_completes()
    {
        // One chunk of 50 calls; calls 10, 20, 30 and 40 each kill their worker the first time they run. With one
        // retry every call must succeed: a crash charged to call 30 must not count the one charged to call 20.
        const int Calls = 50;
        using var temp = new TempDirectory();
        var options = new WorkerOptions { Workers = 1, Output = _output.Add, Retries = 1 };
        IReadOnlyList<int> started;
        var outcomes = new List<TaskOutcome<long>>();
        await using (var pool = await ProcessPool.StartAsync(options))
        {
            var calls = Enumerable.Range(0, Calls).Select(x => Arguments.Of((long)x, 10L, temp.Path)).ToAsyncEnumerable();
            await foreach (var outcome in pool.ImapOutcomes<long>(Function.FromDelegate(Crashes.SquareAfterOneCrashEvery), calls, chunkSize: Calls))
            {
                outcomes.Add(outcome);
            }
            started = pool.StartedProcessIds;
        }
        Assert.Empty(outcomes.Where(o => o.Error is not null).Select(o => $"{o.Index}: {o.Error}"));
        Assert.Equal(Enumerable.Range(0, Calls).Select(x => (long)x * x), outcomes.OrderBy(o => o.Index).Select(o => o.Value));
        Assert.Equal(5, started.Count);
        ProcessAssert.AllExited(started);
    }

    [Fact]
    public async Task A_worker_is_replaced_after_max_tasks_per_worker()
    {
        var options = new WorkerOptions { Workers = 1, Output = _output.Add, MaxTasksPerWorker = 2 };
        IReadOnlyList<int> started;
        int[] pids;
        await using (var pool = await ProcessPool.StartAsync(options))
        {
            pids = await pool.MapAsync(Statics.ProcessId, Enumerable.Range(0, 6), chunkSize: 1);
            started = pool.StartedProcessIds;
        }
        Assert.Equal(3, pids.Distinct().Count());
        Assert.All(pids.Chunk(2), pair => Assert.Equal(pair[0], pair[1]));
        ProcessAssert.AllExited(started);
    }

    [Fact]
    public async Task A_worker_past_its_memory_ceiling_is_replaced_between_tasks()
    {
        var options = new WorkerOptions { Workers = 1, Output = _output.Add, MaxWorkerMemoryBytes = 1 };
        await using var pool = await ProcessPool.StartAsync(options);
        var first = await pool.SubmitAsync(Statics.ProcessId, 0);
        var second = await pool.SubmitAsync(Statics.ProcessId, 0);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Past_the_restart_intensity_the_pool_fails_clearly_instead_of_crash_looping()
    {
        // A call that kills every worker that runs it, before any result: each replacement dies fruitless, a crash loop.
        var options = new WorkerOptions { Workers = 1, Output = _output.Add, MaxRestarts = 1, Retries = 5 };
        await using var pool = await ProcessPool.StartAsync(options);
        var poison = pool.SubmitAsync<long>(Function.FromDelegate(Crashes.SquareOrDie), Arguments.Of(3L, 3L));
        // The call waits for a retry when the pool breaks, and fails with it; the pool then refuses all work.
        var broken = await Assert.ThrowsAsync<PoolBrokenException>(() => poison.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("crashed more than 1 times within 10 s", broken.Message, StringComparison.Ordinal);
        var later = await Assert.ThrowsAsync<PoolBrokenException>(async () => await pool.SubmitAsync(Plain.Square, 3));
        Assert.Contains("crashed more than 1 times within 10 s", later.Message, StringComparison.Ordinal);
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_worker_that_dies_before_its_handshake_fails_the_start_with_its_stderr()
    {
        Skip.If(OperatingSystem.IsWindows(), "The stand-in worker is a shell script.");
        using var temp = new TempDirectory();
        var script = temp.File("broken-worker.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'cannot load libfoo.so' >&2\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new WorkerOptions { Workers = 2, Output = _output.Add, WorkerExecutable = script };
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(options));
        Assert.Contains("exited with code 3 before its handshake", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot load libfoo.so", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Streams <paramref name="calls"/> calls of a function that squares its first argument, except at
    /// <paramref name="failAt"/> (where it fails, or the options' fault plan strikes), and asserts that exactly that call
    /// fails, with <typeparamref name="TException"/>, that every other call has its square, and that no process is left.
    /// Returns every process the pool started.
    /// </summary>
    private static async Task<IReadOnlyList<int>> SquaresWithOneFailedCallAsync<TException>(
        WorkerOptions options, Function function, Func<int, Arguments> arguments, int calls, int failAt, int chunkSize)
        where TException : Exception
    {
        IReadOnlyList<int> started;
        var outcomes = new List<TaskOutcome<long>>();
        await using (var pool = await ProcessPool.StartAsync(options))
        {
            await foreach (var outcome in pool.ImapOutcomes<long>(function, Enumerable.Range(0, calls).Select(arguments).ToAsyncEnumerable(), chunkSize: chunkSize))
            {
                outcomes.Add(outcome);
            }
            started = pool.StartedProcessIds;
        }
        Assert.Equal(calls, outcomes.Count);
        var failed = outcomes.Where(o => o.Error is not null).ToList();
        Assert.Equal([failAt], failed.Select(o => o.Index));
        Assert.True(failed[0].Error is TException, $"Call {failAt} failed with {failed[0].Error}");
        Assert.All(outcomes.Where(o => o.Error is null), o => Assert.Equal((long)o.Index * o.Index, o.Value));
        ProcessAssert.AllExited(started);
        return started;
    }
}
