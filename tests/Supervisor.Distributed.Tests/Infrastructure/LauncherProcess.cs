using System.Diagnostics;
using System.Text;

namespace Supervisor.Distributed.Tests.Infrastructure;

/// <summary>One run of the launcher (<c>supervisor</c>) as a process of its own, to its end.</summary>
internal static class LauncherProcess
{
    /// <summary>Runs the launcher with <paramref name="arguments"/>; its exit code and stderr.</summary>
    public static Task<(int ExitCode, string Error)> RunAsync(params string[] arguments) => RunAsync(arguments, cue: null, whenCued: null);

    /// <summary>
    /// Runs the launcher with <paramref name="arguments"/>, and <paramref name="whenCued"/> once its stderr says
    /// <paramref name="cue"/> (while it runs on); its exit code and stderr.
    /// </summary>
    public static async Task<(int ExitCode, string Error)> RunAsync(string[] arguments, string? cue, Func<Task>? whenCued)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Supervisor.Launcher.dll"), .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = new StringBuilder();
        var cued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (error) error.AppendLine(e.Data);
            if (cue is not null && e.Data.Contains(cue, StringComparison.Ordinal)) cued.TrySetResult();
        };
        process.BeginErrorReadLine();
        try
        {
            if (whenCued is not null)
            {
                await Task.WhenAny(cued.Task, process.WaitForExitAsync()).WaitAsync(TimeSpan.FromMinutes(2));
                if (cued.Task.IsCompleted) await whenCued();
            }
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        await output;
        // The end of stderr has been read once the process has exited and WaitForExit returned.
        process.WaitForExit();
        lock (error) return (process.ExitCode, error.ToString());
    }
}
