using Supervisor.Testing;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>A pool's state and events, as a host's logging, metrics and health checks see them, with real workers.</summary>
public sealed class ObservationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private readonly QuietOutput _output = new();
    private readonly RecordingObserver _observer = new();

    [Fact]
    public async Task A_killed_worker_is_reported_exited_as_crashed_then_replaced_and_its_call_retried()
    {
        using var faults = new FaultPlan().CrashOnCall(1);
        var options = faults.ApplyTo(_output.Options(1) with { Observer = _observer, Retries = 1 });
        await using var pool = await ProcessPool.StartAsync(options);
        var first = pool.Workers.Single();

        var call = pool.SubmitAsync(Plain.Square, 4);
        var (exited, replacement) = await _observer.Replaced.WaitAsync(Limit);

        Assert.Equal(16, await call.WaitAsync(Limit));
        Assert.Equal(first, exited);
        Assert.Equal(pool.Workers.Single(), replacement);
        var exit = Assert.Single(_observer.Of<WorkerExited>());
        Assert.Equal((first, WorkerExitReason.Crashed), (exit.Worker, exit.Reason));
        if (!OperatingSystem.IsWindows()) Assert.Equal(9, exit.Signal);
        var retried = Assert.Single(_observer.Of<CallRetried>());
        Assert.Equal((first, 1, true, 1), (retried.Worker, retried.Calls, retried.Blamed, retried.Attempts));
        Assert.Equal([first, replacement], _observer.Of<WorkerInfo>());
    }

    [Fact]
    public async Task A_worker_at_its_task_limit_is_reported_recycled_and_replaced()
    {
        var options = _output.Options(1) with { Observer = _observer, MaxTasksPerWorker = 1 };
        await using var pool = await ProcessPool.StartAsync(options);
        var first = pool.Workers.Single();
        Assert.Equal(first.ProcessId, await pool.SubmitAsync(Statics.ProcessId, 0).WaitAsync(Limit));

        var (exited, _) = await _observer.Replaced.WaitAsync(Limit);
        Assert.Equal(first, exited);
        var exit = Assert.Single(_observer.Of<WorkerExited>());
        Assert.Equal((WorkerExitReason.Recycled, 0), (exit.Reason, exit.ExitCode));
        Assert.Empty(exit.LastErrorLines);
    }

    [Fact]
    public async Task A_pool_past_its_restart_intensity_shows_broken_and_says_so_once()
    {
        var options = _output.Options(1) with { Observer = _observer, MaxRestarts = 0 };
        await using var pool = await ProcessPool.StartAsync(options);
        Assert.False(pool.State.IsBroken);

        Signal.Kill(pool.Workers.Single().ProcessId);
        var reason = await _observer.Broken.WaitAsync(Limit);

        Assert.True(pool.State.IsBroken);
        Assert.Contains("crashed more than 0 times", reason.Message, StringComparison.Ordinal);
        Assert.Equal(WorkerExitReason.Crashed, Assert.Single(_observer.Of<WorkerExited>()).Reason);
        Assert.False(_observer.Replaced.IsCompleted);
        await Assert.ThrowsAsync<PoolBrokenException>(async () => await pool.SubmitAsync(Plain.Square, 3));
    }

    [Fact]
    public async Task The_state_counts_the_workers_alive_and_busy_and_the_calls_they_hold()
    {
        using var temp = new TempDirectory();
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));
        Assert.Equal(new PoolState { WorkersAlive = 2 }, pool.State);

        var marker = temp.File("running");
        var call = pool.SubmitAsync<int>(Function.FromDelegate(Blocking.BlockOnFirstAttempt), Arguments.Of(marker));
        FileGate.WaitFor(marker, Limit);
        var state = pool.State;
        Assert.Equal((2, 1, 1, false), (state.WorkersAlive, state.WorkersBusy, state.CallsInFlight, state.IsBroken));

        await File.WriteAllTextAsync(marker + ".never", "go");
        Assert.Equal(1, await call.WaitAsync(Limit));
    }

    [Fact]
    public async Task An_observer_that_throws_does_not_stop_the_pool()
    {
        var options = _output.Options(1) with { Observer = new ThrowingObserver() };
        await using var pool = await ProcessPool.StartAsync(options);
        Assert.Equal(49, await pool.SubmitAsync(Plain.Square, 7).WaitAsync(Limit));
    }

    private sealed class ThrowingObserver : PoolObserver
    {
        public override void OnWorkerStarted(WorkerInfo worker) => throw new InvalidOperationException("observer fault");
    }
}
