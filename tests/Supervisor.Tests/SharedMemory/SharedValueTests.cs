using MessagePack;
using SharedMemoryFunctions;
using Supervisor.Protocol.Serialization;
using Supervisor.SharedMemory;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.SharedMemory;

/// <summary>Python's multiprocessing.Value and Array: memory-mapped, locked, passed to real worker processes.</summary>
public sealed class SharedValueTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_shared_bool_set_false_by_the_child_is_false_in_the_parent()
    {
        // Python experiment 000: shared_c = mp.Value(c_bool, True); the child sets shared_c.value = False.
        using var sharedC = new SharedValue<bool>(true);
        await using var process = new WorkerProcess(Function.FromDelegate(ObjectIdentity.ShowObjectIdentity), Arguments.Of(1.0, sharedC), _output.Options(1));
        await process.StartAsync();
        Assert.True(await process.JoinAsync());
        Assert.Null(process.Failure);
        Assert.False(sharedC.Value);
        Assert.Equal("SharedValue<bool>(False)", sharedC.ToString());
        ProcessAssert.AllExited([process.ProcessId!.Value]);
    }

    [Fact]
    public async Task Updates_from_two_workers_and_the_parent_at_once_are_never_lost()
    {
        using var counter = new SharedValue<long>();
        IReadOnlyList<int> pids;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(2)))
        {
            var calls = Enumerable.Range(0, 4).Select(_ => pool.SubmitAsync(Counters.Increment, counter, 2_000)).ToList();
            for (var i = 0; i < 2_000; i++) counter.Update(v => v + 1);
            await Task.WhenAll(calls);
            pids = pool.StartedProcessIds;
        }
        Assert.Equal(10_000, counter.Value);
        ProcessAssert.AllExited(pids);
    }

    [Fact]
    public async Task A_shared_array_filled_by_a_worker_is_read_by_the_parent()
    {
        using var squares = new SharedArray<int>(100);
        var pool = await ProcessPool.StartAsync(_output.Options(1));
        await using (pool)
        {
            Assert.Equal(100, await pool.SubmitAsync(Counters.FillSquares, squares));
        }
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), squares.ToArray());
        Assert.Equal(81, squares[9]);
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task A_different_element_size_in_the_worker_is_refused_naming_both_sizes()
    {
        using var wide = new SharedValue<long>(7);
        var pool = await ProcessPool.StartAsync(_output.Options(1));
        RemoteTaskException error;
        await using (pool)
        {
            error = await Assert.ThrowsAsync<RemoteTaskException>(() =>
                pool.SubmitAsync<int>(Function.FromDelegate(Counters.ReadInt), Arguments.Of(wide)));
        }
        ProcessAssert.AllExited(pool.StartedProcessIds);
        Assert.Contains("SharedValue<int>: the sender's elements are 8 bytes, but SharedValue<int> needs 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_killed_while_holding_the_lock_does_not_lock_the_parent_out()
    {
        using var temp = new TempDirectory();
        var holding = temp.File("holding");
        using var value = new SharedValue<int>(3);
        await using var process = new WorkerProcess(Function.FromDelegate(Counters.HoldTheLockForever), Arguments.Of(value, holding), _output.Options(1));
        await process.StartAsync();
        UserFunctions.FileGate.WaitFor(holding, TimeSpan.FromSeconds(60));
        process.Kill();
        Assert.True(await process.JoinAsync());
        // The lock word names the dead worker: the parent takes the lock over instead of waiting forever.
        Assert.Equal(4, value.Update(v => v + 1));
        ProcessAssert.AllExited([process.ProcessId!.Value]);
    }

    [Fact]
    public void A_shared_value_inside_an_argument_passes_the_serializability_check()
    {
        using var flag = new SharedValue<bool>();
        using var samples = new SharedArray<double>(3);
        var checker = new SerializabilityChecker(WireSerializer.Options);
        checker.Check(flag, typeof(SharedValue<bool>), "args[0]");
        checker.Check(new object[] { flag, samples }, typeof(object[]), "args[1]");
    }

    [Fact]
    public void A_value_whose_creator_disposed_it_cannot_be_opened_and_says_why()
    {
        var value = new SharedValue<int>(1);
        var bytes = MessagePackSerializer.Serialize(value, WireSerializer.Options);
        value.Dispose();
        var error = Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<SharedValue<int>>(bytes, WireSerializer.Options));
        Assert.Contains("SharedValue<int>: no shared memory at", error.InnerException?.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => value.Value);
    }

    [Fact]
    public void An_index_outside_the_array_is_refused()
    {
        using var array = new SharedArray<int>([1, 2, 3]);
        Assert.Equal([1, 2, 3], array.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => array[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedArray<int>(-1));
    }
}
