using System.Diagnostics;

namespace Supervisor.Distributed.Tests.Infrastructure;

/// <summary>One run of the launcher (<c>supervisor</c>) as a process of its own, to its end.</summary>
internal static class LauncherProcess
{
    /// <summary>Runs the launcher with <paramref name="arguments"/>; its exit code and stderr.</summary>
    public static async Task<(int ExitCode, string Error)> RunAsync(params string[] arguments)
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
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        await output;
        return (process.ExitCode, await error);
    }
}
