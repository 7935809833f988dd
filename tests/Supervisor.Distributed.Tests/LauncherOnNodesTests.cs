using DistributedCluster;
using Supervisor.Distributed.Tests.Infrastructure;

namespace Supervisor.Distributed.Tests;

/// <summary><c>supervisor --redis … --queue …</c>: the same input, run by nodes, gives the rows and exit code a local run gives.</summary>
public sealed class LauncherOnNodesTests : IDisposable
{
    private static readonly string FunctionsAssembly = Path.Combine(AppContext.BaseDirectory, "DistributedFunctions.dll");
    private readonly string _directory = Directory.CreateTempSubdirectory("supervisor-launcher-nodes-").FullName;

    [SkippableFact]
    public async Task A_run_on_two_nodes_writes_the_rows_and_exit_code_of_a_local_run()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var first = await NodeProcess.StartServeAsync(redis, "lines");
        await using var second = await NodeProcess.StartServeAsync(redis, "lines");
        // Values, a call that throws, a malformed line, a line that does not bind, in 300 lines.
        var lines = Enumerable.Range(0, 300).Select(i => i switch
        {
            17 => "-3",
            41 => "{not json",
            99 => "[1, 2]",
            _ => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var input = Path.Combine(_directory, "in.jsonl");
        await File.WriteAllLinesAsync(input, lines);

        var local = await RunAsync(input, "local.jsonl", "--workers", "2", "--chunk-size", "4");
        var onNodes = await RunAsync(input, "nodes.jsonl", "--redis", redis.Configuration, "--queue", "lines", "--chunk-size", "4");

        Assert.Equal(1, local.ExitCode);
        Assert.Equal(local.ExitCode, onNodes.ExitCode);
        var rows = await File.ReadAllLinesAsync(Path.Combine(_directory, "nodes.jsonl"));
        Assert.Equal(await File.ReadAllLinesAsync(Path.Combine(_directory, "local.jsonl")), rows);
        Assert.Equal(300, rows.Length);
        Assert.Contains("ArgumentOutOfRangeException", rows[17], StringComparison.Ordinal);
        Assert.Contains("3 of 300 calls failed; first: line 18", onNodes.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_clean_run_on_a_node_exits_0_and_options_of_local_workers_are_refused()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var node = await NodeProcess.StartServeAsync(redis, "clean");
        var input = Path.Combine(_directory, "in.jsonl");
        await File.WriteAllLinesAsync(input, Enumerable.Range(0, 50).Select(i => $"[{i}]"));

        var run = await RunAsync(input, "out.jsonl", "--redis", redis.Configuration, "--queue", "clean", "--unordered");
        var withWorkers = await RunAsync(input, "other.jsonl", "--redis", redis.Configuration, "--queue", "clean", "--workers", "4");
        var withRetries = await RunAsync(input, "other.jsonl", "--redis", redis.Configuration, "--queue", "clean", "--retries", "5");
        var withoutQueue = await RunAsync(input, "other.jsonl", "--redis", redis.Configuration);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(50, (await File.ReadAllLinesAsync(Path.Combine(_directory, "out.jsonl"))).Length);
        Assert.Equal(2, withWorkers.ExitCode);
        Assert.Contains("--workers sets up local workers", withWorkers.Error, StringComparison.Ordinal);
        Assert.Contains("give it to 'supervisor serve'", withWorkers.Error, StringComparison.Ordinal);
        Assert.Equal(2, withRetries.ExitCode);
        Assert.Contains("--retries sets up local workers", withRetries.Error, StringComparison.Ordinal);
        Assert.Equal(2, withoutQueue.ExitCode);
        Assert.Contains("--redis needs --queue", withoutQueue.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_run_started_before_Redis_waits_for_it_saying_so_once_then_runs_every_line()
    {
        Skip.IfNot(RedisServer.IsInstalled, RedisServer.InstallAdvice + " to run the distributed tests.");
        var port = RedisServer.FreePort();
        var input = Path.Combine(_directory, "in.jsonl");
        await File.WriteAllLinesAsync(input, Enumerable.Range(0, 40).Select(i => $"[{i}]"));
        RedisServer? redis = null;
        NodeProcess? node = null;
        try
        {
            // Redis comes up (and a node with it) only once the launcher has said it waits for it.
            var run = await LauncherProcess.RunAsync(
                ["--assembly", FunctionsAssembly, "--function", "DistributedFunctions.Calls.SquareOfNatural", "--input", input,
                    "--output", Path.Combine(_directory, "out.jsonl"), "--redis", $"127.0.0.1:{port}", "--queue", "late"],
                cue: "Redis unreachable", whenCued: async () =>
                {
                    redis = await TestRedis.StartAsync(port);
                    node = await NodeProcess.StartServeAsync(redis, "late");
                });

            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Equal(40, (await File.ReadAllLinesAsync(Path.Combine(_directory, "out.jsonl"))).Length);
            // Said once for the 40 waiting calls (at most once more: the result reader's connection may come back later).
            Assert.InRange(run.Error.Split("Redis unreachable").Length - 1, 1, 2);
            Assert.Contains("Redis reachable again", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            if (node is not null) await node.DisposeAsync();
            if (redis is not null) await redis.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<(int ExitCode, string Error)> RunAsync(string input, string output, params string[] more) =>
        LauncherProcess.RunAsync(["--assembly", FunctionsAssembly, "--function", "DistributedFunctions.Calls.SquareOfNatural",
            "--input", input, "--output", Path.Combine(_directory, output), .. more]);
}
