using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>
/// Cancelling calls, queued or running, with real workers. The grace period runs on a manual clock: a worker is
/// killed only when the test moves the clock past it, never because the machine was slow.
/// </summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private readonly QuietOutput _output = new();
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task A_running_call_that_takes_a_token_stops_without_a_kill_and_a_queued_call_is_dropped()
    {
        using var temp = new TempDirectory();
        using var running = new CancellationTokenSource();
        using var queued = new CancellationTokenSource();
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(Options()))
        {
            var worker = pool.Workers.Single().ProcessId;
            var first = pool.SubmitAsync(Cancellable.RunUntilCancelled, temp.File("running"), running.Token);
            FileGate.WaitFor(temp.File("running"), Limit);
            // One worker with a window of one: the second call waits in the queue.
            var second = pool.SubmitAsync(Seed.Square, 3, queued.Token);

            await queued.CancelAsync();
            var dropped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
            Assert.Equal(queued.Token, dropped.CancellationToken);
            await running.CancelAsync();
            var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
            Assert.Equal(running.Token, stopped.CancellationToken);

            // The same worker answers next: it stopped the call itself.
            Assert.Equal(worker, await pool.SubmitAsync(Statics.ProcessId, 0).WaitAsync(Limit));
            Assert.Equal([worker], pool.StartedProcessIds);
            started = pool.StartedProcessIds;
        }
        ProcessAssert.AllExited(started);
    }

    [Fact]
    public async Task A_running_call_that_ignores_its_cancellation_gets_its_worker_replaced_after_the_grace_period()
    {
        using var temp = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(Options()))
        {
            // Quick calls first, so the worker's window opens and the next call is sent behind the hung one.
            await pool.MapAsync(Seed.Square, Enumerable.Range(0, 20), chunkSize: 1);
            var hung = pool.Workers.Single().ProcessId;
            var call = pool.SubmitAsync<int>(Function.FromDelegate(Cancellable.IgnoreCancellation), Arguments.Of(temp.File("hung")), cancel.Token);
            FileGate.WaitFor(temp.File("hung"), Limit);
            var behind = pool.SubmitAsync(Seed.Square, 3);

            await cancel.CancelAsync();
            var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            Assert.Equal(cancel.Token, cancelled.CancellationToken);
            Assert.True(ProcessAssert.IsRunning(hung));
            _clock.Advance(Options().CancellationGracePeriod);

            // The call behind it is sent again, not failed; the pool goes on with a fresh worker.
            Assert.Equal(9, await behind.WaitAsync(Limit));
            Assert.Equal(49, await pool.SubmitAsync(Seed.Square, 7).WaitAsync(Limit));
            Assert.NotEqual(hung, pool.Workers.Single().ProcessId);
            Assert.False(ProcessAssert.IsRunning(hung));
            started = pool.StartedProcessIds;
        }
        Assert.Equal(2, started.Count);
        ProcessAssert.AllExited(started);
    }

    [Fact]
    public async Task Cancelling_an_imap_cancels_its_call_running_in_a_worker()
    {
        using var temp = new TempDirectory();
        using var stop = new CancellationTokenSource();
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(Options()))
        {
            var worker = pool.Workers.Single().ProcessId;
            var calls = new[] { Arguments.Of(temp.File("running")) }.ToAsyncEnumerable();
            var outcomes = pool.ImapOutcomes<int>(Function.FromDelegate(Cancellable.RunUntilCancelled), calls, cancellationToken: stop.Token)
                .GetAsyncEnumerator(stop.Token);
            var next = outcomes.MoveNextAsync();
            FileGate.WaitFor(temp.File("running"), Limit);

            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
            await outcomes.DisposeAsync();
            // One worker, never killed (the clock stands still): it answers only once the call stopped itself.
            Assert.Equal(worker, await pool.SubmitAsync(Statics.ProcessId, 0).WaitAsync(Limit));
            started = pool.StartedProcessIds;
        }
        Assert.Single(started);
        ProcessAssert.AllExited(started);
    }

    private WorkerOptions Options() => new() { Workers = 1, Output = _output.Add, TimeProvider = _clock };
}
