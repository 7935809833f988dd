using Supervisor;
using Supervisor.Testing;

namespace IsolatedTests;

/// <summary>Your code's handling of worker faults, tested without killer threads: the plan says which call fails how.</summary>
public sealed class RetryTests : LeakGuardedTest
{
    // The function under test takes the plan as a parameter and calls Hit() where a fault may strike.
    private static readonly Function Square = Function.FromDelegate(static (int x, FaultPoint faults) =>
    {
        faults.Hit();
        return x * x;
    });

    [Fact]
    public async Task A_crash_on_the_third_call_is_retried_and_nothing_is_lost()
    {
        using var faults = new FaultPlan().CrashOnCall(3);
        var square = faults.Bind(Square);
        await using var pool = await ProcessPool.StartAsync(new WorkerOptions { Workers = 1, Retries = 1, Output = static _ => { } });
        Guard.Track(pool);

        var results = new List<int>();
        for (var x = 1; x <= 5; x++) results.Add(await pool.SubmitAsync<int>(square, Arguments.Of(x)));

        Assert.Equal([1, 4, 9, 16, 25], results);
        Assert.Equal(6, faults.Calls);
    }

    [Fact]
    public async Task A_worker_that_cannot_start_is_reported()
    {
        using var faults = new FaultPlan().FailStart(1);

        await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(faults.ApplyTo(new WorkerOptions { Workers = 1 })));
    }
}
