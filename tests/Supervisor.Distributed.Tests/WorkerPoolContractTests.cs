using DistributedCluster;
using DistributedFunctions;
using Supervisor.Distributed.Tests.Infrastructure;

namespace Supervisor.Distributed.Tests;

/// <summary>One piece of code against <see cref="IWorkerPool"/>, run on the local pool and on a cluster: same results, same exceptions.</summary>
public sealed class WorkerPoolContractTests
{
    [SkippableFact]
    public async Task The_same_code_gives_the_same_results_and_errors_on_the_local_pool_and_on_nodes()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await NodeProcess.StartAsync(redis, "contract");
        await using var distributed = await DistributedPool.ConnectAsync(redis.Configuration, "contract");
        await using var local = await ProcessPool.StartAsync(new WorkerOptions { Workers = 2 });

        var onNodes = await UseAsync(distributed);
        var onThisMachine = await UseAsync(local);

        Assert.Equal(onThisMachine.Results, onNodes.Results);
        Assert.Equal(typeof(InvalidOperationException).FullName, onNodes.Failure.RemoteType);
        Assert.Equal(onThisMachine.Failure.RemoteMessage, onNodes.Failure.RemoteMessage);
        Assert.StartsWith("worker-", onThisMachine.Failure.WorkerName, StringComparison.Ordinal);
        Assert.Contains(" on node ", onNodes.Failure.WorkerName, StringComparison.Ordinal);
    }

    /// <summary>Every form of the interface once; what a caller would see.</summary>
    private static async Task<(List<long> Results, RemoteTaskException Failure)> UseAsync(IWorkerPool pool)
    {
        var items = Enumerable.Range(0, 50).Select(i => (long)i).ToArray();
        var squareUnless = Function.FromDelegate<long>(Calls.SquareUnless).Bind("poison", -1L);
        var results = new List<long>
        {
            await pool.SubmitAsync(Calls.Square, 3L),
            await pool.SubmitAsync(Calls.SquareUnless, 4L, -1L),
            await pool.SubmitAsync(squareUnless, Arguments.Of(5L)),
            await pool.SubmitAsync<long>(Function.FromDelegate(Calls.Square), Arguments.FromNamed(new Dictionary<string, object?> { ["x"] = 6L })),
        };
        results.AddRange(await pool.MapAsync(Calls.Square, items));
        results.AddRange(await pool.MapAsync(squareUnless, items, chunkSize: 7));
        await foreach (var value in pool.Imap(squareUnless, items, chunkSize: 3)) results.Add(value);
        var unordered = new List<long>();
        await foreach (var value in pool.ImapUnordered(Calls.Square, items)) unordered.Add(value);
        results.AddRange(unordered.Order());
        var calls = items.Select(i => Arguments.Of(i)).Append(Arguments.Of(1L, 2L, 3L)).ToAsyncEnumerable();
        await foreach (var outcome in pool.ImapOutcomes<long>(Function.FromDelegate(Calls.Square), calls, ordered: true, chunkSize: 4))
        {
            // The last call does not bind: its outcome says so, in its place; the others are values.
            results.Add(outcome.Error is ArgumentException ? -1 : outcome.Value);
        }
        var failure = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Calls.Refuse, 9L));
        return (results, failure);
    }
}
