using System.Globalization;
using System.Text.Json;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Launcher;

/// <summary>
/// Ctrl-C (SIGINT to the launcher alone): the first stops dispatching and lets the calls in flight finish, the
/// second stops at once. SIGKILL: no worker outlives the launcher. Each step waits for what the launcher writes
/// or for a process to end, never for time to pass. Unix only: the signals are sent with kill.
/// </summary>
public sealed class LauncherInterruptTests : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();
    private readonly CancellationTokenSource _limit = new(TimeSpan.FromMinutes(2));

    public void Dispose()
    {
        _limit.Dispose();
        _sandbox.Dispose();
    }

    [SkippableFact]
    public async Task The_first_ctrl_c_stops_reading_writes_what_is_done_and_exits_130()
    {
        Skip.If(OperatingSystem.IsWindows(), "Signals are sent with kill.");
        using var launcher = Start("Math.Square");
        await launcher.Process.StandardInput.WriteLineAsync("7");
        await launcher.Process.StandardInput.FlushAsync();

        // The result arrives while stdin is still open: output streams, it does not wait for the end of the input.
        var first = await launcher.Process.StandardOutput.ReadLineAsync(_limit.Token);
        Assert.Equal(49, JsonDocument.Parse(first!).RootElement.GetProperty("result").GetInt32());
        await launcher.SignalAsync("INT");
        var result = await launcher.WaitForExitAsync();

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("interrupted", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("done: 1 calls, 0 failed", result.Stderr, StringComparison.Ordinal);
        _sandbox.AssertNothingLeft(result);
    }

    [SkippableFact]
    public async Task The_first_ctrl_c_lets_the_call_in_flight_finish_and_writes_its_result()
    {
        Skip.If(OperatingSystem.IsWindows(), "Signals are sent with kill.");
        var release = _sandbox.File("release");
        // The fixture that waits on a file is UserFunctions (its FileGate); the launcher loads any assembly.
        using var launcher = Start(typeof(Blocking).Assembly.Location, $"{typeof(Blocking).FullName}.{nameof(Blocking.AnnounceThenWaitForFile)}");
        await launcher.Process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(release));
        await launcher.Process.StandardInput.FlushAsync();

        await launcher.ReadStderrUntilAsync("waiting in ");
        await launcher.SignalAsync("INT");
        await launcher.ReadStderrUntilAsync("supervisor: interrupted");
        // Only now may the call end: its result must still be written, with stdin left open.
        await File.WriteAllTextAsync(release, "go", _limit.Token);
        var line = await launcher.Process.StandardOutput.ReadLineAsync(_limit.Token);
        Assert.Equal(1, JsonDocument.Parse(line!).RootElement.GetProperty("result").GetInt32());
        var result = await launcher.WaitForExitAsync();

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("done: 1 calls, 0 failed", result.Stderr, StringComparison.Ordinal);
        _sandbox.AssertNothingLeft(result);
    }

    [SkippableFact]
    public async Task The_second_ctrl_c_kills_the_workers_and_exits_130_at_once()
    {
        Skip.If(OperatingSystem.IsWindows(), "Signals are sent with kill.");
        using var launcher = Start("Processes.Hang");
        await launcher.Process.StandardInput.WriteLineAsync("1");
        await launcher.Process.StandardInput.FlushAsync();

        var hanging = await launcher.ReadStderrUntilAsync("hanging in ");
        var workerPid = int.Parse(hanging[(hanging.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        await launcher.SignalAsync("INT");
        // The first Ctrl-C waits for the call in flight, which never ends; the second must not.
        await launcher.ReadStderrUntilAsync("supervisor: interrupted");
        await launcher.SignalAsync("INT");
        var result = await launcher.WaitForExitAsync();

        Assert.True(result.ExitCode == 130, result.ToString());
        ProcessAssert.AllExited([workerPid]);
        _sandbox.AssertNothingLeft(result);
    }

    [SkippableFact]
    public async Task Workers_busy_in_a_call_that_never_returns_exit_when_the_launcher_is_sigkilled()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Waits on a pidfd.");
        using var launcher = Start("Processes.Hang", workers: 2);
        await launcher.Process.StandardInput.WriteLineAsync("1\n2");
        await launcher.Process.StandardInput.FlushAsync();

        // A window of one call per worker at first: each worker gets one of the two calls.
        var workers = new List<int>();
        while (workers.Count < 2)
        {
            var hanging = await launcher.ReadStderrUntilAsync("hanging in ");
            workers.Add(int.Parse(hanging[(hanging.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }
        launcher.Process.Kill();
        await launcher.Process.WaitForExitAsync(_limit.Token);

        // A generous bound, so that a regression fails the test instead of hanging it; not a timing assertion.
        foreach (var worker in workers) Assert.True(await ProcessExit.WaitAsync(worker, TimeSpan.FromSeconds(30)), $"worker {worker} outlived its launcher");
        _sandbox.AssertNothingLeft(new LauncherResult(-9, "", ""));
    }

    private RunningLauncher Start(string function, int workers = 1) =>
        Start(LauncherSandbox.FunctionsDll, "LauncherFunctions." + function, workers);

    private RunningLauncher Start(string assembly, string function, int workers = 1) =>
        RunningLauncher.Start(_sandbox, ["--assembly", assembly, "--function", function, "--input", "-", "--output", "-",
            "--workers", workers.ToString(CultureInfo.InvariantCulture)], _limit.Token);
}
