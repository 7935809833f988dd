namespace Supervisor.Tests.Support;

/// <summary>Starts processes together and joins them, for tests where several processes talk to each other.</summary>
public static class WorkerProcesses
{
    public static async Task StartAllAsync(params WorkerProcess[] processes)
    {
        foreach (var process in processes) await process.StartAsync();
    }

    /// <summary>Waits for each to end (a minute at most, against a hang) and asserts its target returned.</summary>
    public static async Task JoinAllSucceededAsync(params WorkerProcess[] processes)
    {
        foreach (var process in processes)
        {
            Assert.True(await process.JoinAsync(TimeSpan.FromMinutes(1)), $"{process.Name} did not end");
            Assert.Null(process.Failure);
            Assert.Equal(0, process.ExitCode);
        }
    }

    public static void AssertAllExited(params WorkerProcess[] processes) =>
        ProcessAssert.AllExited(processes.Select(p => p.ProcessId!.Value));
}
