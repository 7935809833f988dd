namespace Supervisor.Testing.Tests;

/// <summary>Faults a plan injects into real workers running functions that know nothing of it.</summary>
public sealed class FaultPlanTests
{
    // An ordinary function: the plan needs nothing from it.
    private static readonly Function Square = Function.FromDelegate(static (int x) => x * x);

    // No retries unless a test asks: each planned fault shows as that call's failure (the default would run it again).
    private static WorkerOptions OneWorker => new() { Workers = 1, Retries = 0, Output = static _ => { } };

    private static async Task<List<Exception?>> RunEachAsync(ProcessPool pool, int calls)
    {
        var failures = new List<Exception?>();
        for (var x = 1; x <= calls; x++)
        {
            try
            {
                Assert.Equal(x * x, await pool.SubmitAsync<int>(Square, Arguments.Of(x)));
                failures.Add(null);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add(e);
            }
        }
        return failures;
    }

    [Fact]
    public async Task A_retry_policy_sees_the_nth_call_crash_its_worker_and_runs_it_again()
    {
        using var faults = new FaultPlan().CrashOnCall(3);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(OneWorker with { Retries = 1 }));

        var failures = await RunEachAsync(pool, 5);

        Assert.All(failures, Assert.Null);
        Assert.Equal(6, faults.Calls);
        Assert.Equal(2, faults.Starts);
    }

    [Fact]
    public async Task Without_retries_the_crashed_call_alone_fails()
    {
        using var faults = new FaultPlan().CrashOnCall(2);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(OneWorker));

        var failures = await RunEachAsync(pool, 3);

        Assert.Null(failures[0]);
        var crash = Assert.IsType<WorkerCrashedException>(failures[1]);
        Assert.Null(failures[2]);
        if (!OperatingSystem.IsWindows()) Assert.Equal(-9, crash.ExitCode);
    }

    [Fact]
    public async Task A_task_timeout_sees_the_hanging_call_and_no_other()
    {
        using var faults = new FaultPlan().HangOnCall(2);
        // Long enough for a replacement's first call (loading, JIT) on a loaded machine.
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(OneWorker with { TaskTimeout = TimeSpan.FromSeconds(5) }));

        var failures = await RunEachAsync(pool, 3);

        Assert.Null(failures[0]);
        Assert.IsType<TaskTimeoutException>(failures[1]);
        Assert.Null(failures[2]);
    }

    [Fact]
    public async Task A_call_exits_with_the_planned_code()
    {
        using var faults = new FaultPlan().ExitOnCall(1, 7);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(OneWorker));

        var failures = await RunEachAsync(pool, 2);

        Assert.Equal(7, Assert.IsType<WorkerCrashedException>(failures[0]).ExitCode);
        Assert.Null(failures[1]);
    }

    [Fact]
    public async Task A_worker_start_fails_as_planned()
    {
        using var first = new FaultPlan().FailStart(1);
        var refused = await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(first.ApplyTo(OneWorker)));
        Assert.Contains("exited with code 5 before its handshake", refused.Message, StringComparison.Ordinal);

        // The first worker starts; the replacement for the one the crash ends does not, and the pool breaks.
        using var second = new FaultPlan().FailStart(2).CrashOnCall(1);
        await using var pool = await ProcessPool.StartAsync(second.ApplyTo(OneWorker));
        var failures = await RunEachAsync(pool, 2);

        Assert.IsType<WorkerCrashedException>(failures[0]);
        Assert.IsType<PoolBrokenException>(failures[1]);
        Assert.Equal(2, second.Starts);
    }

    [Fact]
    public async Task The_warm_up_call_and_the_initializer_are_the_start_not_counted_calls()
    {
        using var faults = new FaultPlan().CrashOnCall(1);
        var options = OneWorker with
        {
            StartMethod = StartMethod.Forkserver,
            Initializer = Function.FromDelegate(static () => { }),
        };
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(options));

        var failures = await RunEachAsync(pool, 2);

        Assert.IsType<WorkerCrashedException>(failures[0]);
        Assert.Null(failures[1]);
        Assert.Equal(2, faults.Calls);
    }

    [Fact]
    public async Task A_plan_reaches_no_worker_through_a_supervisors_own_environment()
    {
        using var faults = new FaultPlan().CrashOnCall(2);
        var plan = Assert.Single(faults.ApplyTo(OneWorker).EnvironmentVariables);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(OneWorker));

        // Call 1 runs under the plan. It puts the plan in its own environment, as a shell's export would, and starts
        // a pool: that pool's worker must not take it up, or its call would be call 2 and crash.
        var nested = await pool.SubmitAsync<int>(Function.FromDelegate(static async (string name, string value) =>
        {
            Environment.SetEnvironmentVariable(name, value);
            await using var inner = await ProcessPool.StartAsync(new WorkerOptions { Workers = 1, Retries = 0, Output = static _ => { } });
            return await inner.SubmitAsync(static (int y) => y * y, 3);
        }), Arguments.Of(plan.Key, plan.Value));

        Assert.Equal(9, nested);
        Assert.Equal(1, faults.Calls);
    }

    [Fact]
    public void A_plan_that_cannot_work_is_refused_with_what_is_wrong()
    {
        using var faults = new FaultPlan().CrashOnCall(1);

        Assert.Throws<ArgumentException>(() => faults.CrashOnCall(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.HangOnCall(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.FailStart(0));
        var twice = Assert.Throws<ArgumentException>(() => faults.ApplyTo(faults.ApplyTo(OneWorker)));
        Assert.Contains("applied to these options already", twice.Message, StringComparison.Ordinal);
    }
}
