using System.Diagnostics;

namespace Supervisor.Tests.Support;

/// <summary>Kills a process from outside, as an OOM killer or an operator would.</summary>
public static class Signal
{
    public static void Kill(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill();
    }
}
