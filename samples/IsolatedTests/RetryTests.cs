using Supervisor;
using Supervisor.Testing;

namespace IsolatedTests;

/// <summary>
/// Your code's handling of worker faults, tested without killer threads and without changing the functions it
/// calls: the plan says which call fails how, and the pool's workers carry it out.
/// </summary>
public sealed class RetryTests : LeakGuardedTest
{
    [Fact]
    public async Task A_crash_on_the_third_call_is_retried_and_nothing_is_lost()
    {
        using var faults = new FaultPlan().CrashOnCall(3);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(new WorkerOptions { Workers = 1, Retries = 1, Output = static _ => { } }));
        Guard.Track(pool);

        var results = new List<int>();
        for (var x = 1; x <= 5; x++) results.Add(await pool.SubmitAsync(static (int x) => x * x, x));

        Assert.Equal([1, 4, 9, 16, 25], results);
        Assert.Equal(6, faults.Calls);
    }

    [Fact]
    public async Task A_hanging_call_meets_the_timeout()
    {
        using var faults = new FaultPlan().HangOnCall(1);
        var options = faults.ApplyTo(new WorkerOptions { Workers = 1, Retries = 0, TaskTimeout = TimeSpan.FromSeconds(5), Output = static _ => { } });
        await using var pool = await ProcessPool.StartAsync(options);
        Guard.Track(pool);

        await Assert.ThrowsAsync<TaskTimeoutException>(() => pool.SubmitAsync(static (int x) => x * x, 2));
    }

    [Fact]
    public async Task A_worker_that_cannot_start_is_reported()
    {
        using var faults = new FaultPlan().FailStart(1);

        await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(faults.ApplyTo(new WorkerOptions { Workers = 1, Output = static _ => { } })));
    }
}
