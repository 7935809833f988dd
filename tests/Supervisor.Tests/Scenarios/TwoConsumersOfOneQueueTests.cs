using SharingFunctions;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Scenarios;

using Supervisor.Sharing;

/// <summary>
/// Python experiment 004: two consumer processes drain one queue. Python's <c>while not q.empty(): q.get()</c> can hang; reading
/// until the closed queue ends cannot.
/// </summary>
public sealed class TwoConsumersOfOneQueueTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task Two_consumer_processes_drain_a_closed_queue_each_item_once_and_both_end()
    {
        await using var manager = ProcessManager.Start();
        var queue = manager.CreateQueue<int>();
        var consumed = manager.CreateSimpleQueue<int>();
        for (var i = 0; i < 100; i++) await queue.PutAsync(i);
        await queue.CloseAsync();

        await using var first = new WorkerProcess(Function.FromDelegate(QueueTasks.Drain), Arguments.Of(queue, consumed), _output.Options(1));
        await using var second = new WorkerProcess(Function.FromDelegate(QueueTasks.Drain), Arguments.Of(queue, consumed), _output.Options(1));
        await WorkerProcesses.StartAllAsync(first, second);

        await WorkerProcesses.JoinAllSucceededAsync(first, second);
        await consumed.CloseAsync();
        Assert.Equal(Enumerable.Range(0, 100), (await consumed.ReadAllAsync().ToArrayAsync()).Order());
        WorkerProcesses.AssertAllExited(first, second);
    }
}
