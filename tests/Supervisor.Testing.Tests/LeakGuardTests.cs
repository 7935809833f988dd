using Supervisor.SharedMemory;
using Supervisor.Sharing;
using Supervisor.Testing.LeakDetection;

namespace Supervisor.Testing.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LeakGuardCollection
{
    // The guard sees every child of the test process: its tests run alone, after the parallel ones.
    public const string Name = "Leak guard";
}

[Collection(LeakGuardCollection.Name)]
public sealed class LeakGuardTests
{
    private static readonly LeakGuardOptions NoGrace = new() { Grace = TimeSpan.Zero };

    [Fact]
    public async Task Code_that_cleans_up_passes()
    {
        var guard = LeakGuard.Start();

        Assert.Equal(4, await Isolated.RunAsync(static (int x) => x * x, 2));
        await using (var pool = await ProcessPool.StartAsync(new WorkerOptions { Workers = 1 }))
        {
            guard.Track(pool);
            Assert.Equal(9, await pool.SubmitAsync(static (int x) => x * x, 3));
        }
        using (new SharedValue<int>(1)) { }
        await using (ProcessManager.Start()) { }

        await guard.VerifyAsync();
    }

    [Fact]
    public async Task A_pool_not_disposed_is_named_with_its_worker_process()
    {
        var guard = LeakGuard.Start(NoGrace);
        var pool = await ProcessPool.StartAsync(new WorkerOptions { Workers = 1 });
        try
        {
            guard.Track(pool);
            var worker = Assert.Single(pool.Workers);

            var leaked = await Assert.ThrowsAsync<LeakException>(() => guard.VerifyAsync());

            Assert.Contains(leaked.Leaks, leak => leak.StartsWith("a ProcessPool not disposed", StringComparison.Ordinal) && leak.Contains($"{worker.Name} (pid {worker.ProcessId})", StringComparison.Ordinal));
            Assert.Contains(leaked.Leaks, leak => leak.StartsWith($"process {worker.ProcessId} still runs", StringComparison.Ordinal));
        }
        finally
        {
            await pool.DisposeAsync();
        }
        await guard.VerifyAsync();
    }

    [Fact]
    public async Task Shared_memory_and_a_manager_socket_left_behind_are_named()
    {
        var guard = LeakGuard.Start(NoGrace);
        var value = new SharedValue<int>(1);
        var manager = ProcessManager.Start();
        try
        {
            var leaked = await Assert.ThrowsAsync<LeakException>(() => guard.VerifyAsync());

            Assert.Equal(2, leaked.Leaks.Count);
            Assert.Contains(leaked.Leaks, leak => leak.StartsWith("shared memory left", StringComparison.Ordinal));
            Assert.Contains(leaked.Leaks, leak => leak.StartsWith("socket file left", StringComparison.Ordinal) && leak.Contains(Path.GetDirectoryName(manager.SocketPath)!, StringComparison.Ordinal));
        }
        finally
        {
            value.Dispose();
            await manager.DisposeAsync();
        }
        await guard.VerifyAsync();
    }

    [Fact]
    public async Task The_children_of_an_ignored_warm_pool_are_not_leaks()
    {
        if (OperatingSystem.IsWindows()) return; // the guard tells a pool's children by their command lines
        await using var pool = await IsolatedPool.StartAsync(poolOptions: new IsolatedPoolOptions { Workers = 1, Spares = 1 });
        var guard = LeakGuard.Start(new LeakGuardOptions { Grace = TimeSpan.Zero, Ignored = [pool] });
        var before = ChildProcesses.OfThisProcess().Select(p => p.ProcessId).ToHashSet();

        // Each call ends its child and takes a spare; the pool starts new ones that outlive the calls.
        for (var i = 0; i < 4; i++) await pool.RunAsync(static () => Environment.ProcessId);
        var started = ChildProcesses.OfThisProcess().Where(p => !before.Contains(p.ProcessId) && p.CommandLine.Contains(pool.NamePrefix, StringComparison.Ordinal));

        Assert.NotEmpty(started);
        await guard.VerifyAsync();
    }

    [Fact]
    public async Task A_guarded_test_fails_in_its_cleanup_naming_what_it_left()
    {
        var test = new GuardedTest();
        await test.InitializeAsync();
        using var value = new SharedValue<long>(7);

        var leaked = await Assert.ThrowsAsync<LeakException>(test.DisposeAsync);

        Assert.Contains("shared memory left", leaked.Message, StringComparison.Ordinal);
    }

    private sealed class GuardedTest : LeakGuardedTest
    {
        protected override LeakGuardOptions GuardOptions => NoGrace;
    }
}
