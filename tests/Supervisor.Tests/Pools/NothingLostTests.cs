using Supervisor.Testing;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>Defaults that keep work: calls outlive killed workers, kills amid progress never break the pool, dispose ends every call.</summary>
public sealed class NothingLostTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_call_whose_worker_is_killed_from_outside_runs_again_by_default()
    {
        using var temp = new TempDirectory();
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var marker = temp.File("first-attempt");
        var call = pool.SubmitAsync<int>(Function.FromDelegate(Blocking.BlockOnFirstAttempt), Arguments.Of(marker));
        FileGate.WaitFor(marker, Limit);

        Signal.Kill(pool.Workers.Single().ProcessId);

        Assert.Equal(2, await call.WaitAsync(Limit));
    }

    [Fact]
    public async Task An_exception_raised_by_the_users_code_is_not_run_again_by_default()
    {
        using var temp = new TempDirectory();
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var runs = temp.File("runs");

        await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync<int>(Function.FromDelegate(Raising.CountThenThrow), Arguments.Of(runs)).WaitAsync(Limit));

        Assert.Equal("x", await File.ReadAllTextAsync(runs));
    }

    [Fact]
    public async Task Workers_killed_again_and_again_while_calls_complete_are_replaced_without_limit()
    {
        // Past the restart intensity twice over, but each kill comes after calls completed: that is no crash loop.
        // Each call's first run kills its worker (calls 1, 3, 5, 7), its second succeeds.
        using var faults = new FaultPlan().CrashOnCall(1).CrashOnCall(3).CrashOnCall(5).CrashOnCall(7);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(_output.Options(1) with { MaxRestarts = 1, Retries = 3 }));
        for (var x = 0; x < 4; x++) Assert.Equal(x * x, await pool.SubmitAsync(Plain.Square, x).WaitAsync(Limit));
        Assert.False(pool.State.IsBroken);
        Assert.Equal(5, faults.Starts);
    }

    [Fact]
    public async Task Disposing_with_calls_running_and_queued_ends_every_call_as_disposed()
    {
        using var temp = new TempDirectory();
        var pool = await ProcessPool.StartAsync(_output.Options(2) with { ShutdownGracePeriod = TimeSpan.FromSeconds(1) });
        var blocked = Function.FromDelegate(Blocking.WaitForFile);
        var calls = Enumerable.Range(0, 6).Select(_ => pool.SubmitAsync<int>(blocked, Arguments.Of(temp.File("never")))).ToList();

        await pool.DisposeAsync();

        foreach (var call in calls) await Assert.ThrowsAsync<ObjectDisposedException>(() => call.WaitAsync(Limit));
    }
}
