using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Supervisor.Encoding;
using Supervisor.Results;
using Supervisor.Supervision;

namespace Supervisor.Dispatch;

/// <summary>
/// Streams calls from a source into a group's queue while their outcomes are yielded, as Python's imap does: a
/// feeder takes items as they come and sends what it has whenever the source makes it wait, so a slow source
/// (a pipe, a terminal) never holds back calls or results that are ready. At most <c>limit</c> calls are
/// between source and consumer at once, which bounds memory, reorder buffer included, for any input length;
/// large calls lower that to about <see cref="FeedAheadBytes"/> of serialized arguments, but never below
/// <c>floor</c> calls. A source that throws ends the stream as Python's imap does: every call taken before it
/// failed is sent and yields its outcome, then the source's exception is thrown, whatever the timing.
/// </summary>
internal sealed class CallStream<T, TResult>(
    WorkerGroup group, Function function, Func<T, Protocol.Messages.ArgumentMode> modeOf, Action<ArgumentEncoder, WorkItem, T> write,
    int chunkSize, int limit, int floor, bool ordered)
{
    /// <summary>Serialized arguments kept ahead of the consumer: every worker's pipe stays fed without hoarding megabytes per call.</summary>
    public const long FeedAheadBytes = 8L * 1024 * 1024;

    private readonly int _functionId = group.Functions.IdOf(function);
    private readonly StreamWindowSink<TResult> _sink = new(ordered);
    // Tasks sent and maybe not finished, to cancel when the consumer stops early or withdraw on a stop; written by the
    // feeder, read by a stop's callback too: under its own lock.
    private readonly List<WorkItem> _sent = [];
    // The feeder's answer, read once it completed: how many calls it issued, and the source's exception if it threw. Not
    // a Task<(int, ExceptionDispatchInfo?)>: the task and awaiter generic over that tuple would be compiled at tier 0 in
    // each stream's first run.
    private int _issued;
    private ExceptionDispatchInfo? _sourceFailure;

    /// <summary>
    /// Yields an outcome per call of <paramref name="items"/>. Once <paramref name="stopDispatching"/> is cancelled, no
    /// more calls are taken and those no worker took are withdrawn: each fails as not started.
    /// </summary>
    public async IAsyncEnumerable<TaskOutcome<TResult>> RunAsync(IAsyncEnumerable<T> items, CancellationToken stopDispatching,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var slots = new RefillGate(limit);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The feeder may have issued every call before the stop: what still waits in the queue is withdrawn here.
        using var withdrawal = stopDispatching.Register(WithdrawQueued);
        // Started here: with a ready source the first calls are checked and sent in the caller's thread.
        var feeder = FeedAsync(items, slots, stopDispatching, stop.Token);
        var yielded = 0;
        var finished = false;
        try
        {
            while (true)
            {
                // In order, the sink gives only the next call's outcome: one that overtook it waits there in its place.
                if (_sink.TryTake(out var next))
                {
                    yielded++;
                    slots.Release();
                    yield return next;
                    continue;
                }
                if (feeder.IsCompleted)
                {
                    // Every call is issued (or the feeder failed, which this await rethrows): only outcomes remain.
                    await feeder.ConfigureAwait(false);
                    if (yielded == _issued)
                    {
                        finished = true;
                        // The source failed: its error comes after the outcome of every call taken before it.
                        _sourceFailure?.Throw();
                        yield break;
                    }
                    await _sink.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await Task.WhenAny(_sink.WaitAsync().WaitAsync(cancellationToken), feeder).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await feeder.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early: the feeder was told to stop.
            }
            // Stopped early: nobody waits for what is still running, so it is cancelled, as a single call's token would.
            if (!finished)
            {
                lock (_sent)
                {
                    foreach (var item in _sent.Where(i => i.Delivered < i.Count)) group.Cancel(item);
                }
            }
        }
    }

    /// <summary>Issues the calls of <paramref name="items"/>; sets <see cref="_issued"/> and <see cref="_sourceFailure"/> before it completes.</summary>
    private async Task FeedAsync(IAsyncEnumerable<T> items, RefillGate slots, CancellationToken stopDispatching, CancellationToken cancellationToken)
    {
        var issued = 0;
        var bytes = 0L;
        WorkItem? pending = null;
        ExceptionDispatchInfo? sourceFailure = null;
        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopDispatching);
        var source = items.GetAsyncEnumerator(feeding.Token);
        try
        {
            try
            {
                while (!stopDispatching.IsCancellationRequested)
                {
                    T value;
                    try
                    {
                        var moved = source.MoveNextAsync();
                        if (!moved.IsCompleted) Send(ref pending);
                        if (!await moved.ConfigureAwait(false)) break;
                        value = source.Current;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !feeding.IsCancellationRequested)
                    {
                        // The caller's sequence threw: what it gave before is sent below, and its error follows their outcomes.
                        sourceFailure = ExceptionDispatchInfo.Capture(e);
                        break;
                    }
                    while (!slots.TryTake())
                    {
                        Send(ref pending);
                        await slots.WaitForRefillAsync(feeding.Token).ConfigureAwait(false);
                    }
                    Issue(value, slots, ref pending, ref issued, ref bytes);
                }
            }
            catch (OperationCanceledException) when (stopDispatching.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A graceful stop while the feeder waited for the source or for room: what was issued still gets outcomes.
            }
            if (!stopDispatching.IsCancellationRequested)
            {
                Send(ref pending);
                (_issued, _sourceFailure) = (issued, sourceFailure);
                return;
            }
            Withdraw(pending);
            pending = null;
            WithdrawQueued();
            (_issued, _sourceFailure) = (issued, sourceFailure);
        }
        finally
        {
            pending?.Release();
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    // One call's work in the feeder, outside its state machine so that it is compiled optimized at once: a stream's
    // first run would otherwise issue every call through tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Issue(T value, RefillGate slots, ref WorkItem? pending, ref int issued, ref long bytes)
    {
        var mode = modeOf(value);
        if (pending is not null && pending.Mode != mode) Send(ref pending);
        pending ??= new WorkItem(_functionId, mode, issued, _sink);
        var mark = pending.Arguments.Length;
        try
        {
            write(group.Encoder, pending, value);
        }
        catch (ArgumentException e)
        {
            // This call cannot be made: it becomes a failed outcome and the stream goes on. The chunk before it leaves
            // now, so that every chunk covers consecutive calls.
            pending.Truncate(mark);
            Send(ref pending);
            _sink.OnFailure(issued++, e);
            return;
        }
        issued++;
        bytes += pending.Arguments.Length - mark;
        slots.Resize((int)Math.Clamp(FeedAheadBytes * issued / Math.Max(bytes, 1), floor, limit));
        if (pending.Count == chunkSize) Send(ref pending);
    }

    // A task no worker took: each of its calls fails as not started, so the stream still ends with an outcome per call.
    private static void Withdraw(WorkItem? item) =>
        item?.FailRemaining(new OperationCanceledException("Not started: dispatching was stopped before a worker took this call."));

    // Tasks still in the queue leave it and fail as not started. A task a worker's sender takes meanwhile is not
    // found here, and runs: it was dispatched first. Idempotent: a task is removed from the queue once.
    private void WithdrawQueued()
    {
        lock (_sent)
        {
            foreach (var item in _sent)
            {
                if (group.Queue.TryRemove(item)) Withdraw(item);
            }
        }
    }

    private void Send(ref WorkItem? pending)
    {
        if (pending is null) return;
        if (pending.Count > 0)
        {
            lock (_sent)
            {
                // Finished tasks are forgotten in bulk, so the list stays within twice the calls allowed in flight.
                if (_sent.Count >= 2 * limit) _sent.RemoveAll(i => i.Delivered >= i.Count);
                _sent.Add(pending);
            }
            group.Queue.Enqueue(pending);
        }
        else
        {
            pending.Release();
        }
        pending = null;
    }
}
