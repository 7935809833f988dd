using DistributedCluster;
using DistributedFunctions;
using Supervisor.Distributed.Client;
using Supervisor.Distributed.Tests.Infrastructure;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Tests;

/// <summary>The pool's surface through one node running in this process (its workers real processes) and a real Redis.</summary>
public sealed class DistributedPoolTests
{
    private static readonly string FunctionsAssembly = Path.Combine(AppContext.BaseDirectory, "DistributedFunctions.dll");

    private static Task<DistributedNode> StartNodeAsync(RedisServer redis, string queue, TimeSpan? resultTimeToLive = null) =>
        DistributedNode.StartAsync(new DistributedNodeOptions
        {
            Redis = redis.Configuration,
            Queue = queue,
            Assemblies = [FunctionsAssembly],
            Pool = new WorkerOptions { Workers = 2 },
            ResultTimeToLive = resultTimeToLive ?? TimeSpan.FromHours(1),
        });

    /// <summary>Sends a task of <paramref name="calls"/> framed as given, past the client's checks, and waits for its result frame.</summary>
    private static Task<ResultFrame> SendAsWrittenAsync(DistributedPool pool, FunctionName name, Function function, Arguments[] calls) =>
        pool.SendFrameAsync((taskId, replyKey) => CallFrame.Encode(taskId, replyKey, name, function, calls, pool.Checker, DistributedPoolOptions.DefaultMaxFrameBytes),
            CancellationToken.None);

    [SkippableFact]
    public async Task Every_surface_returns_the_right_results_in_its_order()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await StartNodeAsync(redis, "surface");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "surface");

        Assert.Equal(49, await pool.SubmitAsync(Calls.Square, 7L));
        var items = Enumerable.Range(0, 300).Select(i => (long)i).ToArray();
        Assert.Equal(items.Select(i => i * i), await pool.MapAsync(Calls.Square, items));
        Assert.Equal(items.Select(i => i * i), await pool.MapAsync(Calls.Square, items, chunkSize: 7));
        var ordered = new List<long>();
        await foreach (var square in pool.Imap(Calls.Square, items, chunkSize: 5)) ordered.Add(square);
        Assert.Equal(items.Select(i => i * i), ordered);
        var unordered = new List<long>();
        await foreach (var square in pool.ImapUnordered(Calls.Square, items)) unordered.Add(square);
        Assert.Equal(items.Select(i => i * i), unordered.Order());
        var bound = Function.FromDelegate(Calls.SquareUnless).Bind("poison", -1L);
        Assert.Equal(64, await pool.SubmitAsync<long>(bound, Arguments.Of(8L)));
        Assert.Equal(81, await pool.SubmitAsync<long>(Function.FromDelegate(Calls.SquareUnless), Arguments.FromNamed(new Dictionary<string, object?> { ["x"] = 9L, ["poison"] = -1L })));
    }

    [SkippableFact]
    public async Task A_failing_call_fails_alone_with_its_remote_error()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await StartNodeAsync(redis, "failing");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "failing");

        // The local pool's exception type, the worker named with its node.
        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Calls.Refuse, 3L));
        Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteType);
        Assert.Equal("refused 3", error.RemoteMessage);
        Assert.Matches($"^worker-[0-9]+ on node {node.Name}$", error.WorkerName);
        Assert.NotEqual(0, error.ProcessId);
        Assert.Contains(nameof(Calls.Refuse), error.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Equal(16, await pool.SubmitAsync(Calls.Square, 4L));
    }

    [SkippableFact]
    public async Task In_a_chunk_each_failing_call_fails_in_its_place_and_the_others_answer()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await StartNodeAsync(redis, "chunk-failures");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "chunk-failures");
        // A node runs a chunk's calls as one map of its local pool: failures keep their places, with or without fixed arguments.
        var items = Enumerable.Range(0, 60).Select(i => i % 7 == 3 ? -i : (long)i).ToArray();

        foreach (var function in new[] { Function.FromDelegate(Calls.SquareOfNatural), Function.FromDelegate(Calls.SquareUnless).Bind("poison", -1L) })
        {
            var outcomes = new List<TaskOutcome<long>>();
            await foreach (var outcome in pool.ImapOutcomes<long>(function, items.Select(i => Arguments.Of(i)).ToAsyncEnumerable(), chunkSize: 25)) outcomes.Add(outcome);

            Assert.Equal(Enumerable.Range(0, 60), outcomes.Select(o => o.Index));
            foreach (var outcome in outcomes)
            {
                var item = items[outcome.Index];
                if (item >= 0 || function.FixedArguments.Count > 0)
                {
                    Assert.Null(outcome.Error);
                    Assert.Equal(item * item, outcome.Value);
                    continue;
                }
                var error = Assert.IsType<RemoteTaskException>(outcome.Error);
                Assert.Equal(typeof(ArgumentOutOfRangeException).FullName, error.RemoteType);
                Assert.Matches($"^worker-[0-9]+ on node {node.Name}$", error.WorkerName);
            }
        }
    }

    [SkippableFact]
    public async Task Maps_of_a_users_type_of_strings_and_of_objects_return_each_value_in_its_place()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await StartNodeAsync(redis, "typed-maps");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "typed-maps");
        // A sealed type's values go by its formatter (client and node), an open type's by each value's runtime type.
        var points = Enumerable.Range(0, 50).Select(i => new Point { X = i, Y = -i }).ToArray();

        var mirrored = await pool.MapAsync(Calls.Mirror, points, chunkSize: 7);

        Assert.Equal(points.Select(p => (p.Y, p.X)), mirrored.Select(p => (p.X, p.Y)));
        Assert.Equal(points.Select(p => $"{p.X}"), await pool.MapAsync(Calls.Describe, points.Select(p => (object)p.X), chunkSize: 7));
        Assert.Equal(["a", "b", "c"], await pool.MapAsync<string, string>(Calls.Describe, ["a", "b", "c"], chunkSize: 2));
        // An item of a sealed type that cannot cross fails the map in the caller, named at its place in its chunk.
        using var stream = new MemoryStream([1, 2, 3]);
        var refused = await Assert.ThrowsAsync<UnserializableValueException>(() =>
            pool.MapAsync<Holder, string>(Calls.Describe, [new Holder(stream)]));
        Assert.EndsWith("(call 0, args[0]).Content", refused.Path, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task In_a_chunk_a_value_not_of_the_parameters_type_fails_its_call_alone_on_the_node()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await StartNodeAsync(redis, "unreadable");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "unreadable");
        var function = Function.FromDelegate(Calls.Square);

        // Sent as written (the client binds a call's arguments to no type): the node reads each value by Square's long.
        var frame = await SendAsWrittenAsync(pool, FunctionName.Of(function.Method), function, [Arguments.Of(1L), Arguments.Of("two"), Arguments.Of(3L)]);

        var outcomes = OutcomeReader.Read<long>(frame, 0, 3);
        Assert.Equal([1L, 9L], [outcomes[0].Value, outcomes[2].Value]);
        var error = Assert.IsType<RemoteTaskException>(outcomes[1].Error);
        Assert.Equal(typeof(ArgumentException).FullName, error.RemoteType);
        Assert.Contains("(args[0]): the value cannot be read as System.Int64", error.RemoteMessage, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_call_naming_another_version_is_refused_and_does_not_run()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await StartNodeAsync(redis, "versions");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "versions");
        var function = Function.FromDelegate(Calls.Refuse);
        var otherVersion = FunctionName.Of(function.Method) with { AssemblyVersion = "9.9.9.9" };

        var frame = await SendAsWrittenAsync(pool, otherVersion, function, [Arguments.Of(1L)]);

        // Refuse would have answered "refused 1": nothing ran, the caller is told which versions differ.
        var outcome = Assert.Single(OutcomeReader.Read<long>(frame, 0, 1));
        var error = Assert.IsType<FunctionUnavailableException>(outcome.Error);
        Assert.Contains("DistributedFunctions 9.9.9.9", error.Message, StringComparison.Ordinal);
        Assert.Contains("DistributedFunctions 1.0.0.0", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_call_for_an_assembly_the_node_does_not_serve_gets_a_clear_error()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await StartNodeAsync(redis, "assemblies");
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "assemblies");

        var error = await Assert.ThrowsAsync<FunctionUnavailableException>(() => pool.SubmitAsync(Negate, 2L));
        Assert.Contains("does not serve assembly Supervisor.Distributed.Tests", error.Message, StringComparison.Ordinal);
        Assert.Contains("--assembly", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_argument_that_cannot_be_serialized_fails_in_the_caller_naming_its_place()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "unserializable");
        await using var probe = await QueueProbe.ConnectAsync(redis, "unserializable");

        // MessagePack's own refusal (a property that throws when read), named at its place.
        var thrown = await Assert.ThrowsAsync<UnserializableValueException>(() =>
            pool.SubmitAsync<string>(Function.FromDelegate(Calls.Describe), Arguments.Of(new Unserializable())).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("call 0, args[0]", thrown.Message, StringComparison.Ordinal);
        // What MessagePack would write as {} without complaint: refused by the pool's rule, with what to send instead.
        using var stream = new MemoryStream([1, 2, 3]);
        var refused = await Assert.ThrowsAsync<UnserializableValueException>(() =>
            pool.SubmitAsync<string>(Function.FromDelegate(Calls.Describe), Arguments.Of(new Holder(stream))).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.EndsWith("(call 0, args[0]).Content", refused.Path, StringComparison.Ordinal);
        Assert.Contains("a stream cannot cross a process boundary", refused.Message, StringComparison.Ordinal);
        // In a map, the whole map fails in the caller; in a stream of outcomes, the call alone.
        await Assert.ThrowsAsync<UnserializableValueException>(() => pool.MapAsync(Calls.Describe, new object[] { new Holder(stream) }));
        Assert.Equal(0, await probe.CallsLengthAsync());
    }

    [SkippableFact]
    public async Task Results_stored_together_for_two_callers_reach_each_its_own_caller_once()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var probe = await QueueProbe.ConnectAsync(redis, "batched");
        var node = await StartNodeAsync(redis, "batched");
        await using (node)
        {
            await using var first = await DistributedPool.ConnectAsync(redis.Configuration, "batched");
            await using var second = await DistributedPool.ConnectAsync(redis.Configuration, "batched");
            // Tiny calls from both at once: the node stores and acknowledges what finished meanwhile in one transaction,
            // results for both reply streams mixed in it.
            var firstItems = Enumerable.Range(0, 1_000).Select(i => (long)i).ToArray();
            var secondItems = Enumerable.Range(5_000, 1_000).Select(i => (long)i).ToArray();

            var results = await Task.WhenAll(CollectAsync(first, firstItems), CollectAsync(second, secondItems));

            Assert.Equal(firstItems.Select(i => i * i), results[0].Order());
            Assert.Equal(secondItems.Select(i => i * i), results[1].Order());
            await node.StopAsync();
        }
        Assert.Equal(0, await probe.PendingAsync());

        static async Task<List<long>> CollectAsync(DistributedPool pool, long[] items)
        {
            var squares = new List<long>();
            await foreach (var square in pool.ImapUnordered(Calls.Square, items)) squares.Add(square);
            return squares;
        }
    }

    [SkippableFact]
    public async Task Results_expire_and_acknowledged_calls_are_trimmed()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var probe = await QueueProbe.ConnectAsync(redis, "garbage");
        var node = await StartNodeAsync(redis, "garbage", resultTimeToLive: TimeSpan.FromMinutes(10));
        await using (node)
        {
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "garbage");
            await pool.MapAsync(Calls.Square, Enumerable.Range(0, 100).Select(i => (long)i), chunkSize: 10);

            var reply = Assert.Single(await probe.ReplyStreamsAsync());
            Assert.InRange(reply.TimeToLive!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
            await node.StopAsync();
        }
        Assert.Equal(0, await probe.PendingAsync());
        Assert.Equal(0, await probe.CallsLengthAsync());
    }

    /// <summary>A function of this assembly, which no node in these tests serves.</summary>
    public static long Negate(long x) => -x;

    /// <summary>A public type with a member that cannot cross.</summary>
    public sealed record Holder(Stream Content);

    /// <summary>A value MessagePack refuses: a property that throws when read.</summary>
    public sealed class Unserializable
    {
        private int _value;

        public int Value
        {
            get => _value >= 0 ? throw new InvalidOperationException("cannot be read") : _value;
            set => _value = value;
        }
    }
}
