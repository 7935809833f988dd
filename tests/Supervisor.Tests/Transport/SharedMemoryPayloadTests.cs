using System.Security.Cryptography;
using Supervisor.Protocol.Payloads;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Transport;

/// <summary>
/// Large arguments and results cross through the memory a supervisor shares with each worker, not the pipe; a worker
/// that dies holding a slot takes its memory with it, and the pool goes on.
/// </summary>
public sealed class SharedMemoryPayloadTests
{
    private const int OneMiB = 1024 * 1024;

    private readonly QuietOutput _output = new();

    [SkippableFact]
    public async Task A_large_echo_round_trips_through_shared_memory()
    {
        Skip.IfNot(SharedRegion.IsSupported, "Frames cross the pipe on this OS.");
        var payload = RandomNumberGenerator.GetBytes(OneMiB);
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        for (var i = 0; i < 3; i++) Assert.Equal(payload, await pool.SubmitAsync(Plain.Echo, payload));
        // Each echo: its task into a slot one way, its result into a slot the other.
        Assert.Equal(6, pool.SharedMemoryFrames);
    }

    [Fact]
    public async Task Small_frames_and_a_pool_with_shared_memory_off_use_the_pipe()
    {
        var payload = RandomNumberGenerator.GetBytes(OneMiB);
        await using (var pool = await ProcessPool.StartAsync(_output.Options(1) with { SharedMemoryPayloads = false }))
        {
            Assert.Equal(payload, await pool.SubmitAsync(Plain.Echo, payload));
            Assert.Equal(0, pool.SharedMemoryFrames);
            Assert.Equal(0, pool.SharedMemoryRegions);
        }
        await using var small = await ProcessPool.StartAsync(_output.Options(1));
        var below = RandomNumberGenerator.GetBytes(PayloadArena.SharedFromBytes / 2);
        Assert.Equal(below, await small.SubmitAsync(Plain.Echo, below));
        Assert.Equal(0, small.SharedMemoryFrames);
    }

    [SkippableFact]
    public async Task A_worker_killed_holding_a_slot_frees_its_memory_and_the_pool_goes_on()
    {
        Skip.IfNot(SharedRegion.IsSupported, "Frames cross the pipe on this OS.");
        var deadly = RandomNumberGenerator.GetBytes(OneMiB);
        deadly[0] = 0xFF;
        var payload = RandomNumberGenerator.GetBytes(OneMiB);
        payload[0] = 0;
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(1) with { Retries = 0 }))
        {
            await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Crashes.EchoOrDie, deadly));
            var before = pool.SharedMemoryFrames;
            Assert.Equal(payload, await pool.SubmitAsync(Crashes.EchoOrDie, payload));
            Assert.Equal(before + 2, pool.SharedMemoryFrames);
            // The dead worker's memory was let go when it was retired; only its replacement's is mapped.
            Assert.Equal(1, pool.SharedMemoryRegions);
            started = pool.StartedProcessIds;
            Assert.Equal(2, started.Count);
        }
        ProcessAssert.AllExited(started);
    }

    [SkippableFact]
    public async Task Nothing_of_the_shared_memory_is_left_after_the_pool_is_disposed()
    {
        Skip.IfNot(SharedRegion.IsSupported, "Frames cross the pipe on this OS.");
        var payload = RandomNumberGenerator.GetBytes(OneMiB);
        var pool = await ProcessPool.StartAsync(_output.Options(2));
        Assert.Equal(payload, await pool.SubmitAsync(Plain.Echo, payload));
        Assert.Equal(2, pool.SharedMemoryRegions);
        await pool.DisposeAsync();
        Assert.Equal(0, pool.SharedMemoryRegions);
        // Never a name in a shared directory to leave behind: a memfd on Linux, an unlinked file elsewhere.
        if (Directory.Exists("/dev/shm")) Assert.Empty(Directory.EnumerateFiles("/dev/shm", "supervisor-payloads-*"));
    }
}
