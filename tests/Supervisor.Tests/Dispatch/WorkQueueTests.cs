using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;

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
        resent.Delivered = 499;
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

    private static WorkItem Task(int calls) =>
        new(functionId: 1, ArgumentMode.Positional, firstIndex: 0, new CompletionSink<int>()) { Count = calls };
}
