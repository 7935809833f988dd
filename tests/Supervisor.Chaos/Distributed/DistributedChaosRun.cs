using System.Diagnostics;
using DistributedCluster;
using DistributedFunctions;
using Supervisor.Distributed;

namespace Supervisor.Chaos.Distributed;

/// <summary>
/// Issue 16's kill test: a real redis-server, nodes as separate processes, calls streamed through a
/// <see cref="DistributedPool"/>, and one node SIGKILLed once half the results are in. Every call's result is counted by
/// index and checked: none missing (lost), none twice (duplicated), none wrong or failed; and the time from the kill to
/// the last result, which the claim idle time bounds for the dead node's calls.
/// </summary>
public static class DistributedChaosRun
{
    private const string Queue = "chaos";

    /// <exception cref="InvalidOperationException">redis-server is not installed.</exception>
    public static async Task<DistributedChaosReport> RunAsync(DistributedChaosOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var redis = await RedisServer.StartAsync();
        var nodes = new List<NodeProcess>();
        try
        {
            for (var i = 0; i < options.Nodes; i++) nodes.Add(await NodeProcess.StartAsync(redis, Queue, options.WorkersPerNode, options.ClaimIdleTime));
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, Queue, cancellationToken: cancellationToken);
            var seen = new int[options.Calls];
            int wrong = 0, failed = 0, received = 0;
            var clock = Stopwatch.StartNew();
            TimeSpan? killedAt = null;
            var last = TimeSpan.Zero;
            var finished = false;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Deadline);
            var calls = Enumerable.Range(0, options.Calls).Select(i => Arguments.Of((long)i)).ToAsyncEnumerable();
            try
            {
                await foreach (var outcome in pool.ImapOutcomes<long>(Function.FromDelegate(DistributedFunctions.Calls.SquareSlowly), calls, ordered: false,
                    options.ChunkSize, deadline.Token))
                {
                    seen[outcome.Index]++;
                    if (outcome.Error is not null) failed++;
                    else if (outcome.Value != (long)outcome.Index * outcome.Index) wrong++;
                    last = clock.Elapsed;
                    // Half way, every node holds calls: the first one dies with its share.
                    if (++received == options.Calls / 2)
                    {
                        await nodes[0].KillAsync();
                        killedAt = clock.Elapsed;
                    }
                }
                finished = true;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The deadline passed: what is missing now is counted as hung.
            }
            var missing = seen.Count(n => n == 0);
            return new DistributedChaosReport(options.Calls, options.Nodes, options.WorkersPerNode, killedAt is not null, options.ClaimIdleTime.TotalSeconds,
                Lost: finished ? missing : 0, Duplicated: seen.Count(n => n > 1), wrong, failed, Hung: finished ? 0 : missing,
                clock.Elapsed.TotalSeconds, killedAt is { } kill ? (last - kill).TotalSeconds : 0);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
