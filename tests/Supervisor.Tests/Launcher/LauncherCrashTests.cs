namespace Supervisor.Tests.Launcher;

/// <summary>
/// A worker's death, said in the row of the call it took: what killed it and its own last words, bounded; stderr is
/// not flooded with its stack trace; a crash loop ends the run with one paragraph, no stack trace, every line accounted for.
/// </summary>
public sealed class LauncherCrashTests : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_failfast_crash_row_says_the_signal_and_the_workers_last_words_without_a_flood_on_stderr()
    {
        _sandbox.WriteInput("[12, 13]", "[13, 13]", "[14, 13]");

        // One crash, not the default's four attempts: what one crash's row and stderr look like.
        var result = await _sandbox.RunAsync("Processes.FailFastAt", "--workers", "1", "--retries", "0");

        Assert.True(result.ExitCode == 1, result.ToString());
        var rows = _sandbox.OutputLines();
        Assert.Equal(12, rows[0].GetProperty("result").GetInt32());
        Assert.Equal(14, rows[2].GetProperty("result").GetInt32());
        var error = rows[1].GetProperty("error");
        Assert.Equal("Supervisor.WorkerCrashedException", error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("boom on 13", message, StringComparison.Ordinal);
        Assert.Contains(OperatingSystem.IsWindows() ? "exited with code" : "killed by signal 6 (SIGABRT", message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
        Assert.True(message.Length < 1000, message);
        // The dying worker's stack trace is shown by its first frames and a count, not line by line.
        var forwardedFrames = result.Stderr.Split('\n').Count(l => l.TrimStart().StartsWith("[worker", StringComparison.Ordinal) && l.Contains("   at ", StringComparison.Ordinal));
        Assert.True(forwardedFrames <= 3, result.ToString());
    }

    [Fact]
    public async Task A_crash_loop_ends_with_one_paragraph_no_stack_trace_and_a_row_for_every_line()
    {
        const int lines = 200;
        _sandbox.WriteInput([.. Enumerable.Range(0, lines).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

        // Four workers that each die at their first call: crashes come faster than the restart intensity allows.
        var result = await _sandbox.RunAsync("Processes.KillOwnWorker", "--workers", "4");

        var rows = AssertEndedInOneParagraphWithARowPerLine(result, "supervisor: the pool broke", lines);
        Assert.Contains(rows, r => r.GetProperty("error").GetProperty("type").GetString() == "NotRun");
    }

    [Fact]
    public async Task Workers_that_cannot_start_end_the_run_with_one_paragraph_and_a_not_run_row_for_every_line()
    {
        const int lines = 5;
        _sandbox.WriteInput([.. Enumerable.Range(0, lines).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        // A copy of the launcher whose worker host asks for a runtime that is not installed: the host exits at once with
        // its reason on stderr, as it does on a machine where the worker's runtime is missing.
        var copy = _sandbox.File("launcher");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory)) System.IO.File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var config = Path.Combine(copy, "Supervisor.WorkerHost.runtimeconfig.json");
        System.IO.File.WriteAllText(config, System.IO.File.ReadAllText(config).Replace("\"10.0.0\"", "\"99.0.0\"", StringComparison.Ordinal));

        var result = await _sandbox.RunRawAsync(
            ["--assembly", LauncherSandbox.FunctionsDll, "--function", "LauncherFunctions.Math.Square", "--input", _sandbox.InputPath, "--output", _sandbox.OutputPath],
            launcherDll: Path.Combine(copy, Path.GetFileName(LauncherSandbox.LauncherDll)));

        var rows = AssertEndedInOneParagraphWithARowPerLine(result, "supervisor: the workers could not start", lines);
        Assert.Contains("99.0.0", result.Stderr, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Equal("NotRun", r.GetProperty("error").GetProperty("type").GetString()));
    }

    // An expected failure ends with exit 1 and one paragraph (what, then --resume), no stack trace, and a row for every
    // input line; returns the rows.
    private IReadOnlyList<System.Text.Json.JsonElement> AssertEndedInOneParagraphWithARowPerLine(LauncherResult result, string what, int lines)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(what, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--resume", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        var rows = _sandbox.OutputLines();
        Assert.Equal(Enumerable.Range(0, lines).Select(i => (long)i), rows.Select(r => r.GetProperty("index").GetInt64()).Order());
        return rows;
    }
}
