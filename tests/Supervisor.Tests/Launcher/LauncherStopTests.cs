using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using UserFunctions;

namespace Supervisor.Tests.Launcher;

/// <summary>
/// A graceful stop (the first Ctrl-C, or SIGTERM as systemd, docker and Kubernetes send) sends no more calls: only
/// those a worker holds finish and are written, the lines that did not run are named, and <c>--resume</c> then runs
/// exactly those. Unix only: the signals are sent with kill.
/// </summary>
public sealed partial class LauncherStopTests : IDisposable
{
    private const int Lines = 200;

    private readonly LauncherSandbox _sandbox = new();
    private readonly CancellationTokenSource _limit = new(TimeSpan.FromMinutes(2));

    public void Dispose()
    {
        _limit.Dispose();
        _sandbox.Dispose();
    }

    [SkippableTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_stop_runs_only_the_calls_workers_hold_names_the_rest_and_resume_runs_exactly_those(string signal, int exitCode)
    {
        Skip.If(OperatingSystem.IsWindows(), "Signals are sent with kill.");
        var release = _sandbox.File("release");
        // Every call waits for the same file: the pool has read far ahead of the one running call by the time it stops.
        _sandbox.WriteInput([.. Enumerable.Repeat(JsonSerializer.Serialize(release), Lines)]);
        string[] arguments = ["--assembly", typeof(Blocking).Assembly.Location, "--function", $"{typeof(Blocking).FullName}.{nameof(Blocking.AnnounceThenWaitForFile)}",
            "--input", _sandbox.InputPath, "--output", _sandbox.OutputPath, "--workers", "1"];
        using (var launcher = RunningLauncher.Start(_sandbox, arguments, _limit.Token))
        {
            await launcher.ReadStderrUntilAsync("waiting in ");
            await launcher.SignalAsync(signal);
            await launcher.ReadStderrUntilAsync("dispatching no more calls");
            // Only now may the running call end; what was queued behind it must not start.
            await File.WriteAllTextAsync(release, "go", _limit.Token);
            var stopped = await launcher.WaitForExitAsync();

            Assert.True(stopped.ExitCode == exitCode, stopped.ToString());
            var written = _sandbox.OutputLines();
            Assert.All(written, row => Assert.Equal(1, row.GetProperty("result").GetInt32()));
            Assert.True(written.Count < Lines, $"{written.Count} calls ran after the stop.\n{stopped}");
            var notRun = NotRunCount().Match(stopped.Stderr);
            Assert.True(notRun.Success, stopped.ToString());
            // Every line is accounted for: written, or named as not run.
            Assert.Equal(Lines, written.Count + int.Parse(notRun.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Contains("--resume", stopped.Stderr, StringComparison.Ordinal);
            _sandbox.AssertNothingLeft(stopped);
        }

        var resumed = await _sandbox.RunRawAsync([.. arguments, "--resume"]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var indices = _sandbox.OutputLines().Select(row => row.GetProperty("index").GetInt64()).Order();
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => (long)i), indices);
    }

    [Fact]
    public async Task Resume_keeps_complete_lines_drops_a_torn_last_line_and_runs_only_the_missing_indices()
    {
        _sandbox.WriteInput("1", "2", "3", "4", "5");
        // An earlier run wrote lines 1 and 3 (with values no call would give, so a rerun would show), then was killed mid-line.
        await File.WriteAllTextAsync(_sandbox.OutputPath,
            "{\"index\":0,\"line\":1,\"result\":100}\n{\"index\":2,\"line\":3,\"result\":300}\n{\"index\":3,\"li", _limit.Token);

        var result = await _sandbox.RunAsync("Math.Square", "--resume");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = _sandbox.OutputLines().ToDictionary(r => r.GetProperty("index").GetInt64(), r => r.GetProperty("result").GetInt64());
        Assert.Equal(new Dictionary<long, long> { [0] = 100, [1] = 4, [2] = 300, [3] = 16, [4] = 25 }, rows);
        Assert.EndsWith("\n", await File.ReadAllTextAsync(_sandbox.OutputPath, _limit.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_refuses_an_output_that_is_not_the_launchers_naming_its_line()
    {
        _sandbox.WriteInput("1");
        await File.WriteAllTextAsync(_sandbox.OutputPath, "{\"index\":0,\"line\":1,\"result\":1}\nhello\n", _limit.Token);

        var result = await _sandbox.RunAsync("Math.Square", "--resume");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--resume: line 2 of", result.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"not run: .*\((\d+) lines\)")]
    private static partial Regex NotRunCount();
}
