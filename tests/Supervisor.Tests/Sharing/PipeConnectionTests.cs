using SharingFunctions;
using Supervisor.Sharing;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Sharing;

/// <summary>Python's Pipe(): between two real worker processes, and the end of the stream when the other side goes.</summary>
public sealed class PipeConnectionTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task One_process_sends_another_receives_in_order_then_sees_the_end_of_the_stream()
    {
        await using var manager = ProcessManager.Start();
        var (left, right) = manager.CreatePipe<string>();
        var received = manager.CreateSimpleQueue<string>();
        await using var sender = new WorkerProcess(Function.FromDelegate(PipeTasks.SendGreetings), Arguments.Of(left, 10), _output.Options(1));
        await using var receiver = new WorkerProcess(Function.FromDelegate(PipeTasks.Forward), Arguments.Of(right, received), _output.Options(1));
        await WorkerProcesses.StartAllAsync(sender, receiver);

        await WorkerProcesses.JoinAllSucceededAsync(sender, receiver);
        await received.CloseAsync();
        var expected = Enumerable.Range(1, 10).Select(i => $"hello {i}").Append(PipeTasks.EndOfStream);
        Assert.Equal(expected, await received.ReadAllAsync().ToArrayAsync());
        WorkerProcesses.AssertAllExited(sender, receiver);
    }

    [Fact]
    public async Task When_the_sending_process_is_killed_the_receiver_gets_the_end_of_the_stream_not_a_hang()
    {
        await using var manager = ProcessManager.Start();
        var (left, right) = manager.CreatePipe<string>();
        var received = manager.CreateSimpleQueue<string>();
        await using var sender = new WorkerProcess(Function.FromDelegate(PipeTasks.SendGreetingsThenWait), Arguments.Of(left, 3), _output.Options(1));
        await using var receiver = new WorkerProcess(Function.FromDelegate(PipeTasks.Forward), Arguments.Of(right, received), _output.Options(1));
        await WorkerProcesses.StartAllAsync(sender, receiver);

        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        for (var i = 1; i <= 3; i++) Assert.Equal($"hello {i}", await received.GetAsync(guard.Token));
        // The sender has used its end and now waits for an answer that never comes.
        sender.Kill();
        Assert.Equal(PipeTasks.EndOfStream, await received.GetAsync(guard.Token));
        await WorkerProcesses.JoinAllSucceededAsync(receiver);
        Assert.True(await sender.JoinAsync(TimeSpan.FromMinutes(1)));
        WorkerProcesses.AssertAllExited(sender, receiver);
    }

    [Fact]
    public async Task A_one_way_pipe_receives_on_its_first_end_and_sends_on_its_second()
    {
        await using var manager = ProcessManager.Start();
        var (receiving, sending) = manager.CreatePipe<int>(duplex: false);
        Assert.False(await receiving.PollAsync());
        await sending.SendAsync(1);
        Assert.True(await receiving.PollAsync(Timeout.InfiniteTimeSpan));
        Assert.Equal(1, await receiving.ReceiveAsync());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => receiving.SendAsync(2));
        Assert.Contains("only receives", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sending.ReceiveAsync());

        await sending.DisposeAsync();
        Assert.True(await receiving.PollAsync());
        await Assert.ThrowsAsync<EndOfStreamException>(() => receiving.ReceiveAsync());
    }
}
