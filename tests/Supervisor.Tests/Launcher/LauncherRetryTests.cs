using System.Globalization;
using System.Text.Json;

namespace Supervisor.Tests.Launcher;

/// <summary>
/// <c>--retries</c>: a call whose worker dies runs again, or fails alone. The crash is real: the first line's call
/// SIGKILLs its own worker, once, recorded in a marker file. Every run asserts that no process is left.
/// </summary>
public sealed class LauncherRetryTests : IDisposable
{
    private const int Calls = 6;

    private readonly LauncherSandbox _sandbox = new();
    private readonly string _crashed;

    public LauncherRetryTests()
    {
        _crashed = _sandbox.File("crashed");
        Directory.CreateDirectory(_crashed);
        // Only the first call crashes, so it is the only call its fresh worker holds: a worker's window is one call
        // until its first result. A call behind others could be blamed on one whose result the worker had not sent.
        _sandbox.WriteInput([
            JsonSerializer.Serialize(new { x = 0, crashOnceIn = _crashed }),
            .. Enumerable.Range(1, Calls - 1).Select(x => x.ToString(CultureInfo.InvariantCulture))]);
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task With_retries_the_call_whose_worker_crashed_runs_again_and_every_line_gets_its_result_once()
    {
        // One worker: the retry and the calls after it can only run in its replacement.
        var result = await _sandbox.RunAsync("Processes.SquareAfterOneCrash", "--workers", "1", "--retries", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(CrashMarker), "The first call never ran, so there was nothing to retry.");
        var lines = _sandbox.OutputLines();
        Assert.Equal(Enumerable.Range(0, Calls), lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal(Enumerable.Range(0, Calls).Select(x => (long)x * x), lines.Select(l => l.GetProperty("result").GetInt64()));
    }

    [Fact]
    public async Task Without_retries_the_call_whose_worker_crashed_is_an_error_line_and_the_others_succeed()
    {
        var result = await _sandbox.RunAsync("Processes.SquareAfterOneCrash", "--workers", "1", "--retries", "0");

        Assert.True(result.ExitCode == 1, result.ToString());
        var pid = File.ReadAllText(CrashMarker);
        var lines = _sandbox.OutputLines();
        Assert.Equal(Enumerable.Range(0, Calls), lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal(1, lines[0].GetProperty("line").GetInt32());
        var error = lines[0].GetProperty("error");
        Assert.Equal("Supervisor.WorkerCrashedException", error.GetProperty("type").GetString());
        Assert.Contains($"pid {pid}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, Calls - 1).Select(x => (long)x * x), lines.Skip(1).Select(l => l.GetProperty("result").GetInt64()));
        Assert.Contains($"1 of {Calls} calls failed; first: line 1: WorkerCrashedException", result.Stderr, StringComparison.Ordinal);
    }

    // Left by the first call before it killed its worker; it holds that worker's pid.
    private string CrashMarker => Path.Combine(_crashed, "0");
}
