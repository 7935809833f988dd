using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace DistributedCluster;

/// <summary>
/// A distributed node as a process of its own (DistributedNodeHost, or the launcher's <c>serve</c>), its output kept;
/// disposing kills it if it still runs. The fixtures' files lie beside the program that uses it (the tests, the chaos run).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaitedLines = new(StringComparer.Ordinal);

    private NodeProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Everything the node logged so far.</summary>
    public string Output => string.Join('\n', _output);

    public static Task<NodeProcess> StartAsync(RedisServer redis, string queue, int workers = 2, TimeSpan? claimIdle = null, int maxDeliveries = 3) =>
        StartAsync("ready",
        [
            Path.Combine(AppContext.BaseDirectory, "DistributedNodeHost.dll"), redis.Configuration, queue,
            Path.Combine(AppContext.BaseDirectory, "DistributedFunctions.dll"), workers.ToString(CultureInfo.InvariantCulture),
            ((int)(claimIdle ?? TimeSpan.FromSeconds(2)).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            maxDeliveries.ToString(CultureInfo.InvariantCulture),
        ]);

    /// <summary>The launcher's <c>supervisor serve</c>, ready once it logs that it serves the queue.</summary>
    public static Task<NodeProcess> StartServeAsync(RedisServer redis, string queue) => StartServeAsync(redis.Configuration, queue, "serves queue");

    /// <summary>
    /// The launcher's <c>supervisor serve</c> on a Redis that need not be there yet, with <paramref name="options"/> after
    /// its own, started once it logs <paramref name="readyLine"/>.
    /// </summary>
    public static Task<NodeProcess> StartServeAsync(string redisConfiguration, string queue, string readyLine, params IReadOnlyList<string> options) =>
        StartAsync(readyLine,
        [
            Path.Combine(AppContext.BaseDirectory, "Supervisor.Launcher.dll"), "serve", "--redis", redisConfiguration, "--queue", queue,
            "--assembly", Path.Combine(AppContext.BaseDirectory, "DistributedFunctions.dll"), "--workers", "2", .. options,
        ]);

    private static async Task<NodeProcess> StartAsync(string readyLine, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var node = new NodeProcess(Process.Start(start)!);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The fixture says it is ready on stdout, the launcher's serve logs it on stderr.
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is null) return;
            node._output.Enqueue(e.Data);
            foreach (var (text, seen) in node._awaitedLines)
            {
                if (e.Data.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
            }
            if (e.Data.Contains(readyLine, StringComparison.Ordinal)) ready.TrySetResult();
        };
        node._process.OutputDataReceived += keep;
        node._process.ErrorDataReceived += keep;
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        await Task.WhenAny(ready.Task, node._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (ready.Task.IsCompleted) return node;
        // Exited, or never said it was ready: not left running behind the failure.
        await node.DisposeAsync();
        throw new InvalidOperationException($"The node did not say '{readyLine}' within 60 s, or exited first:\n{node.Output}");
    }

    /// <summary>Completes once the node has logged a line containing <paramref name="text"/> (at once if it already has).</summary>
    public Task WaitForOutputAsync(string text)
    {
        var seen = _awaitedLines.GetOrAdd(text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        // Checked after the wait is registered, so a line logged in between is not missed.
        if (_output.Any(line => line.Contains(text, StringComparison.Ordinal))) seen.TrySetResult();
        return seen.Task;
    }

    /// <summary>SIGKILL: the node has no chance to finish or acknowledge anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGINT, as Ctrl-C sends.</summary>
    public void Interrupt() => Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]).WaitForExit();

    /// <summary>Waits for the node to exit by itself; its exit code.</summary>
    public async Task<int> ExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
