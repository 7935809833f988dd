using System.Globalization;
using System.Text.RegularExpressions;
using Supervisor.Protocol;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Transport;

/// <summary>A worker that breaks the protocol is cut off and replaced; the supervisor and its other work go on.</summary>
public sealed class RogueWorkerTests
{
    private readonly QuietOutput _output = new();

    private static string RogueWorker => Path.Combine(AppContext.BaseDirectory, "RogueWorker.dll");

    [Theory]
    [InlineData("garbage", "Unexpected msgpack code")]
    [InlineData("oversize", "more than the maximum frame size")]
    [InlineData("truncated", "ended inside a frame")]
    [InlineData("unknown-task", "answered task 999999, which it does not hold")]
    [InlineData("unknown-slot", "shared-memory slot 99")]
    [InlineData("slot-overrun", "shared-memory slot 0")]
    [InlineData("running-unknown-task", "answered task 999999, which it does not hold")]
    [InlineData("running-beyond-task", "answered call 5 of task 1; call 0 was next")]
    public async Task A_worker_breaking_the_protocol_is_cut_off_with_a_clear_error(string mode, string expected)
    {
        var options = Rogue(mode) with { MaxRestarts = 0 };
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(options))
        {
            var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Plain.Square, 3));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            started = pool.StartedProcessIds;
        }
        ProcessAssert.AllExited(started);
        // The supervisor is unharmed: a pool with real workers in the same process works.
        await using var healthy = await ProcessPool.StartAsync(_output.Options(1));
        Assert.Equal(9, await healthy.SubmitAsync(Plain.Square, 3));
    }

    [Fact]
    public async Task A_worker_speaking_another_protocol_version_fails_the_start()
    {
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(Rogue("bad-version")));
        Assert.Contains($"speaks protocol version {WireProtocol.Version + 41}; this supervisor speaks {WireProtocol.Version}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_never_says_hello_is_killed_and_fails_the_start()
    {
        var options = Rogue("silent") with { StartTimeout = TimeSpan.FromSeconds(1) };
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(options));
        Assert.Contains("did not complete its handshake within 1 s", error.Message, StringComparison.Ordinal);
        // The receiver's blocking read ended with the kill, and so did the process.
        var pid = int.Parse(Regex.Match(error.Message, @"\(pid (\d+)\)").Groups[1].Value, CultureInfo.InvariantCulture);
        ProcessAssert.AllExited([pid]);
    }

    /// <summary>One worker, the rogue executable misbehaving in <paramref name="mode"/>.</summary>
    private WorkerOptions Rogue(string mode) => new()
    {
        Workers = 1,
        Output = _output.Add,
        // The first offence is what is checked: the call is not run again on a second rogue.
        Retries = 0,
        WorkerExecutable = RogueWorker,
        EnvironmentVariables = new Dictionary<string, string?> { ["ROGUE_MODE"] = mode },
    };
}
