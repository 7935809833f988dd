namespace Supervisor.Tests.Launcher;

/// <summary>Calls that fail: each gets an error line, the others go on, and the exit code is 1.</summary>
public sealed class LauncherFailureTests : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_malformed_line_and_arguments_that_do_not_bind_get_error_lines_and_the_rest_is_processed()
    {
        _sandbox.WriteInput("[6, 3]", "{\"a\": 8, \"b\": 2}", "[1, 2", "{\"a\": 1, \"c\": 2}", "[1, 2, 3]", "[9, 3]");

        var result = await _sandbox.RunAsync("Math.Divide");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = _sandbox.OutputLines();
        Assert.Equal([0, 1, 2, 3, 4, 5], lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal(2, lines[0].GetProperty("result").GetInt32());
        Assert.Equal(4, lines[1].GetProperty("result").GetInt32());
        Assert.Equal(3, lines[5].GetProperty("result").GetInt32());
        var malformed = lines[2].GetProperty("error");
        Assert.Equal("MalformedInput", malformed.GetProperty("type").GetString());
        Assert.StartsWith("line 3, column ", malformed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("'c'", lines[3].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("3 were given", lines[4].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("3 of 6 calls failed; first: line 3: MalformedInput", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_error_is_an_error_line_exit_code_1_and_a_summary_on_stderr()
    {
        _sandbox.WriteInput("[6, 3]", "[1, 0]", "[8, 4]");

        var result = await _sandbox.RunAsync("Math.Divide");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = _sandbox.OutputLines();
        Assert.Equal(2, lines[0].GetProperty("result").GetInt32());
        Assert.Equal("System.DivideByZeroException", lines[1].GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(2, lines[2].GetProperty("result").GetInt32());
        Assert.Contains("1 of 3 calls failed; first: line 2: DivideByZeroException: Attempted to divide by zero.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_past_the_task_timeout_fails_alone_and_its_worker_is_replaced()
    {
        _sandbox.WriteInput("1", "-1", "3", "4");

        // One worker: the calls after the hanging one can only run in its replacement.
        var result = await _sandbox.RunAsync("Processes.HangWhenNegative", "--workers", "1", "--task-timeout", "3s");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = _sandbox.OutputLines();
        Assert.Equal([0, 1, 2, 3], lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal([1, 3, 4], new[] { lines[0], lines[2], lines[3] }.Select(l => l.GetProperty("result").GetInt32()));
        var error = lines[1].GetProperty("error");
        Assert.Equal("Supervisor.TaskTimeoutException", error.GetProperty("type").GetString());
        Assert.Contains("longer than 3 s", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
