using SharingFunctions;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Scenarios;

using Supervisor.Sharing;

/// <summary>Python experiment 003: a producer process puts 5 numbers, a consumer process gets until the sentinel; the parent joins both.</summary>
public sealed class ProducerConsumerProcessesTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task The_consumer_gets_the_producers_numbers_in_order_and_stops_at_the_sentinel()
    {
        int[] numbers = [.. Enumerable.Range(0, 5).Select(_ => Random.Shared.Next(1, 101))];
        await using var manager = ProcessManager.Start();
        var queue = manager.CreateQueue<int?>();
        var received = manager.CreateSimpleQueue<int>();
        await using var producer = new WorkerProcess(Function.FromDelegate(QueueTasks.Produce), Arguments.Of(queue, numbers), _output.Options(1));
        await using var consumer = new WorkerProcess(Function.FromDelegate(QueueTasks.Consume), Arguments.Of(queue, received), _output.Options(1));
        await WorkerProcesses.StartAllAsync(producer, consumer);

        await WorkerProcesses.JoinAllSucceededAsync(producer);
        await queue.PutAsync(null); // the sentinel, after the producer is done
        await WorkerProcesses.JoinAllSucceededAsync(consumer);

        await received.CloseAsync();
        Assert.Equal(numbers, await received.ReadAllAsync().ToArrayAsync()); // one producer: its order holds
        Assert.Contains(_output.Lines, line => line.Text == "Consumer: Received termination signal.");
        WorkerProcesses.AssertAllExited(producer, consumer);
    }
}
