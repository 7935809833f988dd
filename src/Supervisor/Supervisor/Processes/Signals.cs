using System.Runtime.InteropServices;

namespace Supervisor.Processes;

/// <summary>Asks a process to stop (SIGTERM, as Python's <c>terminate</c>) or stops it (SIGKILL).</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>SIGTERM on Unix; on Windows, where there is no such signal, the process is killed.</summary>
    public static void Terminate(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            Kill(processId);
            return;
        }
        _ = SendSignal(processId, SigTerm);
    }

    /// <summary>Kills the process at once; a process that already exited is left alone.</summary>
    public static void Kill(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
