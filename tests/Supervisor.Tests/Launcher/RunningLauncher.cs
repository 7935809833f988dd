using System.Diagnostics;
using System.Globalization;

namespace Supervisor.Tests.Launcher;

/// <summary>
/// A launcher process a test drives itself: it reads what the launcher writes, sends it signals as a shell's
/// <c>kill</c> does, and waits for it to end. Every wait is bounded by the sandbox's limit, never by a sleep.
/// </summary>
internal sealed class RunningLauncher : IDisposable
{
    private readonly CancellationToken _limit;

    private RunningLauncher(Process process, CancellationToken limit)
    {
        Process = process;
        _limit = limit;
    }

    public Process Process { get; }

    /// <summary>Starts <c>dotnet Supervisor.Launcher.dll {arguments}</c> with the sandbox's marker, its stdio redirected.</summary>
    public static RunningLauncher Start(LauncherSandbox sandbox, IReadOnlyList<string> arguments, CancellationToken limit)
    {
        var start = new ProcessStartInfo(LauncherSandbox.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[LauncherSandbox.LauncherDll, .. arguments]) start.ArgumentList.Add(argument);
        start.Environment[MarkedProcesses.Variable] = sandbox.Marker;
        return new RunningLauncher(Process.Start(start)!, limit);
    }

    /// <summary>Reads stderr until a line holds <paramref name="text"/>, and returns that line.</summary>
    public async Task<string> ReadStderrUntilAsync(string text)
    {
        var seen = new List<string>();
        try
        {
            while (await Process.StandardError.ReadLineAsync(_limit) is { } line)
            {
                if (line.Contains(text, StringComparison.Ordinal)) return line;
                seen.Add(line);
            }
        }
        catch (OperationCanceledException) when (_limit.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException(
                $"the test's time limit passed waiting for '{text}' on stderr (launcher {(Process.HasExited ? $"exited with {Process.ExitCode}" : "still running")}); it wrote:\n{string.Join('\n', seen)}");
        }
        throw new Xunit.Sdk.XunitException($"stderr ended without '{text}':\n{string.Join('\n', seen)}");
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to the launcher alone, as <c>kill -INT</c> does; a terminal's Ctrl-C would reach the whole process group.</summary>
    public async Task SignalAsync(string signal)
    {
        // A shell without job control starts a command run with '&' with SIGINT ignored, the launcher inherits that, and
        // the runtime keeps an inherited SIGINT ignored, as POSIX asks of a background job: nothing here to test then.
        Skip.If(signal == "INT" && SigIntIgnored(), "SIGINT is ignored in this test run (started in the background by a shell?); the launcher inherits that.");
        using var kill = Process.Start("kill", [$"-{signal}", Process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(_limit);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the launcher to exit and returns how it ended, with what is left of its stdout and stderr.</summary>
    public async Task<LauncherResult> WaitForExitAsync()
    {
        var stdout = Process.StandardOutput.ReadToEndAsync(_limit);
        var stderr = Process.StandardError.ReadToEndAsync(_limit);
        await Process.WaitForExitAsync(_limit);
        return new LauncherResult(Process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Process.Dispose();

    // Linux says which signals a process ignores in /proc/self/status ("SigIgn:", a hex mask, bit 1 for SIGINT).
    private static bool SigIntIgnored()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status)) return false;
        var mask = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return mask is not null && (ulong.Parse(mask["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0b10) != 0;
    }
}
