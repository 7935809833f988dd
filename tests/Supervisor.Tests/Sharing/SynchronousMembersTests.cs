using SharingFunctions;
using Supervisor.Sharing;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Sharing;

/// <summary>Synchronous functions use the shared queue and pipe without awaiting: Put, Get(timeout), TryGet, Send, Receive.</summary>
public sealed class SynchronousMembersTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_synchronous_task_gets_with_a_timeout_puts_and_sees_an_empty_queue_time_out()
    {
        await using var manager = ProcessManager.Start();
        var input = manager.CreateQueue<int>();
        var output = manager.CreateQueue<int>();
        input.Put(21);
        IReadOnlyList<int> pids;
        string report;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(1)))
        {
            report = await pool.SubmitAsync(QueueTasks.RelayDoubled, input, output);
            pids = pool.StartedProcessIds;
        }

        Assert.Equal(42, output.Get(TimeSpan.FromMinutes(1)));
        Assert.Equal("Empty, then a timeout", report);
        Assert.Equal(PutOutcome.Added, output.TryPut(7));
        Assert.Equal(1, output.Count());
        output.Close();
        Assert.Equal(7, output.TryGet().Item);
        Assert.Equal(GetOutcome.Ended, output.TryGet(Timeout.InfiniteTimeSpan).Outcome);
        Assert.Throws<QueueClosedException>(() => output.Get(TimeSpan.FromMinutes(1)));
        ProcessAssert.AllExited(pids);
    }

    [Fact]
    public async Task A_synchronous_process_sends_over_a_pipe_and_this_side_receives_synchronously_until_the_end()
    {
        await using var manager = ProcessManager.Start();
        var (receiving, sending) = manager.CreatePipe<string>(duplex: false);
        await using var sender = new WorkerProcess(Function.FromDelegate(PipeTasks.SendGreetingsSynchronously), Arguments.Of(sending, 3), _output.Options(1));
        await sender.StartAsync();

        Assert.True(receiving.Poll(Timeout.InfiniteTimeSpan));
        var got = new List<string>();
        try
        {
            while (true) got.Add(receiving.Receive());
        }
        catch (EndOfStreamException)
        {
            // The sender closed its end after its last message.
        }
        await WorkerProcesses.JoinAllSucceededAsync(sender);
        Assert.Equal(["hello 1", "hello 2", "hello 3"], got);
        WorkerProcesses.AssertAllExited(sender);
    }

    [Fact]
    public async Task A_joinable_queue_is_joined_synchronously_once_every_item_is_marked_done()
    {
        await using var manager = ProcessManager.Start();
        var queue = manager.CreateJoinableQueue<int>();
        queue.Put(1);
        queue.Put(2);
        Assert.False(queue.IsEmpty());
        Assert.Equal(1, queue.Get());
        queue.TaskDone();
        Assert.Equal(2, queue.Get());
        queue.TaskDone();
        queue.Join();
        Assert.Throws<InvalidOperationException>(queue.TaskDone);
    }
}
