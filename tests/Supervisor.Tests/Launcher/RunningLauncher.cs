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
        while (await Process.StandardError.ReadLineAsync(_limit) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal)) return line;
            seen.Add(line);
        }
        throw new Xunit.Sdk.XunitException($"stderr ended without '{text}':\n{string.Join('\n', seen)}");
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to the launcher alone, as <c>kill -INT</c> does; a terminal's Ctrl-C would reach the whole process group.</summary>
    public async Task SignalAsync(string signal)
    {
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
}
