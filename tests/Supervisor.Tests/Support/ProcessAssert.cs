using System.Diagnostics;

namespace Supervisor.Tests.Support;

/// <summary>Asserts that worker processes are gone: every test leaves none behind.</summary>
public static class ProcessAssert
{
    public static void AllExited(IEnumerable<int> processIds)
    {
        var alive = processIds.Where(IsRunning).ToList();
        Assert.True(alive.Count == 0, $"Worker processes still running: {string.Join(", ", alive)}");
    }

    public static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
