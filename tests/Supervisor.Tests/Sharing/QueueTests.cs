using System.Threading.Channels;
using SharingFunctions;
using Supervisor.Protocol.Serialization;
using Supervisor.Sharing;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Sharing;

/// <summary>Queues used from the supervisor's own process: outcomes, backpressure, closing, cancellation, join.</summary>
public sealed class QueueTests : IAsyncLifetime
{
    private readonly ProcessManager _manager = ProcessManager.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _manager.DisposeAsync().AsTask();

    [Fact]
    public async Task A_full_queue_says_Full_and_an_empty_one_Empty_and_items_come_out_in_order()
    {
        var queue = _manager.CreateQueue<string>(maxSize: 2);
        Assert.Equal(PutOutcome.Added, await queue.TryPutAsync("a"));
        Assert.Equal(PutOutcome.Added, await queue.TryPutAsync("b"));
        Assert.Equal(PutOutcome.Full, await queue.TryPutAsync("c"));
        Assert.Equal(PutOutcome.Full, await queue.TryPutAsync("c", TimeSpan.FromMilliseconds(1)));
        Assert.Equal(2, await queue.CountAsync());
        Assert.Equal(new GetResult<string>(GetOutcome.Item, "a"), await queue.TryGetAsync());
        Assert.Equal("b", await queue.GetAsync());
        Assert.Equal(GetOutcome.Empty, (await queue.TryGetAsync()).Outcome);
        Assert.Equal(GetOutcome.Empty, (await queue.TryGetAsync(TimeSpan.FromMilliseconds(1))).Outcome);
        Assert.True(await queue.IsEmptyAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.TryGetAsync(TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public async Task A_put_on_a_full_queue_waits_until_an_item_is_taken()
    {
        var queue = _manager.CreateQueue<int>(maxSize: 1);
        await queue.PutAsync(1);
        var second = queue.PutAsync(2);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, await queue.GetAsync());
        await second;
        Assert.Equal(2, await queue.GetAsync());
    }

    [Fact]
    public async Task A_closed_queue_gives_what_is_left_then_ends_every_reader_instead_of_blocking()
    {
        var queue = _manager.CreateQueue<int>();
        for (var i = 0; i < 3; i++) await queue.PutAsync(i);
        await queue.CloseAsync();
        Assert.Equal(new[] { 0, 1, 2 }, await queue.ReadAllAsync().ToArrayAsync());
        Assert.Equal(GetOutcome.Ended, (await queue.TryGetAsync(Timeout.InfiniteTimeSpan)).Outcome);
        Assert.Empty(await queue.ReadAllAsync().ToArrayAsync());
        await Assert.ThrowsAsync<QueueClosedException>(() => queue.GetAsync());
        await Assert.ThrowsAsync<QueueClosedException>(() => queue.PutAsync(3));
        Assert.Equal(PutOutcome.Closed, await queue.TryPutAsync(3));
    }

    [Fact]
    public async Task A_cancelled_get_takes_no_item()
    {
        var queue = _manager.CreateSimpleQueue<int>();
        using var cancel = new CancellationTokenSource();
        var get = queue.GetAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        await queue.PutAsync(7);
        Assert.Equal(7, await queue.GetAsync());
    }

    [Fact]
    public async Task Join_waits_until_every_item_put_is_marked_done()
    {
        var queue = _manager.CreateJoinableQueue<int>();
        await queue.JoinAsync(); // nothing put: nothing to wait for
        await queue.PutAsync(1);
        await queue.PutAsync(2);
        var join = queue.JoinAsync();
        await queue.GetAsync();
        await queue.TaskDoneAsync();
        Assert.False(join.IsCompleted);
        await queue.GetAsync();
        await queue.TaskDoneAsync();
        await join;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.TaskDoneAsync());
        Assert.Contains("more times than items were put", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_join_waiting_when_its_manager_is_disposed_ends_with_ObjectDisposedException()
    {
        var manager = ProcessManager.Start();
        var queue = manager.CreateJoinableQueue<int>();
        await queue.PutAsync(1);
        var join = queue.JoinAsync();
        Assert.False(join.IsCompleted);

        await manager.DisposeAsync();

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => join.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("ProcessManager was disposed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_sizes_and_item_types_that_cannot_cross_are_refused_at_creation()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _manager.CreateQueue<int>(maxSize: -1));
        var error = Assert.Throws<UnserializableValueException>(() => _manager.CreateQueue<Stream>());
        Assert.Contains("CreateQueue<Stream>", error.Message, StringComparison.Ordinal);
        Assert.Contains("a stream cannot cross", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_queue_of_a_disposed_manager_fails_at_submit_and_no_process_starts()
    {
        var manager = ProcessManager.Start();
        var queue = manager.CreateQueue<double>();
        await manager.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.PutAsync(1));

        await using var process = new WorkerProcess(Function.FromDelegate(QueueTasks.PutRandomNumber), Arguments.Of(queue), new QuietOutput().Options(1));
        var error = await Assert.ThrowsAsync<UnserializableValueException>(() => process.StartAsync());
        Assert.Equal("args[0]", error.Path);
        Assert.Contains("ProcessManager was disposed", error.Message, StringComparison.Ordinal);
        Assert.Null(process.ProcessId);
    }

    [Fact]
    public void An_in_process_queue_is_refused_with_the_way_to_share_one()
    {
        // Python experiment 001: "Queue objects should only be shared between processes through inheritance".
        var checker = new SerializabilityChecker(WireSerializer.Options);
        var error = Assert.Throws<UnserializableValueException>(() => checker.Check(Channel.CreateUnbounded<double>(), typeof(Channel<double>), "args[0]"));
        Assert.Contains("would arrive as a copy", error.Message, StringComparison.Ordinal);
        Assert.Contains("ProcessManager", error.Message, StringComparison.Ordinal);
        checker.Check(_manager.CreateQueue<double>(), typeof(SharedQueue<double>), "args[0]");
    }
}
