using Microsoft.Extensions.Time.Testing;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>
/// Cancelling calls, queued or running, with real workers. The grace period runs on a fake clock: a worker is
/// killed only when the test moves the clock past it, never because the machine was slow.
/// </summary>
public sealed class CancellationTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private readonly QuietOutput _output = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly TempDirectory _temp = new();
    private readonly CancellationTokenSource _cancel = new();

    public void Dispose()
    {
        _cancel.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_running_call_that_takes_a_token_stops_without_a_kill_and_a_queued_call_is_dropped()
    {
        using var queued = new CancellationTokenSource();
        var started = await WithPoolAsync(async pool =>
        {
            var worker = pool.Workers.Single().ProcessId;
            var first = pool.SubmitAsync(Cancellable.RunUntilCancelled, _temp.File("running"), _cancel.Token);
            FileGate.WaitFor(_temp.File("running"), Limit);
            // One worker with a window of one: the second call waits in the queue.
            var second = pool.SubmitAsync(Plain.Square, 3, queued.Token);

            await queued.CancelAsync();
            var dropped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
            Assert.Equal(queued.Token, dropped.CancellationToken);
            await AssertCancelledAsync(first);

            // The same worker answers next: it stopped the call itself.
            Assert.Equal(worker, await pool.SubmitAsync(Statics.ProcessId, 0).WaitAsync(Limit));
        });
        Assert.Single(started);
    }

    [Fact]
    public async Task A_running_call_that_ignores_its_cancellation_gets_its_worker_replaced_after_the_grace_period()
    {
        var started = await WithPoolAsync(async pool =>
        {
            // Quick calls first, so the worker's window opens and the next call is sent behind the hung one.
            await pool.MapAsync(Plain.Square, Enumerable.Range(0, 20), chunkSize: 1);
            var hung = pool.Workers.Single().ProcessId;
            var call = pool.SubmitAsync<int>(Function.FromDelegate(Cancellable.IgnoreCancellation), Arguments.Of(_temp.File("hung")), _cancel.Token);
            FileGate.WaitFor(_temp.File("hung"), Limit);
            var behind = pool.SubmitAsync(Plain.Square, 3);

            await AssertCancelledAsync(call);
            Assert.True(ProcessAssert.IsRunning(hung));
            _clock.Advance(Options().CancellationGracePeriod);

            // The call behind it is sent again, not failed; the pool goes on with a fresh worker.
            Assert.Equal(9, await behind.WaitAsync(Limit));
            Assert.Equal(49, await pool.SubmitAsync(Plain.Square, 7).WaitAsync(Limit));
            Assert.NotEqual(hung, pool.Workers.Single().ProcessId);
            Assert.False(ProcessAssert.IsRunning(hung));
        });
        Assert.Equal(2, started.Count);
    }

    [Fact]
    public async Task Cancelling_an_imap_cancels_its_call_running_in_a_worker()
    {
        var started = await WithPoolAsync(async pool =>
        {
            var worker = pool.Workers.Single().ProcessId;
            var calls = new[] { Arguments.Of(_temp.File("running")) }.ToAsyncEnumerable();
            var outcomes = pool.ImapOutcomes<int>(Function.FromDelegate(Cancellable.RunUntilCancelled), calls, cancellationToken: _cancel.Token)
                .GetAsyncEnumerator(_cancel.Token);
            var next = outcomes.MoveNextAsync();
            FileGate.WaitFor(_temp.File("running"), Limit);

            await _cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
            await outcomes.DisposeAsync();
            // One worker, never killed (the clock stands still): it answers only once the call stopped itself.
            Assert.Equal(worker, await pool.SubmitAsync(Statics.ProcessId, 0).WaitAsync(Limit));
        });
        Assert.Single(started);
    }

    /// <summary>Runs <paramref name="body"/> on a one-worker pool, disposes it, and checks no worker is left.</summary>
    private async Task<IReadOnlyList<int>> WithPoolAsync(Func<ProcessPool, Task> body)
    {
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(Options()))
        {
            await body(pool);
            started = pool.StartedProcessIds;
        }
        ProcessAssert.AllExited(started);
        return started;
    }

    /// <summary>Fires the test's token: the call's task is cancelled by that very token, at once.</summary>
    private async Task AssertCancelledAsync(Task call)
    {
        await _cancel.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(_cancel.Token, cancelled.CancellationToken);
    }

    private WorkerOptions Options() => new() { Workers = 1, Output = _output.Add, TimeProvider = _clock };
}
