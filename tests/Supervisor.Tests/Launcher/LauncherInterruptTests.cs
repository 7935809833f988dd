using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Launcher;

/// <summary>
/// Ctrl-C (SIGINT to the launcher alone): the first stops reading and lets the calls in flight finish, the
/// second stops at once. SIGKILL: no worker outlives the launcher. Each step waits for what the launcher writes
/// or for a process to end, never for time to pass. Unix only.
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

    [Fact]
    public async Task The_first_ctrl_c_stops_reading_writes_what_is_done_and_exits_130()
    {
        if (OperatingSystem.IsWindows()) return;
        using var launcher = Start("Math.Square");
        await launcher.StandardInput.WriteLineAsync("7");
        await launcher.StandardInput.FlushAsync();

        // The result arrives while stdin is still open: output streams, it does not wait for the end of the input.
        var first = await launcher.StandardOutput.ReadLineAsync(_limit.Token);
        Assert.Equal(49, JsonDocument.Parse(first!).RootElement.GetProperty("result").GetInt32());
        await InterruptAsync(launcher);
        await launcher.WaitForExitAsync(_limit.Token);

        var stderr = await launcher.StandardError.ReadToEndAsync(_limit.Token);
        Assert.True(launcher.ExitCode == 130, stderr);
        Assert.Contains("interrupted", stderr, StringComparison.Ordinal);
        Assert.Contains("done: 1 calls, 0 failed", stderr, StringComparison.Ordinal);
        _sandbox.AssertNothingLeft(new LauncherResult(launcher.ExitCode, first!, stderr));
    }

    [Fact]
    public async Task The_first_ctrl_c_lets_the_call_in_flight_finish_and_writes_its_result()
    {
        if (OperatingSystem.IsWindows()) return;
        var release = _sandbox.File("release");
        // The fixture that waits on a file is UserFunctions (its FileGate); the launcher loads any assembly.
        using var launcher = Start(typeof(Blocking).Assembly.Location, $"{typeof(Blocking).FullName}.{nameof(Blocking.AnnounceThenWaitForFile)}");
        await launcher.StandardInput.WriteLineAsync(JsonSerializer.Serialize(release));
        await launcher.StandardInput.FlushAsync();

        await ReadStderrUntilAsync(launcher, "waiting in ");
        await InterruptAsync(launcher);
        await ReadStderrUntilAsync(launcher, "supervisor: interrupted");
        // Only now may the call end: its result must still be written, with stdin left open.
        await File.WriteAllTextAsync(release, "go", _limit.Token);
        var line = await launcher.StandardOutput.ReadLineAsync(_limit.Token);
        Assert.Equal(1, JsonDocument.Parse(line!).RootElement.GetProperty("result").GetInt32());
        await launcher.WaitForExitAsync(_limit.Token);

        var stderr = await launcher.StandardError.ReadToEndAsync(_limit.Token);
        Assert.True(launcher.ExitCode == 130, stderr);
        Assert.Contains("done: 1 calls, 0 failed", stderr, StringComparison.Ordinal);
        _sandbox.AssertNothingLeft(new LauncherResult(launcher.ExitCode, line!, stderr));
    }

    [Fact]
    public async Task The_second_ctrl_c_kills_the_workers_and_exits_130_at_once()
    {
        if (OperatingSystem.IsWindows()) return;
        using var launcher = Start("Processes.Hang");
        await launcher.StandardInput.WriteLineAsync("1");
        await launcher.StandardInput.FlushAsync();

        var hanging = await ReadStderrUntilAsync(launcher, "hanging in ");
        var workerPid = int.Parse(hanging[(hanging.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        await InterruptAsync(launcher);
        // The first Ctrl-C waits for the call in flight, which never ends; the second must not.
        await ReadStderrUntilAsync(launcher, "supervisor: interrupted");
        await InterruptAsync(launcher);
        await launcher.WaitForExitAsync(_limit.Token);

        var stderr = await launcher.StandardError.ReadToEndAsync(_limit.Token);
        Assert.True(launcher.ExitCode == 130, stderr);
        ProcessAssert.AllExited([workerPid]);
        _sandbox.AssertNothingLeft(new LauncherResult(launcher.ExitCode, "", stderr));
    }

    [Fact]
    public async Task Workers_busy_in_a_call_that_never_returns_exit_when_the_launcher_is_sigkilled()
    {
        if (!OperatingSystem.IsLinux()) return; // Waits on a pidfd.
        using var launcher = Start("Processes.Hang", workers: 2);
        await launcher.StandardInput.WriteLineAsync("1\n2");
        await launcher.StandardInput.FlushAsync();

        // A window of one call per worker at first: each worker gets one of the two calls.
        var workers = new List<int>();
        while (workers.Count < 2)
        {
            var hanging = await ReadStderrUntilAsync(launcher, "hanging in ");
            workers.Add(int.Parse(hanging[(hanging.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }
        launcher.Kill();
        await launcher.WaitForExitAsync(_limit.Token);

        // A generous bound, so that a regression fails the test instead of hanging it; not a timing assertion.
        foreach (var worker in workers) Assert.True(await ProcessExit.WaitAsync(worker, TimeSpan.FromSeconds(30)), $"worker {worker} outlived its launcher");
        _sandbox.AssertNothingLeft(new LauncherResult(-9, "", ""));
    }

    private Process Start(string function, int workers = 1) =>
        Start(LauncherSandbox.FunctionsDll, "LauncherFunctions." + function, workers);

    private Process Start(string assembly, string function, int workers = 1)
    {
        var start = new ProcessStartInfo(LauncherSandbox.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[LauncherSandbox.LauncherDll, "--assembly", assembly, "--function", function,
            "--input", "-", "--output", "-", "--workers", workers.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[MarkedProcesses.Variable] = _sandbox.Marker;
        return Process.Start(start)!;
    }

    private async Task<string> ReadStderrUntilAsync(Process launcher, string text)
    {
        var seen = new List<string>();
        while (await launcher.StandardError.ReadLineAsync(_limit.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal)) return line;
            seen.Add(line);
        }
        throw new Xunit.Sdk.XunitException($"stderr ended without '{text}':\n{string.Join('\n', seen)}");
    }

    // SIGINT to the launcher only, as `kill -INT` does; a terminal's Ctrl-C would reach the whole process group.
    private async Task InterruptAsync(Process launcher)
    {
        using var kill = Process.Start("kill", ["-INT", launcher.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(_limit.Token);
        Assert.Equal(0, kill.ExitCode);
    }
}
