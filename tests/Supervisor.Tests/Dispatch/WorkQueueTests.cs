using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;
using Supervisor.Results;

namespace Supervisor.Tests.Dispatch;

public sealed class WorkQueueTests
{
    [Fact]
    public void A_task_whose_calls_do_not_fit_the_room_stays_at_the_front_for_a_worker_with_more()
    {
        using var queue = new WorkQueue();
        var chunk = Task(calls: 500);
        var single = Task(calls: 1);
        queue.Enqueue(chunk);
        queue.Enqueue(single);

        Assert.False(queue.TryDequeue(room: 100, out _, out var needs));
        Assert.Equal(500, needs);
        Assert.True(queue.TryDequeue(room: int.MaxValue, out var taken, out _));
        Assert.Same(chunk, taken);
        Assert.True(queue.TryDequeue(room: 1, out taken, out _));
        Assert.Same(single, taken);
    }

    [Fact]
    public void A_task_sent_again_needs_room_only_for_the_calls_not_yet_delivered()
    {
        using var queue = new WorkQueue();
        var resent = Task(calls: 500);
        for (var i = 0; i < 499; i++) resent.DeliverFailure(new InvalidOperationException("failed"));
        queue.Requeue(resent);

        Assert.True(queue.TryDequeue(room: 1, out var taken, out _));
        Assert.Same(resent, taken);
    }

    [Fact]
    public void An_empty_queue_needs_nothing()
    {
        using var queue = new WorkQueue();
        Assert.False(queue.TryDequeue(room: 10, out _, out var needs));
        Assert.Equal(0, needs);
    }

    [Fact]
    public async Task An_idle_reader_takes_the_task_on_the_adding_thread_before_the_add_returns()
    {
        using var queue = new WorkQueue();
        var waiting = queue.WaitToReadAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        WorkItem? taken = null;
        var takenOn = 0;
        var reader = waiting.AsTask().ContinueWith(_ =>
        {
            takenOn = Environment.CurrentManagedThreadId;
            // The lock is free by then: another thread could take the task as well.
            System.Threading.Tasks.Task.Run(() => queue.TryDequeue(room: 1, out taken, out int _)).GetAwaiter().GetResult();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var item = Task(calls: 1);
        var addedOn = 0;
        var readBeforeReturn = false;

        // From a thread without a synchronization context, as a sender's continuation is run inline only there.
        await System.Threading.Tasks.Task.Run(() =>
        {
            addedOn = Environment.CurrentManagedThreadId;
            queue.Enqueue(item);
            readBeforeReturn = reader.IsCompleted;
        });

        Assert.True(readBeforeReturn);
        Assert.Equal(addedOn, takenOn);
        Assert.Same(item, taken);
    }

    [Fact]
    public void A_suspect_task_goes_only_to_a_worker_that_holds_nothing()
    {
        using var queue = new WorkQueue();
        var suspect = Task(calls: 1);
        suspect.GiveBack(suspect: true);
        queue.Requeue(suspect);

        Assert.False(queue.TryDequeue(room: 1_000, out _, out var needs));
        Assert.Equal(int.MaxValue, needs);
        Assert.True(queue.TryDequeue(room: int.MaxValue, out var taken, out _));
        Assert.Same(suspect, taken);
    }

    [Fact]
    public void After_the_queue_is_drained_a_task_cannot_go_back_and_its_caller_is_told()
    {
        using var queue = new WorkQueue();
        queue.DrainAll(new InvalidOperationException("broken"));

        Assert.False(queue.Requeue(Task(calls: 1)));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_run_of_one_queue_s_items_leaves_as_one_task_of_at_most_the_calls_asked_for_and_frees_a_place_per_item()
    {
        using var queue = new WorkQueue(capacity: 5);
        var sink = new StreamSink<int>();
        for (var i = 0; i < 5; i++) await queue.EnqueueAsync(Item(sink, index: i, argument: (byte)i));
        var sixth = queue.EnqueueAsync(Item(sink, index: 5, argument: 5));
        Assert.False(sixth.IsCompleted);

        Assert.True(queue.TryDequeue(room: int.MaxValue, out var first, out _, joinUpTo: 3));
        await sixth;
        Assert.True(queue.TryDequeue(room: int.MaxValue, out var second, out _, joinUpTo: 3));

        Assert.Equal((0, 3), (first.FirstIndex, first.Count));
        Assert.Equal(new byte[] { 0, 1, 2 }, first.Arguments.ToArray());
        Assert.Equal((3, 3), (second.FirstIndex, second.Count));
        Assert.Equal(new byte[] { 3, 4, 5 }, second.Arguments.ToArray());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Items_join_only_within_the_room_and_with_the_same_queue_s_next_item()
    {
        using var queue = new WorkQueue();
        var sink = new StreamSink<int>();
        queue.Enqueue(Item(sink, index: 0, argument: 0));
        queue.Enqueue(Item(sink, index: 1, argument: 1));
        queue.Enqueue(Item(new StreamSink<int>(), index: 2, argument: 2));
        queue.Enqueue(Item(sink, index: 3, argument: 3, joinable: false));

        Assert.True(queue.TryDequeue(room: 1, out var alone, out _, joinUpTo: 10));
        Assert.True(queue.TryDequeue(room: 10, out var next, out _, joinUpTo: 10));
        Assert.True(queue.TryDequeue(room: 10, out var otherQueue, out _, joinUpTo: 10));
        Assert.True(queue.TryDequeue(room: 10, out var notJoinable, out _, joinUpTo: 10));

        Assert.All([alone, next, otherQueue, notJoinable], item => Assert.Equal(1, item.Count));
        Assert.Equal([0, 1, 2, 3], [alone.FirstIndex, next.FirstIndex, otherQueue.FirstIndex, notJoinable.FirstIndex]);
    }

    // One call of a queue, its argument one byte (a positive fixint).
    private static WorkItem Item(IResultSink sink, int index, byte argument, bool joinable = true)
    {
        var item = new WorkItem(functionId: 1, ArgumentMode.Positional, index, sink) { Joinable = joinable };
        item.GetSpan(1)[0] = argument;
        item.Advance(1);
        item.AddCalls(1);
        return item;
    }

    private static WorkItem Task(int calls)
    {
        var item = new WorkItem(functionId: 1, ArgumentMode.Positional, firstIndex: 0, new CompletionSink<int>());
        item.AddCalls(calls);
        return item;
    }
}
