using DistributedCluster;
using DistributedFunctions;
using Supervisor.Chaos.Distributed;
using Supervisor.Distributed.Tests.Infrastructure;

namespace Supervisor.Distributed.Tests;

/// <summary>Nodes as separate processes, killed, interrupted and cut off from Redis.</summary>
public sealed class NodeFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_node_SIGKILLed_mid_run_loses_no_result_and_duplicates_none()
    {
        // `./build.sh chaos --distributed` at a tenth of its size: three node processes, one SIGKILLed half way.
        Skip.IfNot(RedisServer.IsInstalled, RedisServer.InstallAdvice + " to run the distributed tests.");
        var report = await DistributedChaosRun.RunAsync(new DistributedChaosOptions { Calls = 2_000, ClaimIdleTime = TimeSpan.FromSeconds(2), Deadline = Patience });

        Assert.True(report.Intact, report.ToString());
    }

    [SkippableFact]
    public async Task A_dead_nodes_call_is_claimed_and_run_by_another_node_after_the_idle_time()
    {
        await using var redis = await TestRedis.StartAsync();
        var gate = Directory.CreateTempSubdirectory("supervisor-claim-").FullName;
        try
        {
            await using var doomed = await NodeProcess.StartAsync(redis, "claims", claimIdle: TimeSpan.FromSeconds(1));
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "claims");
            var result = pool.SubmitAsync(Calls.RunUntilReleased, gate);
            await FileSignal.WaitForAsync(Path.Combine(gate, "started"), Patience);
            await doomed.KillAsync();

            await using var survivor = await NodeProcess.StartAsync(redis, "claims", claimIdle: TimeSpan.FromSeconds(1));

            Assert.Equal("again", await result.WaitAsync(Patience));
            Assert.Contains("claimed task", survivor.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(gate, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_node_that_claims_back_a_call_it_still_runs_neither_runs_it_again_nor_dead_letters_it()
    {
        await using var redis = await TestRedis.StartAsync();
        var gate = Directory.CreateTempSubdirectory("supervisor-self-claim-").FullName;
        try
        {
            // A claim time of 1 ms, far below the refresh period: the node's own claims find the call it runs idle, as a
            // stalled node's do on a loaded machine. One delivery allowed, so a claim counted as a delivery dead-letters it.
            await using var node = await NodeProcess.StartAsync(redis, "self-claim", claimIdle: TimeSpan.FromMilliseconds(1), maxDeliveries: 1);
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "self-claim");
            await using var probe = await QueueProbe.ConnectAsync(redis, "self-claim");
            var result = pool.SubmitAsync(Calls.RunUntilReleased, gate);
            // Failures say what the node logged (once, in a clean clone at a load of 10-16, the claim-back wait timed out with nothing more).
            var startedFile = Path.Combine(gate, "started");
            var started = FileSignal.WaitForAsync(startedFile, Patience);
            await Task.WhenAny(started, result);
            Assert.False(result.IsCompleted, $"the call ended before it started ({result.Exception?.InnerException?.Message}); the node said:\n{node.Output}");
            Assert.True(started.IsCompletedSuccessfully, $"the call did not start within {Patience} (its file there now: {File.Exists(startedFile)}); the node said:\n{node.Output}");

            var claimedBack = node.WaitForOutputAsync("it still runs");
            await Task.WhenAny(claimedBack, result, Task.Delay(Patience));
            Assert.True(claimedBack.IsCompleted || result.IsCompleted, $"the node did not claim its running call within {Patience}; it said:\n{node.Output}");
            await File.WriteAllTextAsync(Path.Combine(gate, "release"), "");

            Assert.Equal("first", await result.WaitAsync(Patience));
            Assert.Equal(0, await probe.DeadLettersLengthAsync());
        }
        finally
        {
            Directory.Delete(gate, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_poison_call_is_dead_lettered_after_its_deliveries_and_the_others_complete()
    {
        await using var redis = await TestRedis.StartAsync();
        // A released call is claimed at the next claim (a quarter of the idle time): a short idle time would also let a
        // loaded machine's live node lose a held call to the other, run twice and pending a moment after its answer.
        await using var first = await NodeProcess.StartAsync(redis, "poison", claimIdle: TimeSpan.FromSeconds(2), maxDeliveries: 2);
        await using var second = await NodeProcess.StartAsync(redis, "poison", claimIdle: TimeSpan.FromSeconds(2), maxDeliveries: 2);
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "poison");
        await using var probe = await QueueProbe.ConnectAsync(redis, "poison");

        var calls = Enumerable.Range(0, 20).Select(i => pool.SubmitAsync(Calls.SquareUnless, (long)i, 7L)).ToArray();

        var error = await Assert.ThrowsAsync<CallDeadLetteredException>(() => calls[7].WaitAsync(Patience));
        Assert.Contains("delivered 3 times (at most 2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkerCrashedException", error.Message, StringComparison.Ordinal);
        for (var i = 0; i < calls.Length; i++)
        {
            if (i != 7) Assert.Equal(i * i, await calls[i].WaitAsync(Patience));
        }
        Assert.Equal(1, await probe.DeadLettersLengthAsync());
        Assert.Equal(0, await probe.PendingAsync());
    }

    [SkippableFact]
    public async Task Ctrl_C_on_a_node_finishes_and_acknowledges_what_it_holds_then_exits()
    {
        await using var redis = await TestRedis.StartAsync();
        var gate = Directory.CreateTempSubdirectory("supervisor-interrupt-").FullName;
        try
        {
            await using var node = await NodeProcess.StartAsync(redis, "interrupt");
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "interrupt");
            await using var probe = await QueueProbe.ConnectAsync(redis, "interrupt");
            var result = pool.SubmitAsync(Calls.RunUntilReleased, gate);
            await FileSignal.WaitForAsync(Path.Combine(gate, "started"), Patience);

            node.Interrupt();
            await File.WriteAllTextAsync(Path.Combine(gate, "release"), "");

            Assert.Equal("first", await result.WaitAsync(Patience));
            Assert.Equal(0, await node.ExitAsync());
            Assert.Contains("takes no more calls", node.Output, StringComparison.Ordinal);
            Assert.Equal(0, await probe.PendingAsync());
        }
        finally
        {
            Directory.Delete(gate, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Redis_restarting_is_survived_by_the_node_and_the_client()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await NodeProcess.StartAsync(redis, "restart");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "restart");
        Assert.Equal(9, await pool.SubmitAsync(Calls.Square, 3L));

        await redis.RestartAsync();

        Assert.Equal(16, await pool.SubmitAsync(Calls.Square, 4L).WaitAsync(Patience));
        Assert.Contains("reachable again", node.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_launchers_serve_verb_runs_calls_and_exits_130_on_Ctrl_C_after_finishing_them()
    {
        await using var redis = await TestRedis.StartAsync();
        var gate = Directory.CreateTempSubdirectory("supervisor-serve-").FullName;
        try
        {
            await using var node = await NodeProcess.StartServeAsync(redis, "serve");
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "serve");
            await using var probe = await QueueProbe.ConnectAsync(redis, "serve");
            Assert.Equal(25, await pool.SubmitAsync(Calls.Square, 5L).WaitAsync(Patience));
            var held = pool.SubmitAsync(Calls.RunUntilReleased, gate);
            await FileSignal.WaitForAsync(Path.Combine(gate, "started"), Patience);

            node.Interrupt();
            await File.WriteAllTextAsync(Path.Combine(gate, "release"), "");

            Assert.Equal("first", await held.WaitAsync(Patience));
            Assert.Equal(130, await node.ExitAsync());
            Assert.Equal(0, await probe.PendingAsync());
        }
        finally
        {
            Directory.Delete(gate, recursive: true);
        }
    }

    [SkippableFact]
    public async Task The_serve_verb_gives_its_workers_the_task_timeout_and_retries_it_is_given()
    {
        await using var redis = await TestRedis.StartAsync();
        var gate = Directory.CreateTempSubdirectory("supervisor-serve-timeout-").FullName;
        try
        {
            await using var node = await NodeProcess.StartServeAsync(redis.Configuration, "timeout", "serves queue", "--task-timeout", "1s", "--retries", "0");
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "timeout");

            // Never released: only the node's task timeout ends it.
            var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Calls.RunUntilReleased, gate).WaitAsync(Patience));

            Assert.Equal(typeof(TaskTimeoutException).FullName, error.RemoteType);
        }
        finally
        {
            Directory.Delete(gate, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_node_served_before_Redis_waits_for_it_saying_so_then_serves()
    {
        Skip.IfNot(RedisServer.IsInstalled, RedisServer.InstallAdvice + " to run the distributed tests.");
        var port = RedisServer.FreePort();
        // Redis comes up only once the node has said it cannot reach it.
        await using var node = await NodeProcess.StartServeAsync($"127.0.0.1:{port}", "early", readyLine: "Redis unreachable");
        await using var redis = await TestRedis.StartAsync(port);

        await node.WaitForOutputAsync("serves queue").WaitAsync(Patience);
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "early");

        Assert.Equal(36, await pool.SubmitAsync(Calls.Square, 6L).WaitAsync(Patience));
        Assert.Contains("Redis reachable again", node.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Ctrl_C_on_a_node_waiting_for_Redis_ends_it()
    {
        Skip.IfNot(RedisServer.IsInstalled, RedisServer.InstallAdvice + " to run the distributed tests.");
        await using var node = await NodeProcess.StartServeAsync($"127.0.0.1:{RedisServer.FreePort()}", "never", readyLine: "Redis unreachable");

        node.Interrupt();

        Assert.Equal(130, await node.ExitAsync());
    }
}
