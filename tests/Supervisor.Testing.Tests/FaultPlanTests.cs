namespace Supervisor.Testing.Tests;

public sealed class FaultPlanTests
{
    private static readonly Function Square = Function.FromDelegate(static (int x, FaultPoint faults) =>
    {
        faults.Hit();
        return x * x;
    });

    // No retries unless a test asks: each planned fault shows as that call's failure (the default would run it again).
    private static WorkerOptions OneWorker => new() { Workers = 1, Retries = 0, Output = static _ => { } };

    private static async Task<List<Exception?>> RunEachAsync(ProcessPool pool, Function square, int calls)
    {
        var failures = new List<Exception?>();
        for (var x = 1; x <= calls; x++)
        {
            try
            {
                Assert.Equal(x * x, await pool.SubmitAsync<int>(square, Arguments.Of(x)));
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
    public async Task The_nth_call_crashes_its_worker_and_a_retry_runs_it_again()
    {
        using var faults = new FaultPlan().CrashOnCall(3);
        await using var pool = await ProcessPool.StartAsync(OneWorker with { Retries = 1 });

        var failures = await RunEachAsync(pool, faults.Bind(Square), 5);

        Assert.All(failures, Assert.Null);
        Assert.Equal(6, faults.Calls);
    }

    [Fact]
    public async Task Without_retries_the_crashed_call_alone_fails()
    {
        using var faults = new FaultPlan().CrashOnCall(2);
        await using var pool = await ProcessPool.StartAsync(OneWorker);

        var failures = await RunEachAsync(pool, faults.Bind(Square), 3);

        Assert.Null(failures[0]);
        var crash = Assert.IsType<WorkerCrashedException>(failures[1]);
        Assert.Null(failures[2]);
        if (!OperatingSystem.IsWindows()) Assert.Equal(-9, crash.ExitCode);
    }

    [Fact]
    public async Task A_hanging_call_meets_the_task_timeout()
    {
        using var faults = new FaultPlan().HangOnCall(2);
        // Long enough for a replacement's first call (loading, JIT) on a loaded machine.
        await using var pool = await ProcessPool.StartAsync(OneWorker with { TaskTimeout = TimeSpan.FromSeconds(5) });

        var failures = await RunEachAsync(pool, faults.Bind(Square), 3);

        Assert.Null(failures[0]);
        Assert.IsType<TaskTimeoutException>(failures[1]);
        Assert.Null(failures[2]);
    }

    [Fact]
    public async Task A_call_exits_with_the_code_or_throws_as_planned()
    {
        using var faults = new FaultPlan().ExitOnCall(1, 7).ThrowOnCall(2);
        await using var pool = await ProcessPool.StartAsync(OneWorker);

        var failures = await RunEachAsync(pool, faults.Bind(Square), 3);

        Assert.Equal(7, Assert.IsType<WorkerCrashedException>(failures[0]).ExitCode);
        Assert.Equal(typeof(InjectedFaultException).FullName, Assert.IsType<RemoteTaskException>(failures[1]).RemoteType);
        Assert.Null(failures[2]);
    }

    [Fact]
    public async Task A_worker_start_fails_as_planned()
    {
        using var first = new FaultPlan().FailStart(1);
        var refused = await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(first.ApplyTo(OneWorker)));
        Assert.Contains(nameof(InjectedFaultException), refused.Message, StringComparison.Ordinal);

        // The first worker starts; the replacement for the one the crash ends does not, and the pool breaks.
        using var second = new FaultPlan().FailStart(2).CrashOnCall(1);
        await using var pool = await ProcessPool.StartAsync(second.ApplyTo(OneWorker));
        var failures = await RunEachAsync(pool, second.Bind(Square), 2);

        Assert.IsType<WorkerCrashedException>(failures[0]);
        Assert.IsType<PoolBrokenException>(failures[1]);
        Assert.Equal(2, second.Starts);
    }

    [Fact]
    public void A_plan_that_cannot_work_is_refused_with_what_is_wrong()
    {
        using var faults = new FaultPlan().CrashOnCall(1);

        Assert.Throws<ArgumentException>(() => faults.CrashOnCall(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.HangOnCall(0));
        var unbound = Assert.Throws<ArgumentException>(() => faults.Bind(Function.FromDelegate(static (int x) => x)));
        Assert.Contains(nameof(FaultPoint), unbound.Message, StringComparison.Ordinal);
        var initialized = Assert.Throws<ArgumentException>(() => faults.ApplyTo(OneWorker with { Initializer = Function.FromDelegate(static () => { }) }));
        Assert.Contains("initializer", initialized.Message, StringComparison.Ordinal);
    }
}
